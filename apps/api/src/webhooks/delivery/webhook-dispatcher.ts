import type { WebhooksConfig } from '@cl/config';
import { conventionIdOf } from '@cl/domain';
import type { EventStore } from '@cl/event-store';
import type { ReadScope } from '../../auth/access-policy';
import {
  activeSubscriptions, pendingCount, queueHeads, recordAttempt, recordScan,
  type DeliveryRow, type SubscriptionRow, type WebhookDb,
} from '../storage/webhook-store';
import { toCloudEvent } from './cloud-event';
import { ConventionScopeFilter } from './convention-scope';
import { retryDelayMs, retryPeriodOver } from './retry-schedule';
import { sendWebhook } from './webhook-sender';
import { signatureOf, subscriptionSecret } from './webhook-signature';

export interface DispatcherOptions {
  /** How often the log is checked for new events (a delivery is due within about this long). */
  pollIntervalMs?: number;
  /** Events read from the log per subscription and step. */
  scanBatchSize?: number;
  /** Deliveries queued but not yet sent, per subscription, beyond which the log is not read further. */
  maxQueued?: number;
  /** Deliveries in flight at once, over all subscriptions (each to another convention). */
  maxInFlight?: number;
  now?: () => Date;
  log?: (message: string) => void;
}

/**
 * Delivers the global log to subscribers, at least once (docs/integrations.md). Each subscription
 * has its own checkpoint: the dispatcher reads the log after it, queues in webhook_deliveries the
 * events its subscriber may receive, moving the checkpoint in the same transaction, then sends
 * the head of each convention's queue. A delivery is marked delivered only once the receiver
 * answered 2xx, so a crash (kill -9) at any point sends again what was not acknowledged, under
 * the same webhook-id. Runs where the projector runs, under its single-instance lock.
 */
export class WebhookDispatcher {
  private readonly pollIntervalMs: number;
  private readonly scanBatchSize: number;
  private readonly maxQueued: number;
  private readonly maxInFlight: number;
  private readonly now: () => Date;
  private readonly log: (message: string) => void;
  private readonly scope: ConventionScopeFilter;
  private running?: Promise<void>;
  private stopping = false;
  private wakeUp: () => void = () => {};
  private woken = false;
  /** Deliveries being sent, by subscription and convention: one at a time per convention (order). */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** The earliest retry due among the queue heads seen in the last step. */
  private nextDueAt = Infinity;

  constructor(
    private readonly store: EventStore,
    private readonly db: WebhookDb,
    private readonly config: WebhooksConfig,
    options: DispatcherOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.scanBatchSize = options.scanBatchSize ?? 200;
    this.maxQueued = options.maxQueued ?? 1_000;
    this.maxInFlight = options.maxInFlight ?? 16;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? ((message) => console.warn(`webhooks: ${message}`));
    this.scope = new ConventionScopeFilter(store);
  }

  start(): void {
    if (this.running || this.config.secretKey === undefined) return;
    this.stopping = false;
    this.running = this.run();
  }

  /** Stops after the deliveries in flight (each bounded by WEBHOOK_TIMEOUT_MS). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running;
    await Promise.all(this.inFlight.values());
    this.running = undefined;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let busy = false;
      try {
        busy = await this.step();
      } catch (error) {
        this.log(`step failed, retrying: ${(error as Error).message}`);
      }
      if (!busy && !this.stopping) await this.pause(Math.max(0, Math.min(this.pollIntervalMs, this.nextDueAt - this.now().getTime())));
    }
  }

  /** One pass over every subscription; true when it did something (then the next pass starts at once). */
  private async step(): Promise<boolean> {
    const subscriptions = await activeSubscriptions(this.db);
    if (subscriptions.length === 0) return false;
    const head = await this.store.headPosition();
    this.nextDueAt = Infinity;
    const results = await Promise.all(subscriptions.map(async (subscription) => {
      try {
        const scanned = subscription.checkpoint < head && (await this.scan(subscription));
        const sent = await this.sendDue(subscription);
        return scanned || sent;
      } catch (error) {
        // One subscription's trouble (an event it cannot read) holds back that subscription only.
        this.log(`subscription ${subscription.id}: ${(error as Error).message}; retrying`);
        return false;
      }
    }));
    return results.some(Boolean);
  }

  /** Queues the next stretch of the log for this subscriber; false when there was nothing to read. */
  private async scan(subscription: SubscriptionRow): Promise<boolean> {
    if ((await pendingCount(this.db, subscription.id)) >= this.maxQueued) return false;
    const batch = await this.store.readAll({ after: subscription.checkpoint || undefined, maxCount: this.scanBatchSize });
    if (batch.length === 0) return false;
    const scope = JSON.parse(subscription.scope) as ReadScope;
    const eventTypes = subscription.event_types === null ? null : (JSON.parse(subscription.event_types) as string[]);
    const now = this.now().toISOString();
    const deliveries: DeliveryRow[] = [];
    for (const recorded of batch) {
      if (eventTypes !== null && !eventTypes.includes(recorded.type)) continue;
      if (!(await this.scope.includes(scope, recorded))) continue;
      deliveries.push({
        subscription_id: subscription.id,
        event_id: recorded.id,
        position: recorded.position,
        convention_id: conventionIdOf(recorded.streamId)!,
        event_type: recorded.type,
        payload: JSON.stringify(toCloudEvent(recorded)),
        status: 'pending',
        attempts: 0,
        first_attempt_at: null,
        last_attempt_at: null,
        next_attempt_at: now,
        last_status_code: null,
        last_error: null,
        delivered_at: null,
      });
    }
    await recordScan(this.db, subscription.id, subscription.checkpoint, batch[batch.length - 1].position, deliveries);
    return true;
  }

  /**
   * Starts sending the due heads of the subscription's convention queues, without waiting for the
   * answers (a slow receiver holds back only its own convention); true when one was started.
   */
  private async sendDue(subscription: SubscriptionRow): Promise<boolean> {
    const now = this.now();
    let started = false;
    for (const delivery of await queueHeads(this.db, subscription.id)) {
      const key = `${subscription.id} ${delivery.convention_id}`;
      if (this.inFlight.has(key) || this.stopping) continue;
      const dueAt = Date.parse(delivery.next_attempt_at);
      if (dueAt > now.getTime()) {
        this.nextDueAt = Math.min(this.nextDueAt, dueAt);
        continue;
      }
      if (this.inFlight.size >= this.maxInFlight) break;
      const sending = this.attempt(subscription, delivery)
        .catch((error: unknown) => this.log(`delivery of ${delivery.event_id} failed: ${(error as Error).message}`))
        .finally(() => {
          this.inFlight.delete(key);
          this.wake();
        });
      this.inFlight.set(key, sending);
      started = true;
    }
    return started;
  }

  private async attempt(subscription: SubscriptionRow, delivery: DeliveryRow): Promise<void> {
    const secret = subscriptionSecret(this.config.secretKey!, subscription.id);
    const startedAt = this.now();
    const timestamp = Math.floor(startedAt.getTime() / 1000);
    const headers = {
      'webhook-id': delivery.event_id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureOf(secret, delivery.event_id, timestamp, delivery.payload),
      'content-type': 'application/cloudevents+json',
    };
    const outcome = await sendWebhook(new URL(subscription.url), headers, delivery.payload, { timeoutMs: this.config.timeoutMs, allowedHosts: this.config.allowedHosts });
    const finishedAt = this.now();
    const attempts = delivery.attempts + 1;
    const firstAttemptAt = delivery.first_attempt_at ?? startedAt.toISOString();
    const common = { attempts, first_attempt_at: firstAttemptAt, last_attempt_at: startedAt.toISOString(), last_status_code: outcome.statusCode ?? null };
    if (outcome.ok) {
      await recordAttempt(this.db, delivery, { ...common, status: 'delivered', last_error: null, delivered_at: finishedAt.toISOString() });
      return;
    }
    const dead = retryPeriodOver(new Date(firstAttemptAt), finishedAt, this.config);
    await recordAttempt(this.db, delivery, {
      ...common,
      status: dead ? 'dead' : 'pending',
      last_error: outcome.error ?? 'failed',
      next_attempt_at: new Date(finishedAt.getTime() + retryDelayMs(attempts, this.config)).toISOString(),
    });
    // A dead letter leaves the queue: the convention's next events go (docs/integrations.md).
  }

  private wake(): void {
    this.woken = true;
    this.wakeUp();
  }

  /** Waits `ms`, or less when a delivery ends meanwhile (its convention's next event may go). */
  private async pause(ms: number): Promise<void> {
    if (!this.woken) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.wakeUp = () => { clearTimeout(timer); resolve(); };
      });
    }
    this.woken = false;
    this.wakeUp = () => {};
  }
}
