import { Logger } from '@nestjs/common';
import { loadConfig } from '@cl/config';
import { createApp } from './app.factory';
import { DEVELOPMENT_TOKENS } from './auth/auth-tokens';
import { createAuthenticator } from './auth/create-authenticator';
import { installGracefulShutdown } from './http/graceful-shutdown';
import { OpenEventStreams } from './read-side/open-event-streams';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('convention-ledger');
  // Fails fast (before opening any store): no authentication configured outside development
  // mode, or a static token refused (weak, development or example token in production).
  const { usingDevelopmentTokens, sources } = createAuthenticator(config);
  const app = await createApp(config, {}, ['log', 'error', 'warn']);
  // The live feeds never end by themselves: they end first, then the other requests drain.
  installGracefulShutdown(app, config.shutdownGraceMs, () => app.get(OpenEventStreams).endAll());
  await app.listen(config.port);
  const { port } = app.getHttpServer().address() as { port: number };
  logger.log(`listening on :${port}, event store ${config.eventStore.kind}, read models ${config.readModels.kind}, data in ${config.dataDir}`);
  logger.log(`authentication (AUTH_MODE ${config.authMode}): ${sources.join(' + ')}; rate limit ${config.rateLimitPerMinute ? `${config.rateLimitPerMinute}/min` : 'off'}`);
  if (usingDevelopmentTokens) {
    logger.warn(`AUTH_MODE=development: development tokens are active (${DEVELOPMENT_TOKENS.map((t) => `${t.token} → ${t.roles.join(',')}`).join('; ')})`);
  }
}

main().catch((error) => {
  console.error(`convention-ledger failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
