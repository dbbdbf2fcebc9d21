import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';

/** An error whose stack Nest's exception handlers pass as a second string (`error(message, stack)`). */
const STACK = /\n\s*at /;

/**
 * Nest's Logger (every `new Logger(context)` of the app, Nest's own start-up lines) written as the
 * process's pino lines: `context` the Nest context, an Error under `err`, an object's fields merged.
 * What nestjs-pino did, without its per-request AsyncLocalStorage: on Node 20 that store turns on
 * a hook for every promise the process creates, about a tenth of the API's CPU per command
 * (docs/performance.md, "The eleventh stop"). A line about a request carries its request id
 * because it is written through the request's own child logger (request-log.ts, loggerOf).
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void { this.write('info', message, params); }
  error(message: unknown, ...params: unknown[]): void { this.write('error', message, params); }
  warn(message: unknown, ...params: unknown[]): void { this.write('warn', message, params); }
  debug(message: unknown, ...params: unknown[]): void { this.write('debug', message, params); }
  verbose(message: unknown, ...params: unknown[]): void { this.write('trace', message, params); }
  fatal(message: unknown, ...params: unknown[]): void { this.write('fatal', message, params); }

  /** Nest passes the context last, after any other parameter (a stack, for error). */
  private write(level: Level, message: unknown, params: unknown[]): void {
    const fields: Record<string, unknown> = {};
    const rest = params.slice(0, -1);
    if (params.length > 0 && params[params.length - 1] !== undefined) fields.context = params[params.length - 1];
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message });
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...message });
    } else if (level === 'error' && typeof message === 'string' && typeof rest[0] === 'string' && STACK.test(rest[0])) {
      const error = new Error(message);
      error.stack = rest[0];
      this.logger.error({ ...fields, err: error });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
