import { inheritedKeys, nullFields } from './validation';

describe('null in request bodies', () => {
  it('names every null by its dotted path, nested objects and lists included', () => {
    expect(nullFields({ a: 1, b: null, c: { d: null, e: [1, null, { f: null }] } })).toEqual(['b', 'c.d', 'c.e.1', 'c.e.2.f']);
  });

  it('finds nothing in a body without null', () => {
    expect(nullFields({ a: '', b: 0, c: false, d: [], e: {} })).toEqual([]);
    expect(nullFields(undefined)).toEqual([]);
  });
});

describe('keys that name what every object or the request class already has', () => {
  class Request {
    amount?: string;
    toCommand() {
      return this.amount;
    }
  }

  it('names toCommand at the top, and the members of every object anywhere (class-transformer would drop them silently)', () => {
    const body = { amount: '1.00', toCommand: {}, toString: 1, nested: { valueOf: [], hasOwnProperty: 'x', ok: 1 }, list: [{ isPrototypeOf: true }] };
    expect(inheritedKeys(body, Request)).toEqual(['toCommand', 'toString', 'nested.valueOf', 'nested.hasOwnProperty', 'list.0.isPrototypeOf']);
  });

  it('finds nothing in a body of declared fields, and a method name is only refused at the level of its class', () => {
    expect(inheritedKeys({ amount: '1.00', nested: { toCommand: 1, amount: 2 } }, Request)).toEqual([]);
    expect(inheritedKeys('text', Request)).toEqual([]);
  });
});
