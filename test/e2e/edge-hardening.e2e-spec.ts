import { createHash } from 'node:crypto';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { ModulesContainer } from '@nestjs/core';
import { PublicRoutes } from '../../apps/api/src/auth/public-routes';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { bearer, startTestApp, TEST_TOKEN_TABLE, TEST_TOKENS, type TestApp } from '../support/test-app';

const funder = bearer(TEST_TOKENS.funder);

/** Sends raw bytes on one connection: what came back, and when the server closed it (null: still open after `waitMs`). */
function rawExchange(port: number, send: string, opts: { waitMs: number }): Promise<{ response: string; closedAfterMs: number | null }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let response = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(send));
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ response, closedAfterMs: null });
    }, opts.waitMs);
    socket.on('data', (chunk) => (response += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ response, closedAfterMs: Date.now() - started });
    });
  });
}

describe('HTTP edge hardening', () => {
  describe('with the defaults', () => {
    let t: TestApp;
    let id: string;

    beforeAll(async () => {
      t = await startTestApp();
      const created = await t.http.post('/conventions').set(funder).send(SEED_CONVENTION_BODY).expect(201);
      id = created.body.id;
      await t.http.get(`/conventions/${id}?minPosition=${created.body.position}`).set(funder).expect(200);
    });
    afterAll(async () => t.close());

    it('sends the security headers and no-store on a read of a convention (bank details)', async () => {
      for (const path of [`/conventions/${id}`, `/conventions/${id}/balance`, `/conventions/${id}/events`, '/conventions']) {
        const res = await t.http.get(path).set(funder).expect(200);
        expect(res.headers['x-powered-by']).toBeUndefined();
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      }
    });

    it('sends them on errors, /stats (JSON and page), /open-data and /health too', async () => {
      for (const res of [
        await t.http.get('/conventions').expect(401), await t.http.get('/stats').expect(200), await t.http.get('/stats').set('Accept', 'text/html').expect(200),
        await t.http.get('/open-data/conventions').expect(200), await t.http.get('/health').expect(200),
      ]) {
        expect(res.headers['x-powered-by']).toBeUndefined();
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['cache-control']).toBe('no-store');
      }
    });

    it('keeps the Swagger page at /docs working: its scripts and styles are allowed, the document is public', async () => {
      const page = await t.http.get('/docs').expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const csp = page.headers['content-security-policy'];
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).toMatch(/style-src 'self' 'unsafe-inline'/);
      expect(csp).not.toMatch(/upgrade-insecure-requests/);
      expect(page.text).toContain('swagger-ui-init.js');
      // Every script and stylesheet the page names is served, from 'self'.
      const assets = [...page.text.matchAll(/(?:src|href)="\.?\/?(?:docs\/)?([\w.-]+\.(?:js|css))"/g)].map((m) => m[1]);
      expect(assets).toEqual(expect.arrayContaining(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-init.js']));
      for (const asset of assets) await t.http.get(`/docs/${asset}`).expect(200);
      const document = await t.http.get('/docs-json').expect(200);
      expect(document.body.openapi).toMatch(/^3\./);
    });

    it('takes the public routes from @PublicRoute(): GET /health, /stats, /stats.json and /open-data/conventions(.csv), nothing else', () => {
      expect(PublicRoutes.discover(t.app.get(ModulesContainer)).list()).toEqual([
        'GET /health', 'GET /open-data/conventions', 'GET /open-data/conventions.csv', 'GET /stats', 'GET /stats.json',
        'HEAD /health', 'HEAD /open-data/conventions', 'HEAD /open-data/conventions.csv', 'HEAD /stats', 'HEAD /stats.json',
      ]);
    });

    it('answers 401 to an unauthenticated POST before parsing its body: huge, malformed or not JSON', async () => {
      const huge = JSON.stringify({ ...SEED_CONVENTION_BODY, title: 'x'.repeat(200_000) }); // BODY_LIMIT is 64kb in the tests
      for (const auth of [{}, bearer('not-a-token')]) {
        for (const [type, body] of [['application/json', huge], ['application/json', '{"reference": '], ['text/plain', 'hello']]) {
          const res = await t.http.post('/conventions').set(auth).set('Content-Type', type).send(body);
          expect(res.status).toBe(401);
          expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
          expect(res.headers['www-authenticate']).toBe('Bearer');
        }
      }
      // Authenticated, the same bodies reach the parser.
      await t.http.post('/conventions').set(funder).set('Content-Type', 'application/json').send(huge).expect(413);
      await t.http.post('/conventions').set(funder).set('Content-Type', 'application/json').send('{"reference": ').expect(400);
    });

    it('applies the documented server time-outs', () => {
      const server = t.app.getHttpServer();
      expect({ headers: server.headersTimeout, request: server.requestTimeout, keepAlive: server.keepAliveTimeout }).toEqual({ headers: 10_000, request: 30_000, keepAlive: 5_000 });
    });
  });

  describe('rate limit (RATE_LIMIT_PER_MINUTE=3)', () => {
    let t: TestApp;

    beforeEach(async () => {
      t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
    });
    afterEach(async () => t.close());

    it('answers 429 RATE_LIMITED with Retry-After past the limit, per principal', async () => {
      for (let i = 0; i < 3; i++) await t.http.get('/conventions').set(funder).expect(200);
      const limited = await t.http.get('/conventions').set(funder).expect(429);
      expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', limit: 3 });
      const retryAfter = Number(limited.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      expect(limited.body.retryAfter).toBe(retryAfter);
      expect(limited.headers['cache-control']).toBe('no-store');
      // A command is limited too, before its body is read; another principal is not.
      const post = await t.http.post('/conventions').set(funder).set('Content-Type', 'application/json').send('{"not json').expect(429);
      expect(post.body.code).toBe('RATE_LIMITED');
      await t.http.get('/conventions').set(bearer(TEST_TOKENS.beneficiary)).expect(200);
    });

    it('limits unauthenticated calls per IP, refused tokens included, and never /health', async () => {
      await t.http.get('/stats').expect(200);
      await t.http.get('/conventions').expect(401);
      await t.http.get('/conventions').set(bearer('guessing-a-token')).expect(401);
      expect((await t.http.get('/conventions').set(bearer('guessing-again')).expect(429)).body.code).toBe('RATE_LIMITED');
      await t.http.get('/stats').expect(429);
      for (let i = 0; i < 5; i++) await t.http.get('/health').expect(200);
      // The IP's budget is not the principals'.
      await t.http.get('/conventions').set(funder).expect(200);
    });
  });

  it('accepts tokens given as SHA-256 digests in the table', async () => {
    const secret = 'Zk2pQ7vX9rT4mW8yB3nC6dF1gH5jK0aS';
    const sha = createHash('sha256').update(secret).digest('hex');
    const table = [...TEST_TOKEN_TABLE, { tokenSha256: sha, subject: 'anct-digest', roles: ['funder'], organisation: '130026032' }];
    const t = await startTestApp({ AUTH_TOKENS: JSON.stringify(table) });
    try {
      const created = await t.http.post('/conventions').set(bearer(secret)).send({ ...SEED_CONVENTION_BODY, reference: 'DIGEST-1' }).expect(201);
      const events = await t.http.get(`/conventions/${created.body.id}/events?minPosition=${created.body.position}`).set(bearer(TEST_TOKENS.auditor)).expect(200);
      expect(events.body.events[0].actor.subject).toBe('anct-digest');
      await t.http.get('/conventions').set(bearer(sha)).expect(401); // the digest itself is no token
    } finally {
      await t.close();
    }
  });

  describe('server time-outs (headers 1 s, request 2 s, keep-alive 0.5 s)', () => {
    let t: TestApp;
    let port: number;

    beforeAll(async () => {
      t = await startTestApp({ HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '500' });
      await t.app.listen(0, '127.0.0.1');
      port = (t.app.getHttpServer().address() as AddressInfo).port;
    });
    afterAll(async () => t.close());

    it('closes a connection whose headers do not arrive in time (408)', async () => {
      const { response, closedAfterMs } = await rawExchange(port, 'GET /health HTTP/1.1\r\nHost: x\r\n', { waitMs: 4_000 });
      expect(response).toMatch(/^HTTP\/1\.1 408/);
      expect(closedAfterMs).not.toBeNull();
      expect(closedAfterMs!).toBeLessThan(3_000);
    });

    it('closes a connection whose body does not arrive in time', async () => {
      const head = `POST /conventions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_TOKENS.funder}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"ref`;
      const { closedAfterMs } = await rawExchange(port, head, { waitMs: 5_000 });
      expect(closedAfterMs).not.toBeNull();
      expect(closedAfterMs!).toBeLessThan(4_500);
    });

    it('closes an idle keep-alive connection', async () => {
      const { response, closedAfterMs } = await rawExchange(port, 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n', { waitMs: 4_500 });
      expect(response).toMatch(/^HTTP\/1\.1 200/);
      expect(closedAfterMs).not.toBeNull();
      // Node adds a second of grace to keepAliveTimeout; the default (5 s) would keep it open.
      expect(closedAfterMs!).toBeLessThan(3_000);
    });
  });
});
