import type { Scenario } from './scenario';

/** The 30 seeds both tiers run (the integration tier through the real stores). */
export const MODEL_BASED_FIXED_SEEDS: readonly number[] = Array.from({ length: 30 }, (_, i) => 7001 + i * 97);

/** MODEL_SEED=<n> (or a comma-separated list) replays those seeds only. */
export function replaySeeds(): number[] | undefined {
  const replay = process.env.MODEL_SEED;
  if (replay === undefined || replay.trim() === '') return undefined;
  return replay.split(',').map((seed) => Number(seed.trim()));
}

/** Below this share of accepted commands a scenario would mostly test refusals. */
export const MIN_ACCEPTANCE_RATE = 0.55;
export const MIN_ACCEPTED_PER_SCENARIO = 40;

/** Why a scenario exercises too little of the ledger, or undefined when it is fine. */
export function acceptanceProblem(scenario: Scenario): string | undefined {
  const rate = scenario.accepted / scenario.attempted;
  if (rate >= MIN_ACCEPTANCE_RATE && scenario.accepted >= MIN_ACCEPTED_PER_SCENARIO) return undefined;
  return `seed ${scenario.seed}: only ${scenario.accepted} of ${scenario.attempted} commands accepted; `
    + `refusals ${JSON.stringify(Object.fromEntries(scenario.refusals))}`;
}
