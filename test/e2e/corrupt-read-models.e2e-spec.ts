import * as fs from 'node:fs';
import * as path from 'node:path';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { bearer, startTestApp, TEST_TOKENS, type TestApp } from '../support/test-app';

/**
 * Read models are derived and disposable: a read-model file that cannot be read does not stop
 * the API. It is moved aside (kept, never deleted), a warning is logged, and the read models are
 * rebuilt from the event log.
 */
describe('a corrupted read-model file (DATA_DIR/read-models.sqlite)', () => {
  const funder = bearer(TEST_TOKENS.funder);
  const auditor = bearer(TEST_TOKENS.auditor);
  let first: TestApp | undefined;
  let second: TestApp | undefined;
  const warnings: string[] = [];
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warnings.length = 0;
    warn = jest.spyOn(console, 'warn').mockImplementation((message: unknown) => { warnings.push(String(message)); });
  });
  afterEach(async () => {
    warn.mockRestore();
    await second?.close();
    if (first) fs.rmSync(first.dataDir, { recursive: true, force: true });
  });

  it('is moved aside with a warning, and the read models are rebuilt from the log', async () => {
    first = await startTestApp();
    const { id, position } = (await first.http.post('/conventions').set(funder).send(SEED_CONVENTION_BODY).expect(201)).body;
    await first.http.get(`/conventions/${id}?minPosition=${position}`).set(auditor).expect(200);
    const dataDir = first.dataDir;
    await first.app.close();

    const file = path.join(dataDir, 'read-models.sqlite');
    for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    fs.writeFileSync(file, Buffer.alloc(8192, 0x5a));

    second = await startTestApp({ DATA_DIR: dataDir });
    const convention = await second.http.get(`/conventions/${id}?minPosition=${position}`).set(auditor).expect(200);
    expect(convention.body).toMatchObject({ id, reference: SEED_CONVENTION_BODY.reference });
    const aside = fs.readdirSync(dataDir).filter((name) => name.startsWith('read-models.sqlite.corrupt-') && !/-(wal|shm)$/.test(name));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, aside[0]))).toEqual(Buffer.alloc(8192, 0x5a));
    expect(warnings.some((w) => w.includes('cannot be read') && w.includes('moved aside'))).toBe(true);
  });
});
