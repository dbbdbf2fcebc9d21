import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { conventionIdOf } from '@cl/domain';
import type { RecordedEvent } from '@cl/event-store';
import { Random } from '../model-based/random';
import { entryPointOf, startApiProcess, type ApiProcess } from '../support/api-process';
import { conventionStory, storyHeaders, storyLength, tell, type StoryCommand } from '../support/convention-story';
import { JsonClient, type JsonAnswer } from '../support/json-client';
import { expectReadModelsMatchFacts, keyProblems, reservationProblems, storedEvents } from '../support/store-audit';
import { TEST_TOKEN_TABLE } from '../support/test-app';

const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CLIENTS = 6;
const EXPENSES_PER_CONVENTION = 20;
const KILLS = 5;

const isSuccess = (answer: JsonAnswer) => answer.status >= 200 && answer.status < 300;
/** Answers a client retries by design: the key still held by a request the crash interrupted, a conflict. */
const isTransient = (answer: JsonAnswer) => answer.status === 409 && ['IDEMPOTENCY_KEY_IN_PROGRESS', 'CONCURRENT_CHANGE'].includes(answer.body?.code);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The real API process (test/support/api-process.ts: the fresh production build, else
 * apps/api/src/main.ts as `npm start` runs it) takes the whole life of
 * several conventions from concurrent clients, every command under an Idempotency-Key, and is
 * killed with SIGKILL at seeded random points (replay: CRASH_SEED=<seed>). A client whose
 * request died with the process sends it again, same key, once the process is back. After each
 * kill the facts left on disk are audited, then after the restart every key sent so far is sent
 * again and the read models are compared with a fold of the facts (docs/reliability.md).
 */
describe('crash recovery of the API process (SIGKILL at random points)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convention-ledger-crash-'));
  const env = { DATA_DIR: dataDir, AUTH_TOKENS: JSON.stringify(TEST_TOKEN_TABLE), RATE_LIMIT_PER_MINUTE: '0' };
  let api: ApiProcess | undefined;

  afterAll(async () => {
    await api?.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged command exactly once, whole, in the store and the read models', async () => {
    console.log(`crash test seed ${SEED} (replay: CRASH_SEED=${SEED} npx jest test/e2e/crash-recovery.e2e-spec.ts), running ${entryPointOf('api').join(' ')}`);
    const random = new Random(SEED);
    const total = CLIENTS * storyLength(EXPENSES_PER_CONVENTION);
    // Kill points spread over the run, each a number of requests sent so far.
    const killPoints = new Set<number>();
    while (killPoints.size < KILLS) {
      const point = random.int(Math.floor(total * 0.05), Math.floor(total * 0.95));
      if ([...killPoints].every((other) => Math.abs(other - point) > 2 * CLIENTS)) killPoints.add(point);
    }

    api = await startApiProcess(env);
    const client = new JsonClient(api.url);
    /** Every answer each key got (the first time, from a retry, from a re-send after a crash). */
    const answers = new Map<string, { command: StoryCommand; answers: JsonAnswer[] }>();
    let sends = 0;
    let generation = 0;
    let up: Promise<void> = Promise.resolve();
    let releaseClients = () => {};
    let failClients: (error: unknown) => void = () => {};
    let recovering: Promise<void> = Promise.resolve();
    let killPending = false;
    let killing = false;
    let kills = 0;

    const answer = (command: StoryCommand, got: JsonAnswer) => {
      const entry = answers.get(command.key) ?? { command, answers: [] };
      entry.answers.push(got);
      answers.set(command.key, entry);
    };
    const acknowledged = () => [...answers.values()].filter((entry) => entry.answers.some(isSuccess));

    /** Sends a command until it gets a final answer, again after a crash (same key): a client's retry. */
    const deliver = async (command: StoryCommand): Promise<JsonAnswer> => {
      for (;;) {
        await up;
        const sentIn = generation;
        if (!answers.has(command.key)) answers.set(command.key, { command, answers: [] });
        if (killPoints.has(++sends)) {
          // A point reached while the previous kill is still pending moves to the next send.
          if (killPending) killPoints.add(sends + 1);
          else {
            killPending = true;
            recovering = sleep(random.int(0, 15)).then(() => crashAndRecover()).catch((error) => failClients(error));
          }
        }
        try {
          const got = await client.request('POST', command.path, storyHeaders(command), command.body);
          if (isTransient(got)) {
            await sleep(200);
            continue;
          }
          answer(command, got);
          return got;
        } catch (error) {
          // The process was killed under this request: send it again once it is back.
          if (sentIn === generation && !killing) throw error;
        }
      }
    };
    /** Every key sent so far, again, with the same body: an acknowledged one gets its answer back. */
    const sendEveryKeyAgain = async () => {
      const entries = [...answers.values()];
      for (let i = 0; i < entries.length; i += 16) {
        await Promise.all(entries.slice(i, i + 16).map(async ({ command, answers: before }) => {
          let got = await client.request('POST', command.path, storyHeaders(command), command.body);
          while (isTransient(got)) {
            await sleep(200);
            got = await client.request('POST', command.path, storyHeaders(command), command.body);
          }
          const first = before.find(isSuccess);
          if (first) expect({ key: command.key, status: got.status, body: got.body }).toEqual({ key: command.key, status: first.status, body: first.body });
          answer(command, got);
        }));
      }
    };

    /** Nothing acknowledged is missing, nothing is doubled or applied in part (each key: all its command records, in one append). */
    const auditFacts = (events: readonly RecordedEvent[]) => {
      const lastPositionOf = new Map<string, number>();
      for (const event of events) if (event.metadata.idempotencyKey && conventionIdOf(event.streamId) !== undefined) lastPositionOf.set(event.metadata.idempotencyKey, event.position);
      const missing = acknowledged().filter(({ command, answers: got }) => lastPositionOf.get(command.key) !== got.find(isSuccess)!.body.position);
      expect(missing.map(({ command }) => command.key)).toEqual([]);
      expect(keyProblems(events, new Map([...answers].map(([key, { command }]) => [key, command])))).toEqual([]);
    };

    const crashAndRecover = async () => {
      killing = true;
      generation++;
      up = new Promise((resolve, reject) => { releaseClients = resolve; failClients = reject; });
      up.catch(() => undefined);
      await api!.kill();
      kills++;
      // The facts as the killed process left them on disk.
      const left = await storedEvents(dataDir);
      auditFacts(left);
      const countsBefore = eventsPerKey(left);
      const acknowledgedBefore = acknowledged();

      api = await startApiProcess(env);
      client.retarget(api.url);
      await sendEveryKeyAgain();
      const after = await storedEvents(dataDir);
      auditFacts(after);
      // A re-sent acknowledged key records nothing; a key whose request died records at most once.
      const countsAfter = eventsPerKey(after);
      for (const { command } of acknowledgedBefore) expect({ key: command.key, events: countsAfter.get(command.key) }).toEqual({ key: command.key, events: countsBefore.get(command.key) });
      expect(reservationProblems(after)).toEqual([]);
      await expectReadModelsMatchFacts(client, after);
      killing = false;
      killPending = false;
      releaseClients();
    };

    const stories = Array.from({ length: CLIENTS }, (_, i) => conventionStory(`CRASH-${SEED}-${i + 1}`, new Random(SEED + i + 1), EXPENSES_PER_CONVENTION));
    const failures = (await Promise.all(stories.map((story) => tell(story, deliver)))).flat();
    await recovering;

    expect(kills).toBe(KILLS);
    expect(failures).toEqual([]);
    expect(answers.size).toBe(total);
    // Whoever sent a key and whenever, every success it got is the same answer.
    for (const { command, answers: got } of answers.values()) {
      const successes = got.filter(isSuccess).map((a) => ({ status: a.status, body: a.body }));
      expect({ key: command.key, answers: successes }).toEqual({ key: command.key, answers: successes.map(() => successes[0]) });
    }
    // The last word, once every client is done: every key again, and the whole audit.
    await sendEveryKeyAgain();
    const events = await storedEvents(dataDir);
    auditFacts(events);
    expect(reservationProblems(events)).toEqual([]);
    expect(new Set(events.map((e) => e.metadata.idempotencyKey)).size).toBe(total);
    await expectReadModelsMatchFacts(client, events);
    client.close();
  }, 300_000);
});

function eventsPerKey(events: readonly RecordedEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) {
    const key = event.metadata.idempotencyKey;
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
