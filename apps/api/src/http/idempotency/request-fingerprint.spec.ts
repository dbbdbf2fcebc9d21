import { requestFingerprint } from './request-fingerprint';

describe('request fingerprint (Idempotency-Key)', () => {
  it('does not depend on the order of object keys, at any depth', () => {
    expect(requestFingerprint('POST', '/x', { b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } }))
      .toBe(requestFingerprint('POST', '/x', { a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }));
    expect(requestFingerprint('POST', '/x', { a: 1, b: 2 })).toBe(requestFingerprint('POST', '/x', { b: 2, a: 1 }));
    // Arrays keep their order.
    expect(requestFingerprint('POST', '/x', { a: [1, 2] })).not.toBe(requestFingerprint('POST', '/x', { a: [2, 1] }));
  });

  it('differs with the body, the path or the method', () => {
    const base = requestFingerprint('POST', '/conventions/1/payments', { amount: '1.00' });
    expect(requestFingerprint('POST', '/conventions/1/payments', { amount: '1.0' })).not.toBe(base);
    expect(requestFingerprint('POST', '/conventions/2/payments', { amount: '1.00' })).not.toBe(base);
    expect(requestFingerprint('PUT', '/conventions/1/payments', { amount: '1.00' })).not.toBe(base);
  });
});
