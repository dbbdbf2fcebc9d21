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
 * (X1: it must say which party records a termination). Then principals of organisations that
 * are not the seed's parties (docs/security.md): another funder, another beneficiary and its
 * authorizing officer, another accounting office, auditors scoped to one organisation, and the
 * funder's subject configured again in another organisation.
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
  otherFunder: 'token-funder-other',
  otherBeneficiary: 'token-beneficiary-other',
  otherAuthorizingOfficer: 'token-ordonnateur-other',
  otherAccountingOffice: 'token-comptable-drfip',
  scopedAuditor: 'token-auditor-scbcm',
  otherScopedAuditor: 'token-auditor-other-beneficiary',
  sameSubjectOtherOrganisation: 'token-anct-finance-elsewhere',
} as const;

/** The organisations of the tokens: the seed's three (docs/examples/seed-convention.json) and three others. */
export const ORGANISATIONS = {
  anct: '130026032',
  dinum: '120027016',
  scbcm: 'SCBCM-SPM',
  otherFunder: '130025265',
  otherBeneficiary: '110046018',
  otherAccountingOffice: 'DRFIP-75',
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
  // Organisations that are not the seed's parties.
  { token: TEST_TOKENS.otherFunder, subject: 'other-funder-finance', roles: ['funder'], organisation: ORGANISATIONS.otherFunder },
  { token: TEST_TOKENS.otherBeneficiary, subject: 'other-beneficiary-finance', roles: ['beneficiary'], organisation: ORGANISATIONS.otherBeneficiary },
  { token: TEST_TOKENS.otherAuthorizingOfficer, subject: 'other-ordonnateur', roles: ['authorizing-officer'], organisation: ORGANISATIONS.otherBeneficiary },
  { token: TEST_TOKENS.otherAccountingOffice, subject: 'comptable-drfip', roles: ['public-accountant'], organisation: ORGANISATIONS.otherAccountingOffice },
  // Auditors bound to one organisation: the seed's accounting office, and the other beneficiary.
  { token: TEST_TOKENS.scopedAuditor, subject: 'auditeur-scbcm', roles: ['auditor'], organisation: ORGANISATIONS.scbcm },
  { token: TEST_TOKENS.otherScopedAuditor, subject: 'auditeur-other-beneficiary', roles: ['auditor'], organisation: ORGANISATIONS.otherBeneficiary },
  // The ANCT funder's subject, configured again in another organisation: another principal.
  { token: TEST_TOKENS.sameSubjectOtherOrganisation, subject: 'anct-finance', roles: ['funder'], organisation: ORGANISATIONS.otherFunder },
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
