import { checkScenario } from './invariants';
import { coverageOf, coverageShortfalls } from './coverage';
import { MODEL_BASED_FIXED_SEEDS, acceptanceProblem, replaySeeds } from './seeds';
import { generateScenario } from './scenario';

/**
 * Unit tier, no database: random scenarios go through the real decide() and evolve(), and after
 * EVERY accepted command the domain-level invariants (invariants.ts) are checked on the
 * convention it changed, now and as of every date that matters (each fact date and the day
 * before it). A failure names its seed and step: replay with MODEL_SEED=<seed>.
 */
const UNIT_SEEDS = replaySeeds() ?? [...MODEL_BASED_FIXED_SEEDS, ...Array.from({ length: 90 }, (_, i) => 91_001 + i * 7919)];

describe('domain invariants hold after every step of random ledgers (model-based, no database)', () => {
  it.each(UNIT_SEEDS)('scenario seed %i', (seed) => {
    const scenario = generateScenario(seed);
    expect({ seed, crashes: scenario.crashes }).toEqual({ seed, crashes: [] });
    const problem = acceptanceProblem(scenario);
    if (problem) throw new Error(problem);
    const report = checkScenario(scenario);
    if (report.violations.length > 0) {
      throw new Error(`seed ${seed} (replay: MODEL_SEED=${seed} npx jest test/model-based/invariants.spec.ts): `
        + `${report.violations.length} invariant violations\n${report.violations.join('\n')}`);
    }
  });

  it('the fixed seeds reach every path the floors ask for (fund calls, late rejections, settlement payments, terminations, unsettlings...)', () => {
    if (replaySeeds()) return; // one replayed seed cannot cover everything
    const coverage = coverageOf(MODEL_BASED_FIXED_SEEDS.map((seed) => generateScenario(seed)));
    expect(coverageShortfalls(coverage)).toEqual([]);
  });
});
