import { SCHEMA_VERSIONS, conventionIdOf, conventionStream } from './events';
import { isConventionEventType, upcast } from './upcasting';

describe('reading stored events (schema versions)', () => {
  it('reads a current-version event as it is', () => {
    const stored = { type: 'ConventionSettled', schemaVersion: SCHEMA_VERSIONS.ConventionSettled, data: { on: '2021-07-30' } };
    expect(upcast(stored)).toEqual({ type: 'ConventionSettled', schemaVersion: SCHEMA_VERSIONS.ConventionSettled, data: { on: '2021-07-30' } });
  });

  it('takes an event without a version as version 1', () => {
    expect(upcast({ type: 'ConventionSettled', data: { on: '2021-07-30' } }).schemaVersion).toBe(1);
  });

  it('refuses unknown types and versions newer than this code understands', () => {
    expect(isConventionEventType('Nope')).toBe(false);
    expect(() => upcast({ type: 'Nope', data: {} })).toThrow(/unknown event type/);
    expect(() => upcast({ type: 'ConventionSettled', schemaVersion: SCHEMA_VERSIONS.ConventionSettled + 1, data: {} })).toThrow(/newer/);
  });

  it('maps a convention to its stream and back; other streams belong to no convention', () => {
    expect(conventionIdOf(conventionStream('abc-1'))).toBe('abc-1');
    expect(conventionIdOf('$settings')).toBeUndefined();
  });
});
