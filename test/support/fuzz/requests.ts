import type { Random } from '../../model-based/random';
import { SEED_CONVENTION_BODY } from '../seed-http';
import { TEST_TOKENS } from '../test-app';
import { type JsonNode, toBytes, toTree } from './json-text';
import { BREAKING_BODY_MUTATIONS, type BodySchema, malformed } from './mutations';
import type { RawRequest } from './raw-client';

/** What the fuzzer's paths point at: conventions in a few states, an expense, a signed statement. */
export interface FuzzTargets {
  draft: string;
  active: string;
  expense: string;
  statement: number;
}

/** A request and what the fuzzer did to it (for the failure message). */
export interface FuzzRequest extends RawRequest {
  what: string[];
}

type Body = Record<string, unknown>;

/**
 * Every command route (OpenAPI path of its POST), with a body it may accept and the token of
 * the role that sends it. The fuzzer checks this table against the OpenAPI document, so that a
 * route added without its entry here fails the test.
 */
export const COMMAND_ROUTES: Record<string, { token: string; body: (rng: Random) => Body }> = {
  '/conventions': { token: TEST_TOKENS.funder, body: (rng) => ({ ...SEED_CONVENTION_BODY, reference: `FUZZ-${rng.int(0, 1e9)}` }) },
  '/conventions/{id}/signatures': { token: TEST_TOKENS.funder, body: () => ({ party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' }) },
  '/conventions/{id}/expenses': {
    token: TEST_TOKENS.beneficiary,
    body: (rng) => ({
      category: 'devops', description: 'développement', amount: `${rng.int(1, 9999)}.${String(rng.int(0, 99)).padStart(2, '0')}`, committedOn: '2020-06-01',
      ...(rng.chance(0.5) ? { contract: 'MARCHE-1', payee: { name: 'ACME', siret: '13002603200016' }, commitmentNumber: 'EJ-1' } : {}),
    }),
  },
  '/conventions/{id}/expenses/{expenseId}/service-done': { token: TEST_TOKENS.beneficiary, body: () => ({ on: '2020-06-02', invoice: { number: 'F-1', issuedOn: '2020-06-02' } }) },
  '/conventions/{id}/expenses/{expenseId}/payment': { token: TEST_TOKENS.beneficiary, body: () => ({ paidOn: '2020-06-03', paymentOrder: 'M-1' }) },
  '/conventions/{id}/expenses/{expenseId}/acceptance': { token: TEST_TOKENS.publicAccountant, body: () => ({ on: '2020-06-04' }) },
  '/conventions/{id}/expenses/{expenseId}/rejection': { token: TEST_TOKENS.publicAccountant, body: () => ({ on: '2020-06-05', reason: 'inéligible', recoveryOrder: 'OR-1' }) },
  '/conventions/{id}/statements': { token: TEST_TOKENS.beneficiary, body: () => ({ cutoff: '2020-06-30', final: false, drawnUpOn: '2020-07-01' }) },
  '/conventions/{id}/statements/{number}/signatures': {
    token: TEST_TOKENS.authorizingOfficer, body: () => ({ as: 'authorizing-officer', signatory: 'Ordonnateur DINUM', signedOn: '2020-07-02' }),
  },
  '/conventions/{id}/fund-calls': { token: TEST_TOKENS.beneficiary, body: () => ({ tranche: 2, statement: 1, issuedOn: '2020-07-03' }) },
  '/conventions/{id}/payments': { token: TEST_TOKENS.funder, body: () => ({ tranche: 1, amount: '100.00', paidOn: '2020-07-04', reference: 'VIR-1' }) },
  '/conventions/{id}/amendments': {
    token: TEST_TOKENS.funder,
    body: () => ({
      signedOn: '2020-08-01', signatories: { funder: 'Yves Le Breton', beneficiary: 'Nadi Bou Hanna' },
      changes: {
        ceiling: '1700000.00', durationMonths: 18, tranches: [{ amount: '100000.00', release: { on: 'signature' } }, { amount: '800000.00', release: { on: 'consumption', threshold: '1200000.00' } }],
        expenseCategories: ['devops', 'design'], funder: { representative: 'Stéphanie Schaer' }, beneficiary: { bankAccount: SEED_CONVENTION_BODY.beneficiary.bankAccount },
      },
    }),
  },
  '/conventions/{id}/closure': { token: TEST_TOKENS.funder, body: () => ({ on: '2021-05-11', statement: 1 }) },
  '/conventions/{id}/termination': { token: TEST_TOKENS.funder, body: () => ({ decidedOn: '2020-10-20', effectiveOn: '2020-10-31', reason: 'Manquement', atFault: 'funder' }) },
  '/conventions/{id}/restitutions': { token: TEST_TOKENS.beneficiary, body: () => ({ amount: '10.00', paidOn: '2021-06-01' }) },
  '/conventions/{id}/settlement-payments': { token: TEST_TOKENS.funder, body: () => ({ amount: '100.00', paidOn: '2021-07-10', reference: 'VIR-2021-0733' }) },
};

/** Every query route (OpenAPI path of its GET) and the query parameters it knows. */
export const QUERY_ROUTES: Record<string, readonly string[]> = {
  '/conventions': ['status', 'reference', 'minPosition'],
  '/conventions/{id}': ['asOf', 'minPosition'],
  '/conventions/{id}/balance': ['asOf', 'minPosition'],
  '/conventions/{id}/expenses': ['asOf', 'minPosition'],
  '/conventions/{id}/statements': ['asOf', 'minPosition'],
  '/conventions/{id}/statements/{number}': ['asOf', 'minPosition'],
  '/conventions/{id}/events': ['fromRevision', 'limit', 'minPosition'],
  '/stats': ['minPosition'],
  '/health': [],
};

/** Ids that name nothing, or cannot be ids: traversal, encodings that do not decode, other scripts. */
const BAD_IDS = [
  'nope', 'c-0000-unknown', 'x'.repeat(65), '..%2f..%2fetc%2fpasswd', '..%2F', '%2e%2e', '%00', '%C3%A9t%C3%A9', '%F0%9F%98%80', '%ED%A0%80', '%zz', '%',
  '%E0%A4%A', 'a%20b', '%5B%5D', 'null', 'undefined', '__proto__', 'constructor', '1e309', '-1', '%2F', '%5C', 'a;b', 'a,b', '%FF%FE',
];
/** Statement numbers that are not decimal digits, or name no statement. */
const BAD_NUMBERS = ['0', '0x1', '1e0', '-1', '+1', '1.0', '01', '%201', '99999999999999999999', '1e309', '%D9%A1', 'Infinity', 'NaN', '1%00', '..%2f1', '999999999', '%31', '１'];

/** Credentials that authenticate no one (`Bearer  <token>`, two spaces, is lawful: RFC 7235 allows 1*SP). */
const GARBAGE_TOKENS = ['', 'Bearer', 'Bearer ', 'Bearer x', 'Basic dXNlcjpwYXNz', `Bearer ${TEST_TOKENS.funder}x`, `Bearer ${TEST_TOKENS.funder.toUpperCase()}`, 'Bearer %00', `Token ${TEST_TOKENS.funder}`, 'Bearer é', `Bearer ${'a'.repeat(3000)}`, 'Bearer null', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'];
/** Principals that may send none of the commands to the fixture's conventions: no role for it, or another organisation. */
const WRONG_PRINCIPALS = [TEST_TOKENS.auditor, TEST_TOKENS.scopedAuditor, TEST_TOKENS.otherFunder, TEST_TOKENS.otherBeneficiary, TEST_TOKENS.otherAuthorizingOfficer, TEST_TOKENS.otherAccountingOffice];
const READERS = [TEST_TOKENS.auditor, TEST_TOKENS.funder, TEST_TOKENS.beneficiary, TEST_TOKENS.publicAccountant, TEST_TOKENS.otherFunder, TEST_TOKENS.scopedAuditor];
const WRONG_CONTENT_TYPES = [
  undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/json; charset=utf-16',
  'application/json; charset=iso-8859-1', 'application/xml', 'application/json-seq', '*/*', 'application/*', 'json', 'application/jsonx', 'application/merge-patch+json', 'text/json',
  'application/json; charset=', 'application/json; charset="utf-8', ';', ' ', 'application/json; charset=utf-8; charset=latin1', 'application/json, text/plain', '/', 'application/',
  'application/json; charset=\u00e9',
];
const GOOD_CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset="UTF-8"', 'application/json; charset=utf8'];
const ODD_KEYS = ['', ' ', 'a'.repeat(255), 'a'.repeat(256), 'k\u00e9', 'key with spaces', '\t', '"quoted"', '../../etc', '%00', 'null', '0', '-1', '{}', 'ключ'.normalize(), '\u00ff\u00fe'];
const ACCEPTS = [undefined, 'application/json', 'text/csv', '*/*', 'text/html', 'application/xml;q=0.9', 'a/b/c', '', 'application/json; charset=latin1', 'text/csv, application/json;q=0.1'];
const BAD_DATES_IN_QUERY = ['2021-02-30', '2020-1-1', '', '9999-12-31', '2020-05-11T00:00:00Z', '%zz', '%ED%A0%80', '２０２０-01-01', 'x'.repeat(3000), 'null'];
const BAD_INTEGERS = ['0x10', '1e2', '-1', '0', '10001', '', '1.5', '+5', ' 5', '%00', '99999999999999999999', 'Infinity'];

/** Header values with characters Node's client refuses (controls, DEL, beyond Latin-1) removed. */
const headerSafe = (value: string) => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');

function noiseHeaders(rng: Random, index: number): { headers: Record<string, string>; what: string[] } {
  const headers: Record<string, string> = {};
  const what: string[] = [];
  if (rng.chance(0.4)) {
    const key = rng.chance(0.5) ? `fuzz-${index}` : rng.pick(ODD_KEYS);
    headers['Idempotency-Key'] = headerSafe(key);
    what.push(`Idempotency-Key ${JSON.stringify(key.slice(0, 20))}`);
  }
  const accept = rng.pick(ACCEPTS);
  if (accept !== undefined) headers.Accept = accept;
  if (rng.chance(0.1)) headers['X-Request-Id'] = headerSafe(rng.pick(['', 'x'.repeat(500), '../etc', 'é', '\t', 'id with spaces']));
  if (rng.chance(0.1)) headers['Content-Encoding'] = rng.pick(['gzip', 'br', 'deflate', 'identity', 'x-unknown']);
  if (rng.chance(0.05)) headers['X-Forwarded-For'] = rng.pick(['garbage', '1.2.3.4, 5.6.7.8', '::1', '']);
  if (rng.chance(0.05)) headers['Accept-Charset'] = 'latin1';
  return { headers, what };
}

/** Percent-encodes what Node's client refuses in a path (spaces, controls, beyond ASCII); leaves `%` sequences, valid or not, as they are. */
const pathSafe = (text: string) => text.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));

/** The route's path with its parameters, valid or (with `breakPath`) not. */
function fillPath(template: string, targets: FuzzTargets, rng: Random, breakPath: boolean): { path: string; broken?: string } {
  const params = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const broken = breakPath && params.length > 0 ? rng.pick(params) : undefined;
  let bad: string | undefined;
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === broken) {
      bad = name === 'number' ? rng.pick(BAD_NUMBERS) : rng.pick(BAD_IDS);
      return pathSafe(bad);
    }
    if (name === 'id') return rng.chance(0.8) ? targets.active : targets.draft;
    if (name === 'expenseId') return targets.expense;
    return String(targets.statement);
  });
  return { path, broken: broken ? `${broken} ${bad}` : undefined };
}

function queryString(rng: Random, known: readonly string[], valid: boolean): string {
  const parts: string[] = [];
  const value = (name: string): string => {
    switch (name) {
      case 'asOf': return valid || rng.chance(0.4) ? rng.pick(['2020-06-30', '2020-05-10', '2021-12-31']) : rng.pick(BAD_DATES_IN_QUERY);
      case 'limit': case 'fromRevision': return valid || rng.chance(0.4) ? String(rng.int(name === 'limit' ? 1 : 0, 20)) : rng.pick(BAD_INTEGERS);
      case 'status': return valid || rng.chance(0.4) ? rng.pick(['draft', 'active', 'closed']) : rng.pick(['ACTIVE', '', 'x', '%00', 'active%00']);
      case 'reference': return rng.pick(['ANCT-DINUM-2020', '', '%C3%A9', 'x'.repeat(150), '%ED%A0%80']);
      // Positions the store has reached (a later one waits 5 s for the projector, by design: docs/api.md).
      case 'minPosition': return valid || rng.chance(0.5) ? rng.pick(['0', '1']) : rng.pick(['-1', '1.5', '0x1', 'abc', '', '1e1', '99999999999999999999']);
      default: return 'x';
    }
  };
  for (const name of known) if (rng.chance(0.35)) parts.push(`${name}=${value(name)}`);
  if (!valid && rng.chance(0.5)) {
    const name = rng.pick(known.length > 0 ? known : ['asOf']);
    parts.push(rng.pick([
      `${name}=${value(name)}&${name}=${value(name)}`, `${name}[]=${value(name)}`, `${name}[a]=1`, 'foo=1', 'a[]=', '__proto__[x]=1', 'constructor[prototype][x]=1',
      `${name}`, '&&&', '=x', `${name}=%`, '%zz=1', `${name}[999999]=1`, `${name}[0][0][0][0][0][0][0]=1`, `${name}[toString]=1`, 'toString=1', 'valueOf=', 'hasOwnProperty=x', `${'a=1&'.repeat(1200)}b=2`,
    ]));
  }
  return parts.length > 0 ? `?${pathSafe(parts.join('&'))}` : '';
}

/** A command with at least one change that no route may accept, plus noise. */
export function refusedCommand(rng: Random, targets: FuzzTargets, schemas: Record<string, BodySchema>, index: number): FuzzRequest {
  const template = rng.pick(Object.keys(COMMAND_ROUTES));
  const route = COMMAND_ROUTES[template];
  const noise = noiseHeaders(rng, index);
  const what = [`POST ${template}`, ...noise.what];
  let kind = rng.weighted({ body: 10, malformed: 2, auth: 2, contentType: 2, path: 2 });
  if (kind === 'path' && !template.includes('{')) kind = 'body';
  const { path, broken } = fillPath(template, targets, rng, kind === 'path');
  if (broken) what.push(`path ${broken}`);
  const root: { body: JsonNode } = { body: toTree(route.body(rng)) };
  // The body kind breaks the body at least once (a mutation finds nothing to break now and then: another is drawn).
  let applied = 0;
  const wanted = kind === 'body' ? rng.int(1, 3) : rng.chance(0.3) ? 1 : 0;
  for (let attempt = 0; applied < wanted && attempt < 20; attempt++) {
    const done = BREAKING_BODY_MUTATIONS[rng.pick(Object.keys(BREAKING_BODY_MUTATIONS))](root, rng, schemas[template]);
    if (done) {
      what.push(done);
      applied += 1;
    }
  }
  if (kind === 'body' && applied === 0) throw new Error(`no mutation could break the body of ${template}`);
  let body = toBytes(root.body);
  if (kind === 'malformed') {
    const bad = malformed(body, rng);
    body = bad.bytes;
    what.push(`malformed: ${bad.what}`);
  }
  const headers: Record<string, string> = { ...noise.headers, 'Content-Type': rng.pick(GOOD_CONTENT_TYPES), Authorization: `Bearer ${route.token}` };
  if (kind === 'auth') {
    const authorization = rng.chance(0.5) ? rng.pick(GARBAGE_TOKENS) : `Bearer ${rng.pick(WRONG_PRINCIPALS)}`;
    if (authorization === '') delete headers.Authorization;
    else headers.Authorization = headerSafe(authorization);
    what.push(`Authorization ${JSON.stringify(authorization.slice(0, 40))}`);
  }
  if (kind === 'contentType') {
    const type = rng.pick(WRONG_CONTENT_TYPES);
    if (type === undefined) delete headers['Content-Type'];
    else headers['Content-Type'] = type;
    what.push(`Content-Type ${type ?? 'absent'}`);
  }
  return { method: 'POST', path: rng.chance(0.1) ? path + queryString(rng, ['asOf'], false) : path, headers, body, what };
}

/** A command whose body is valid for its route, with noise only: the fuzzer checks it one at a time. */
export function plausibleCommand(rng: Random, targets: FuzzTargets, index: number): FuzzRequest {
  const template = rng.pick(Object.keys(COMMAND_ROUTES));
  const route = COMMAND_ROUTES[template];
  const noise = noiseHeaders(rng, index);
  const { path } = fillPath(template, targets, rng, false);
  return {
    method: 'POST', path: rng.chance(0.1) ? path + queryString(rng, ['asOf'], false) : path,
    headers: { ...noise.headers, 'Content-Type': rng.pick(GOOD_CONTENT_TYPES), Authorization: `Bearer ${route.token}` },
    body: toBytes(toTree(route.body(rng))), what: [`POST ${template}`, ...noise.what],
  };
}

/** A query, its path, query string and headers fuzzed or not. */
export function query(rng: Random, targets: FuzzTargets, index: number): FuzzRequest {
  const template = rng.pick(Object.keys(QUERY_ROUTES));
  const { path, broken } = fillPath(template, targets, rng, rng.chance(0.3));
  const qs = queryString(rng, QUERY_ROUTES[template], rng.chance(0.4));
  const noise = noiseHeaders(rng, index);
  const headers: Record<string, string> = { ...noise.headers };
  const auth = rng.next();
  if (auth < 0.75) headers.Authorization = `Bearer ${rng.pick(READERS)}`;
  else if (auth < 0.95) headers.Authorization = headerSafe(rng.pick(GARBAGE_TOKENS));
  if (rng.chance(0.1)) headers['Content-Type'] = rng.pick([...WRONG_CONTENT_TYPES.filter((t): t is string => t !== undefined), ...GOOD_CONTENT_TYPES]);
  const body = rng.chance(0.05) ? Buffer.from(rng.pick(['{"a":1}', '\xff', '{"__proto__":1}', '['.repeat(1000)]), 'latin1') : undefined;
  return { method: 'GET', path: path + qs, headers, body, what: [`GET ${template}${qs.slice(0, 120)}`, ...(broken ? [`path ${broken}`] : []), ...noise.what] };
}

/** Another method on a known path, or a path no route has. */
export function strayRequest(rng: Random, targets: FuzzTargets): FuzzRequest {
  const templates = [...Object.keys(COMMAND_ROUTES), ...Object.keys(QUERY_ROUTES)];
  const { path } = fillPath(rng.pick(templates), targets, rng, rng.chance(0.3));
  const method = rng.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'GET', 'POST']);
  const stray = rng.pick([path, `${path}/x`, '/%2e%2e/%2e%2e/etc/passwd', '/.env', '/conventions/..%2f..%2fhealth', '/%ED%A0%80', '/docs/..%2f..%2fpackage.json', '//conventions', '/conventions/%zz/balance', `${path}?a=%`]);
  const body = rng.chance(0.5) ? Buffer.from('{"a":1}') : undefined;
  return {
    method, path: stray, body,
    headers: { Authorization: `Bearer ${rng.pick([TEST_TOKENS.funder, TEST_TOKENS.auditor])}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    what: [`${method} ${stray}`],
  };
}
