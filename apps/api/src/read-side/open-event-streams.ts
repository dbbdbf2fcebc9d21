import { Injectable, type OnModuleDestroy } from '@nestjs/common';

/**
 * The Server-Sent Events answers open in this process, each by the function that ends it. On
 * shutdown they are ended before the HTTP server closes (onModuleDestroy runs before it), since
 * the server waits for open connections: `app.close()` would otherwise never return. On SIGTERM
 * they end as the drain starts (main.ts), so they do not hold it for the whole grace period.
 */
@Injectable()
export class OpenEventStreams implements OnModuleDestroy {
  private readonly open = new Set<() => Promise<void>>();

  /** How many are open now (the tests see a client's leaving release its stream). */
  get count(): number {
    return this.open.size;
  }

  /** Registers a stream's end; the returned function forgets it once the stream has ended. */
  add(end: () => Promise<void>): () => void {
    this.open.add(end);
    return () => this.open.delete(end);
  }

  /** Ends every open stream (its client reconnects elsewhere with Last-Event-ID). */
  async endAll(): Promise<void> {
    await Promise.all([...this.open].map((end) => end()));
  }

  onModuleDestroy(): Promise<void> {
    return this.endAll();
  }
}
