// --quiet, --no-progress and the short aliases, end to end on the emulator: what reaches stderr, what is written.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../support/emulator.js';
import { runCli } from '../support/cli.js';

const env = useEmulator();
const tmp = mkdtempSync(join(tmpdir(), 'forensight-quiet-'));
const scanArgs = (): string[] => [
  'scan',
  '--regions',
  'us-east-1',
  '--endpoint-url',
  env.url,
  '--checks',
  'cloudtrail-multi-region-trail,guardduty-enabled',
];

describe('quiet, progress and short aliases', () => {
  it.each([
    ['default: progress lines and the summary', [], true, true],
    ['--no-progress: the summary only', ['--no-progress'], false, true],
    ['-q before the command: neither', ['-q'], false, false],
    ['--quiet after the command: neither', ['--quiet'], false, false],
  ])('%s', async (_name, flags, progress, summary) => {
    const out = join(tmp, `run-${Math.random().toString(36).slice(2)}`);
    const args = flags[0] === '-q' ? ['-q', ...scanArgs(), '--out', out] : [...scanArgs(), ...flags, '--out', out];
    const run = await runCli(args);
    expect(run.code).toBe(0);
    expect(existsSync(join(out, 'scan.json'))).toBe(true);
    expect(/\[forensight\] /.test(run.stderr)).toBe(progress);
    expect(/Organization readiness score/.test(run.stderr)).toBe(summary);
    if (!progress && !summary) expect(run.stderr).toBe('');
  });

  it('-o, -f, -c and -s mean --out, --format, --checks and --status', async () => {
    const out = join(tmp, 'aliases');
    const run = await runCli([
      'scan',
      '--regions',
      'us-east-1',
      '--endpoint-url',
      env.url,
      '-q',
      '-c',
      'cloudtrail-multi-region-trail',
      '-o',
      out,
      '-f',
      'json,csv',
      '-s',
      'FAIL',
    ]);
    expect(run.code).toBe(0);
    const scan = JSON.parse(readFileSync(join(out, 'scan.json'), 'utf8')) as { results: { checkId: string; status: string }[] };
    expect(new Set(scan.results.map((r) => r.checkId))).toEqual(new Set(['cloudtrail-multi-region-trail']));
    const csv = readFileSync(join(out, 'scan.csv'), 'utf8').trim().split('\n');
    const fails = scan.results.filter((r) => r.status === 'FAIL').length;
    expect(fails).toBeGreaterThan(0);
    expect(csv.length - 1).toBe(fails);
  });
});
