import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import type { Response } from 'express';
import type { Observable } from 'rxjs';

const COMMAND_TYPE = 'convention-ledger:command-type';

/** Marks a route as the endpoint of a command type (CommandRoute), for the request's log line. */
export const LoggedCommand = (type: string) => SetMetadata(COMMAND_TYPE, type);

/**
 * Puts the command type of the route on the response (`res.locals.command`), where the request
 * line (request-log.ts) reads it. An interceptor runs before the pipes, so a command refused by
 * validation is logged with its type too.
 */
@Injectable()
export class CommandLogInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const type: unknown = Reflect.getMetadata(COMMAND_TYPE, context.getHandler());
    if (typeof type === 'string') context.switchToHttp().getResponse<Response>().locals.command = type;
    return next.handle();
  }
}
