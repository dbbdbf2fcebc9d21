import { randomUUID } from 'node:crypto';
import type { AllSubscription, NewEvent, RecordedEvent } from '@cl/event-store';

/** Unique per call: the EventStoreDB adapter's tests share one server, so no two tests may share a stream. */
export function uniqueStreamId(label: string): string {
  return `contract_${label}-${randomUUID()}`;
}

export function newEvent(type = 'ThingHappened', data: Record<string, unknown> = {}): NewEvent {
  const id = randomUUID();
  return {
    id,
    type,
    data: { marker: id, ...data },
    metadata: {
      actor: { subject: 'contract-suite', roles: ['tester'] },
      recordedAt: new Date().toISOString(),
      requestId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      schemaVersion: 1,
    },
  };
}

export function newEvents(count: number, type?: string): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent(type, { index }));
}

/** Fails instead of looping forever when an adapter returns a page that does not move forward. */
export function nextCursor(cursor: number, page: Array<{ position: number }>): number {
  const last = page[page.length - 1].position;
  if (last <= cursor) throw new Error(`readAll after ${cursor} returned a page ending at ${last}`);
  return last;
}

export const ids = (events: Array<{ id: string }>): string[] => events.map((event) => event.id);

/**
 * Polls a condition instead of sleeping a fixed time: fast when the store is fast, and still
 * passing on a loaded CI machine.
 */
export async function waitUntil(condition: () => boolean, description: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Consumes a subscription in the background, keeping only the events a test cares about. */
export class SubscriptionRecorder {
  readonly received: RecordedEvent[] = [];
  readonly finished: Promise<void>;
  private failure: unknown;
  private ended = false;

  constructor(
    readonly subscription: AllSubscription,
    private readonly keep: (event: RecordedEvent) => boolean,
    private readonly onEvent?: (event: RecordedEvent, recorder: SubscriptionRecorder) => void | Promise<void>,
  ) {
    this.finished = this.consume();
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  get receivedIds(): string[] {
    return ids(this.received);
  }

  async waitForCount(count: number, timeoutMs?: number): Promise<void> {
    await waitUntil(() => this.throwIfFailed() || this.received.length >= count, `${count} events (got ${this.received.length})`, timeoutMs);
  }

  async waitForId(id: string, timeoutMs?: number): Promise<void> {
    await waitUntil(() => this.throwIfFailed() || this.received.some((event) => event.id === id), `event ${id}`, timeoutMs);
  }

  private throwIfFailed(): false {
    if (this.failure !== undefined) throw this.failure;
    return false;
  }

  private async consume(): Promise<void> {
    try {
      let lastPosition = 0;
      for await (const event of this.subscription) {
        // Checked on every event, kept or not: a repeat or a step back fails the test at once.
        if (event.position <= lastPosition) {
          throw new Error(`subscription delivered position ${event.position} after ${lastPosition}`);
        }
        lastPosition = event.position;
        if (!this.keep(event)) continue;
        this.received.push(event);
        await this.onEvent?.(event, this);
      }
    } catch (error) {
      this.failure = error ?? new Error('subscription failed');
    } finally {
      this.ended = true;
    }
  }
}
