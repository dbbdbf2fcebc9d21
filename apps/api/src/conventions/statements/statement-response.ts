import type { StatementDrawnUp } from '@cl/domain';
import type { CommandOutcome } from '../application/convention-command.executor';

/** The statement as frozen (D1), returned at once so the caller need not read it back. */
export function statementResponse(outcome: CommandOutcome) {
  const drawn = outcome.events.find((e): e is StatementDrawnUp => e.type === 'StatementDrawnUp');
  if (!drawn) throw new Error('DrawUpStatement recorded no StatementDrawnUp');
  const { number, cutoff, drawnUpOn, final, lines, corrections, total, previousCumulativeTotal, cumulativeTotal } = drawn.data;
  return { number, position: outcome.position, cutoff, drawnUpOn, final, total, previousCumulativeTotal, cumulativeTotal, lines, corrections };
}
