import type { Request, Response } from 'express';
import { securityHeaders } from './security-headers';

/** The header changes securityHeaders() makes for a request to `path`, in order, and whether it called next(). */
function changesFor(path: string): { changes: Array<[string, string | null]>; nextCalled: boolean } {
  const changes: Array<[string, string | null]> = [];
  const response = {
    setHeader: (name: string, value: string) => void changes.push([name, value]),
    removeHeader: (name: string) => void changes.push([name, null]),
  };
  let nextCalled = false;
  securityHeaders()({ path } as Request, response as unknown as Response, () => { nextCalled = true; });
  return { changes, nextCalled };
}

/** helmet's headers with the options of security-headers.ts, as helmet 8 sets them. */
const HELMET_COMMON: Array<[string, string | null]> = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'DENY'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-Powered-By', null],
  ['X-XSS-Protection', '0'],
];

describe('securityHeaders (helmet recorded once, replayed on every response)', () => {
  it('gives an API response helmet headers, no-store and a CSP that allows nothing', () => {
    expect(changesFor('/conventions/abc/balance')).toEqual({
      changes: [...HELMET_COMMON, ['Cache-Control', 'no-store'], ['Content-Security-Policy', "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'"]],
      nextCalled: true,
    });
  });

  it("gives the OpenAPI page (any case) and its assets helmet headers and the page's CSP, and no no-store", () => {
    const docsPolicy = "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data:;font-src 'self' data:;connect-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'";
    for (const path of ['/docs', '/DOCS', '/docs/swagger-ui.css']) {
      expect(changesFor(path)).toEqual({ changes: [...HELMET_COMMON, ['Content-Security-Policy', docsPolicy]], nextCalled: true });
    }
    expect(changesFor('/docsx').changes).toContainEqual(['Cache-Control', 'no-store']);
  });
});
