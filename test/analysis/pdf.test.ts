// analyze --format pdf: incident-report.pdf beside the HTML report, read back with poppler's pdftotext. Evidence
// strings are hostile: they must come out as literal text, long ones wrapped or clipped, and the timeline bounded.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPdfPages } from '../../reports/pdfmake.js';
import { pdfText, renderIncidentPdf } from '../../reports/incident/pdf.js';
import { analyzeBundle, type Analysis } from '../../src/analysis/run.js';
import { CIRT_ELEMENTS, ELEMENT_LABEL } from '../../src/analysis/rules/types.js';
import { runCli } from '../support/cli.js';
import { trailFile, writeBundle } from '../support/analysis-bundle.js';
import { cleanupTempDirs, tempDir } from './helpers.js';

afterAll(cleanupTempDirs);

const ACCOUNT = '123456789012';
const SCRIPT = '<script>alert(1)</script>';
const HOSTILE = `${SCRIPT}"'><img src=x onerror=alert(2)>`;
const LONG_USER = 'x'.repeat(2500);
const TRAIL_PATH = `evidence/${ACCOUNT}/us-east-1/cloudtrail/s3/trail-bucket/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/01/${ACCOUNT}_CloudTrail_us-east-1_20261101T1005Z_a.json.gz`;

const record = (eventName: string, minute: number, user: string) => ({
  eventVersion: '1.09',
  eventTime: `2026-11-01T10:${String(minute).padStart(2, '0')}:00Z`,
  eventSource: 'cloudtrail.amazonaws.com',
  eventName,
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.23',
  userAgent: HOSTILE,
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/${user}`, accountId: ACCOUNT, accessKeyId: 'AKIAHOSTILE' },
  requestParameters: { name: HOSTILE },
  recipientAccountId: ACCOUNT,
});

/** pdftotext output with the zero-width break opportunities removed. */
async function pdfToText(file: string): Promise<string> {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).replace(/\u200b/g, '');
}
const squash = (s: string): string => s.replace(/\s+/g, '');

let bundleDir: string;
let outDir: string;
let analysis: Analysis;
let text = '';
let pages = 0;

beforeAll(async () => {
  const found = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].some((p) => existsSync(p));
  if (!found)
    throw new Error('pdftotext (poppler-utils) is required for the PDF tests: apt-get install poppler-utils. These tests are never skipped.');
  bundleDir = await writeBundle(await tempDir('pdf-bundles'), {
    incident: 'INC-PDF-7',
    files: [
      trailFile(
        TRAIL_PATH,
        [record('DescribeTrails', 9, 'analyst'), record('StopLogging', 5, HOSTILE), record('DeleteTrail', 7, `\u001b[31m${LONG_USER}`)],
        ['trail-bucket', 'AWSLogs/x.json.gz'],
      ),
    ],
    gaps: [{ accountId: ACCOUNT, region: 'eu-west-1', source: 'bedrock', reason: `AccessDenied ${HOSTILE}` }],
  });

  const run = await runCli(['analyze', bundleDir, '--format', 'json,html,pdf']);
  expect(run.stderr).toMatch(/Verified INC-PDF-7-/);
  expect(run.code).toBe(0);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain('incident-report.pdf');
  outDir = `${bundleDir}-analysis`;
  analysis = JSON.parse(await readFile(join(outDir, 'findings.json'), 'utf8')) as Analysis;
  const pdf = await readFile(join(outDir, 'incident-report.pdf'));
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  pages = countPdfPages(pdf);
  text = await pdfToText(join(outDir, 'incident-report.pdf'));
}, 60_000);

describe('analyze --format pdf', () => {
  it('writes incident-report.pdf next to the HTML report and lists it with its sha256', async () => {
    const outputs = JSON.parse(await readFile(join(outDir, 'analysis-manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[] };
    expect(outputs.files.map((f) => f.path)).toEqual(['timeline.jsonl', 'findings.json', 'incident-report.html', 'incident-report.pdf']);
    const entry = outputs.files.find((f) => f.path === 'incident-report.pdf')!;
    expect(entry.sha256).toBe(
      createHash('sha256')
        .update(await readFile(join(outDir, 'incident-report.pdf')))
        .digest('hex'),
    );
    // The sealed bundle is untouched.
    expect((await runCli(['verify', bundleDir])).code).toBe(0);
  });

  it('has a sane page count, page numbers and a header', () => {
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(pages).toBeLessThan(20);
    expect(text.split('\f').filter((p) => p.trim()).length).toBe(pages);
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text).toContain('forensight incident report');
  });

  it('names the incident, window and the bundle it was derived from', () => {
    expect(text).toContain('Incident INC-PDF-7');
    expect(text).toContain('2026-11-01T00:00:00.000Z to 2026-11-02T00:00:00.000Z');
    expect(analysis.derivedFrom.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(text).toContain(analysis.derivedFrom.manifestSha256);
    expect(squash(text)).toContain(squash(analysis.derivedFrom.path));
    expect(text).toContain(analysis.derivedFrom.bundleId);
  });

  it('lists findings by CIRT element with title, time, actor and evidence refs', () => {
    const stop = analysis.findings.find((f) => f.ruleId === 'cloudtrail-tampering');
    expect(stop).toBeDefined();
    expect(text).toContain(stop!.title);
    expect(text).toContain('Infrastructure changes');
    expect(squash(text)).toContain(squash(stop!.time));
    // Evidence refs path#record under each finding (the path wraps; compare without whitespace).
    const flat = squash(text);
    expect(flat).toContain(`${TRAIL_PATH}#1`);
    expect(flat).toContain(`${TRAIL_PATH}#2`);
    // CIRT element groups in the methodology's order, each with its count.
    const present = CIRT_ELEMENTS.filter((el) => analysis.findings.some((f) => f.element === el)).map((el) => ELEMENT_LABEL[el]);
    const findingsAt = text.indexOf('Findings by CIRT element');
    const at = present.map((label) => text.indexOf(`${label} (`, findingsAt));
    expect(present.length).toBeGreaterThan(0);
    expect(at.every((i) => i > findingsAt)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
  });

  it('shows hostile evidence strings literally as text', () => {
    const flat = squash(text);
    expect(flat).toContain(SCRIPT);
    expect(flat).toContain(squash(`arn:aws:iam::${ACCOUNT}:user/${HOSTILE}`));
    expect(flat).toContain(squash(`AccessDenied ${HOSTILE}`));
    // A terminal escape is shown escaped; a 2,500-character name is clipped, not laid out in full.
    expect(flat).toContain('\\x1b[31mxxxx');
    expect(flat).not.toContain('x'.repeat(1600));
    expect(flat).toMatch(/morecharacters\)/);
  });

  it('lists the timeline after the findings, with how much of it is shown', () => {
    expect(text.indexOf('Timeline\n')).toBeGreaterThan(text.indexOf(analysis.findings[0]!.title));
    expect(text.replace(/\s+/g, ' ')).toContain('timeline.jsonl has all 3 events of the bundle.');
    for (const action of ['StopLogging', 'DeleteTrail']) expect(text).toContain(action);
  });

  it('never overwrites: a second run into the same directory is refused', async () => {
    const run = await runCli(['analyze', bundleDir, '--format', 'pdf']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/already exists; analysis output is never overwritten/);
  });

  it('writes the PDF on its own with --format pdf', async () => {
    const out = join(await tempDir('pdf-only'), 'a');
    const run = await runCli(['analyze', bundleDir, '--format', 'pdf', '--out', out]);
    expect(run.code).toBe(0);
    const outputs = JSON.parse(await readFile(join(out, 'analysis-manifest.json'), 'utf8')) as { files: { path: string }[] };
    expect(outputs.files.map((f) => f.path)).toEqual(['timeline.jsonl', 'findings.json', 'incident-report.pdf']);
    await expect(stat(join(out, 'incident-report.html'))).rejects.toThrow();
  }, 60_000);
});

describe('incident PDF bounds', () => {
  it('lists only the first N timeline events and says how many were left out', async () => {
    const result = await analyzeBundle({ bundleDir, outDir: join(await tempDir('pdf-bound'), 'a'), formats: ['json'] });
    expect(result.keyEvents.length).toBeGreaterThanOrEqual(2);
    const pdf = await renderIncidentPdf(result.analysis, result.keyEvents, result.keyEvents.length, { maxEvents: 1 });
    const file = join(await tempDir('pdf-bound-out'), 'r.pdf');
    await writeFile(file, pdf);
    const t = (await pdfToText(file)).replace(/\s+/g, ' ');
    const left = result.keyEvents.length - 1;
    expect(t).toContain(`${left} key events are not shown here (1 of ${result.keyEvents.length} listed). timeline.jsonl has every event.`);
  }, 60_000);

  it('cleans evidence strings for layout: no markup, controls escaped, lone surrogates replaced, long runs breakable', () => {
    expect(pdfText('<b>x</b>\u0007')).toBe('<b>x</\u200bb>\\x07');
    expect(pdfText('\ud800a')).toBe('\ufffda');
    expect(
      pdfText('a'.repeat(100))
        .split('\u200b')
        .every((part) => part.length <= 12),
    ).toBe(true);
    expect(pdfText('x'.repeat(50), 20)).toBe(`${'x'.repeat(12)}\u200b${'x'.repeat(8)}… (30 more characters)`);
  });
});
