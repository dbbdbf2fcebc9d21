import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { bearer, startTestApp, TEST_TOKENS, type TestApp } from '../support/test-app';

/**
 * Two API processes' worth of apps on one DATA_DIR: only one projects (single-instance lock),
 * the other stands by, still answers ?minPosition from the committed checkpoint, and takes over
 * when the first stops.
 */
describe('inline projector: one active instance, standby takes over', () => {
  let first: TestApp;
  let second: TestApp;
  const funder = bearer(TEST_TOKENS.funder);
  const auditor = bearer(TEST_TOKENS.auditor);

  // Two fresh instances for each test: one of them stops the active instance.
  beforeEach(async () => {
    first = await startTestApp();
    second = await startTestApp({ DATA_DIR: first.dataDir });
  });
  afterEach(async () => {
    await second?.close();
    await first?.close().catch(() => undefined);
  });

  it('the standby instance serves read-your-writes from the active projector', async () => {
    expect((await first.http.get('/health').expect(200)).body.projections.projector).toBe('active');
    expect((await second.http.get('/health').expect(200)).body.projections.projector).toBe('standby');
    const created = await second.http.post('/conventions').set(funder).send(SEED_CONVENTION_BODY).expect(201);
    const read = await second.http.get(`/conventions/${created.body.id}?minPosition=${created.body.position}`).set(auditor).expect(200);
    expect(read.body.reference).toBe(SEED_CONVENTION_BODY.reference);
  });

  it('takes over projecting when the active instance stops', async () => {
    await first.app.close();
    const created = await second.http.post('/conventions').set(funder).send({ ...SEED_CONVENTION_BODY, reference: 'AFTER-TAKEOVER' }).expect(201);
    // The standby retries the lock every 5 s; minPosition waits up to 5 s, so allow two rounds.
    let status = 0;
    for (let attempt = 0; attempt < 3 && status !== 200; attempt++) {
      status = (await second.http.get(`/conventions/${created.body.id}?minPosition=${created.body.position}`).set(auditor)).status;
    }
    expect(status).toBe(200);
    const health = await second.http.get('/health').expect(200);
    expect(health.body.projections).toMatchObject({ projector: 'active', lag: 0 });
  });
});
