import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may be sent (docs/integrations.md, "Safety"): http(s) only, and never to an
 * address of the ledger's own network (loopback, private, link-local, carrier-grade NAT,
 * multicast, reserved, IPv4-mapped or NAT64 forms of those) unless WEBHOOK_ALLOWED_HOSTS names
 * the host. Checked when subscribing and again at every delivery, on the addresses the request
 * then connects to (webhook-sender.ts pins them), so a DNS answer that changes in between
 * (rebinding) cannot reach an internal address.
 */
const REFUSED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) REFUSED.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64],
] as const) REFUSED.addSubnet(network, prefix, 'ipv6');

/** The IPv4 address embedded in an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible or NAT64 (64:ff9b::/96) IPv6 address. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const match = /^(?:::ffff:|::|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(lower);
  if (!match) return undefined;
  if (match[1]) return match[1];
  const high = parseInt(match[2], 16);
  const low = parseInt(match[3], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** False for any address of the ledger's own network (above). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !REFUSED.check(address, 'ipv4');
  if (family !== 6) return false;
  const embedded = embeddedIpv4(address);
  if (embedded !== undefined) return isIP(embedded) === 4 && !REFUSED.check(embedded, 'ipv4');
  return !REFUSED.check(address, 'ipv6');
}

export type DestinationRefusal = 'WEBHOOK_URL_INVALID' | 'WEBHOOK_URL_REFUSED';

export class DestinationRefusedError extends Error {
  constructor(readonly code: DestinationRefusal, message: string) {
    super(message);
    this.name = 'DestinationRefusedError';
  }
}

/** The URL, parsed, if its form may be a webhook's: http(s), no credentials, at most 2,000 characters. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DestinationRefusedError('WEBHOOK_URL_INVALID', 'url must be an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DestinationRefusedError('WEBHOOK_URL_INVALID', 'url must use http:// or https://');
  if (url.username || url.password) throw new DestinationRefusedError('WEBHOOK_URL_INVALID', 'url must not carry credentials');
  if (raw.length > 2_000) throw new DestinationRefusedError('WEBHOOK_URL_INVALID', 'url must be at most 2000 characters');
  return url;
}

/** Whether WEBHOOK_ALLOWED_HOSTS names the URL's host, alone or with its port. */
export function isAllowListed(url: URL, allowedHosts: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowedHosts.includes(host) || allowedHosts.includes(`${host}:${port}`);
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * The addresses the URL's host resolves to, every one checked; refused (WEBHOOK_URL_REFUSED) when
 * one is not public and the host is not allow-listed, or when the host does not resolve.
 */
export async function resolveDestination(url: URL, allowedHosts: readonly string[]): Promise<ResolvedAddress[]> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) as 4 | 6 }];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family as 4 | 6 }));
    } catch (error) {
      throw new DestinationRefusedError('WEBHOOK_URL_REFUSED', `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (addresses.length === 0) throw new DestinationRefusedError('WEBHOOK_URL_REFUSED', `${host} does not resolve`);
  if (!isAllowListed(url, allowedHosts)) {
    const internal = addresses.find(({ address }) => !isPublicAddress(address));
    if (internal) {
      throw new DestinationRefusedError('WEBHOOK_URL_REFUSED', `${host} resolves to ${internal.address}, a loopback, private or link-local address (WEBHOOK_ALLOWED_HOSTS may name it)`);
    }
  }
  return addresses;
}
