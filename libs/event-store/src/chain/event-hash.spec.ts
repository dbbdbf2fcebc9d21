import { canonicalJson } from './canonical-json';
import { chainBatch, eventHashOf, GENESIS_HASH, linkHashAfter, type HashableEvent } from './event-hash';

/** The test vector of docs/event-store.md, "Hash chain": an outsider's implementation must give the same. */
const VECTOR: HashableEvent = {
  id: '6f1c2a9e-2b1f-4c3e-9d4a-1a2b3c4d5e6f',
  type: 'TranchePaid',
  data: { tranche: 1, amount: '800000.00', paidOn: '2020-05-20' },
  metadata: {
    schemaVersion: 1, recordedAt: '2020-05-20T08:00:00.000Z', actor: { subject: 'anct-finance', roles: ['funder'], organisation: '130026032' },
    requestId: 'r1', correlationId: 'r1', causationId: 'r1', previousHash: GENESIS_HASH,
  },
};
const VECTOR_CANONICAL =
  '{"data":{"amount":"800000.00","paidOn":"2020-05-20","tranche":1},"id":"6f1c2a9e-2b1f-4c3e-9d4a-1a2b3c4d5e6f",' +
  '"metadata":{"actor":{"organisation":"130026032","roles":["funder"],"subject":"anct-finance"},"causationId":"r1","correlationId":"r1",' +
  '"previousHash":"0000000000000000000000000000000000000000000000000000000000000000","recordedAt":"2020-05-20T08:00:00.000Z","requestId":"r1","schemaVersion":1},' +
  '"type":"TranchePaid"}';

describe('canonical JSON and the event hash', () => {
  it('writes keys sorted at every depth, no whitespace, array order kept, undefined members dropped as when stored', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: null }], a: 'é"\n', c: undefined, d: 1.5e-7 })).toBe('{"a":"é\\"\\n","b":[3,{"a":null,"z":1}],"d":1.5e-7}');
  });

  it('gives the documented test vector', () => {
    expect(canonicalJson({ id: VECTOR.id, type: VECTOR.type, data: VECTOR.data, metadata: VECTOR.metadata })).toBe(VECTOR_CANONICAL);
    expect(eventHashOf(VECTOR)).toBe('f1ca3232f5438b6c520d81d4f7d3736a9c7c1608a016c18f6ab9e0dc3006887d');
    expect(eventHashOf({ ...VECTOR, metadata: { ...VECTOR.metadata, hash: 'whatever' } })).toBe(eventHashOf(VECTOR));
  });

  it('links a batch from the given hash, replacing any hash the caller put in', () => {
    const { previousHash: _p, ...given } = VECTOR.metadata;
    const [first, second] = chainBatch([{ ...VECTOR, metadata: { ...given, hash: 'forged' } }, { ...VECTOR, id: 'second', metadata: given }], GENESIS_HASH);

    expect(first.metadata).toMatchObject({ previousHash: GENESIS_HASH, hash: eventHashOf(VECTOR) });
    expect(second.metadata).toMatchObject({ previousHash: first.metadata.hash, hash: eventHashOf(second) });
    expect(linkHashAfter([first, second])).toBe(second.metadata.hash);
  });

  it('links after events recorded before the chain as if they had carried previousHash', () => {
    const { previousHash: _p, ...legacyMetadata } = VECTOR.metadata;
    const legacy = { ...VECTOR, metadata: legacyMetadata };

    expect(linkHashAfter([legacy])).toBe(eventHashOf(VECTOR));
    expect(linkHashAfter([legacy, { ...legacy, id: 'next' }])).toBe(eventHashOf({ ...legacy, id: 'next', metadata: { ...legacyMetadata, previousHash: eventHashOf(VECTOR) } }));
  });
});
