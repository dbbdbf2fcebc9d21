import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { conventionIdOf } from '@cl/domain';
import { SqliteEventStore } from '@cl/event-store';
import { createReadModelDb, dumpReadModels, Projector } from '@cl/read-models';
import { Random } from '../model-based/random';
import { outcomeOf, waitForOutput } from '../read-models/support/child-process';
import { entryPointOf, spawnApp, startApiProcess, type ApiProcess } from '../support/api-process';
import { conventionStory, storyHeaders, tell } from '../support/convention-story';
import { JsonClient } from '../support/json-client';
import { expectReadModelsMatchFacts, storedEvents } from '../support/store-audit';
import { TEST_TOKEN_TABLE } from '../support/test-app';

const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONVENTIONS = 4;
const KILLS = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The checkpoint the read models committed, and how many events they count as projected, read beside the projector. */
function committedState(file: string): { checkpoint: number; eventsProjected: number } {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const checkpoint = (db.prepare("select position from projection_checkpoints where projection = 'read-models'").get() as { position: number } | undefined)?.position ?? 0;
    const eventsProjected = Number((db.prepare("select value from rm_stats where indicator = 'events'").get() as { value: string }).value);
    return { checkpoint: Number(checkpoint), eventsProjected };
  } catch {
    return { checkpoint: 0, eventsProjected: 0 }; // the projector has not created its tables yet
  } finally {
    db.close();
  }
}

/**
 * The projector alone (apps/projector, beside an API with PROJECTOR_MODE=off) is killed with
 * SIGKILL while it works through a backlog in small batches (PROJECTOR_BATCH_SIZE=3), at seeded
 * random points (replay: CRASH_SEED=<seed>). Each batch commits with its checkpoint, so after each
 * kill the read models hold exactly the events up to the checkpoint; once restarted and caught up,
 * they equal a rebuild from zero, table by table, and the API answers the fold of the facts.
 */
describe('crash recovery of the projector process (SIGKILL mid-batch)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convention-ledger-projector-crash-'));
  const readModelsFile = path.join(dataDir, 'read-models.sqlite');
  const projectorEnv = { DATA_DIR: dataDir, PROJECTOR_BATCH_SIZE: '3' };
  let api: ApiProcess | undefined;
  const children: ReturnType<typeof spawnApp>[] = [];

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await api?.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes from its checkpoint: nothing of a batch cut short stays, and the result equals a rebuild', async () => {
    console.log(`projector crash test seed ${SEED} (replay: CRASH_SEED=${SEED} npx jest test/e2e/projector-crash.e2e-spec.ts), running ${entryPointOf('projector').join(' ')}`);
    const random = new Random(SEED);
    api = await startApiProcess({ DATA_DIR: dataDir, AUTH_TOKENS: JSON.stringify(TEST_TOKEN_TABLE), RATE_LIMIT_PER_MINUTE: '0', PROJECTOR_MODE: 'off' });
    const client = new JsonClient(api.url);
    // The backlog: the whole life of a few conventions, written while no projector runs.
    const stories = Array.from({ length: CONVENTIONS }, (_, i) => conventionStory(`PROJECTOR-${SEED}-${i + 1}`, new Random(SEED + i + 1), 20));
    const failures = (await Promise.all(stories.map((story) => tell(story, (c) => client.request('POST', c.path, storyHeaders(c), c.body))))).flat();
    expect(failures).toEqual([]);
    const events = await storedEvents(dataDir);
    const head = events.at(-1)!.position;
    const projected = (upTo: number) => events.filter((e) => conventionIdOf(e.streamId) !== undefined && e.position <= upTo).length;

    // Kill i once the checkpoint passes a random point of the i-th sixth of the backlog (3 kills):
    // half of it is still ahead at the last kill, so each lands while batches are being applied.
    const targets = Array.from({ length: KILLS }, (_, i) => Math.max(1, Math.floor(head * ((i + random.next()) / (2 * KILLS)))));
    for (const target of targets) {
      const projector = spawnApp('projector', projectorEnv);
      children.push(projector);
      const outcome = outcomeOf(projector);
      await waitForOutput(projector, 'projector: started');
      while (committedState(readModelsFile).checkpoint < target) await sleep(1);
      projector.kill('SIGKILL');
      expect((await outcome).signal).toBe('SIGKILL');
      const after = committedState(readModelsFile);
      // Killed before the end of the backlog, and nothing of the batch it was in stayed.
      expect(after.checkpoint).toBeLessThan(head);
      expect(after.eventsProjected).toBe(projected(after.checkpoint));
    }

    const projector = spawnApp('projector', projectorEnv);
    children.push(projector);
    const outcome = outcomeOf(projector);
    await waitForOutput(projector, 'projector: started');
    await expectReadModelsMatchFacts(client, events);
    projector.kill('SIGTERM');
    expect((await outcome).code).toBe(0);

    const live = createReadModelDb({ kind: 'sqlite', file: readModelsFile });
    const rebuilt = createReadModelDb({ kind: 'sqlite', file: path.join(dataDir, 'rebuilt.sqlite') });
    const store = new SqliteEventStore(path.join(dataDir, 'events.sqlite'));
    try {
      expect(await new Projector(store, rebuilt).rebuild()).toMatchObject({ position: head, done: true });
      const dump = await dumpReadModels(live);
      expect(dump.rm_stats).toContainEqual({ indicator: 'events', value: String(projected(head)) });
      expect(dump).toEqual(await dumpReadModels(rebuilt));
    } finally {
      await store.close();
      await live.destroy();
      await rebuilt.destroy();
      client.close();
    }
  }, 300_000);
});
