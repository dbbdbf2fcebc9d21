import type { Random } from '../../model-based/random';
import { keyBytes, keyName, leaf, toTree } from './json-text';
import type { BreakingMutation, Root } from './mutations';

/**
 * The one destination the fuzzer's app allow-lists (WEBHOOK_ALLOWED_HOSTS names host and port):
 * a loopback port where nothing listens, so that deliveries fail at once and retry rarely.
 */
export const WEBHOOK_ALLOWED_HOST = '127.0.0.1:9';
export const WEBHOOK_URL = `http://${WEBHOOK_ALLOWED_HOST}/ledger-events`;

/** URLs whose form no subscription may have: another scheme, credentials, not absolute, beyond 2,000 characters. */
const INVALID_URLS = [
  'ftp://8.8.8.8/x', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,x', 'gopher://8.8.8.8:70/', 'ws://8.8.8.8/', 'not a url', '', '//8.8.8.8/x',
  '/ledger-events', 'http://', 'http://user:pass@8.8.8.8/', 'http://:pw@8.8.8.8/', `http://user@${WEBHOOK_ALLOWED_HOST}/`, 'http://8.8.8.8:99999/', 'http://[::1',
  'http://%zz/', `https://8.8.8.8/${'x'.repeat(2_001)}`,
];
/**
 * Addresses of the ledger's own network, in every spelling, none of them the allow-listed host
 * and port: refused at subscription (docs/integrations.md, "Safety"). No name that needs DNS
 * but `localhost` (from the hosts file), so that the fuzzer never waits for a resolver.
 */
const INTERNAL_URLS = [
  'http://127.0.0.1/', 'http://127.0.0.1:8080/', 'http://localhost:9/', 'http://LOCALHOST/', 'http://10.0.0.1/', 'http://192.168.1.1:9/',
  'http://172.16.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://100.64.0.1/', 'http://224.0.0.1/', 'http://255.255.255.255/', 'http://198.18.0.1/',
  'http://0/', 'http://0.0.0.0:9/', 'http://127.1/', 'http://0x7f000001/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://[::1]:9/', 'http://[::]/',
  'http://[::ffff:127.0.0.1]:9/', 'http://[::ffff:7f00:1]/', 'http://[64:ff9b::7f00:1]/', 'http://[::127.0.0.1]/', 'http://[fe80::1]/', 'http://[fc00::1]/',
  'http://[2001:db8::1]/', 'http://[ff02::1]/',
];
const TOO_MANY_TYPES = 200;
/** eventTypes lists no subscription may have: unknown names (prototype names too), an empty list, too long a list or name. */
const BAD_EVENT_TYPES: unknown[][] = [
  ['Nope'], ['tranchefelldue'], ['TrancheFellDue '], ['TrancheFellDue', 'Nope'], ['constructor'], ['__proto__'], ['toString'], ['hasOwnProperty'],
  [''], ['x'.repeat(65)], [], Array(TOO_MANY_TYPES).fill('TrancheFellDue'), ['TrancheFellDue\u0000'], ['ConventionRegistered.v1'], ['*'],
];

const topLevel = (root: Root, name: string) => (root.body.kind === 'object' ? root.body.entries.find(([key]) => keyName(key) === name) : undefined);

const replaceUrl = (label: string, urls: readonly string[]): BreakingMutation => (root, rng) => {
  const entry = topLevel(root, 'url');
  if (!entry) return undefined;
  const url = rng.pick(urls);
  entry[1] = leaf(url);
  return `${label} url ${JSON.stringify(url.slice(0, 60))}`;
};

const badEventTypes: BreakingMutation = (root, rng) => {
  if (root.body.kind !== 'object') return undefined;
  const types = rng.pick(BAD_EVENT_TYPES);
  const entry = topLevel(root, 'eventTypes');
  if (entry) entry[1] = toTree(types);
  else root.body.entries.push([keyBytes('eventTypes'), toTree(types)]);
  return `eventTypes ${JSON.stringify(types).slice(0, 60)}`;
};

/** What breaks a POST /webhooks body for sure, beside the mutations every body gets. */
export const WEBHOOK_BODY_MUTATIONS: Record<string, BreakingMutation> = {
  invalidUrl: replaceUrl('invalid', INVALID_URLS),
  internalUrl: replaceUrl('internal', INTERNAL_URLS),
  badEventTypes,
};

/** A valid subscription body: the allow-listed destination, every type or a few. */
export function webhookBody(rng: Random): Record<string, unknown> {
  const types = ['ConventionRegistered', 'TrancheFellDue', 'StatementSigned', 'ExpenseCommitted'];
  return { url: `${WEBHOOK_URL}/${rng.int(0, 1e6)}`, ...(rng.chance(0.5) ? { eventTypes: types.slice(0, rng.int(1, types.length)) } : {}) };
}
