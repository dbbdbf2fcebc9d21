import { randomUUID } from 'node:crypto';
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { InMemoryLog, LogRecord } from './in-memory-log';
import { streamDeletedError } from './grpc-errors';
import { streamIdentifier, streamName, toReadEventResp } from './proto-mapping';

export type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

export interface ReadHandlerOptions {
  /** Servers from 24.2 tell a subscription it has caught up; older ones never do. */
  sendCaughtUp: boolean;
}

const FORWARDS = ReadReq.Options.ReadDirection.FORWARDS;
const DEFAULT_FILTER_WINDOW = 32;

/** Streams.Read: bounded reads of a stream or $all, and catch-up subscriptions to either. */
export class StreamsReadHandler {
  private readonly liveSubscriptions = new Set<ReadCall>();

  constructor(
    private readonly log: InMemoryLog,
    private readonly options: ReadHandlerOptions,
  ) {}

  handle = (call: ReadCall): void => {
    const options = call.request.getOptions();
    if (!options) {
      call.emit('error', { code: status.INVALID_ARGUMENT, details: 'missing read options' });
      return;
    }
    if (options.hasSubscription()) this.subscribe(call, options);
    else this.read(call, options);
  };

  /** Ends every live subscription the way a restarting or failing-over node does. */
  dropSubscriptions(): number {
    const calls = [...this.liveSubscriptions];
    this.liveSubscriptions.clear();
    for (const call of calls) call.emit('error', { code: status.UNAVAILABLE, details: 'Server is shutting down' });
    return calls.length;
  }

  get liveSubscriptionCount(): number {
    return this.liveSubscriptions.size;
  }

  private read(call: ReadCall, options: ReadReq.Options): void {
    const uuidOption = options.getUuidOption();
    const count = Number(options.getCount());
    const forwards = options.getReadDirection() === FORWARDS;
    let records: LogRecord[];

    if (options.hasStream()) {
      const streamOptions = options.getStream()!;
      const name = streamName(streamOptions.getStreamIdentifier());
      if (this.log.isTombstoned(name)) return void call.emit('error', streamDeletedError(name));
      const stream = this.log.streamRecords(name);
      if (!stream) {
        call.write(
          new ReadResp().setStreamNotFound(
            new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name)),
          ),
        );
        call.end();
        return;
      }
      records = selectStream(stream, streamOptions, forwards);
    } else {
      records = selectAll(this.log.all, options.getAll()!, forwards);
    }

    for (const record of records.slice(0, count)) call.write(toReadEventResp(record, uuidOption));
    call.end();
  }

  private subscribe(call: ReadCall, options: ReadReq.Options): void {
    const uuidOption = options.getUuidOption();
    const matches = recordFilter(options);
    const checkpoints = checkpointPolicy(options);
    let sinceCheckpoint = 0;

    const deliver = (record: LogRecord): void => {
      if (matches(record)) {
        call.write(toReadEventResp(record, uuidOption));
      } else if (checkpoints && ++sinceCheckpoint >= checkpoints) {
        sinceCheckpoint = 0;
        const at = record.position.toString();
        call.write(new ReadResp().setCheckpoint(new ReadResp.Checkpoint().setCommitPosition(at).setPreparePosition(at)));
      }
    };

    let backlog: LogRecord[];
    let isLive: (record: LogRecord) => boolean;
    if (options.hasStream()) {
      const streamOptions = options.getStream()!;
      const name = streamName(streamOptions.getStreamIdentifier());
      if (this.log.isTombstoned(name)) return void call.emit('error', streamDeletedError(name));
      const stream = this.log.streamRecords(name) ?? [];
      const after = streamOptions.hasRevision()
        ? BigInt(streamOptions.getRevision())
        : streamOptions.hasEnd()
          ? (stream[stream.length - 1]?.revision ?? -1n)
          : -1n;
      backlog = stream.filter((r) => r.revision > after);
      isLive = (r) => r.streamId === name;
    } else {
      const allOptions = options.getAll()!;
      // A subscription starts strictly after the position it is given (unlike a read, which includes it).
      const after = allOptions.hasPosition()
        ? BigInt(allOptions.getPosition()!.getCommitPosition())
        : allOptions.hasEnd()
          ? (this.log.all[this.log.all.length - 1]?.position ?? -1n)
          : -1n;
      backlog = this.log.all.filter((r) => r.position > after);
      isLive = () => true;
    }

    call.write(
      new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())),
    );
    // Catch-up and going live happen in one synchronous turn, so no append can fall between them.
    for (const record of backlog) deliver(record);
    if (this.options.sendCaughtUp) call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));

    const unsubscribe = this.log.onAppended((records) => {
      for (const record of records) if (isLive(record)) deliver(record);
    });
    this.liveSubscriptions.add(call);
    const stop = (): void => {
      unsubscribe();
      this.liveSubscriptions.delete(call);
    };
    call.on('cancelled', stop);
    call.on('error', stop);
    call.on('finish', stop);
    call.on('close', stop);
  }
}

function selectStream(stream: LogRecord[], options: ReadReq.Options.StreamOptions, forwards: boolean): LogRecord[] {
  if (forwards) {
    if (options.hasEnd()) return [];
    const from = options.hasRevision() ? BigInt(options.getRevision()) : 0n;
    return stream.filter((r) => r.revision >= from);
  }
  const from = options.hasRevision() ? BigInt(options.getRevision()) : null;
  return stream.filter((r) => from === null || r.revision <= from).reverse();
}

/** Forwards from a position includes the record at it; backwards from a position returns what lies before it. */
function selectAll(all: LogRecord[], options: ReadReq.Options.AllOptions, forwards: boolean): LogRecord[] {
  const position = options.hasPosition() ? BigInt(options.getPosition()!.getCommitPosition()) : null;
  if (forwards) {
    if (options.hasEnd()) return [];
    return position === null ? [...all] : all.filter((r) => r.position >= position);
  }
  if (options.hasStart()) return [];
  return (position === null ? [...all] : all.filter((r) => r.position < position)).reverse();
}

function recordFilter(options: ReadReq.Options): (record: LogRecord) => boolean {
  if (!options.hasFilter()) return () => true;
  const filter = options.getFilter()!;
  const onType = filter.hasEventType();
  const expression = onType ? filter.getEventType()! : filter.getStreamIdentifier()!;
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : null;
  const prefixes = expression.getPrefixList();
  return (record) => {
    const subject = onType ? record.type : record.streamId;
    if (regex) return regex.test(subject);
    return prefixes.length === 0 || prefixes.some((prefix) => subject.startsWith(prefix));
  };
}

/** How many filtered-out records pass between two checkpoints; 0 without a filter. */
function checkpointPolicy(options: ReadReq.Options): number {
  if (!options.hasFilter()) return 0;
  const filter = options.getFilter()!;
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_FILTER_WINDOW;
  return window * Math.max(1, filter.getCheckpointintervalmultiplier());
}

