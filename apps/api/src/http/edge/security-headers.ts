import helmet from 'helmet';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { OPENAPI_PATH } from '../../auth/public-routes';

const isOpenApiPage = (path: string) => {
  const p = path.toLowerCase();
  return p === OPENAPI_PATH || p.startsWith(`${OPENAPI_PATH}/`);
};

/**
 * helmet's headers on every response (nosniff, frame denial, HSTS, no referrer...), with two
 * Content-Security-Policies: the API answers JSON or CSV and needs none of a page's resources
 * (`default-src 'none'`); the Swagger page at /docs loads its own scripts and styles (and inline
 * styles, data: images). No upgrade-insecure-requests: /docs must work over plain http locally.
 * Every response but the OpenAPI page and its assets carries `Cache-Control: no-store`: bank
 * details, figures and histories must not sit in a browser's or a proxy's cache, and nothing else
 * the API answers (health, stats, errors) is worth caching either.
 */
export function securityHeaders(): RequestHandler[] {
  const common = helmet({ contentSecurityPolicy: false, frameguard: { action: 'deny' } });
  const apiPolicy = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  });
  const docsPolicy = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"], objectSrc: ["'none'"], baseUri: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"],
    },
  });
  const perPath = (req: Request, res: Response, next: NextFunction) => {
    if (isOpenApiPage(req.path)) return docsPolicy(req, res, next);
    res.setHeader('Cache-Control', 'no-store');
    return apiPolicy(req, res, next);
  };
  return [common, perPath];
}
