import { figuresOf, type ConventionClosed, type ConventionTerminated } from '@cl/domain';
import type { CommandOutcome } from '../application/convention-command.executor';

/** Did the command leave the convention settled (R1: ended, figures final, nothing owed either way)? */
export const settledOf = (outcome: CommandOutcome): boolean => outcome.state?.status === 'settled';

/**
 * C1/X1 (v2): closure and termination answer with the figures they established (the evidence the
 * event records), whether they are still provisional (a termination before a valid final
 * statement), and whether the convention is settled.
 */
export function endingResponse(outcome: CommandOutcome) {
  const ending = outcome.events.find((e): e is ConventionClosed | ConventionTerminated => e.type === 'ConventionClosed' || e.type === 'ConventionTerminated');
  if (!ending) throw new Error('a closure or termination recorded no ConventionClosed or ConventionTerminated');
  const { participation, received, restitutionDue, owedToBeneficiary, lapsedTranches } = ending.data;
  const provisional = outcome.state !== null && figuresOf(outcome.state).provisional;
  return {
    position: outcome.position,
    ...(ending.type === 'ConventionClosed'
      ? { closedOn: ending.data.on, statement: ending.data.statement, consumed: ending.data.consumed }
      : { decidedOn: ending.data.decidedOn, effectiveOn: ending.data.effectiveOn, decidedBy: ending.data.decidedBy }),
    participation,
    received,
    restitutionDue,
    owedToBeneficiary,
    lapsedTranches,
    provisional,
    settled: settledOf(outcome),
  };
}
