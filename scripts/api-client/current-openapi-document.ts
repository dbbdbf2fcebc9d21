import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@cl/config';
import { createApp } from '../../apps/api/src/app.factory';
import { buildOpenApiDocument } from '../../apps/api/src/http/openapi-document';

/**
 * The OpenAPI document the code describes now: the application built as production builds it,
 * on a throw-away embedded store, never listening. A token table is configured only because the
 * application refuses to start without authentication outside development mode.
 */
export async function currentOpenApiDocument(): Promise<OpenAPIObject> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convention-ledger-openapi-'));
  const placeholderToken = { token: 'x'.repeat(32), subject: 'openapi', roles: ['auditor'], organisation: '*' };
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'test', AUTH_TOKENS: JSON.stringify([placeholderToken]) }));
  try {
    await app.init();
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
