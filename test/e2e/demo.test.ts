// npm run demo is what a newcomer runs first: it must build the sample Organization, scan it through the
// role chain and write all three outputs, and its terminal output must say what it found and where.
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanDocument } from '../../src/model/scan.js';
import { runCli } from '../support/cli.js';

describe('forensight demo', () => {
  it('scans the sample Organization on its own emulator and writes scan.json, report.html and report.pdf', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'forensight-demo-')), 'out');
    const run = await runCli(['demo', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    for (const file of ['scan.json', 'report.html', 'report.pdf', 'api-calls.jsonl']) {
      expect(existsSync(join(out, file)), file).toBe(true);
      expect(statSync(join(out, file)).size, file).toBeGreaterThan(0);
    }
    const scan = JSON.parse(readFileSync(join(out, 'scan.json'), 'utf8')) as ScanDocument;
    expect(scan.accounts).toHaveLength(6);
    expect(scan.accounts.filter((a) => a.status === 'ASSESSED')).toHaveLength(4);
    expect(run.stderr).toMatch(/Building a sample Organization/);
    expect(run.stderr).toMatch(/Organization readiness score: [\d.]+ \/ 100/);
    expect(run.stderr).toContain(`Wrote ${join(out, 'report.pdf')}`);
    expect(run.stdout).toBe('');
  }, 120_000);
});
