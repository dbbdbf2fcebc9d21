import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { Request, Response } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import { principalIdentity, type Actor } from '../../auth/roles';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { ApiError } from '../api-error';
import { toHttpError } from '../api-exception.filter';
import { IdempotencyStore } from './idempotency.store';
import { fingerprintOf } from './request-fingerprint';

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
/** Longer than STALE_AFTER_MS: a retry of a request that died with its process takes it over within the wait. */
export const WAIT_FOR_IN_PROGRESS_MS = 5_000;

/** Errors whose cause may go away: the key is released so that a retry runs the command again. */
const isTransient = (statusCode: number) => statusCode === 409 || statusCode >= 500;

const OWN_IDEMPOTENCY = 'idempotency:own';

/**
 * A route that honours Idempotency-Key by itself, because its answer must not be stored (POST
 * /webhooks answers a signing secret: it derives the same id, hence the same secret, from the key).
 */
export const HandlesIdempotencyKeyItself = () => SetMetadata(OWN_IDEMPOTENCY, true);

/**
 * Idempotency-Key on every POST (docs/api.md): a retry with the same key and body gets the first
 * response again and records nothing new; the same key with another body is a 422. Keys are
 * scoped to the authenticated principal (organisation and subject), so two callers never
 * collide, and no answer is ever replayed to a principal of another organisation.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(IdempotencyStore) private readonly store: IdempotencyStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const key = request.header('idempotency-key');
    if (request.method !== 'POST' || key === undefined || !request.actor) return next.handle();
    if (!KEY_FORMAT.test(key)) throw new ApiError(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
    if (Reflect.getMetadata(OWN_IDEMPOTENCY, context.getHandler())) return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    // Nest sets the status only when it sends the reply, so the route's declared code is read here.
    const statusCode: number = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
    return from(this.run(principalIdentity(request.actor), key, request, response, statusCode, next));
  }

  private async run(scope: string, key: string, request: Request, response: Response, statusCode: number, next: CallHandler): Promise<unknown> {
    const fingerprint = fingerprintOf(request);
    const deadline = Date.now() + WAIT_FOR_IN_PROGRESS_MS;
    for (;;) {
      const begin = await this.store.begin(scope, key, fingerprint, this.clock.now());
      if (begin.kind === 'mismatch') {
        throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with another request body');
      }
      if (begin.kind === 'replay') return this.replay(begin.statusCode, begin.body, response);
      if (begin.kind === 'started') break;
      if (Date.now() > deadline) {
        throw new ApiError(409, 'IDEMPOTENCY_KEY_IN_PROGRESS', 'a request with this Idempotency-Key is still being processed; retry later', {}, { 'Retry-After': '1' });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      const { body: refusal } = toHttpError(error);
      // IDEMPOTENCY_KEY_REUSED from the write path: the facts hold another request under this key
      // (this store was rebuilt since). The key is not taken for this body: a retry of the
      // request first made under it must still get its answer from the facts.
      // The answer store may itself be failing (disk full): the client gets the command's own
      // answer anyway, and a key left pending is taken over after STALE_AFTER_MS.
      if (isTransient(refusal.statusCode) || refusal.code === 'IDEMPOTENCY_KEY_REUSED') await this.store.abandon(scope, key).catch(() => undefined);
      else await this.store.complete(scope, key, refusal.statusCode, refusal).catch(() => this.store.abandon(scope, key).catch(() => undefined));
      throw error;
    }
    // The command is recorded, its facts carry the request's fingerprint: if its answer cannot be
    // remembered (disk full), the key is released and a retry is answered from the facts.
    await this.store.complete(scope, key, statusCode, body).catch(() => this.store.abandon(scope, key).catch(() => undefined));
    return body;
  }

  private replay(statusCode: number, body: unknown, response: Response): unknown {
    response.setHeader('Idempotent-Replayed', 'true');
    if (statusCode >= 400) {
      const { code, message, statusCode: _, ...details } = body as { code: string; message: string; statusCode: number };
      throw new ApiError(statusCode, code, message, details);
    }
    return body;
  }
}
