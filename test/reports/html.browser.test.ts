/// <reference lib="dom" />
// Opens the HTML report from disk in a real headless Chromium: hostile names stay text, no script from data runs,
// filters work, and the page makes no network requests. Chromium is required: a missing binary FAILS this suite.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeScan, syntheticCatalogue, syntheticFrameworks } from '../../bench/reports.js';
import { renderHtml } from '../../reports/html.js';
import { buildReportModel } from '../../reports/model.js';
import { fakeCatalogue, fakeFrameworks, HOSTILE_IMG, HOSTILE_SCRIPT, hostileScan, makeScan, result } from './fixtures.js';

const CHROMIUM = process.env.FORENSIGHT_CHROMIUM ?? '/usr/bin/chromium';
const T = 30_000;

let dir = '';
let profile = '';
let context: BrowserContext | undefined;

interface Observed {
  page: Page;
  dialogs: string[];
  requests: string[];
  errors: string[];
}

async function open(file: string): Promise<Observed> {
  if (!context) throw new Error('Chromium did not start (see the beforeAll error)');
  const page = await context.newPage();
  const obs: Observed = { page, dialogs: [], requests: [], errors: [] };
  page.on('dialog', (d) => {
    obs.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  page.on('request', (r) => obs.requests.push(r.url()));
  page.on('pageerror', (e) => obs.errors.push(String(e)));
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: T });
  await page.waitForSelector('html[data-ready="1"]', { timeout: T });
  return obs;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is required for the HTML report tests but was not found at ${CHROMIUM}. ` +
        'Install it (apt-get install chromium) or set FORENSIGHT_CHROMIUM to its path. These tests are never skipped.',
    );
  }
  dir = mkdtempSync(join(tmpdir(), 'forensight-html-'));
  profile = mkdtempSync(join(tmpdir(), 'forensight-chromium-profile-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: T,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  if (profile) rmSync(profile, { recursive: true, force: true });
  // The report and screenshot stay in `dir` for inspection; the OS cleans tmp.
}, 30_000);

describe('HTML report in Chromium', () => {
  const model = buildReportModel(hostileScan(), { catalogue: fakeCatalogue(), frameworks: fakeFrameworks() });

  it(
    'shows hostile names as text, runs no script from data, makes no network request, passes its own CSP',
    async () => {
      const file = join(dir, 'report.html');
      writeFileSync(file, renderHtml(model));
      const { page, dialogs, requests, errors } = await open(file);
      try {
        expect(dialogs).toEqual([]);
        expect(errors).toEqual([]);
        expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
        expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
        // Only our two script elements and no image elements exist.
        expect(await page.evaluate(() => document.scripts.length)).toBe(2);
        expect(await page.evaluate(() => document.images.length)).toBe(0);
        // The names are visible, as text.
        const scriptCell = page.locator('#accounts-body td', { hasText: HOSTILE_SCRIPT }).first();
        await expect.poll(() => scriptCell.isVisible()).toBe(true);
        expect(await scriptCell.textContent()).toBe(HOSTILE_SCRIPT);
        const imgCell = page.locator('#accounts-body td', { hasText: HOSTILE_IMG }).first();
        expect(await imgCell.textContent()).toBe(HOSTILE_IMG);
        const bodyText = await page.evaluate(() => document.body.innerText);
        expect(bodyText).toContain(HOSTILE_SCRIPT); // server-rendered parts too (not-assessed, trend, charts)
        // Controls and the bidi override are shown as visible escapes, in server- and page-rendered text alike.
        expect(bodyText).toContain('\\x1b[2J\\x1b]0;owned\\x07 role\\u202egnp.exe');
        expect(bodyText).not.toMatch(/[\u0000-\u0008\u001b\u202e]/);
        expect(await page.locator('#summary li', { hasText: 'In 2 of 3 accounts' }).count()).toBeGreaterThan(0);
        // No request other than the report file itself.
        const own = pathToFileURL(file).href;
        expect(requests.filter((u) => u !== own)).toEqual([]);
        // Screenshot for the record.
        const shot = join(dir, 'report.png');
        await page.screenshot({ path: shot, fullPage: true, timeout: T });
        const png = readFileSync(shot);
        expect(png.length).toBeGreaterThan(1000);
        expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
      } finally {
        await page.close();
      }
    },
    T * 2,
  );

  it(
    'keeps hostile strings inert even with the CSP removed (escaping does not rely on the CSP)',
    async () => {
      const file = join(dir, 'report-no-csp.html');
      const text = renderHtml(model).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
      expect(text).not.toContain('Content-Security-Policy');
      writeFileSync(file, text);
      const { page, dialogs, requests } = await open(file);
      try {
        expect(dialogs).toEqual([]);
        expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
        expect(await page.evaluate(() => document.images.length)).toBe(0);
        // Open every evidence <details> so their content is rendered too, then check again.
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
        // Evidence is shown as JSON text, so the quotes in the hostile tag appear backslash-escaped.
        expect(await page.locator('#results-body pre', { hasText: '<img src=x onerror=' }).count()).toBe(1);
        expect(await page.locator('#results-body pre', { hasText: '</script><script>window.__pwned=3</script>' }).count()).toBe(1);
        expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
        expect(dialogs).toEqual([]);
        expect(requests.filter((u) => u !== pathToFileURL(file).href)).toEqual([]);
      } finally {
        await page.close();
      }
    },
    T * 2,
  );

  it(
    'lists the gaps new, fixed and not confirmed fixed since the previous scan, as text',
    async () => {
      const prev = makeScan({
        scanId: 'q3',
        accounts: [
          { accountId: '111111111111', name: 'old' },
          { accountId: '999999999999', name: HOSTILE_IMG },
        ],
        results: [
          result('guardduty-enabled', '111111111111', 'FAIL'),
          result('cloudtrail-multi-region-trail', '999999999999', 'FAIL', { resourceArn: `arn:aws:s3:::${HOSTILE_SCRIPT}` }),
        ],
      });
      const withTrend = buildReportModel(hostileScan(), { catalogue: fakeCatalogue(), frameworks: fakeFrameworks(), previous: [prev] });
      const t = withTrend.trend!;
      const file = join(dir, 'report-trend.html');
      writeFileSync(file, renderHtml(withTrend));
      const { page, dialogs, errors } = await open(file);
      try {
        expect(errors).toEqual([]);
        expect(await page.locator('#gaps-new-body tr').count()).toBe(t.newGaps.length);
        expect(await page.locator('#gaps-fixed-body tr').count()).toBe(t.fixedGaps.length);
        expect(await page.locator('#gaps-unconfirmed-body tr').count()).toBe(t.unconfirmedGaps.length);
        const gone = page.locator('#gaps-unconfirmed-body td', { hasText: 'account-removed' });
        expect(await gone.count()).toBe(1);
        expect(await page.locator('#gaps-unconfirmed-body td.wrap').first().textContent()).toBe(`arn:aws:s3:::${HOSTILE_SCRIPT}`);
        expect(await page.locator('#gaps-unconfirmed-body td').first().textContent()).toBe(`${HOSTILE_IMG} (999999999999)`);
        expect(await page.locator('#gaps-new-more').isHidden()).toBe(true);
        expect(dialogs).toEqual([]);
        expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      } finally {
        await page.close();
      }
    },
    T * 2,
  );

  it(
    'filters by severity, status, check and account in the page',
    async () => {
      const file = join(dir, 'report-filters.html');
      writeFileSync(file, renderHtml(model));
      const { page } = await open(file);
      try {
        const rows = page.locator('#results-body tr');
        const total = await rows.count();
        expect(total).toBe(model.results.length);

        await page.selectOption('#f-severity', { label: 'critical' });
        const crit = await rows.count();
        expect(crit).toBeGreaterThan(0);
        expect(crit).toBeLessThan(total);
        const sevs = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')));
        expect(new Set(sevs)).toEqual(new Set(['critical']));

        await page.selectOption('#f-status', { label: 'FAIL' });
        expect(await rows.count()).toBe(1); // prod-ml has the only critical failure

        await page.click('#f-reset');
        expect(await rows.count()).toBe(total);

        await page.selectOption('#f-check', { label: 'bedrock-invocation-logging-text' });
        expect(await rows.count()).toBe(3);

        await page.click('#f-reset');
        // Account filter: the hostile-named account by its option text.
        await page.selectOption('#f-account', { label: `${HOSTILE_SCRIPT} (222222222222)` });
        const accRows = await rows.count();
        expect(accRows).toBe(model.results.filter((r) => r.accountId === '222222222222').length);
        expect(await page.locator('#inv-body tr').count()).toBe(1);
        expect(await page.locator('#accounts-body tr').count()).toBe(1);
        expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      } finally {
        await page.close();
      }
    },
    T * 2,
  );

  it(
    // How fast it opens is measured by the bench, not asserted here (wall time on a loaded machine says nothing).
    'opens a 1,000-account report under 15 MB and shows its results a page at a time',
    async () => {
      const scan = synthesizeScan(1000, 42);
      const big = buildReportModel(scan, { catalogue: syntheticCatalogue(), frameworks: syntheticFrameworks() });
      const file = join(dir, 'report-1000.html');
      const text = renderHtml(big);
      expect(Buffer.byteLength(text)).toBeLessThan(15 * 1024 * 1024);
      writeFileSync(file, text);
      const { page, errors, requests } = await open(file);
      try {
        expect(errors).toEqual([]);
        expect(await page.locator('#results-body tr').count()).toBe(500); // first page of results
        await page.selectOption('#f-severity', { label: 'critical' });
        const n = await page.locator('#results-body tr').count();
        expect(n).toBeGreaterThan(0);
        expect(requests.filter((u) => u !== pathToFileURL(file).href)).toEqual([]);
      } finally {
        await page.close();
      }
    },
    T * 2,
  );
});
