import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogLevel } from '@nestjs/common';
import type { Request, Response } from 'express';
import pino, { type Level, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { Actor } from '../../auth/roles';
import type { RequestContext } from '../request-context';
import { REDACTED_PATHS, scrubbedStdout } from './log-scrubbing';

/** What the request line reads off the request and the response (set by the edge, the filter, CommandLogInterceptor). */
type LoggedRequest = IncomingMessage & Partial<Pick<Request, 'originalUrl'>> & { context?: RequestContext; actor?: Actor };
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
 */
export function requestLogMiddleware(logger: Logger): HttpLogger {
  const fields = (req: LoggedRequest, res: LoggedResponse, responseTime: number) => ({
    method: req.method,
    path: (req.originalUrl ?? req.url ?? '').split('?')[0],
    subject: req.actor?.subject,
    organisation: req.actor?.organisation,
    command: res.locals?.command as string | undefined,
    statusCode: res.statusCode,
    code: res.locals?.errorCode as string | undefined,
    responseTimeMs: responseTime,
  });
  return pinoHttp<LoggedRequest, LoggedResponse>({
    logger,
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    genReqId: (req) => req.context?.requestId ?? 'none',
    // A 503 (store unavailable, read models behind) is the service saying "later", not a bug; the
    // cause of STORE_UNAVAILABLE is logged as a warning where it happens (api-exception.filter.ts).
    customLogLevel: (_req, res, error) => ((error || res.statusCode >= 500) && res.statusCode !== 503 ? 'error' : 'info'),
    customSuccessMessage: () => 'request answered',
    customErrorMessage: () => 'request answered',
    customSuccessObject: (req, res, value: { responseTime: number }) => fields(req, res, value.responseTime),
    customErrorObject: (req, res, _error, value: { responseTime: number }) => fields(req, res, value.responseTime),
  });
}
