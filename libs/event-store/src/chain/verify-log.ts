import type { EventStore, RecordedEvent } from '../event-store.port';
import { checkStreamChain, type BrokenLink } from './check-stream-chain';
import { RunningDigest, formatDigest, type LogDigest } from './log-digest';

export interface LogProgress {
  phase: 'log' | 'streams';
  done: number;
  /** Events: the head position (positions may have gaps); streams: their number. */
  total: number;
}

/** An extra check of a whole stream once its chain holds (the statements' seals, for the ledger). */
export type StreamCheck = (events: RecordedEvent[]) => BrokenLink | undefined;

export interface VerifyOptions {
  /** Prove that the log up to digest.position is the one digested. */
  digest?: LogDigest;
  checkStream?: StreamCheck;
  onProgress?: (progress: LogProgress) => void;
  pageSize?: number;
}

export interface VerifyReport {
  events: number;
  streams: number;
  legacyEvents: number;
  headPosition: number;
  /** The digest of the whole log as read. */
  headDigest: string;
  /** The first broken link in log order, if any. */
  broken?: BrokenLink;
  /** How many streams are broken (the first one is `broken`). */
  brokenStreams: number;
  digest?: { expected: string; actual: string; matches: boolean; detail?: string };
}

/** The digest of the log up to `position` (default: its head). */
export async function digestLog(store: EventStore, options: { position?: number; onProgress?: VerifyOptions['onProgress']; pageSize?: number } = {}): Promise<LogDigest> {
  const head = await store.headPosition();
  const position = options.position ?? head;
  if (position > head) throw new Error(`position ${position} is past the end of the log (${head})`);
  const digest = new RunningDigest();
  await readLog(store, options.pageSize ?? 1000, (event) => {
    if (event.position <= position) digest.add(event);
  }, (done) => options.onProgress?.({ phase: 'log', done, total: head }), position);
  return { value: digest.current, position };
}

/**
 * Re-checks every stream's chain and, given a digest, the log up to its position: one pass over
 * the global log (digest, the streams there are), then one read per stream (its chain).
 */
export async function verifyLog(store: EventStore, options: VerifyOptions = {}): Promise<VerifyReport> {
  const head = await store.headPosition();
  const pageSize = options.pageSize ?? 1000;
  const whole = new RunningDigest();
  const upTo = new RunningDigest();
  const streams = new Set<string>();
  let events = 0;
  let lastBeforeDigest = 0;
  await readLog(store, pageSize, (event) => {
    events++;
    streams.add(event.streamId);
    whole.add(event);
    if (options.digest && event.position <= options.digest.position) {
      upTo.add(event);
      lastBeforeDigest = event.position;
    }
  }, (done) => options.onProgress?.({ phase: 'log', done, total: head }));

  const report: VerifyReport = { events, streams: streams.size, legacyEvents: 0, headPosition: head, headDigest: whole.current, brokenStreams: 0 };
  if (options.digest) report.digest = compareDigest(options.digest, upTo.current, head, lastBeforeDigest);

  let checked = 0;
  for (const streamId of streams) {
    const stream = await store.readStream(streamId);
    const check = checkStreamChain(stream);
    report.legacyEvents += check.legacyEvents;
    const broken = check.broken ?? options.checkStream?.(stream);
    if (broken) {
      report.brokenStreams++;
      if (!report.broken || broken.position < report.broken.position) report.broken = broken;
    }
    options.onProgress?.({ phase: 'streams', done: ++checked, total: streams.size });
  }
  return report;
}

function compareDigest(expected: LogDigest, actual: string, head: number, lastBeforeDigest: number): NonNullable<VerifyReport['digest']> {
  const shown = formatDigest(expected);
  if (head < expected.position) {
    return { expected: shown, actual: `${actual}@${head}`, matches: false, detail: `the log ends at position ${head}, before the digest's position ${expected.position}: events were removed` };
  }
  const matches = actual === expected.value;
  return {
    expected: shown,
    actual: `${actual}@${expected.position}`,
    matches,
    ...(matches ? {} : { detail: `the log up to position ${expected.position} (last event there: ${lastBeforeDigest}) is not the one digested: an event at or before it was changed, removed, inserted or reordered` }),
  };
}

async function readLog(store: EventStore, pageSize: number, visit: (event: RecordedEvent) => void, progress: (position: number) => void, until = Number.POSITIVE_INFINITY): Promise<void> {
  let after = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    if (page.length === 0) return;
    for (const event of page) visit(event);
    after = page[page.length - 1].position;
    progress(after);
    if (after >= until) return;
  }
}
