import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { signatureOf, subscriptionSecret, verifyWebhook, type WebhookHeaders } from './webhook-signature';

type Verify = (secret: string, headers: WebhookHeaders, rawBody: string, now?: number) => boolean;

/** The verification function exactly as docs/integrations.md shows it to integrators, compiled and loaded. */
function documentedVerify(): Verify {
  const doc = fs.readFileSync(path.resolve(__dirname, '../../../../../docs/integrations.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Verify a signature'));
  const source = /```ts\n([\s\S]*?)```/.exec(section)![1];
  const { outputText } = ts.transpileModule(`${source}\nmodule.exports = verifyWebhook;`, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const module = { exports: {} as unknown as Verify };
  new Function('require', 'module', 'exports', outputText)(require, module, module.exports);
  return module.exports;
}

describe('webhook signatures (Standard Webhooks)', () => {
  const secret = subscriptionSecret('a-master-key-of-at-least-32-characters!!', '5b0c8c1e-3f7a-4d38-9d0e-0c8f1a2b3c4d');
  const now = Date.parse('2026-12-01T12:00:00Z');
  const timestamp = now / 1000;
  const body = '{"specversion":"1.0","id":"e1"}';
  const headers = { 'webhook-id': 'e1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signatureOf(secret, 'e1', timestamp, body) };

  it('derives a whsec_ secret per subscription from the master key, the same every time', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(subscriptionSecret('a-master-key-of-at-least-32-characters!!', '5b0c8c1e-3f7a-4d38-9d0e-0c8f1a2b3c4d')).toBe(secret);
    expect(subscriptionSecret('a-master-key-of-at-least-32-characters!!', 'another-subscription')).not.toBe(secret);
    expect(subscriptionSecret('another-master-key-of-32-characters-or-more', '5b0c8c1e-3f7a-4d38-9d0e-0c8f1a2b3c4d')).not.toBe(secret);
  });

  it('matches the Standard Webhooks reference vector', () => {
    // The specification's example: secret, id, timestamp and payload, and the signature it gives.
    const reference = signatureOf('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(reference).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies an untouched delivery, also among several signatures', () => {
    expect(verifyWebhook(secret, headers, body, now)).toBe(true);
    expect(verifyWebhook(secret, { ...headers, 'webhook-signature': `v1,bm90IGl0 ${headers['webhook-signature']}` }, body, now)).toBe(true);
  });

  it.each([['this module', verifyWebhook as Verify], ['docs/integrations.md', documentedVerify()]])('%s: refuses a tampered body, another id, another secret, an old or future timestamp, missing headers', (_, verifyWebhook) => {
    expect(verifyWebhook(secret, headers, body, now)).toBe(true);
    expect(verifyWebhook(secret, headers, body.replace('e1', 'e2'), now)).toBe(false);
    expect(verifyWebhook(secret, { ...headers, 'webhook-id': 'e2' }, body, now)).toBe(false);
    expect(verifyWebhook(subscriptionSecret('a-master-key-of-at-least-32-characters!!', 'other'), headers, body, now)).toBe(false);
    expect(verifyWebhook(secret, headers, body, now + 301_000)).toBe(false);
    expect(verifyWebhook(secret, headers, body, now - 301_000)).toBe(false);
    expect(verifyWebhook(secret, { ...headers, 'webhook-signature': undefined }, body, now)).toBe(false);
  });
});
