import { ConsoleLogger, Logger } from '@nestjs/common';
import pino from 'pino';
import { PinoNestLogger } from './pino-nest-logger';
import { requestLogger } from './request-log';

/** A pino logger whose lines land in `lines`, parsed. */
function capturedPino() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'trace', base: { service: 'convention-ledger' } }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const fieldsOf = (line: Record<string, unknown>) => Object.fromEntries(Object.entries(line).filter(([name]) => name !== 'time' && name !== 'pid' && name !== 'hostname'));

describe('PinoNestLogger (Nest\'s Logger as pino lines)', () => {
  it('writes a Nest context as `context`, at the matching pino level', () => {
    const { logger, lines } = capturedPino();
    const nest = new PinoNestLogger(logger);
    nest.log('listening on :3000', 'convention-ledger');
    nest.warn('standing by', 'Projector');
    nest.verbose('details', 'X');
    nest.error('shutdown failed', undefined, 'Shutdown');
    expect(lines.map(fieldsOf)).toEqual([
      { level: 30, service: 'convention-ledger', context: 'convention-ledger', msg: 'listening on :3000' },
      { level: 40, service: 'convention-ledger', context: 'Projector', msg: 'standing by' },
      { level: 10, service: 'convention-ledger', context: 'X', msg: 'details' },
      { level: 50, service: 'convention-ledger', context: 'Shutdown', msg: 'shutdown failed' },
    ]);
  });

  it('logs an Error under err, an object\'s fields merged, and a stack passed as a second string as an error', () => {
    const { logger, lines } = capturedPino();
    const nest = new PinoNestLogger(logger);
    nest.error(new Error('boom'), 'HTTP');
    nest.log({ position: 12, note: 'caught up' }, 'Projector');
    nest.error('Unhandled', 'Error: Unhandled\n    at handler (x.ts:1:1)', 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({ level: 50, context: 'HTTP', err: { type: 'Error', message: 'boom' } });
    expect(fieldsOf(lines[1])).toEqual({ level: 30, service: 'convention-ledger', context: 'Projector', position: 12, note: 'caught up' });
    expect(lines[2]).toMatchObject({ level: 50, context: 'ExceptionsHandler', err: { message: 'Unhandled', stack: 'Error: Unhandled\n    at handler (x.ts:1:1)' } });
  });

  it('serves `new Logger(context)` once given to Nest as its logger', () => {
    const { logger, lines } = capturedPino();
    Logger.overrideLogger(new PinoNestLogger(logger));
    try {
      new Logger('Webhooks').warn('delivery failed');
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
    }
    expect(lines.map(fieldsOf)).toEqual([{ level: 40, service: 'convention-ledger', context: 'Webhooks', msg: 'delivery failed' }]);
  });
});

describe('requestLogger (lines about a request)', () => {
  it("writes through the request's child logger, so the line carries its request id", () => {
    const { logger, lines } = capturedPino();
    const request = { log: logger.child({ requestId: 'req-42' }) };
    requestLogger(request as never, 'HTTP').warn('the event store is unavailable');
    expect(lines.map(fieldsOf)).toEqual([{ level: 40, service: 'convention-ledger', requestId: 'req-42', context: 'HTTP', msg: 'the event store is unavailable' }]);
  });
});
