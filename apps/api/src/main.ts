import { Logger } from '@nestjs/common';
import { loadConfig } from '@cl/config';
import { createApp } from './app.factory';
import { DEVELOPMENT_TOKENS, loadTokenEntries } from './auth/auth-tokens';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('convention-ledger');
  // Fails fast (before opening any store) when production has no tokens.
  const { usingDevelopmentTokens } = loadTokenEntries(config);
  const app = await createApp(config, {}, ['log', 'error', 'warn']);
  await app.listen(config.port);
  const { port } = app.getHttpServer().address() as { port: number };
  logger.log(`listening on :${port}, event store ${config.eventStore.kind}, read models ${config.readModels.kind}, data in ${config.dataDir}`);
  if (usingDevelopmentTokens) {
    logger.warn(`no AUTH_TOKENS configured: development tokens are active (${DEVELOPMENT_TOKENS.map((t) => `${t.token} → ${t.roles.join(',')}`).join('; ')})`);
  }
}

main().catch((error) => {
  console.error(`convention-ledger failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
