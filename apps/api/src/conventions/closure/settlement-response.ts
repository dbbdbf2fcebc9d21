import type { CommandOutcome } from '../application/convention-command.executor';

/** Closure, termination and restitution answers say what is still owed and whether it is settled. */
export function settlementResponse(outcome: CommandOutcome) {
  const closing = outcome.events.find((e) => e.type === 'ConventionClosed' || e.type === 'ConventionTerminated');
  const settled = outcome.events.some((e) => e.type === 'ConventionSettled');
  return {
    position: outcome.position,
    ...(closing ? pickAmounts(closing.data as unknown as Record<string, unknown>) : {}),
    settled,
  };
}

function pickAmounts(data: Record<string, unknown>) {
  const keys = ['consumed', 'received', 'dueParticipation', 'restitutionDue', 'owedToBeneficiary'];
  return Object.fromEntries(keys.filter((k) => data[k] !== undefined).map((k) => [k, data[k]]));
}
