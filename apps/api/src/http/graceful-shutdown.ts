import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * SIGTERM or SIGINT stops the API cleanly (docs/deployment.md, "Stopping"), then exits 0:
 * 1. the listening socket closes: a new connection is refused at connect, never reset later;
 *    idle keep-alive connections close, and every answer from now on says `Connection: close`;
 * 2. `beforeDrain` ends what never finishes by itself (the live feeds' streams); requests already
 *    accepted finish, for `graceMs` at most (SHUTDOWN_GRACE_MS); connections still open after
 *    that are closed;
 * 3. `app.close()`: the Idempotency-Keys of requests still running are released
 *    (IdempotencyStore), the inline projector commits its batch with its checkpoint, stops and
 *    releases its lock (ReadSideModule), then the event store and the read models close
 *    (InfrastructureModule). If that hangs past another `graceMs`, the process exits 1.
 */
export function installGracefulShutdown(app: INestApplication, graceMs: number, beforeDrain: () => Promise<void> = async () => undefined): void {
  const logger = new Logger('Shutdown');
  const server: Server = app.getHttpServer();
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    if (draining) response.setHeader('Connection', 'close');
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
  });

  const shutdown = async (signal: string) => {
    if (draining) return;
    draining = true;
    logger.log(`${signal}: no new connections; ${inFlight.size} request(s) in flight get ${graceMs} ms to finish`);
    for (const response of inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
    await beforeDrain().catch((error: unknown) => logger.warn(`ending the live streams failed: ${error instanceof Error ? error.message : String(error)}`));
    await drain(server, graceMs);
    if (inFlight.size > 0) logger.warn(`${inFlight.size} request(s) still running after ${graceMs} ms: their connections are closed`);
    server.closeAllConnections();
    const hung = setTimeout(() => {
      logger.error(`stores not closed ${graceMs} ms after the requests; exiting anyway`, undefined);
      process.exit(1);
    }, graceMs);
    hung.unref();
    try {
      await app.close();
    } catch (error) {
      logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`, undefined);
      process.exit(1);
    }
    logger.log('stopped: requests answered, projector batch committed, stores closed');
    process.exit(0);
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, () => void shutdown(signal));
}

/** Stops listening and resolves once every connection has ended, or after `graceMs`. */
function drain(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    // Node closes idle keep-alive connections on close() (since v19); said again for clarity.
    server.closeIdleConnections();
  });
}
