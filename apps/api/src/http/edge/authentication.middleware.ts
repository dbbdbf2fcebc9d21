import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AuthenticationRequiredError } from '../../auth/auth.errors';
import type { Authenticator } from '../../auth/authenticator';
import type { PublicRoutes } from '../../auth/public-routes';
import type { Actor } from '../../auth/roles';
import { sendApiError } from '../api-exception.filter';

/** What the edge learns about a request before Nest sees it. */
export type EdgeRequest = Request & { actor?: Actor; publicRoute?: boolean };

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * First half of authentication, before any body is read: a public route is marked and its
 * Authorization header ignored; otherwise a valid bearer token sets `request.actor`. Nothing is
 * answered here (but a 503 when the identity provider's keys cannot be had), so that the rate
 * limit counts refused tokens per IP before `requireAuthentication` answers 401.
 */
export function authenticationMiddleware(authenticator: Authenticator, publicRoutes: PublicRoutes): RequestHandler {
  return (req: EdgeRequest, res: Response, next: NextFunction) => {
    if (publicRoutes.matches(req.method, req.path)) {
      req.publicRoute = true;
      return next();
    }
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) return next();
    authenticator.authenticate(match[1]).then(
      (actor) => {
        if (actor) req.actor = actor;
        next();
      },
      (error: unknown) => sendApiError(res, error),
    );
  };
}

/** 401 for any request to a route that is not public without a valid token: its body is never parsed. */
export function requireAuthentication(req: EdgeRequest, res: Response, next: NextFunction): void {
  if (req.publicRoute || req.actor) return next();
  sendApiError(res, new AuthenticationRequiredError());
}
