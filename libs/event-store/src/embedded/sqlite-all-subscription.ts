import type { AllSubscription, RecordedEvent } from '../event-store.port';

export interface SubscriptionSource {
  /** Synchronous, so no append can slip between reading and deciding to sleep. */
  readAfter(position: number, maxCount: number): RecordedEvent[];
  listenForAppends(wake: () => void): () => void;
  forget(subscription: SqliteAllSubscription): void;
}

export interface SubscriptionTiming {
  /** How often to look for appends made by other processes, which do not wake us. */
  pollIntervalMs: number;
  batchSize: number;
}

/**
 * Catches up by reading the log in batches after its cursor, then sleeps until an in-process
 * append wakes it or the poll interval elapses, and reads again. The cursor moves as each event
 * is handed over, so re-reading after any interruption neither repeats nor skips an event.
 */
export class SqliteAllSubscription implements AllSubscription {
  private closed = false;
  private iterated = false;
  private appendedSinceLastRead = false;
  private resumeRequested = false;
  private wakeSleeper: (() => void) | undefined;
  private readonly stopListening: () => void;

  constructor(
    private readonly source: SubscriptionSource,
    private cursor: number,
    private readonly timing: SubscriptionTiming,
  ) {
    this.stopListening = source.listenForAppends(() => this.wake());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    this.source.forget(this);
    this.wake();
  }

  /** Drops the batch in hand and re-reads from the last delivered event, as after a lost connection. */
  resumeFromCursor(): void {
    this.resumeRequested = true;
    this.wake();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.iterated) throw new Error('a subscription can be iterated only once; open another one');
    this.iterated = true;
    return this.deliver();
  }

  private async *deliver(): AsyncGenerator<RecordedEvent> {
    try {
      while (!this.closed) {
        this.appendedSinceLastRead = false;
        this.resumeRequested = false;
        const batch = this.source.readAfter(this.cursor, this.timing.batchSize);
        for (const event of batch) {
          if (this.closed || this.resumeRequested) break;
          this.cursor = event.position;
          yield event;
        }
        const caughtUp = batch.length < this.timing.batchSize;
        if (caughtUp && !this.resumeRequested) await this.sleepUntilWoken();
      }
    } finally {
      // A consumer leaving its `for await` early ends the subscription too.
      await this.close();
    }
  }

  private wake(): void {
    this.appendedSinceLastRead = true;
    this.wakeSleeper?.();
  }

  private async sleepUntilWoken(): Promise<void> {
    if (this.appendedSinceLastRead || this.closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.timing.pollIntervalMs);
      this.wakeSleeper = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeSleeper = undefined;
  }
}
