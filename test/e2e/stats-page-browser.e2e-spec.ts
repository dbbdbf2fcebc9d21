import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { canonicalFromFrench } from '../support/french-figures';
import { ledgerOver } from '../support/ledger-http';
import { startTestApp, type TestApp } from '../support/test-app';

/** What the page's code sees (tsconfig.json has no DOM library). */
interface BrowserWindow { getComputedStyle(element: unknown): { borderCollapse: string } }

/** Debian's package (`apt-get install chromium`; `.ci/run` installs it when missing). */
const CHROMIUM = '/usr/bin/chromium';

/**
 * Issue 11 item 7: the public page in a real browser. Headless Chromium loads /stats from the
 * app listening on a port, under the page's own Content-Security-Policy; the figures it shows
 * must be those of /stats.json, the stylesheet must apply (the policy allows it by hash) and the
 * chart must be there. Without Chromium this fails, it is not skipped (docs/testing.md).
 */
describe('the /stats page in headless Chromium', () => {
  let t: TestApp;
  let base: string;
  let userDataDir: string;
  let browser: BrowserContext;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)`);
    t = await startTestApp();
    const ledger = ledgerOver(t);
    const id = await ledger.active('BROWSER-1');
    await ledger.payTranche(id, 1, '800000.00', '2020-05-20');
    await ledger.expense(id, '612345.67', { committed: '2020-06-01', done: '2020-06-10', paid: '2020-06-15', accepted: '2020-06-20' });
    await ledger.register('BROWSER-2');
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convention-ledger-chromium-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    await t?.close();
  });

  it('shows the figures of /stats.json, with its stylesheet applied, an SVG chart of both series, and no policy violation', async () => {
    const json = (await t.http.get('/stats.json').expect(200)).body;
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => { if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text()); });
    const response = await page.goto(`${base}/stats`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');

    const shown = await page.locator('[data-indicator]').evaluateAll((cells) => cells.map((cell) => [cell.getAttribute('data-indicator')!, cell.textContent!]));
    expect(shown.length).toBeGreaterThanOrEqual(13);
    const valueAt = (dotted: string) => dotted.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], json);
    for (const [indicator, text] of shown) expect([indicator, canonicalFromFrench(text)]).toEqual([indicator, String(valueAt(indicator))]);
    expect(Object.fromEntries(shown.map(([k, v]) => [k, canonicalFromFrench(v)]))).toMatchObject({ received: '800000.00', consumed: '612345.67', 'conventions.byStatus.draft': '1' });

    expect(await page.locator('svg#received-vs-consumed').count()).toBe(1);
    expect(await page.locator('svg#received-vs-consumed polyline').evaluateAll((lines) => lines.map((l) => l.getAttribute('data-series')))).toEqual(['received', 'consumed']);
    expect(await page.locator('table').first().evaluate((table) => (globalThis as unknown as BrowserWindow).getComputedStyle(table).borderCollapse)).toBe('collapse');
    expect(await page.locator('script').count()).toBe(0);
    expect(violations).toEqual([]);
  });
});
