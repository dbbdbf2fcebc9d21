import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig } from '@cl/config';
import { createApp } from '../../apps/api/src/app.factory';

/**
 * One token per role, plus a subject holding both signing roles (to prove D2's separation), a
 * second public accountant (D2: two subjects, one name) and a principal holding both party roles
 * (X1: it must say which party records a termination).
 */
export const TEST_TOKENS = {
  funder: 'token-funder-anct',
  beneficiary: 'token-beneficiary-dinum',
  authorizingOfficer: 'token-ordonnateur',
  publicAccountant: 'token-comptable',
  auditor: 'token-auditor',
  bothSigningRoles: 'token-both-signing-roles',
  otherPublicAccountant: 'token-comptable-bis',
  bothParties: 'token-both-parties',
} as const;

export const TEST_TOKEN_TABLE = [
  // The seed's three organisations: ANCT (funder), DINUM (beneficiary) and its accounting office.
  { token: TEST_TOKENS.funder, subject: 'anct-finance', roles: ['funder'], organisation: '130026032' },
  { token: TEST_TOKENS.beneficiary, subject: 'dinum-finance', roles: ['beneficiary'], organisation: '120027016' },
  { token: TEST_TOKENS.authorizingOfficer, subject: 'ordonnateur-dinum', roles: ['authorizing-officer'], organisation: '120027016' },
  { token: TEST_TOKENS.publicAccountant, subject: 'comptable-cbcm', roles: ['public-accountant'], organisation: 'SCBCM-SPM' },
  { token: TEST_TOKENS.auditor, subject: 'cour-des-comptes', roles: ['auditor'], organisation: '*' },
  { token: TEST_TOKENS.bothSigningRoles, subject: 'double-casquette', roles: ['authorizing-officer', 'public-accountant'], organisation: '120027016' },
  { token: TEST_TOKENS.otherPublicAccountant, subject: 'comptable-cbcm-bis', roles: ['public-accountant'], organisation: 'SCBCM-SPM' },
  { token: TEST_TOKENS.bothParties, subject: 'double-partie', roles: ['funder', 'beneficiary'], organisation: '130026032' },
];

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  dataDir: string;
  close(): Promise<void>;
}

/** The real Nest app on real stores in a fresh temporary DATA_DIR. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'convention-ledger-e2e-'));
  const config = loadConfig({ DATA_DIR: dataDir, AUTH_TOKENS: JSON.stringify(TEST_TOKEN_TABLE), NODE_ENV: 'test', BODY_LIMIT: '64kb', ...env });
  const app = await createApp(config);
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    dataDir,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
