import {
  CancelledError,
  DeadlineExceededError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
} from '@eventstore/db-client';
import type { AllSubscription, RecordedEvent } from '../event-store.port';
import { isSystemEvent, toRecordedEvent } from './recorded-event-mapping';

/** Opens one server-side subscription strictly after `after` (from the start when undefined). */
export type OpenAllSubscription = (after: number | undefined) => AllStreamSubscription;

export interface ResumePolicy {
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESUME_POLICY: ResumePolicy = { initialDelayMs: 50, maxDelayMs: 5_000 };

/** Pause the server stream when the consumer lags this far behind, resume once it is nearly drained. */
const HIGH_WATER = 1_000;
const LOW_WATER = 100;

/**
 * Wraps the client's catch-up subscription so that a dropped connection is invisible to the
 * consumer: it resubscribes after the last position it accepted, and drops anything at or before
 * it, so nothing is delivered twice or skipped. It never waits for `caughtUp`, which servers
 * before 24.2 never send.
 */
export class ResumingAllSubscription implements AllSubscription {
  private readonly buffer: RecordedEvent[] = [];
  private readonly waiters: Array<() => void> = [];
  private current: AllStreamSubscription | undefined;
  private paused = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private consecutiveFailures = 0;
  private failure: unknown;
  private closed = false;

  constructor(
    private readonly open: OpenAllSubscription,
    /** The last accepted position: the resume point. */
    private cursor: number | undefined,
    private readonly policy: ResumePolicy = DEFAULT_RESUME_POLICY,
    private readonly onClosed: (subscription: ResumingAllSubscription) => void = () => undefined,
  ) {
    this.connect();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.buffer.length = 0;
    this.wakeWaiters();
    const current = this.current;
    this.current = undefined;
    this.onClosed(this);
    if (current) await this.abandon(current);
  }

  private async next(): Promise<IteratorResult<RecordedEvent>> {
    for (;;) {
      if (this.closed) return { value: undefined, done: true };
      const value = this.buffer.shift();
      if (value) {
        this.resumeIfDrained();
        return { value, done: false };
      }
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private connect(): void {
    if (this.closed) return;
    const subscription = this.open(this.cursor);
    this.current = subscription;
    this.paused = false;
    let dropped = false;
    const drop = (error: unknown): void => {
      if (dropped || this.current !== subscription) return;
      dropped = true;
      this.current = undefined;
      void this.abandon(subscription);
      this.retryOrFail(error);
    };
    subscription.on('confirmation', () => {
      this.consecutiveFailures = 0;
    });
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (this.current !== subscription) return;
      try {
        this.accept(resolved);
      } catch (error) {
        this.fail(error);
      }
    });
    subscription.on('error', drop);
    subscription.on('end', () => drop(new UnavailableError(undefined, 'subscription ended by the server')));
  }

  private accept(resolved: AllStreamResolvedEvent): void {
    if (isSystemEvent(resolved)) return;
    const event = toRecordedEvent(resolved);
    // After a resubscription the server may replay what was already accepted: positions only grow.
    if (this.cursor !== undefined && event.position <= this.cursor) return;
    this.cursor = event.position;
    this.buffer.push(event);
    if (this.buffer.length >= HIGH_WATER && !this.paused) {
      this.paused = true;
      this.current?.pause();
    }
    this.wakeWaiters();
  }

  private resumeIfDrained(): void {
    if (this.paused && this.buffer.length <= LOW_WATER) {
      this.paused = false;
      this.current?.resume();
    }
  }

  private retryOrFail(error: unknown): void {
    if (this.closed) return;
    if (!isTransient(error)) return this.fail(error);
    const attempt = this.consecutiveFailures++;
    const delay = Math.min(this.policy.maxDelayMs, this.policy.initialDelayMs * 2 ** attempt);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private fail(error: unknown): void {
    this.failure = error ?? new Error('subscription failed');
    const current = this.current;
    this.current = undefined;
    if (current) void this.abandon(current);
    this.wakeWaiters();
  }

  private async abandon(subscription: AllStreamSubscription): Promise<void> {
    subscription.removeAllListeners('data');
    // The cancelled call may still report its end; nobody listens any more.
    subscription.on('error', () => undefined);
    await subscription.unsubscribe().catch(() => undefined);
  }

  private wakeWaiters(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** Transport trouble is worth a retry; a refusal (access denied, bad request, bad data) is not. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof UnavailableError ||
    error instanceof CancelledError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof UnknownError
  );
}
