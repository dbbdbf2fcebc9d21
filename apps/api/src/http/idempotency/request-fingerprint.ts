import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { canonicalJson } from '@cl/event-store';

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
