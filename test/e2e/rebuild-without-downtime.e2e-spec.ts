import { outcomeOf, spawnNpmScript } from '../read-models/support/child-process';
import { LedgerFixture, referenceCase } from '../read-models/support/ledger-fixture';
import { startApiProcess, type ApiProcess } from '../support/api-process';
import { JsonClient } from '../support/json-client';
import { bearer, TEST_TOKEN_TABLE, TEST_TOKENS } from '../support/test-app';

/**
 * `npm run projections:rebuild` beside the running API (inline projector, SQLite read models in
 * DATA_DIR): the API keeps answering throughout, with the complete read models, before, during
 * and after the swap (docs/read-models.md, "Rebuilding").
 */
describe('projections:rebuild while the API runs', () => {
  let ledger: LedgerFixture | undefined;
  let api: ApiProcess | undefined;
  let client: JsonClient | undefined;

  afterAll(async () => {
    client?.close();
    await api?.kill();
    await ledger?.close();
  });

  it('the API answers every request during the rebuild, with the same complete answers', async () => {
    ledger = LedgerFixture.open();
    for (let index = 1; index <= 12; index++) await ledger.append(`c-${index}`, referenceCase(`c-${index}`));
    const head = await ledger.store.headPosition();
    // LedgerFixture keeps its store at <dir>/events.sqlite, which is where DATA_DIR puts the embedded store.
    const env = { DATA_DIR: ledger.dir, AUTH_TOKENS: JSON.stringify(TEST_TOKEN_TABLE), RATE_LIMIT_PER_MINUTE: '0' };
    api = await startApiProcess(env);
    client = new JsonClient(api.url);
    const auditor = bearer(TEST_TOKENS.auditor);
    const reads = () => Promise.all([
      client!.request('GET', `/stats.json?minPosition=${head}`),
      client!.request('GET', '/conventions/c-7/balance', auditor),
      client!.request('GET', '/conventions', auditor),
    ]);
    const before = await reads();
    expect(before.map((answer) => answer.status)).toEqual([200, 200, 200]);

    const rebuild = spawnNpmScript('projections:rebuild', { ...env, EVENT_STORE: 'embedded', PROJECTOR_BATCH_SIZE: '5' });
    let running = true;
    const rebuilt = outcomeOf(rebuild).finally(() => { running = false; });
    let rounds = 0;
    while (running) {
      const answers = await reads();
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(answers.map((answer) => answer.body)).toEqual(before.map((answer) => answer.body));
      rounds += 1;
    }
    const outcome = await rebuilt;
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toContain(`rebuild: done, ${head} events replayed up to position ${head}, swapped in`);
    // What it took, for sizing the container it runs in.
    expect(outcome.stderr).toMatch(/swapped in \(\d+\.\d\d s, \d+ events\/s, peak RSS \d+\.\d MB\)/);
    expect(rounds).toBeGreaterThan(0);
    const after = await reads();
    expect(after.map((answer) => answer.body)).toEqual(before.map((answer) => answer.body));
  }, 120_000);
});
