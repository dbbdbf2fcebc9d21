import { createHash } from 'node:crypto';
import type { Request } from 'express';

/** JSON with object keys sorted, so that key order does not make two equal bodies differ. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body)}`).digest('hex');
}

const FINGERPRINT = Symbol('requestFingerprint');

/**
 * The request's fingerprint, computed once (by the idempotency interceptor, before any pipe) and
 * kept on the request, so that the one recorded in the facts is the one the answer store keys on.
 */
export function fingerprintOf(request: Request): string {
  const held = request as Request & { [FINGERPRINT]?: string };
  held[FINGERPRINT] ??= requestFingerprint(request.method, request.path, request.body);
  return held[FINGERPRINT];
}
