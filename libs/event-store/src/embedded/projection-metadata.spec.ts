import { projectionMetadataOf } from './projection-metadata';

/** What the store writes: JSON.stringify of the metadata. */
const stored = (metadata: Record<string, unknown>) => JSON.stringify(metadata);
const usual = {
  actor: { subject: 'alice', roles: ['funder'], organisation: 'org-a' },
  recordedAt: '2026-12-02T10:00:00.000Z',
  requestId: 'r', correlationId: 'c', causationId: 'c',
  schemaVersion: 2,
  previousHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
};

describe('projectionMetadataOf: the schema version and recordedAt of stored metadata', () => {
  it('reads them from the usual metadata', () => {
    expect(projectionMetadataOf(stored(usual))).toEqual({ schemaVersion: 2, recordedAt: '2026-12-02T10:00:00.000Z' });
  });

  it.each([
    ['the keys inside a string value', { ...usual, actor: { ...usual.actor, subject: '"recordedAt":"1999-01-01","schemaVersion":9,' } }],
    ['the same keys in a nested object before the metadata\'s own', { ...usual, actor: { ...usual.actor, recordedAt: '1999-01-01', schemaVersion: 9 } }],
    ['the same keys in a nested object after them', { ...usual, extra: { recordedAt: '1999-01-01', schemaVersion: 9 } }],
    ['an escape in recordedAt', { ...usual, recordedAt: 'said "late"' }],
    ['a schema version that is not an unsigned integer', { ...usual, schemaVersion: -1 }],
    ['a fractional schema version', { ...usual, schemaVersion: 1.5 }],
    ['a schema version written as a string', { ...usual, schemaVersion: '3' }],
    ['no schema version (older events)', { ...usual, schemaVersion: undefined }],
    ['the schema version last', { actor: usual.actor, recordedAt: usual.recordedAt, schemaVersion: 7 }],
  ])('reads what JSON.parse reads with %s', (_, metadata) => {
    const text = stored(metadata);
    const parsed = JSON.parse(text) as { schemaVersion?: number; recordedAt: string };
    expect(projectionMetadataOf(text)).toEqual({ schemaVersion: parsed.schemaVersion, recordedAt: parsed.recordedAt });
  });

  it('reads what JSON.parse reads from text written with spaces', () => {
    const text = JSON.stringify(usual, null, 2);
    expect(projectionMetadataOf(text)).toEqual({ schemaVersion: 2, recordedAt: usual.recordedAt });
  });
});
