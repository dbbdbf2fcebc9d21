import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signatures (docs/integrations.md): `webhook-signature: v1,<base64 HMAC-SHA256
 * of "<webhook-id>.<webhook-timestamp>.<body>">`, keyed by the subscription's secret
 * `whsec_<base64>`.
 *
 * No secret is stored anywhere: each subscription's secret is derived (HKDF-SHA256) from the
 * server's master key (WEBHOOK_SECRET_KEY) and the subscription id, so it can be computed again
 * to sign, and a copy of the database or of the event log reveals nothing.
 */
const SECRET_PREFIX = 'whsec_';
const HKDF_SALT = 'convention-ledger/webhooks/v1';
const SECRET_BYTES = 32;

/** Standard Webhooks' recommended tolerance on webhook-timestamp, either way. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export function subscriptionSecret(masterKey: string, subscriptionId: string): string {
  const key = Buffer.from(hkdfSync('sha256', masterKey, HKDF_SALT, subscriptionId, SECRET_BYTES));
  return `${SECRET_PREFIX}${key.toString('base64')}`;
}

const keyOf = (secret: string): Buffer => Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');

/** The webhook-signature header value for one delivery attempt. */
export function signatureOf(secret: string, webhookId: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(`${webhookId}.${timestamp}.${body}`).digest('base64')}`;
}

/** Request headers by lower-case name, as Node's `request.headers` holds them. */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

const single = (value: string | string[] | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * What a receiver runs (docs/integrations.md shows it): true when one `v1,` signature of the
 * header matches the raw body and the timestamp is within the tolerance of `now`.
 */
export function verifyWebhook(secret: string, headers: WebhookHeaders, rawBody: string, now = Date.now(), toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): boolean {
  const id = single(headers['webhook-id']);
  const timestamp = single(headers['webhook-timestamp']);
  const signatures = single(headers['webhook-signature']);
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, id, Number(timestamp), rawBody));
  return signatures.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
