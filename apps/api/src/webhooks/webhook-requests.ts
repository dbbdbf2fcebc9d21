import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CONVENTION_EVENT_TYPES } from '@cl/domain';
import { DecimalInteger } from '../http/validators';

export class CreateWebhookRequest {
  @ApiProperty({ example: 'https://back-office.example.gouv.fr/ledger-events', description: 'http(s); never a loopback, private or link-local address unless WEBHOOK_ALLOWED_HOSTS names its host' })
  @IsString() @MaxLength(2_000)
  url: string;

  @ApiPropertyOptional({ example: ['TrancheFellDue', 'StatementSigned'], description: 'the event types to receive (400 UNKNOWN_EVENT_TYPE for another); left out: all of them', enum: CONVENTION_EVENT_TYPES, isArray: true })
  @IsOptional() @IsArray() @ArrayNotEmpty() @ArrayMaxSize(CONVENTION_EVENT_TYPES.length) @IsString({ each: true }) @MaxLength(64, { each: true })
  eventTypes?: string[];
}

/** The body of POST /webhooks/{id}/replay: `{}` (every POST takes a JSON object; no field is accepted). */
export class EmptyRequest {}

export class ReplayQuery {
  @ApiProperty({ type: 'integer', minimum: 0, example: 1, description: 'send again every event of the subscription from this global position on (inclusive)' })
  @DecimalInteger() @IsInt() @Min(0)
  fromPosition: number;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;

export class DeliveriesQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'dead: the dead-letter list' }) @IsOptional() @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];

  @ApiPropertyOptional({ type: 'integer', minimum: 0, example: 0, description: 'deliveries of events after this global position (the previous page\'s last position)' })
  @IsOptional() @DecimalInteger() @IsInt() @Min(0)
  afterPosition?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, example: 100, description: '1 to 1000, default 100' })
  @IsOptional() @DecimalInteger() @IsInt() @Min(1) @Max(1_000)
  limit?: number;
}

export class CreatedWebhookResponse {
  @ApiProperty({ example: '5b0c8c1e-3f7a-4d38-9d0e-0c8f1a2b3c4d' }) id: string;
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'the signing secret, shown only in this answer' }) secret: string;
  @ApiProperty() url: string;
  @ApiProperty({ nullable: true, type: [String], description: 'null: every type' }) eventTypes: string[] | null;
}

export class WebhookResponse {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty({ nullable: true, type: [String] }) eventTypes: string[] | null;
  @ApiProperty() organisation: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() createdBy: string;
  @ApiProperty({ description: 'last global position read for this subscriber' }) checkpoint: number;
}

export class WebhookListResponse {
  @ApiProperty({ type: [WebhookResponse] }) webhooks: WebhookResponse[];
}

export class DeliveryResponse {
  @ApiProperty({ description: 'the event\'s eventId: the CloudEvent id and the webhook-id header' }) eventId: string;
  @ApiProperty() position: number;
  @ApiProperty() conventionId: string;
  @ApiProperty() type: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) firstAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'pending: when it is tried next' }) nextAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: Number }) lastStatusCode: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String }) deliveredAt: string | null;
}

export class DeliveryListResponse {
  @ApiProperty({ type: [DeliveryResponse] }) deliveries: DeliveryResponse[];
}

export class ReplayResponse {
  @ApiProperty() fromPosition: number;
  @ApiProperty({ description: 'deliveries already known that are queued again; events never queued for this subscription are read from the log again too' }) requeued: number;
}
