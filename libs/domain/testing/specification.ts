import type { ConventionCommand, DecisionContext } from '../src/commands';
import { decide } from '../src/decide';
import { DomainError, type DomainErrorKind } from '../src/errors';
import type { ConventionEvent } from '../src/events';
import { fold } from '../src/evolve';
import type { ConventionState } from '../src/state';

/**
 * given(history).when(command).then(events) / .thenThrows(code): a decider specification in
 * the spirit of emmett's DeciderSpecification. The history goes through evolve exactly as it
 * would be replayed from the store, and the decided events are folded too, so a spec also
 * proves that evolve accepts what decide emits.
 *
 * `then` makes the intermediate object a thenable: do not `await` or return `when(...)` itself.
 */
/** The day specs decide on unless they say otherwise (M4): after every date of the seed scenarios. */
export const SPEC_TODAY = '2026-12-01';

export function given(history: readonly ConventionEvent[] = [], context: DecisionContext = { today: SPEC_TODAY }) {
  return {
    when(command: ConventionCommand) {
      const state = fold(history);
      const run = () => decide(command, state, context);
      return {
        then(expected: readonly ConventionEvent[]): void {
          const events = run();
          expect(events).toStrictEqual(expected);
          fold(events, state);
        },
        /** For assertions on part of the outcome; returns the events and the state after them. */
        thenOutcome(): { events: ConventionEvent[]; state: ConventionState } {
          const events = run();
          return { events, state: fold(events, state) };
        },
        thenThrows(code: string, kind?: DomainErrorKind): DomainError {
          let refusal: unknown;
          let events: ConventionEvent[] | undefined;
          try {
            events = run();
          } catch (error) {
            refusal = error;
          }
          if (events) throw new Error(`expected a refusal ${code}, but decide emitted ${events.map((e) => e.type).join(', ') || 'nothing'}`);
          expect(refusal).toBeInstanceOf(DomainError);
          const domainError = refusal as DomainError;
          expect({ code: domainError.code, ...(kind ? { kind: domainError.kind } : {}) }).toEqual({ code, ...(kind ? { kind } : {}) });
          return domainError;
        },
      };
    },
  };
}

/** Runs commands through decide and evolve one after the other; a refusal fails the setup loudly. */
export function historyOf(commands: readonly ConventionCommand[], from: readonly ConventionEvent[] = [], context: DecisionContext = { today: SPEC_TODAY }): ConventionEvent[] {
  const events = [...from];
  let state = fold(events);
  for (const command of commands) {
    const decided = decide(command, state, context);
    state = fold(decided, state);
    events.push(...decided);
  }
  return events;
}
