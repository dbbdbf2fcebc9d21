import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';

/**
 * The error body, as documented in the OpenAPI document. Some codes add details of their own
 * (the tranche of TRANCHE_NOT_DUE, the minPosition of READ_MODELS_BEHIND…): the schema is open
 * (buildOpenApiDocument in openapi-document.ts says so, decorators cannot).
 */
export class ApiErrorResponse {
  @ApiProperty({ example: 422 }) statusCode: number;
  @ApiProperty({ example: 'THRESHOLD_NOT_REACHED', description: 'stable: clients switch on it (docs/api.md, docs/domain-rules.md); e.g. VALIDATION_FAILED, UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_CHARSET, STORE_UNAVAILABLE' }) code: string;
  @ApiProperty({ example: 'tranche 3 is released once 1000000.00 is consumed; statement 1 shows 610000.75' }) message: string;
  @ApiPropertyOptional({ example: 'F1', description: 'the rule (docs/domain-rules.md) that refused the command' }) rule?: string;
  @ApiPropertyOptional({ description: 'with VALIDATION_FAILED: each offending field', example: [{ field: 'amount', messages: ['amount must be an amount in euros as a string with at most 2 decimals'] }] })
  errors?: Array<{ field: string; messages: string[] }>;
}

/** What every successful command answers with, at least (docs/api.md lists each command's extra fields). */
export class RecordedResponse {
  @ApiProperty({ example: 42, description: 'global position of the last event recorded; pass it as ?minPosition= to read your write' })
  position: number;
}

const error = (status: number, description: string) => ApiResponse({ status, description, type: ApiErrorResponse });

/** 415: every POST of the API, command or not, takes a JSON body (http/body-parsing.ts). */
export const UnsupportedMediaTypeResponse = () =>
  error(415, 'UNSUPPORTED_MEDIA_TYPE: the body is not sent as Content-Type: application/json (or none is given); UNSUPPORTED_CHARSET: a charset other than UTF-8');

/** The error answers every command may give (docs/api.md "Conventions of the API"). */
export const CommandErrorResponses = () =>
  applyDecorators(
    error(400, 'malformed or invalid input (VALIDATION_FAILED, MALFORMED_JSON, INVALID_RIB_KEY…)'),
    error(401, 'no or unknown bearer token'),
    error(403, 'FORBIDDEN_ROLE: the caller’s role may not do this; FORBIDDEN_PARTY: the caller sees the convention but its role does not act for the party concerned; FORBIDDEN_ORGANISATION: a registration in another organisation’s name (docs/security.md)'),
    error(404, 'unknown convention, expense, statement or tranche; a convention out of the caller’s reach is unknown to it (CONVENTION_NOT_FOUND, the same answer)'),
    error(409, 'REFERENCE_TAKEN (T6: the funder organisation already used the reference), a concurrent change that could not be retried, or the same Idempotency-Key still in progress'),
    error(413, 'body larger than BODY_LIMIT'),
    UnsupportedMediaTypeResponse(),
    error(422, 'a business rule refused the command (code names the rule), or an Idempotency-Key reused with another body'),
    error(503, 'STORE_UNAVAILABLE: the store cannot record right now (disk full, I/O error, store unreachable); nothing was recorded, retry after Retry-After seconds'),
  );
