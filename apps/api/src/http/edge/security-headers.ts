import helmet from 'helmet';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { OPENAPI_PATH } from '../../auth/public-routes';

const isOpenApiPage = (path: string) => {
  const p = path.toLowerCase();
  return p === OPENAPI_PATH || p.startsWith(`${OPENAPI_PATH}/`);
};

/** What a middleware does to a response's headers, in order: set a name to a value, or remove it (value null). */
type HeaderChanges = ReadonlyArray<readonly [name: string, value: string | null]>;

/**
 * The header changes a helmet middleware makes, recorded once by running it on a stand-in
 * response. With the options below, none depends on the request (no nonce, no directive computed
 * per request), so replaying the record gives every response exactly helmet's headers, at the cost
 * of a loop over a dozen headers instead of a chain of a dozen middlewares (docs/performance.md,
 * "The eleventh stop").
 */
function headerChangesOf(middleware: RequestHandler): HeaderChanges {
  const changes: Array<readonly [string, string | null]> = [];
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => void changes.push([name, String(value)]),
    removeHeader: (name: string) => void changes.push([name, null]),
  };
  let called = false;
  middleware({} as Request, response as unknown as Response, () => { called = true; });
  if (!called) throw new Error('security headers: a helmet middleware did not answer synchronously');
  return changes;
}

/**
 * helmet's headers on every response (nosniff, frame denial, HSTS, no referrer...), with two
 * Content-Security-Policies: the API answers JSON or CSV and needs none of a page's resources
 * (`default-src 'none'`); the Swagger page at /docs loads its own scripts and styles (and inline
 * styles, data: images). No upgrade-insecure-requests: /docs must work over plain http locally.
 * Every response but the OpenAPI page and its assets carries `Cache-Control: no-store`: bank
 * details, figures and histories must not sit in a browser's or a proxy's cache, and nothing else
 * the API answers (health, stats, errors) is worth caching either.
 */
export function securityHeaders(): RequestHandler {
  const common = headerChangesOf(helmet({ contentSecurityPolicy: false, frameguard: { action: 'deny' } }));
  const apiPolicy = headerChangesOf(helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  }));
  const docsPolicy = headerChangesOf(helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"], objectSrc: ["'none'"], baseUri: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"],
    },
  }));
  const forApi: HeaderChanges = [...common, ['Cache-Control', 'no-store'], ...apiPolicy];
  const forDocs: HeaderChanges = [...common, ...docsPolicy];
  return (req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of isOpenApiPage(req.path) ? forDocs : forApi) {
      if (value === null) res.removeHeader(name);
      else res.setHeader(name, value);
    }
    next();
  };
}
