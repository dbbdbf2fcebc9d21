import { isIPv6 } from 'node:net';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { NextFunction, RequestHandler, Response } from 'express';
import { ApiError } from '../api-error';
import { sendApiError } from '../api-exception.filter';
import type { EdgeRequest } from './authentication.middleware';

const WINDOW_MS = 60_000;

/** Paths never limited: liveness probes must not be refused because a proxy shares their IP. */
const UNLIMITED_PATHS = new Set(['/health']);

/**
 * The client a request counts against: its principal when authenticated (whatever its IP), else
 * its IP address, IPv6 addresses by their /64 (one host usually holds a whole /64).
 */
export function rateLimitKey(req: EdgeRequest): string {
  if (req.actor) return `principal:${JSON.stringify([req.actor.organisation, req.actor.subject])}`;
  const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  return `ip:${isIPv6(ip) && !ip.startsWith('::ffff:') ? ipv6Prefix64(ip) : ip}`;
}

function ipv6Prefix64(ip: string): string {
  const [head, tail = ''] = ip.split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => parseInt(g || '0', 16).toString(16)).join(':')}::/64`;
}

/**
 * At most `perMinute` requests in any 60 s per client (sliding window, @nestjs/throttler's
 * storage: swap in a shared ThrottlerStorage to count across API instances). Runs after the
 * authentication middleware, so a principal counts as itself, and before the 401, so refused
 * tokens count against their IP. Over the limit: 429 RATE_LIMITED with Retry-After.
 */
export function rateLimitMiddleware(storage: ThrottlerStorage, perMinute: number): RequestHandler {
  return (req: EdgeRequest, res: Response, next: NextFunction) => {
    if (UNLIMITED_PATHS.has(req.path.toLowerCase().replace(/(.)\/$/, '$1'))) return next();
    storage.increment(rateLimitKey(req), WINDOW_MS, perMinute, 0, 'per-minute').then(
      (record) => {
        if (!record.isBlocked) return next();
        const retryAfter = Math.max(1, record.timeToBlockExpire);
        sendApiError(res, new ApiError(429, 'RATE_LIMITED', `too many requests: at most ${perMinute} a minute; retry in ${retryAfter} s`, { limit: perMinute, retryAfter }, { 'Retry-After': String(retryAfter) }));
      },
      (error: unknown) => next(error),
    );
  };
}
