import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { InMemoryLog } from './in-memory-log';
import { StreamsReadHandler } from './streams-read';
import { appendHandler, batchAppendHandler, type AppendCounters } from './streams-append';
import { deleteHandler, tombstoneHandler } from './stream-deletion';

export interface EsdbTestServerOptions {
  /**
   * true: ServerFeatures advertises Streams.BatchAppend, so the client writes through BatchAppend.
   * false: ServerFeatures is not served at all (UNIMPLEMENTED, like pre-21.10 servers), so the client
   * falls back to Streams.Append.
   */
  supportsBatchAppend?: boolean;
  /** Send `caughtUp` after a subscription's backlog (servers >= 24.2). Off by default. */
  sendCaughtUp?: boolean;
  /** Write a server-internal ($-prefixed) event into $all after every N application writes. 0: never. */
  systemEventEvery?: number;
}

const STREAMS_SERVICE = 'event_store.client.streams.streams';

/**
 * An in-memory EventStoreDB speaking the real gRPC protocol (the client package's own service
 * definitions), for tests only. See docs/eventstoredb.md for what it does not do.
 */
export class EsdbTestServer {
  readonly log = new InMemoryLog();
  readonly appendCounters: AppendCounters = { append: 0, batchAppend: 0 };
  private readonly server = new Server();
  private readonly reads: StreamsReadHandler;
  private port = 0;
  private writesSinceSystemEvent = 0;

  private constructor(private readonly options: Required<EsdbTestServerOptions>) {
    this.reads = new StreamsReadHandler(this.log, { sendCaughtUp: options.sendCaughtUp });
  }

  static async start(options: EsdbTestServerOptions = {}): Promise<EsdbTestServer> {
    const server = new EsdbTestServer({
      supportsBatchAppend: options.supportsBatchAppend ?? true,
      sendCaughtUp: options.sendCaughtUp ?? false,
      systemEventEvery: options.systemEventEvery ?? 3,
    });
    await server.listen();
    return server;
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  /** Ends every live subscription call with UNAVAILABLE; returns how many were dropped. */
  dropSubscriptions(): number {
    return this.reads.dropSubscriptions();
  }

  get liveSubscriptionCount(): number {
    return this.reads.liveSubscriptionCount;
  }

  /** Writes a server-internal event now, e.g. to put one between two application events. */
  writeSystemEvent(): void {
    this.log.appendSystem('$stats-127.0.0.1:2113', '$statsCollected', { 'proc-mem': process.memoryUsage().rss });
  }

  async close(): Promise<void> {
    // forceShutdown: a graceful tryShutdown would wait forever on clients' long-lived calls.
    this.server.forceShutdown();
  }

  private async listen(): Promise<void> {
    this.writeStartupSystemEvents();
    this.log.onAppended((records) => this.maybeWriteSystemEvent(records));

    this.server.addService(StreamsService, {
      read: this.reads.handle,
      append: appendHandler(this.log, this.appendCounters),
      batchAppend: batchAppendHandler(this.log, this.appendCounters),
      delete: deleteHandler(this.log),
      tombstone: tombstoneHandler(this.log),
    });
    if (this.options.supportsBatchAppend) {
      this.server.addService(ServerFeaturesService, { getSupportedMethods: this.supportedMethods });
    }
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
  }

  private readonly supportedMethods = (_call: ServerUnaryCall<Empty, SupportedMethods>, callback: sendUnaryData<SupportedMethods>): void => {
    const methods = ['read', 'append', 'batchappend', 'delete', 'tombstone'].map((name) =>
      new SupportedMethod().setServiceName(STREAMS_SERVICE).setMethodName(name),
    );
    const version = this.options.sendCaughtUp ? '24.10.0' : '23.10.0';
    callback(null, new SupportedMethods().setMethodsList(methods).setEventStoreServerVersion(version));
  };

  /** A fresh node writes its own bookkeeping before any client event. */
  private writeStartupSystemEvents(): void {
    this.log.appendSystem('$$$scavenges', '$metadata', { $maxAge: 2592000 });
    this.log.appendSystem('$settings', 'update-default-acl', { $userStreamAcl: { $r: '$all' } });
    this.log.appendSystem('$users', '$User', { loginName: 'admin' });
  }

  private maybeWriteSystemEvent(records: { streamId: string }[]): void {
    if (this.options.systemEventEvery <= 0 || records.every((r) => r.streamId.startsWith('$'))) return;
    if (++this.writesSinceSystemEvent < this.options.systemEventEvery) return;
    this.writesSinceSystemEvent = 0;
    this.writeSystemEvent();
  }
}

