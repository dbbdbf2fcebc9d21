import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Each architecture boundary of eslint.config.mjs, shown to fire: ESLint lints snippets as if
 * they were files at these paths (nothing is written). ESLint loads its ES-module config, which
 * Jest's module system cannot, so it runs in a child process, once for all the cases.
 */
const CASES: Array<{ file: string; imports: string; fires: boolean }> = [
  // 1. the domain: decimal.js and its own files only
  { file: 'libs/domain/src/probe.ts', imports: "import Decimal from 'decimal.js'; import { money } from './money'; import { upcast } from '@cl/domain';", fires: false },
  { file: 'libs/domain/src/probe.ts', imports: "import { loadConfig } from '@cl/config';", fires: true },
  { file: 'libs/domain/src/probe.ts', imports: "import * as fs from 'node:fs';", fires: true },
  { file: 'libs/domain/src/probe.ts', imports: "import { Kysely } from 'kysely';", fires: true },
  { file: 'libs/domain/src/probe.ts', imports: "import { given } from '../testing/specification';", fires: true },
  { file: 'libs/domain/testing/probe.ts', imports: "import { money } from '../src/money'; import { given } from './specification';", fires: false },
  { file: 'libs/domain/testing/probe.ts', imports: "import { expect } from '@jest/globals';", fires: true },
  // 2. the event store: neither the domain nor the read models
  { file: 'libs/event-store/src/probe.ts', imports: "import type { AppConfig } from '@cl/config';", fires: false },
  { file: 'libs/event-store/src/probe.ts', imports: "import { upcast } from '@cl/domain';", fires: true },
  { file: 'libs/event-store/src/probe.ts', imports: "import type { ConventionEvent } from '../../domain/src/events';", fires: true },
  { file: 'libs/event-store/src/probe.ts', imports: "import { readCheckpoint } from '@cl/read-models';", fires: true },
  // 3. the read side: no write-side file
  { file: 'apps/api/src/read-side/probe.ts', imports: "import { ConventionIdPipe } from '../http/path-params';", fires: false },
  { file: 'apps/api/src/read-side/probe.ts', imports: "import { KeyedMutex } from '../conventions/application/keyed-mutex';", fires: true },
  { file: 'libs/read-models/src/probe.ts', imports: "import { KeyedMutex } from '../../../apps/api/src/conventions/application/keyed-mutex';", fires: true },
  // 4. the API client: openapi-fetch and its own files only
  { file: 'libs/api-client/src/probe.ts', imports: "import createClient from 'openapi-fetch'; import type { paths } from './openapi-schema';", fires: false },
  { file: 'libs/api-client/src/probe.ts', imports: "import type { Balance } from '@cl/read-models';", fires: true },
  { file: 'libs/api-client/src/probe.ts', imports: "import { ApiError } from '../../../apps/api/src/http/api-error';", fires: true },
  { file: 'libs/api-client/src/probe.ts', imports: "import * as http from 'node:http';", fires: true },
];

const CHILD = `
const { ESLint } = require(require.resolve('eslint', { paths: [process.cwd()] }));
const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const c of cases) {
    const [result] = await eslint.lintText(c.imports + '\\nexport {};\\n', { filePath: c.file });
    out.push(result.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe('architecture boundaries (eslint-plugin-boundaries)', () => {
  it('fire on each forbidden import, @cl/* aliases included, and stay silent on allowed ones', () => {
    const child = spawnSync(process.execPath, ['-e', CHILD], { cwd: ROOT, input: JSON.stringify(CASES), encoding: 'utf8', timeout: 50_000 });
    expect(child.stderr).not.toMatch(/Error/);
    const messages: string[][] = JSON.parse(child.stdout);
    const outcome = CASES.map((c, i) => ({ file: c.file, imports: c.imports, fires: messages[i].length > 0 }));
    expect(outcome).toEqual(CASES);
  });
});
