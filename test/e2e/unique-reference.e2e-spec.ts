import { EsdbTestServer } from '../support/esdb-server';
import { AS, ledgerOver } from '../support/ledger-http';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { startTestApp, type TestApp } from '../support/test-app';

/** Each event-store adapter: the embedded store, and EventStoreDB through its protocol test server. */
const STORES: Array<[string, () => Promise<{ env: Record<string, string>; stop(): Promise<void> }>]> = [
  ['embedded store', async () => ({ env: {}, stop: async () => undefined })],
  ['EventStoreDB adapter (protocol test server)', async () => {
    const server = await EsdbTestServer.start();
    return { env: { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: server.connectionString }, stop: () => server.close() };
  }],
];

const withFunderOrganisation = (organisation: string) => ({ funder: { ...SEED_CONVENTION_BODY.funder, organisation } });

/**
 * T6: a funder organisation uses a reference once, whatever process handles the registration and
 * whatever the store: the reservation stream is created with expected revision `no_stream`.
 */
describe.each(STORES)('T6 unique reference per funder organisation on the %s', (_name, startStore) => {
  let t: TestApp;
  let other: TestApp;
  let stopStore: () => Promise<void>;

  beforeAll(async () => {
    const store = await startStore();
    stopStore = store.stop;
    t = await startTestApp(store.env);
    // A second API instance on the same event store: for the embedded store the same DATA_DIR
    // (two processes' worth of apps on one file), for EventStoreDB the same server.
    other = await startTestApp({ ...store.env, ...(store.env.EVENT_STORE ? {} : { DATA_DIR: t.dataDir }) });
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
    await stopStore?.();
  });

  const register = (app: TestApp, body: Record<string, unknown>, key?: string) =>
    app.http.post('/conventions').set(AS.funder).set(key ? { 'Idempotency-Key': key } : {}).send(body);

  it('the same funder organisation registering a reference again gets 409 REFERENCE_TAKEN, naming the convention that has it', async () => {
    const body = { ...SEED_CONVENTION_BODY, reference: 'T6-TWICE' };
    const first = await register(t, body).expect(201);
    const again = await register(t, { ...body, title: 'Another convention, same reference' }).expect(409);
    expect(again.body).toMatchObject({
      statusCode: 409, code: 'REFERENCE_TAKEN', rule: 'T6', reference: 'T6-TWICE', funderOrganisation: '130026032', conventionId: first.body.id,
    });
    expect(again.body.message).toMatch(/130026032.*"T6-TWICE"/);
    // Another beneficiary changes nothing: the reference belongs to the funder organisation.
    const otherBeneficiary = { ...body, beneficiary: { ...SEED_CONVENTION_BODY.beneficiary, organisation: '110046018' } };
    expect((await register(t, otherBeneficiary).expect(409)).body.code).toBe('REFERENCE_TAKEN');
    // And through the other API instance.
    expect((await register(other, body).expect(409)).body.code).toBe('REFERENCE_TAKEN');
    const listed = (await t.http.get(`/conventions?reference=T6-TWICE&minPosition=${first.body.position}`).set(AS.auditor).expect(200)).body.conventions;
    expect(listed.map((c: { id: string }) => c.id)).toEqual([first.body.id]);
  });

  it('another funder organisation may use the same reference (201)', async () => {
    const reference = 'T6-SHARED';
    const anct = await register(t, { ...SEED_CONVENTION_BODY, reference }).expect(201);
    const other = await register(t, { ...SEED_CONVENTION_BODY, reference, ...withFunderOrganisation('130025265') }).expect(201);
    expect(other.body.id).not.toBe(anct.body.id);
    // The reference compares exactly: another spelling is another reference.
    await register(t, { ...SEED_CONVENTION_BODY, reference: 't6-shared' }).expect(201);
  });

  it('10 concurrent registrations of one reference, over two API instances: exactly one 201, nine 409', async () => {
    const body = { ...SEED_CONVENTION_BODY, reference: 'T6-RACE' };
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => register(i % 2 ? other : t, { ...body, title: `contender ${i}` })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    expect(responses.filter((r) => r.status === 409).every((r) => r.body.code === 'REFERENCE_TAKEN')).toBe(true);
    const winner = responses.find((r) => r.status === 201)!.body;
    const listed = (await t.http.get(`/conventions?reference=T6-RACE&minPosition=${winner.position}`).set(AS.auditor).expect(200)).body.conventions;
    expect(listed.map((c: { id: string }) => c.id)).toEqual([winner.id]);
  });

  it('an idempotent retry of a registration answers the same 201, on either instance, and records nothing new', async () => {
    const body = { ...SEED_CONVENTION_BODY, reference: 'T6-RETRIED' };
    const first = await register(t, body, 'register-t6-retried').expect(201);
    const head = await ledgerOver(t).headPosition();
    const retry = await register(t, body, 'register-t6-retried').expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    // The other instance shares the remembered answers (embedded: the same read-model file) or,
    // on EventStoreDB with its own read models, finds the registration recorded under the key.
    const elsewhere = await register(other, body, 'register-t6-retried').expect(201);
    expect(elsewhere.body.id).toBe(first.body.id);
    expect(await ledgerOver(t).headPosition()).toBe(head);
    // A fresh key is a new registration of the same reference: 409.
    expect((await register(t, body, 'register-t6-retried-again').expect(409)).body.code).toBe('REFERENCE_TAKEN');
  });

  it('a registration the domain refuses reserves nothing: corrected, it registers the reference', async () => {
    const reference = 'T6-CORRECTED';
    const head = await ledgerOver(t).headPosition();
    const wrongKey = { ...SEED_CONVENTION_BODY, reference, beneficiary: { ...SEED_CONVENTION_BODY.beneficiary, bankAccount: { ...SEED_CONVENTION_BODY.beneficiary.bankAccount, key: '41' } } };
    expect((await register(t, wrongKey).expect(400)).body.code).toBe('INVALID_RIB_KEY');
    const unbalanced = { ...SEED_CONVENTION_BODY, reference, ceiling: '1600000.01' };
    expect((await register(t, unbalanced).expect(422)).body.code).toBe('TRANCHES_DO_NOT_SUM_TO_CEILING');
    expect(await ledgerOver(t).headPosition()).toBe(head);
    await register(t, { ...SEED_CONVENTION_BODY, reference }).expect(201);
  });
});
