import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhook } from './webhook-sender';

/** The sender against a real local HTTP server: what counts as delivered, and what is never reached. */
describe('sending one webhook', () => {
  const requests: string[] = [];
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      requests.push(request.url!);
      if (request.url === '/redirect') response.writeHead(302, { location: `http://127.0.0.1:${port}/target` }).end();
      else if (request.url === '/slow') setTimeout(() => response.writeHead(200).end(), 1_000);
      else response.writeHead(request.url === '/fail' ? 503 : 204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (path: string, allowedHosts = ['127.0.0.1'], host = '127.0.0.1') =>
    sendWebhook(new URL(`http://${host}:${port}${path}`), { 'webhook-id': 'e1' }, '{}', { timeoutMs: 300, allowedHosts });

  beforeEach(() => requests.splice(0));

  it('counts a 2xx answer as delivered, and any other one as failed', async () => {
    expect(await send('/ok')).toEqual({ ok: true, statusCode: 204 });
    expect(await send('/fail')).toEqual({ ok: false, statusCode: 503, error: 'answered 503' });
  });

  it('never follows a redirect', async () => {
    expect(await send('/redirect')).toMatchObject({ ok: false, statusCode: 302 });
    expect(requests).toEqual(['/redirect']);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    expect(await send('/slow')).toEqual({ ok: false, error: 'no answer within 300 ms' });
  });

  it('checks the destination again at delivery time: a host now resolving to loopback is not contacted', async () => {
    expect(await send('/ok', [], 'localhost')).toMatchObject({ ok: false, error: expect.stringMatching(/loopback, private or link-local/) });
    expect(await send('/ok', [], '127.0.0.1')).toMatchObject({ ok: false });
    expect(requests).toEqual([]);
    expect(await send('/ok', [`localhost:${port}`], 'localhost')).toMatchObject({ ok: true });
  });
});
