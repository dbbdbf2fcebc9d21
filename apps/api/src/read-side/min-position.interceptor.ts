import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { ApiError } from '../http/api-error';
import { ReadYourWrites } from './read-your-writes';

/** Every GET honours ?minPosition=P (docs/api.md): wait up to 5 s, then 503 with Retry-After. */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(@Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const raw = request.query?.minPosition;
    if (request.method !== 'GET' || raw === undefined) return next.handle();
    if (typeof raw !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(raw)) {
      throw new ApiError(400, 'VALIDATION_FAILED', 'minPosition must be a non-negative integer', { errors: [{ field: 'minPosition', messages: ['must be a non-negative integer'] }] });
    }
    return from(this.readYourWrites.waitFor(Number(raw))).pipe(
      switchMap((reached) => {
        if (!reached) {
          throw new ApiError(503, 'READ_MODELS_BEHIND', `the read models have not reached position ${raw} yet; retry shortly`, { minPosition: Number(raw) }, { 'Retry-After': '1' });
        }
        return next.handle();
      }),
    );
  }
}
