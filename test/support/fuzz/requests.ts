import type { Random } from '../../model-based/random';
import { SEED_CONVENTION_BODY } from '../seed-http';
import { TEST_TOKENS } from '../test-app';
import { type JsonNode, toBytes, toTree } from './json-text';
import { BREAKING_BODY_MUTATIONS, type BodySchema, type BreakingMutation, malformed } from './mutations';
import type { RawRequest } from './raw-client';
import { WEBHOOK_BODY_MUTATIONS, webhookBody } from './webhook-mutations';

/** What the fuzzer's paths point at: conventions in a few states, an expense, a signed statement. */
export interface FuzzTargets {
  draft: string;
  active: string;
  expense: string;
  statement: number;
  /** A webhook subscription of the funder's organisation, one of another organisation, one deleted. */
  webhook: string;
  otherWebhook: string;
  deletedWebhook: string;
  /** Subscriptions made by accepted requests (the one-by-one phase): what a valid DELETE removes. */
  madeWebhooks: string[];
}

/** A request and what the fuzzer did to it (for the failure message). */
export interface FuzzRequest extends RawRequest {
  what: string[];
  /** Whether a 2xx records events (moves the head): commands do; webhook subscriptions (tables of the read-model database, not events), DELETE and reads do not. */
  records: boolean;
}

type Body = Record<string, unknown>;

interface CommandRoute {
  token: string;
  body: (rng: Random) => Body;
  /** The query string a valid request carries (`?fromPosition=` of a replay). */
  query?: (rng: Random) => string;
  /** False: a 2xx records no event (webhook subscriptions live in the read-model database). */
  records?: false;
  /** Any authenticated principal may send it: a wrong principal does not break it, only a garbage token. */
  anyPrincipal?: true;
  /** Mutations that break this route's body for sure, beside those every body gets. */
  breaking?: Record<string, BreakingMutation>;
}

/**
 * Every POST route (OpenAPI path), with a body it may accept and the token of the role that
 * sends it. The fuzzer checks this table (with DELETE_ROUTES and QUERY_ROUTES) against the
 * OpenAPI document, so that a route added without its entry here fails the test.
 */
export const COMMAND_ROUTES: Record<string, CommandRoute> = {
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
  '/webhooks': { token: TEST_TOKENS.funder, body: webhookBody, records: false, anyPrincipal: true, breaking: WEBHOOK_BODY_MUTATIONS },
  '/webhooks/{id}/replay': { token: TEST_TOKENS.funder, body: () => ({}), query: (rng) => `?fromPosition=${rng.int(0, 40)}`, records: false },
};

/** Every DELETE route (OpenAPI path) and the token of a principal that may send it. */
export const DELETE_ROUTES: Record<string, { token: string }> = {
  '/webhooks/{id}': { token: TEST_TOKENS.funder },
};

/** Principals that may create a webhook subscription (any authenticated one), for the one-by-one phase. */
const SUBSCRIBERS = [TEST_TOKENS.funder, TEST_TOKENS.beneficiary, TEST_TOKENS.auditor, TEST_TOKENS.otherFunder];

const CSV_OR_JSON = ['text/csv', 'application/json', 'text/csv;q=0.5, application/json', 'text/*', 'application/json;q=0, text/csv'];

/**
 * Every query route (OpenAPI path of its GET), the query parameters it knows, and the media
 * types it may answer besides JSON (sent as Accept half of the time).
 */
export const QUERY_ROUTES: Record<string, { params: readonly string[]; accepts?: readonly string[] }> = {
  '/conventions': { params: ['status', 'reference', 'knownAt', 'minPosition'] },
  '/conventions/{id}': { params: ['asOf', 'knownAt', 'minPosition'] },
  '/conventions/{id}/balance': { params: ['asOf', 'knownAt', 'minPosition'] },
  '/conventions/{id}/expenses': { params: ['asOf', 'knownAt', 'minPosition'] },
  '/conventions/{id}/statements': { params: ['asOf', 'knownAt', 'minPosition'] },
  '/conventions/{id}/statements/{number}': {
    params: ['asOf', 'knownAt', 'dialect', 'minPosition'],
    accepts: ['application/pdf', 'text/csv', 'application/pdf, text/csv;q=0.5', 'text/csv;q=0, application/pdf;q=0', 'application/pdf;q=0.1, application/json'],
  },
  '/conventions/{id}/events': { params: ['fromRevision', 'limit', 'knownAt', 'minPosition'], accepts: ['application/x-ndjson', 'application/x-ndjson; charset=utf-8', 'application/json, application/x-ndjson;q=0.1'] },
  '/events': { params: ['fromPosition', 'minPosition'], accepts: ['application/x-ndjson', 'application/json'] },
  '/open-data/conventions': { params: ['after', 'limit', 'format', 'dialect', 'minPosition'], accepts: CSV_OR_JSON },
  '/open-data/conventions.csv': { params: ['dialect', 'minPosition'], accepts: CSV_OR_JSON },
  '/stats': { params: ['minPosition'], accepts: ['text/html', 'text/html;q=0.9, application/json', 'application/xhtml+xml'] },
  '/stats.json': { params: ['minPosition'], accepts: ['text/html'] },
  '/health': { params: [] },
  '/webhooks': { params: [] },
  '/webhooks/{id}': { params: [] },
  '/webhooks/{id}/deliveries': { params: ['status', 'afterPosition', 'limit'] },
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
const ACCEPTS = [
  undefined, 'application/json', 'text/csv', '*/*', 'text/html', 'application/xml;q=0.9', 'a/b/c', '', 'application/json; charset=latin1', 'text/csv, application/json;q=0.1',
  'application/pdf', 'application/x-ndjson', 'application/x-ndjson;q=abc', 'application/pdf;q=0', 'text/*;q=0.5, */*;q=0.1',
];
const BAD_DATES_IN_QUERY = ['2021-02-30', '2020-1-1', '', '9999-12-31', '2020-05-11T00:00:00Z', '%zz', '%ED%A0%80', '２０２０-01-01', 'x'.repeat(3000), 'null'];
const BAD_INTEGERS = ['0x10', '1e2', '-1', '0', '1001', '10001', '', '1.5', '+5', ' 5', '%00', '99999999999999999999', '9999999999999999', 'Infinity'];
/** `?knownAt=`: positions (decimal digits) and instants with their offset; then what parseKnownAt refuses. */
const GOOD_KNOWN_AT = ['0', '1', '3', '12', '40', '9999999999999999', '2020-01-01T00:00:00Z', '2099-12-31T23:59:59.999999999+14:00', '2026-01-01T00:00Z', '1970-01-01T00:00:00-23:59'];
const BAD_KNOWN_AT = [
  '', '-1', '+1', '01', '1e3', '0x10', '1.0', ' 1', '12345678901234567', '99999999999999999999', 'now', '2021-01-15', '2021-01-15T09:30:00', '2021-02-30T00:00:00Z',
  '2021-01-15T24:00:00Z', '2021-01-15T09:30:00+24:00', '2021-01-15 09:30:00Z', '0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '%zz', '%ED%A0%80', 'x'.repeat(3000),
  '2021-01-15T09:30:00.1234567890Z', '２０２１-01-15T09:30:00Z', '2021-01-15T09:30:00z', 'null', '275760-09-13T00:00:00Z', '2021-01-15T09:30:00+01:00:00',
];
const BAD_DIALECTS = ['FR', 'excel', '', 'fr%00', 'rfc4180,fr', 'tsv', '%ED%A0%80', 'constructor', 'rfc4180 '];
const GOOD_AFTER = ['0', 'zzzzzzzz', 'a-b-c', 'FFFFFFFF-0000', 'x'.repeat(64)];
const BAD_AFTER = ['', 'x'.repeat(65), 'a b', '%00', '..%2F', '%C3%A9', '%ED%A0%80', 'a_b', 'a%2Fb'];

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

/** Subscription ids that name none of the caller's: another organisation's, a deleted one, nothing, other spellings of its own, a convention's. */
const badWebhookIds = (targets: FuzzTargets) => [
  targets.otherWebhook, targets.deletedWebhook, '00000000-0000-4000-8000-000000000000', targets.webhook.toUpperCase(), `${targets.webhook}0`, targets.webhook.slice(1),
  `${targets.webhook}%00`, `%20${targets.webhook}`, targets.active,
];

/** The route's path with its parameters, valid or (with `breakPath`) not. */
function fillPath(template: string, targets: FuzzTargets, rng: Random, breakPath: boolean): { path: string; broken?: string } {
  const params = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const broken = breakPath && params.length > 0 ? rng.pick(params) : undefined;
  let bad: string | undefined;
  const webhook = template.startsWith('/webhooks/');
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === broken) {
      bad = name === 'number' ? rng.pick(BAD_NUMBERS) : rng.pick(webhook && rng.chance(0.5) ? badWebhookIds(targets) : BAD_IDS);
      return pathSafe(bad);
    }
    if (name === 'id' && webhook) return targets.webhook;
    if (name === 'id') return rng.chance(0.8) ? targets.active : targets.draft;
    if (name === 'expenseId') return targets.expense;
    return String(targets.statement);
  });
  return { path, broken: broken ? `${broken} ${bad}` : undefined };
}

function queryString(rng: Random, template: string, known: readonly string[], valid: boolean): string {
  const parts: string[] = [];
  const good = valid || rng.chance(0.4);
  const value = (name: string): string => {
    switch (name) {
      case 'asOf': return good ? rng.pick(['2020-06-30', '2020-05-10', '2021-12-31']) : rng.pick(BAD_DATES_IN_QUERY);
      case 'knownAt': return good ? rng.pick(GOOD_KNOWN_AT) : rng.pick(BAD_KNOWN_AT);
      case 'limit': return good ? String(rng.pick([1, 2, 20, 1000])) : rng.pick(BAD_INTEGERS);
      case 'fromRevision': case 'fromPosition': case 'afterPosition': return good ? rng.pick(['0', '1', '5', '40', '9999999999999999']) : rng.pick(BAD_INTEGERS);
      case 'status':
        if (template.startsWith('/webhooks')) return good ? rng.pick(['pending', 'delivered', 'dead']) : rng.pick(['DEAD', '', 'active', 'dead%00', 'pending,dead']);
        return good ? rng.pick(['draft', 'active', 'closed']) : rng.pick(['ACTIVE', '', 'x', '%00', 'active%00']);
      case 'dialect': return good ? rng.pick(['rfc4180', 'fr']) : rng.pick(BAD_DIALECTS);
      case 'format': return good ? rng.pick(['json', 'csv']) : rng.pick(['CSV', 'xml', '', 'json,csv', 'pdf']);
      case 'after': return good ? rng.pick(GOOD_AFTER) : rng.pick(BAD_AFTER);
      case 'reference': return rng.pick(['ANCT-DINUM-2020', '', '%C3%A9', 'x'.repeat(150), '%ED%A0%80']);
      // Positions the store has reached (a later one waits 5 s for the projector, by design: docs/api.md).
      case 'minPosition': return good ? rng.pick(['0', '1']) : rng.pick(['-1', '1.5', '0x1', 'abc', '', '1e1', '99999999999999999999']);
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
  // The body kind breaks the body at least once. A mutation that finds nothing to break (no
  // string, no field: the empty body of a replay) is not drawn again for this request; one that
  // always applies (notAnObject) stays among them, so the draws end with a break.
  let applied = 0;
  const wanted = kind === 'body' ? rng.int(1, 3) : rng.chance(0.3) ? 1 : 0;
  const mutations: Record<string, BreakingMutation> = { ...BREAKING_BODY_MUTATIONS, ...route.breaking };
  const drawable = Object.keys(mutations);
  while (applied < wanted && drawable.length > 0) {
    const name = rng.pick(drawable);
    const done = mutations[name](root, rng, schemas[template]);
    if (done) {
      what.push(done);
      applied += 1;
    } else {
      drawable.splice(drawable.indexOf(name), 1);
    }
  }
  if (kind === 'body' && applied === 0) throw new Error(`no mutation could break the body of ${template}`);
  let body = toBytes(root.body);
  if (kind === 'malformed') {
    const bad = malformed(body, rng);
    body = bad.bytes;
    what.push(`malformed: ${bad.what}`);
  }
  // An empty body reads as `{}` (http/body-parsing.ts): valid for a route that requires nothing (a replay), so it is cut `{` instead.
  if (body.length === 0 && schemas[template].required.length === 0) {
    body = Buffer.from('{');
    what.push('an empty body made `{`');
  }
  const headers: Record<string, string> = { ...noise.headers, 'Content-Type': rng.pick(GOOD_CONTENT_TYPES), Authorization: `Bearer ${route.token}` };
  if (kind === 'auth') {
    const authorization = route.anyPrincipal || rng.chance(0.5) ? rng.pick(GARBAGE_TOKENS) : `Bearer ${rng.pick(WRONG_PRINCIPALS)}`;
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
  return { method: 'POST', path: path + commandQuery(rng, route), headers, body, what, records: route.records ?? true };
}

/** The query string of a command: its own (a replay's position), now and then with noise. */
const commandQuery = (rng: Random, route: CommandRoute): string => {
  const own = route.query?.(rng) ?? '';
  if (!rng.chance(0.1)) return own;
  const noise = queryString(rng, '', ['asOf'], false);
  return own && noise ? `${own}&${noise.slice(1)}` : own || noise;
};

/** A command whose body is valid for its route, with noise only: the fuzzer checks it one at a time. */
export function plausibleCommand(rng: Random, targets: FuzzTargets, index: number): FuzzRequest {
  const template = rng.pick(Object.keys(COMMAND_ROUTES));
  const route = COMMAND_ROUTES[template];
  const noise = noiseHeaders(rng, index);
  const { path } = fillPath(template, targets, rng, false);
  const token = route.anyPrincipal ? rng.pick(SUBSCRIBERS) : route.token;
  return {
    method: 'POST', path: path + commandQuery(rng, route),
    headers: { ...noise.headers, 'Content-Type': rng.pick(GOOD_CONTENT_TYPES), Authorization: `Bearer ${token}` },
    body: toBytes(toTree(route.body(rng))), what: [`POST ${template}`, ...noise.what], records: route.records ?? true,
  };
}

/** A DELETE that may not remove anything: a path naming none of the caller's, or a garbage or wrong token. */
export function refusedDelete(rng: Random, targets: FuzzTargets, index: number): FuzzRequest {
  const template = rng.pick(Object.keys(DELETE_ROUTES));
  const noise = noiseHeaders(rng, index);
  const byPath = rng.chance(0.6);
  const { path, broken } = fillPath(template, targets, rng, byPath);
  const authorization = byPath ? `Bearer ${DELETE_ROUTES[template].token}` : rng.chance(0.5) ? rng.pick(GARBAGE_TOKENS) : `Bearer ${rng.pick(WRONG_PRINCIPALS)}`;
  const headers: Record<string, string> = { ...noise.headers, ...(authorization ? { Authorization: headerSafe(authorization) } : {}) };
  const body = rng.chance(0.1) ? Buffer.from('{"force":true}') : undefined;
  if (body) headers['Content-Type'] = 'application/json';
  return { method: 'DELETE', path, headers, body, what: [`DELETE ${template}`, broken ? `path ${broken}` : `Authorization ${JSON.stringify(authorization.slice(0, 40))}`, ...noise.what], records: false };
}

/** A DELETE of a subscription this phase made (one of nothing when none was made yet), by its owner's organisation or not. */
export function plausibleDelete(rng: Random, targets: FuzzTargets, index: number): FuzzRequest {
  const template = rng.pick(Object.keys(DELETE_ROUTES));
  const noise = noiseHeaders(rng, index);
  const id = targets.madeWebhooks.length > 0 ? rng.pick(targets.madeWebhooks) : '00000000-0000-4000-8000-000000000000';
  const token = rng.pick(SUBSCRIBERS);
  return {
    method: 'DELETE', path: template.replace('{id}', id), headers: { ...noise.headers, Authorization: `Bearer ${token}` }, what: [`DELETE ${template} ${id}`, ...noise.what], records: false,
  };
}

/** A query, its path, query string and headers fuzzed or not. */
export function query(rng: Random, targets: FuzzTargets, index: number): FuzzRequest {
  const template = rng.pick(Object.keys(QUERY_ROUTES));
  const route = QUERY_ROUTES[template];
  const { path, broken } = fillPath(template, targets, rng, rng.chance(0.3));
  const qs = queryString(rng, template, route.params, rng.chance(0.4));
  const noise = noiseHeaders(rng, index);
  const headers: Record<string, string> = { ...noise.headers };
  if (route.accepts && rng.chance(0.5)) headers.Accept = rng.pick(route.accepts);
  const auth = rng.next();
  if (auth < 0.75) headers.Authorization = `Bearer ${rng.pick(READERS)}`;
  else if (auth < 0.95) headers.Authorization = headerSafe(rng.pick(GARBAGE_TOKENS));
  if (rng.chance(0.1)) headers['Content-Type'] = rng.pick([...WRONG_CONTENT_TYPES.filter((t): t is string => t !== undefined), ...GOOD_CONTENT_TYPES]);
  const body = rng.chance(0.05) ? Buffer.from(rng.pick(['{"a":1}', '\xff', '{"__proto__":1}', '['.repeat(1000)]), 'latin1') : undefined;
  return {
    method: 'GET', path: path + qs, headers, body, records: false,
    what: [`GET ${template}${qs.slice(0, 120)}`, ...(broken ? [`path ${broken}`] : []), ...(headers.Accept !== undefined ? [`Accept ${headers.Accept}`] : []), ...noise.what],
  };
}

/** Another method on a known path, or a path no route has. */
export function strayRequest(rng: Random, targets: FuzzTargets): FuzzRequest {
  const templates = [...Object.keys(COMMAND_ROUTES), ...Object.keys(QUERY_ROUTES), ...Object.keys(DELETE_ROUTES)];
  const template = rng.pick(templates);
  const { path } = fillPath(template, targets, rng, rng.chance(0.3));
  const method = rng.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'GET', 'POST']);
  const stray = rng.pick([path, `${path}/x`, '/%2e%2e/%2e%2e/etc/passwd', '/.env', '/conventions/..%2f..%2fhealth', '/%ED%A0%80', '/docs/..%2f..%2fpackage.json', '//conventions', '/conventions/%zz/balance', `${path}?a=%`]);
  const body = rng.chance(0.5) ? Buffer.from('{"a":1}') : undefined;
  // A DELETE of the fixture's own subscription by its organisation would be a valid request, not a stray one.
  const owner = method === 'DELETE' && template in DELETE_ROUTES;
  const token = owner ? TEST_TOKENS.otherFunder : rng.pick([TEST_TOKENS.funder, TEST_TOKENS.auditor]);
  return {
    method, path: stray, body, records: false,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    what: [`${method} ${stray}`],
  };
}
