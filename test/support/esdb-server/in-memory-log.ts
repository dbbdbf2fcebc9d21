import { EventEmitter } from 'node:events';

/** One record of the transaction log, as the server stores it. */
export interface LogRecord {
  streamId: string;
  revision: bigint;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
  /** 100 ns ticks since the Unix epoch: what EventStoreDB puts in the `created` metadata. */
  createdTicks: bigint;
  /** commit == prepare: single-event writes are never split across a transaction here. */
  position: bigint;
}

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

export type Expected = { kind: 'any' } | { kind: 'no_stream' } | { kind: 'stream_exists' } | { kind: 'revision'; revision: bigint };

export type AppendOutcome =
  | { kind: 'success'; currentRevision: bigint | 'no_stream'; position?: bigint }
  | { kind: 'wrong_expected_version'; current: bigint | 'no_stream' }
  | { kind: 'stream_deleted' };

interface StreamState {
  records: LogRecord[];
  /** Soft delete: revisions below this read as gone, the stream counts as absent until written again. */
  truncateBefore: bigint;
  tombstoned: boolean;
}

/** Real logs do not start at 0: the epoch/chunk header records come first. */
const FIRST_POSITION = 4096n;
const TICKS_PER_MS = 10_000n;
/** Per-record framing overhead, so positions advance like byte offsets (with gaps) and not by 1. */
const RECORD_OVERHEAD = 97n;

export class InMemoryLog {
  readonly all: LogRecord[] = [];
  private readonly streams = new Map<string, StreamState>();
  private nextPosition = FIRST_POSITION;
  private readonly emitter = new EventEmitter();

  constructor(private readonly now: () => Date = () => new Date()) {
    this.emitter.setMaxListeners(0);
  }

  onAppended(listener: (records: LogRecord[]) => void): () => void {
    this.emitter.on('appended', listener);
    return () => this.emitter.off('appended', listener);
  }

  /** The revision of the last event, 'no_stream' when absent or soft-deleted without new writes. */
  currentRevision(streamId: string): bigint | 'no_stream' {
    const stream = this.streams.get(streamId);
    if (!stream || stream.records.length === 0) return 'no_stream';
    const last = stream.records[stream.records.length - 1].revision;
    return last < stream.truncateBefore ? 'no_stream' : last;
  }

  isTombstoned(streamId: string): boolean {
    return this.streams.get(streamId)?.tombstoned ?? false;
  }

  /** Visible events of a stream, in revision order; undefined when the stream does not exist. */
  streamRecords(streamId: string): LogRecord[] | undefined {
    const stream = this.streams.get(streamId);
    if (!stream) return undefined;
    const visible = stream.records.filter((r) => r.revision >= stream.truncateBefore);
    return visible.length === 0 ? undefined : visible;
  }

  append(streamId: string, events: ProposedEvent[], expected: Expected): AppendOutcome {
    const stream = this.streams.get(streamId);
    if (stream?.tombstoned) return { kind: 'stream_deleted' };
    const current = this.currentRevision(streamId);

    const idempotent = this.idempotentReplay(stream, events, expected, current);
    if (idempotent) return idempotent;

    if (!this.expectationHolds(expected, current)) return { kind: 'wrong_expected_version', current };
    if (events.length === 0) return { kind: 'success', currentRevision: current };

    const state = stream ?? { records: [], truncateBefore: 0n, tombstoned: false };
    this.streams.set(streamId, state);
    // After a soft delete the stream continues its revisions, as EventStoreDB does.
    let revision = state.records.length === 0 ? 0n : state.records[state.records.length - 1].revision + 1n;
    const written = events.map((event) => this.write(state, streamId, revision++, event));
    this.emitter.emit('appended', written);
    return { kind: 'success', currentRevision: revision - 1n, position: written[written.length - 1].position };
  }

  /** Soft delete: the stream reads as not found, its events stay in $all, a $metadata event records it. */
  softDelete(streamId: string, expected: Expected): AppendOutcome {
    const stream = this.streams.get(streamId);
    if (stream?.tombstoned) return { kind: 'stream_deleted' };
    const current = this.currentRevision(streamId);
    if (!this.expectationHolds(expected, current)) return { kind: 'wrong_expected_version', current };
    if (!stream || current === 'no_stream') return { kind: 'success', currentRevision: current };
    stream.truncateBefore = (current as bigint) + 1n;
    const meta = this.appendSystem(`$$${streamId}`, '$metadata', { $tb: Number(stream.truncateBefore) });
    return { kind: 'success', currentRevision: current, position: meta.position };
  }

  tombstone(streamId: string, expected: Expected): AppendOutcome {
    const stream = this.streams.get(streamId);
    if (stream?.tombstoned) return { kind: 'stream_deleted' };
    const current = this.currentRevision(streamId);
    if (!this.expectationHolds(expected, current)) return { kind: 'wrong_expected_version', current };
    const state = stream ?? { records: [], truncateBefore: 0n, tombstoned: false };
    this.streams.set(streamId, state);
    const marker = this.write(state, streamId, 0x7fffffffffffffffn, {
      id: randomUuid(),
      type: '$streamDeleted',
      contentType: 'application/octet-stream',
      data: new Uint8Array(),
      customMetadata: new Uint8Array(),
    });
    state.tombstoned = true;
    state.truncateBefore = 0x7fffffffffffffffn + 1n;
    this.emitter.emit('appended', [marker]);
    return { kind: 'success', currentRevision: current, position: marker.position };
  }

  /** A server-internal write ($settings, $stats, $metadata...) that lands in $all like any other. */
  appendSystem(streamId: string, type: string, data: unknown): LogRecord {
    const state = this.streams.get(streamId) ?? { records: [], truncateBefore: 0n, tombstoned: false };
    this.streams.set(streamId, state);
    const revision = state.records.length === 0 ? 0n : state.records[state.records.length - 1].revision + 1n;
    const record = this.write(state, streamId, revision, {
      id: randomUuid(),
      type,
      contentType: 'application/json',
      data: Buffer.from(JSON.stringify(data)),
      customMetadata: new Uint8Array(),
    });
    this.emitter.emit('appended', [record]);
    return record;
  }

  private write(state: StreamState, streamId: string, revision: bigint, event: ProposedEvent): LogRecord {
    const record: LogRecord = {
      ...event,
      streamId,
      revision,
      createdTicks: BigInt(this.now().getTime()) * TICKS_PER_MS,
      position: this.nextPosition,
    };
    this.nextPosition +=
      RECORD_OVERHEAD +
      BigInt(Buffer.byteLength(streamId) + Buffer.byteLength(event.type) + event.data.length + event.customMetadata.length);
    state.records.push(record);
    this.all.push(record);
    return record;
  }

  private expectationHolds(expected: Expected, current: bigint | 'no_stream'): boolean {
    switch (expected.kind) {
      case 'any':
        return true;
      case 'no_stream':
        return current === 'no_stream';
      case 'stream_exists':
        return current !== 'no_stream';
      case 'revision':
        return current === expected.revision;
    }
  }

  /**
   * EventStoreDB's commit check: when the first proposed id is already in the stream right after
   * the expected revision (anywhere, for 'any'), and every id matches in order, the write is an
   * idempotent success that writes nothing and reports the original. A partial match is treated as
   * a wrong expected version ("corrupted idempotency").
   */
  private idempotentReplay(
    stream: StreamState | undefined,
    events: ProposedEvent[],
    expected: Expected,
    current: bigint | 'no_stream',
  ): AppendOutcome | undefined {
    if (!stream || events.length === 0) return undefined;
    let start: number;
    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      start = stream.records.findIndex((r) => r.id === events[0].id);
      if (start < 0) return undefined;
    } else {
      const expectedRevision = expected.kind === 'no_stream' ? -1n : expected.revision;
      if (current === 'no_stream' ? expectedRevision === -1n : expectedRevision === current) return undefined;
      start = stream.records.findIndex((r) => r.revision === expectedRevision + 1n);
      if (start < 0 || stream.records[start].id !== events[0].id) return undefined;
    }
    const replayed = stream.records.slice(start, start + events.length);
    const allMatch = replayed.length === events.length && replayed.every((r, i) => r.id === events[i].id);
    if (!allMatch) return { kind: 'wrong_expected_version', current };
    const last = replayed[replayed.length - 1];
    return { kind: 'success', currentRevision: last.revision, position: last.position };
  }
}

function randomUuid(): string {
  return globalThis.crypto.randomUUID();
}
