import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { DestinationRefusedError, resolveDestination, type ResolvedAddress } from './webhook-destination';

export interface DeliveryOutcome {
  ok: boolean;
  /** The receiver's status code, when it answered. */
  statusCode?: number;
  /** Why it failed, without the request's content (never the secret nor the body). */
  error?: string;
}

export interface SendOptions {
  timeoutMs: number;
  allowedHosts: readonly string[];
}

/** Connects to the address already checked, never to a second DNS answer (rebinding). */
const pinnedLookup = (pinned: ResolvedAddress): LookupFunction => (_hostname, options, callback) => {
  if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [pinned]);
  else callback(null, pinned.address, pinned.family);
};

/**
 * One POST of a delivery: a 2xx answer within `timeoutMs` is a success, anything else (another
 * status, a redirect, which is never followed, a refused destination, a network error or the
 * time-out) a failure to retry.
 */
export async function sendWebhook(url: URL, headers: Record<string, string>, body: string, options: SendOptions): Promise<DeliveryOutcome> {
  let pinned: ResolvedAddress;
  try {
    [pinned] = await resolveDestination(url, options.allowedHosts);
  } catch (error) {
    if (error instanceof DestinationRefusedError) return { ok: false, error: error.message };
    throw error;
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<DeliveryOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: DeliveryOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(outcome);
    };
    const request = client.request(url, {
      method: 'POST',
      agent: false,
      lookup: pinnedLookup(pinned),
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'convention-ledger-webhooks/1' },
    }, (response) => {
      const statusCode = response.statusCode ?? 0;
      // The answer's body is read (so the receiver is not cut off mid-answer) and dropped.
      response.on('data', () => undefined);
      response.on('end', () => finish(statusCode >= 200 && statusCode < 300 ? { ok: true, statusCode } : { ok: false, statusCode, error: `answered ${statusCode}` }));
      response.on('error', (error) => finish({ ok: false, statusCode, error: error.message }));
    });
    const timer = setTimeout(() => finish({ ok: false, error: `no answer within ${options.timeoutMs} ms` }), options.timeoutMs);
    request.on('error', (error) => finish({ ok: false, error: (error as NodeJS.ErrnoException).code ?? error.message }));
    request.end(body);
  });
}
