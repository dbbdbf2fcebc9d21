import { dumpReadModels } from '@cl/read-models';
import { outcomeOf, spawnTs, waitForOutput } from '../../../test/read-models/support/child-process';
import { describeEachDialect } from '../../../test/read-models/support/read-model-dialects';
import { referenceCase, useLedgerAndReadModels } from '../../../test/read-models/support/ledger-fixture';

describeEachDialect('projector app and projections:rebuild', (harness) => {
  const fixture = useLedgerAndReadModels(harness);

  it('runs alone, projects the log, stops cleanly on SIGTERM; rebuild gives the same tables', async () => {
    for (const id of ['c-1', 'c-2', 'c-3']) await fixture.ledger.append(id, referenceCase(id));
    const head = await fixture.ledger.store.headPosition();
    // LedgerFixture keeps its store at <dir>/events.sqlite, which is where DATA_DIR puts the embedded store.
    const env = { DATA_DIR: fixture.ledger.dir, EVENT_STORE: 'embedded', READ_MODELS_URL: fixture.readModels.url, PROJECTOR_BATCH_SIZE: '10' };

    const projector = spawnTs('apps/projector/src/main.ts', env);
    const projectorOutcome = outcomeOf(projector);
    await waitForOutput(projector, 'projector: started');
    expect(await fixture.readModels.queries.waitForPosition(head, 20_000)).toBe(true);

    const second = await outcomeOf(spawnTs('apps/projector/src/main.ts', env));
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('another projector already holds the read-models lock');

    projector.kill('SIGTERM');
    const stopped = await projectorOutcome;
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`stopped at position ${head}`);
    const projected = await dumpReadModels(fixture.readModels.db);

    const rebuild = await outcomeOf(spawnTs('apps/projector/src/rebuild.ts', env));
    expect(rebuild.code).toBe(0);
    expect(rebuild.stderr).toMatch(/rebuild: \d+\/\d+ events, \d+ events\/s, ETA \d\d:\d\d/);
    expect(rebuild.stderr).toContain(`rebuild: done, ${head} events replayed up to position ${head}`);
    expect(await dumpReadModels(fixture.readModels.db)).toEqual(projected);
  });
});
