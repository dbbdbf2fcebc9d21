import { Body, Controller, Delete, Get, HttpCode, Inject, Injectable, Param, PipeTransform, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { AppConfig } from '@cl/config';
import { isConventionEventType } from '@cl/domain';
import { EVENT_STORE, type EventStore } from '@cl/event-store';
import { readScopeOf } from '../auth/access-policy';
import { CurrentActor } from '../auth/auth.decorators';
import { principalIdentity, type Actor } from '../auth/roles';
import { uuidV5 } from '../infrastructure/deterministic-id';
import { ApiError } from '../http/api-error';
import { ApiErrorResponse, UnsupportedMediaTypeResponse } from '../http/api-error.schema';
import { HandlesIdempotencyKeyItself } from '../http/idempotency/idempotency.interceptor';
import { APP_CONFIG } from '../infrastructure/tokens';
import { DestinationRefusedError, parseWebhookUrl, resolveDestination } from './delivery/webhook-destination';
import { subscriptionSecret } from './delivery/webhook-signature';
import { replayFrom, type DeliveryRow, type SubscriptionRow, type WebhookDb } from './storage/webhook-store';
import {
  CreatedWebhookResponse, CreateWebhookRequest, DeliveriesQuery, EmptyRequest, DeliveryListResponse, ReplayQuery, ReplayResponse, WebhookListResponse, WebhookResponse,
} from './webhook-requests';

export const WEBHOOK_DB = Symbol('WEBHOOK_DB');

const notFound = () => new ApiError(404, 'WEBHOOK_NOT_FOUND', 'no such webhook subscription for your organisation');

/** A subscription id is a UUID; anything else is simply not found. */
@Injectable()
export class WebhookIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) throw notFound();
    return value;
  }
}

const eventTypesOf = (row: SubscriptionRow): string[] | null => (row.event_types === null ? null : JSON.parse(row.event_types));

const toWebhook = (row: SubscriptionRow): WebhookResponse => ({
  id: row.id, url: row.url, eventTypes: eventTypesOf(row), organisation: row.organisation, createdAt: row.created_at, createdBy: row.created_by, checkpoint: Number(row.checkpoint),
});

const toDelivery = (row: DeliveryRow) => ({
  eventId: row.event_id, position: Number(row.position), conventionId: row.convention_id, type: row.event_type, status: row.status, attempts: row.attempts,
  firstAttemptAt: row.first_attempt_at, lastAttemptAt: row.last_attempt_at, nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
  lastStatusCode: row.last_status_code, lastError: row.last_error, deliveredAt: row.delivered_at,
});

/**
 * Webhook subscriptions of the caller's organisation (docs/integrations.md, docs/api.md). Any
 * authenticated role may manage its organisation's subscriptions; a subscription receives what
 * its creator may read (the creator's read scope, kept with it), never more.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'no or unknown bearer token', type: ApiErrorResponse })
@Controller('webhooks')
export class WebhooksController {
  constructor(
    @Inject(WEBHOOK_DB) private readonly db: WebhookDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Post()
  @UnsupportedMediaTypeResponse()
  @HandlesIdempotencyKeyItself()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'the same key and body answer the same subscription (and secret); another body: 422 IDEMPOTENCY_KEY_REUSED' })
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED, UNKNOWN_EVENT_TYPE, WEBHOOK_URL_INVALID (not http(s), credentials), WEBHOOK_URL_REFUSED (resolves to a loopback, private or link-local address, or does not resolve)', type: ApiErrorResponse })
  @ApiResponse({ status: 503, description: 'WEBHOOKS_NOT_CONFIGURED: WEBHOOK_SECRET_KEY is not set', type: ApiErrorResponse })
  async create(@Body() body: CreateWebhookRequest, @CurrentActor() actor: Actor, @Req() request: Request): Promise<CreatedWebhookResponse> {
    // Read from the request, not declared as a parameter: the OpenAPI document describes it once, as optional.
    const idempotencyKey = request.header('idempotency-key');
    const secretKey = this.config.webhooks.secretKey;
    if (secretKey === undefined) throw new ApiError(503, 'WEBHOOKS_NOT_CONFIGURED', 'webhooks are off: WEBHOOK_SECRET_KEY is not set');
    const unknown = (body.eventTypes ?? []).filter((type) => !isConventionEventType(type));
    if (unknown.length) throw new ApiError(400, 'UNKNOWN_EVENT_TYPE', `unknown event types: ${unknown.join(', ')}`, { unknown });
    const url = this.checkedUrl(body.url);
    await resolveDestination(url, this.config.webhooks.allowedHosts).catch(this.refusal);
    const eventTypes = body.eventTypes ? [...new Set(body.eventTypes)] : null;

    const row: SubscriptionRow = {
      // With an Idempotency-Key, the id (and so the secret) derives from the principal and the key.
      id: idempotencyKey ? uuidV5(`webhook ${principalIdentity(actor)} ${idempotencyKey}`) : randomUUID(),
      organisation: actor.organisation,
      scope: JSON.stringify(readScopeOf(actor)),
      url: url.href,
      event_types: eventTypes === null ? null : JSON.stringify(eventTypes),
      created_at: new Date().toISOString(),
      created_by: actor.subject,
      deleted_at: null,
      // Events recorded from now on; POST /webhooks/{id}/replay?fromPosition= fetches earlier ones.
      checkpoint: await this.store.headPosition(),
    };
    await this.db.insertInto('webhook_subscriptions').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
    const stored = await this.db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    if (stored.url !== row.url || stored.event_types !== row.event_types || stored.organisation !== row.organisation || stored.created_by !== row.created_by) {
      throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with another request body');
    }
    return { id: stored.id, secret: subscriptionSecret(secretKey, stored.id), url: stored.url, eventTypes: eventTypesOf(stored) };
  }

  @Get()
  @ApiOkResponse({ type: WebhookListResponse })
  async list(@CurrentActor() actor: Actor): Promise<WebhookListResponse> {
    const rows = await this.db.selectFrom('webhook_subscriptions').selectAll()
      .where('organisation', '=', actor.organisation).where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').execute();
    return { webhooks: rows.map(toWebhook) };
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookResponse })
  @ApiResponse({ status: 404, description: 'WEBHOOK_NOT_FOUND: unknown, deleted, or another organisation\'s', type: ApiErrorResponse })
  async get(@Param('id', WebhookIdPipe) id: string, @CurrentActor() actor: Actor): Promise<WebhookResponse> {
    return toWebhook(await this.ownSubscription(id, actor));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted: nothing more is sent to it' })
  @ApiResponse({ status: 404, description: 'WEBHOOK_NOT_FOUND', type: ApiErrorResponse })
  async delete(@Param('id', WebhookIdPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.ownSubscription(id, actor);
    await this.db.updateTable('webhook_subscriptions').set({ deleted_at: new Date().toISOString() }).where('id', '=', id).execute();
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: DeliveryListResponse, description: 'the deliveries queued, sent and given up (status dead: the dead-letter list), by position' })
  @ApiResponse({ status: 404, description: 'WEBHOOK_NOT_FOUND', type: ApiErrorResponse })
  async deliveries(@Param('id', WebhookIdPipe) id: string, @Query() query: DeliveriesQuery, @CurrentActor() actor: Actor): Promise<DeliveryListResponse> {
    await this.ownSubscription(id, actor);
    let select = this.db.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', id)
      .where('position', '>', query.afterPosition ?? 0);
    if (query.status) select = select.where('status', '=', query.status);
    const rows = await select.orderBy('position').limit(query.limit ?? 100).execute();
    return { deliveries: rows.map(toDelivery) as DeliveryListResponse['deliveries'] };
  }

  @Post(':id/replay')
  @UnsupportedMediaTypeResponse()
  @HttpCode(202)
  @ApiResponse({ status: 202, type: ReplayResponse, description: 'queued again: sent in order, as new events are' })
  @ApiResponse({ status: 404, description: 'WEBHOOK_NOT_FOUND', type: ApiErrorResponse })
  async replay(@Param('id', WebhookIdPipe) id: string, @Query() query: ReplayQuery, @Body() _body: EmptyRequest, @CurrentActor() actor: Actor): Promise<ReplayResponse> {
    await this.ownSubscription(id, actor);
    return { fromPosition: query.fromPosition, requeued: await replayFrom(this.db, id, query.fromPosition, new Date()) };
  }

  private async ownSubscription(id: string, actor: Actor): Promise<SubscriptionRow> {
    const row = await this.db.selectFrom('webhook_subscriptions').selectAll()
      .where('id', '=', id).where('organisation', '=', actor.organisation).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw notFound();
    return row;
  }

  private checkedUrl(raw: string): URL {
    try {
      return parseWebhookUrl(raw);
    } catch (error) {
      return this.refusal(error);
    }
  }

  private readonly refusal = (error: unknown): never => {
    if (error instanceof DestinationRefusedError) throw new ApiError(400, error.code, error.message);
    throw error;
  };
}
