import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestLogger } from './logging/request-log';
import { AuthenticationUnavailableError } from '../auth/auth.errors';
import { DomainError } from '@cl/domain';
import { asStoreUnavailable } from '@cl/event-store';
import { ApiError, type ApiErrorBody } from './api-error';
import { AuthenticationRequiredError, ForbiddenOrganisationError, ForbiddenPartyError, ForbiddenRoleError, ForbiddenScopeError } from '../auth/auth.errors';

/** Seconds a client should wait before retrying after a storage fault (disk full, store unreachable). */
export const STORE_RETRY_AFTER_SECONDS = 5;

const DOMAIN_STATUS: Record<DomainError['kind'], number> = { invalid: 400, 'not-found': 404, rule: 422 };

/** Status codes Nest raises itself (unknown route, wrong method...), given a stable code. */
const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 422: 'UNPROCESSABLE', 429: 'RATE_LIMITED', 503: 'UNAVAILABLE',
};

/**
 * The one place where errors become HTTP responses. Anything unknown is a 500 with no internals
 * leaked; everything a client can cause is mapped to a 4xx before it gets here.
 */
export function toHttpError(error: unknown): { body: ApiErrorBody; headers: Record<string, string> } {
  if (error instanceof DomainError) {
    const statusCode = DOMAIN_STATUS[error.kind];
    return { body: { statusCode, code: error.code, message: error.message, ...(error.rule ? { rule: error.rule } : {}), ...(error.details ?? {}) }, headers: {} };
  }
  if (error instanceof ApiError) {
    return { body: { statusCode: error.statusCode, code: error.code, message: error.message, ...error.details }, headers: error.headers };
  }
  if (error instanceof AuthenticationRequiredError) {
    return { body: { statusCode: 401, code: 'UNAUTHENTICATED', message: error.message }, headers: { 'WWW-Authenticate': 'Bearer' } };
  }
  if (error instanceof AuthenticationUnavailableError) {
    return { body: { statusCode: 503, code: 'AUTHENTICATION_UNAVAILABLE', message: error.message }, headers: { 'Retry-After': '5' } };
  }
  if (error instanceof ForbiddenRoleError) {
    return { body: { statusCode: 403, code: 'FORBIDDEN_ROLE', message: error.message, allowedRoles: error.allowed }, headers: {} };
  }
  if (error instanceof ForbiddenPartyError) {
    return { body: { statusCode: 403, code: 'FORBIDDEN_PARTY', message: error.message, actsFor: error.actsFor }, headers: {} };
  }
  if (error instanceof ForbiddenScopeError) {
    return { body: { statusCode: 403, code: 'FORBIDDEN_SCOPE', message: error.message, requiredOrganisation: '*' }, headers: {} };
  }
  if (error instanceof ForbiddenOrganisationError) {
    return { body: { statusCode: 403, code: 'FORBIDDEN_ORGANISATION', message: error.message, field: 'funder.organisation' }, headers: {} };
  }
  if (error instanceof HttpException) {
    const statusCode = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    return { body: { statusCode, code: HTTP_CODES[statusCode] ?? `HTTP_${statusCode}`, message }, headers: {} };
  }
  // The event store, the read models or the idempotency answers cannot work for now (disk full,
  // I/O error, database unreachable): nothing was recorded, and the same request may be retried.
  if (asStoreUnavailable(error, 'work')) {
    return {
      body: { statusCode: 503, code: 'STORE_UNAVAILABLE', message: 'the ledger cannot record or read right now (storage unavailable); nothing was recorded, retry later' },
      headers: { 'Retry-After': String(STORE_RETRY_AFTER_SECONDS) },
    };
  }
  return { body: { statusCode: 500, code: 'INTERNAL_ERROR', message: 'an unexpected error occurred; it has been logged' }, headers: {} };
}

/** A 500 logs its stack (a bug); a storage fault logs its cause once per request (the operator must act). */
function logServerFault(request: Request, body: ApiErrorBody, error: unknown): void {
  if (body.code === 'INTERNAL_ERROR') requestLogger(request, 'HTTP').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  else if (body.code === 'STORE_UNAVAILABLE') requestLogger(request, 'HTTP').warn(asStoreUnavailable(error, 'work')?.message ?? String(error));
}

/** The error code of the answer, for the request's log line (http/logging). */
function recordOutcome(response: Response, body: ApiErrorBody): void {
  response.locals.errorCode = body.code;
}

/** Answers with the API's error body from an Express middleware (before Nest's pipeline and its filter). */
export function sendApiError(response: Response, error: unknown): void {
  const { body, headers } = toHttpError(error);
  logServerFault(response.req, body, error);
  recordOutcome(response, body);
  response.set(headers).status(body.statusCode).json(body);
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { body, headers } = toHttpError(error);
    logServerFault(host.switchToHttp().getRequest<Request>(), body, error);
    recordOutcome(response, body);
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.status(body.statusCode).json(body);
  }
}
