import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger as NestLogger, type LogLevel } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import pino, { type Level, type Logger } from 'pino';
import type { Actor } from '../../auth/roles';
import type { RequestContext } from '../request-context';
import { REDACTED_PATHS, scrubbedStdout } from './log-scrubbing';

/** What the request line reads off the request and the response (set by the edge, the filter, CommandLogInterceptor). */
type LoggedRequest = IncomingMessage & Partial<Pick<Request, 'originalUrl'>> & { context?: RequestContext; actor?: Actor; log?: Logger };
type LoggedResponse = ServerResponse & { locals?: Response['locals'] };

/** The Nest log levels a caller asks for (main.ts: log, warn, error; tests: warn, error) as a pino level. */
export function pinoLevelOf(levels: LogLevel[]): Level | 'silent' {
  if (levels.includes('verbose') || levels.includes('debug')) return 'debug';
  if (levels.includes('log')) return 'info';
  if (levels.includes('warn')) return 'warn';
  if (levels.includes('error') || levels.includes('fatal')) return 'error';
  return 'silent';
}

/** The process's one pino logger: JSON lines on standard output, scrubbed (log-scrubbing.ts). */
export function createLogger(level: Level | 'silent'): Logger {
  return pino({ level, base: { service: 'convention-ledger' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, scrubbedStdout());
}

/**
 * One JSON line per request once it is answered (docs/architecture.md, "Logs"): request id,
 * method, path, subject, organisation, command, status and error code, duration. Built from
 * those fields only: no header (so never a token) and no body (so never a bank account).
 * Installed right after the request id, ahead of authentication, so that 401, 413, 415 and 429
 * answered by the edge are logged too.
 *
 * `req.log`, a child carrying the request id, is what the lines about the request are written
 * through (requestLogger: the error filter's warnings and stacks name their request). Not
 * pino-http: it also made, for every request, a child logger bound to the whole serialised
 * request (headers and all), which this line never uses (docs/performance.md, "The eleventh
 * stop").
 */
export function requestLogMiddleware(logger: Logger): RequestHandler {
  return (req: LoggedRequest, res: LoggedResponse, next: NextFunction) => {
    const started = Date.now();
    const log = logger.child({ requestId: req.context?.requestId ?? 'none' });
    req.log = log;
    // Once, on whichever comes first: the answer sent ('finish'), the connection gone ('close'), a failed write ('error').
    const answered = (error?: Error) => {
      res.removeListener('close', answered);
      res.removeListener('finish', answered);
      res.removeListener('error', answered);
      // A 503 (store unavailable, read models behind) is the service saying "later", not a bug; the
      // cause of STORE_UNAVAILABLE is logged as a warning where it happens (api-exception.filter.ts).
      const level = (error || res.statusCode >= 500) && res.statusCode !== 503 ? 'error' : 'info';
      log[level]({
        method: req.method,
        path: (req.originalUrl ?? req.url ?? '').split('?')[0],
        subject: req.actor?.subject,
        organisation: req.actor?.organisation,
        command: res.locals?.command as string | undefined,
        statusCode: res.statusCode,
        code: res.locals?.errorCode as string | undefined,
        responseTimeMs: Date.now() - started,
      }, 'request answered');
    };
    res.on('close', answered);
    res.on('finish', answered);
    res.on('error', answered);
    next();
  };
}

/** What a line about a request needs: both pino's child and Nest's Logger answer it. */
export interface LineLogger {
  error(message: string): void;
  warn(message: string): void;
}

/**
 * Lines about a request (the error filter's stacks and storage warnings), under `context`: through
 * the request's child logger, so that they carry its request id (requestLogMiddleware), or Nest's
 * Logger for a request that did not pass the edge.
 */
export function requestLogger(req: IncomingMessage, context: string): LineLogger {
  const log = (req as LoggedRequest).log;
  return log ? log.child({ context }) : new NestLogger(context);
}
