// forensight report re-renders a saved scan (and its trend against earlier ones) without AWS access.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { makeScan, result } from '../reports/fixtures.js';

const A = '111111111111';
const B = '222222222222';
const dir = mkdtempSync(join(tmpdir(), 'forensight-report-'));
const previous = makeScan({
  scanId: 'scan-2026q3',
  startedAt: '2026-08-01T09:00:00.000Z',
  accounts: [
    { accountId: A, name: 'ml-prod', score: 50 },
    { accountId: B, name: 'ml-dev', score: 40 },
  ],
  results: [result('cloudtrail-multi-region-trail', A, 'FAIL'), result('cloudtrail-multi-region-trail', B, 'FAIL')],
});
const current = makeScan({
  scanId: 'scan-2026q4',
  startedAt: '2026-11-01T09:00:00.000Z',
  accounts: [
    { accountId: A, name: 'ml-prod-renamed', score: 100 },
    { accountId: B, name: 'ml-dev', score: 40 },
  ],
  results: [result('cloudtrail-multi-region-trail', A, 'PASS'), result('cloudtrail-multi-region-trail', B, 'FAIL')],
});

describe('forensight report', () => {
  it('writes report.html and report.pdf from scan.json and a directory of earlier scans, with the trend in them', async () => {
    const history = join(dir, 'history');
    mkdirSync(join(history, 'q3'), { recursive: true });
    writeFileSync(join(history, 'q3', 'scan.json'), JSON.stringify(previous));
    const scanFile = join(dir, 'scan.json');
    writeFileSync(scanFile, JSON.stringify(current));
    const out = join(dir, 'out');
    const run = await runCli(['report', scanFile, '--previous', history, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('ml-prod-renamed');
    const text = execFileSync('pdftotext', ['-layout', join(out, 'report.pdf'), '-'], { encoding: 'utf8' }).replace(/\u200b/g, '');
    expect(text).toContain('scan-2026q3');
    expect(text).toMatch(/ml-prod-renamed/);
  });

  it('refuses a previous scan of another schemaVersion with exit 2, naming the file', async () => {
    const bad = join(dir, 'v2.json');
    writeFileSync(bad, JSON.stringify({ ...previous, schemaVersion: 2 }));
    const scanFile = join(dir, 'scan-current.json');
    writeFileSync(scanFile, JSON.stringify(current));
    const run = await runCli(['report', scanFile, '--previous', bad, '--out', join(dir, 'never')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('v2.json');
    expect(run.stderr).toMatch(/schemaVersion 2/);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
