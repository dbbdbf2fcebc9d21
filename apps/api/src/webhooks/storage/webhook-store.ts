import { sql, type Kysely } from 'kysely';
import { withSchemaLock } from '@cl/read-models';

/**
 * Subscriptions, their checkpoints and their deliveries: durable state kept in the read-model
 * database (SQLite by default, PostgreSQL at scale) but NOT a read model: these tables are not in
 * READ_MODEL_TABLES, so `projections:rebuild` and a read-model layout change leave them alone
 * (docs/integrations.md, "Where subscriptions live"). No secret is stored (webhook-signature.ts).
 */
export interface WebhookTables {
  webhook_subscriptions: {
    id: string;
    organisation: string;
    /** JSON of the creator's read scope (auth/access-policy.ts ReadScope): what it may receive. */
    scope: string;
    url: string;
    /** JSON array of event types, or null: every type. */
    event_types: string | null;
    created_at: string;
    created_by: string;
    deleted_at: string | null;
    /** Last global position scanned: every event up to it is in webhook_deliveries or not for this subscriber. */
    checkpoint: number;
  };
  webhook_deliveries: {
    subscription_id: string;
    event_id: string;
    position: number;
    convention_id: string;
    event_type: string;
    /** The CloudEvent sent, bank details already left out. */
    payload: string;
    status: DeliveryStatus;
    attempts: number;
    first_attempt_at: string | null;
    last_attempt_at: string | null;
    next_attempt_at: string;
    last_status_code: number | null;
    last_error: string | null;
    delivered_at: string | null;
  };
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';
export type WebhookDb = Kysely<WebhookTables>;
export type SubscriptionRow = WebhookTables['webhook_subscriptions'];
export type DeliveryRow = WebhookTables['webhook_deliveries'];

/** Idempotent, safe at every start of every process. Returns the same database, typed for these tables. */
export async function openWebhookStore<DB>(db: Kysely<DB>): Promise<WebhookDb> {
  await withSchemaLock(db, async (trx) => {
    await trx.schema.createTable('webhook_subscriptions').ifNotExists()
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('organisation', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('event_types', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .addColumn('checkpoint', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_subscriptions_pk', ['id'])
      .execute();
    await trx.schema.createIndex('webhook_subscriptions_organisation_idx').ifNotExists().on('webhook_subscriptions').column('organisation').execute();
    await trx.schema.createTable('webhook_deliveries').ifNotExists()
      .addColumn('subscription_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('convention_id', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('first_attempt_at', 'text')
      .addColumn('last_attempt_at', 'text')
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('delivered_at', 'text')
      .addPrimaryKeyConstraint('webhook_deliveries_pk', ['subscription_id', 'event_id'])
      .execute();
    await trx.schema.createIndex('webhook_deliveries_queue_idx').ifNotExists().on('webhook_deliveries')
      .columns(['subscription_id', 'status', 'convention_id', 'position']).execute();
    await trx.schema.createIndex('webhook_deliveries_position_idx').ifNotExists().on('webhook_deliveries')
      .columns(['subscription_id', 'position']).execute();
  });
  return db as unknown as WebhookDb;
}

/** The subscriptions the dispatcher serves. */
export const activeSubscriptions = (db: WebhookDb): Promise<SubscriptionRow[]> =>
  db.selectFrom('webhook_subscriptions').selectAll().where('deleted_at', 'is', null).orderBy('created_at').execute();

/**
 * The head of each convention's queue: its pending delivery of lowest position. Only these may be
 * sent (events of one convention in order); a failing head holds back its convention alone.
 */
export async function queueHeads(db: WebhookDb, subscriptionId: string): Promise<DeliveryRow[]> {
  const heads = db.selectFrom('webhook_deliveries')
    .select(['convention_id', (eb) => eb.fn.min('position').as('head')])
    .where('subscription_id', '=', subscriptionId).where('status', '=', 'pending')
    .groupBy('convention_id')
    .as('heads');
  return db.selectFrom('webhook_deliveries')
    .innerJoin(heads, (join) => join.onRef('heads.convention_id', '=', 'webhook_deliveries.convention_id').onRef('heads.head', '=', 'webhook_deliveries.position'))
    .selectAll('webhook_deliveries')
    .where('webhook_deliveries.subscription_id', '=', subscriptionId)
    .orderBy('webhook_deliveries.position')
    .execute();
}

export async function pendingCount(db: WebhookDb, subscriptionId: string): Promise<number> {
  const row = await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('count'))
    .where('subscription_id', '=', subscriptionId).where('status', '=', 'pending').executeTakeFirst();
  return Number(row?.count ?? 0);
}

/**
 * Queues the deliveries found in a scanned stretch of the log and moves the checkpoint past it, in
 * one transaction: a crash leaves either both or neither. The checkpoint moves only from where the
 * scan started (a replay may have moved it back meanwhile: then the replay wins).
 */
export async function recordScan(db: WebhookDb, subscriptionId: string, from: number, to: number, deliveries: DeliveryRow[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const delivery of deliveries) {
      await tx.insertInto('webhook_deliveries').values(delivery).onConflict((oc) => oc.columns(['subscription_id', 'event_id']).doNothing()).execute();
    }
    await tx.updateTable('webhook_subscriptions').set({ checkpoint: to })
      .where('id', '=', subscriptionId).where('checkpoint', '=', from).execute();
  });
}

export async function recordAttempt(db: WebhookDb, delivery: Pick<DeliveryRow, 'subscription_id' | 'event_id'>, changes: Partial<DeliveryRow>): Promise<void> {
  await db.updateTable('webhook_deliveries').set(changes)
    .where('subscription_id', '=', delivery.subscription_id).where('event_id', '=', delivery.event_id)
    .where('status', '=', 'pending').execute();
}

/**
 * Sends again every delivery from `fromPosition` on (delivered or dead letters alike, with a fresh
 * retry period), and moves the checkpoint back so that events before the subscription existed are
 * queued too. Returns how many deliveries were queued again.
 */
export async function replayFrom(db: WebhookDb, subscriptionId: string, fromPosition: number, now: Date): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const before = Math.max(0, fromPosition - 1);
    const result = await tx.updateTable('webhook_deliveries')
      .set({ status: 'pending', first_attempt_at: null, next_attempt_at: now.toISOString(), delivered_at: null })
      .where('subscription_id', '=', subscriptionId).where('position', '>=', fromPosition).executeTakeFirst();
    await tx.updateTable('webhook_subscriptions')
      .set({ checkpoint: sql<number>`case when checkpoint > ${before} then ${before} else checkpoint end` })
      .where('id', '=', subscriptionId).execute();
    return Number(result.numUpdatedRows);
  });
}
