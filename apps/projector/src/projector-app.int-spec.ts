import { dumpReadModels, Projector } from '@cl/read-models';
import { outcomeOf, spawnEntryPoint, waitForOutput } from '../../../test/read-models/support/child-process';
import { describeEachDialect } from '../../../test/read-models/support/read-model-dialects';
import { referenceCase, useLedgerAndReadModels } from '../../../test/read-models/support/ledger-fixture';

describeEachDialect('projector app and projections:rebuild', (harness) => {
  const fixture = useLedgerAndReadModels(harness);

  it('runs alone, projects the log, stops cleanly on SIGTERM; a rebuild beside it, with events appended meanwhile, ends equal to a rebuild from zero', async () => {
    for (const id of ['c-1', 'c-2', 'c-3', 'c-4']) await fixture.ledger.append(id, referenceCase(id));
    const head = await fixture.ledger.store.headPosition();
    // LedgerFixture keeps its store at <dir>/events.sqlite, which is where DATA_DIR puts the embedded store.
    const env = { DATA_DIR: fixture.ledger.dir, EVENT_STORE: 'embedded', READ_MODELS_URL: fixture.readModels.url, PROJECTOR_BATCH_SIZE: '10' };

    const projector = spawnEntryPoint('projector', 'main', env);
    const projectorOutcome = outcomeOf(projector);
    await waitForOutput(projector, 'projector: started');
    expect(await fixture.readModels.queries.waitForPosition(head, 20_000)).toBe(true);

    const second = await outcomeOf(spawnEntryPoint('projector', 'main', env));
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('another projector already holds the read-models lock');

    // The rebuild runs while the projector holds its lock and projects what is appended meanwhile.
    const rebuild = spawnEntryPoint('projector', 'rebuild', { ...env, PROJECTOR_BATCH_SIZE: '5' });
    const rebuildOutcome = outcomeOf(rebuild);
    await new Promise<void>((resolve) => rebuild.stderr!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('rebuild: ')) resolve(); }));
    for (const id of ['c-5', 'c-6']) await fixture.ledger.append(id, referenceCase(id));
    const finalHead = await fixture.ledger.store.headPosition();
    const rebuilt = await rebuildOutcome;
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stderr).toMatch(/rebuild: \d+\/\d+ events, \d+ events\/s, ETA \d\d:\d\d/);
    expect(rebuilt.stderr).toMatch(/rebuild: done, \d+ events replayed up to position \d+, swapped in/);
    expect(await fixture.readModels.queries.waitForPosition(finalHead, 20_000)).toBe(true);

    projector.kill('SIGTERM');
    const stopped = await projectorOutcome;
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`stopped at position ${finalHead}`);

    const clean = await harness.open();
    try {
      await new Projector(fixture.ledger.store, clean.db).catchUp();
      expect(await dumpReadModels(fixture.readModels.db)).toEqual(await dumpReadModels(clean.db));
    } finally {
      await clean.close();
    }
  });

  it('refuses an unknown argument before touching anything (exit 1, the usage named)', async () => {
    await fixture.ledger.append('c-1', referenceCase('c-1'));
    const env = { DATA_DIR: fixture.ledger.dir, EVENT_STORE: 'embedded', READ_MODELS_URL: fixture.readModels.url };
    const refused = await outcomeOf(spawnEntryPoint('projector', 'rebuild', env, ['--from-scrach']));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('rebuild: failed: unknown argument --from-scrach (usage: npm run projections:rebuild [-- --from-scratch])');
    expect(refused.stderr).not.toContain('rebuild: done');
  });
});
