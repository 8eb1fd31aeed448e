// Bad input gets a clear message naming the bad value and what to do, exit code 2, and nothing written.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIds } from '../../checks/index.js';
import { runCli } from '../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'forensight-usage-'));

describe('usage errors exit 2 with a message that names the bad value', () => {
  it.each([
    ['a short account id', ['scan', '--accounts', '12345'], /--accounts: "12345" is not a 12-digit AWS account id/],
    ['an excluded account id with letters', ['scan', '--org', '--exclude-accounts', '12345678901x'], /--exclude-accounts: "12345678901x"/],
    ['two account selectors', ['scan', '--org', '--accounts', '123456789012'], /Choose one of --org, --accounts/],
    ['a bad OU id', ['scan', '--ou', 'marketing'], /--ou: "marketing" is not an OU id/],
    ['a bad region', ['scan', '--regions', 'us-east-1,moon-1'], /--regions: "moon-1" is not an AWS region name/],
    ['a mistyped region', ['scan', '--regions', 'us-east-9'], /--regions: "us-east-9" is not an AWS region \(no partition lists it/],
    [
      'an unknown region among known ones',
      ['scan', '--accounts', '123456789012', '--regions', 'eu-west-1,eu-west-7'],
      /--regions: "eu-west-7" is not an AWS region/,
    ],
    ['a bad hub role ARN', ['scan', '--hub-role-arn', 'arn:aws:iam::12:user/x'], /--hub-role-arn: "arn:aws:iam::12:user\/x" is not an IAM role ARN/],
    ['a bad role name', ['scan', '--role-name', 'has space'], /--role-name: "has space" is not a valid IAM role name/],
    ['a bad endpoint', ['scan', '--endpoint-url', 'localhost:5000'], /--endpoint-url: "localhost:5000" is not an http\(s\) URL/],
    ['a zero concurrency', ['scan', '--concurrency', '0'], /--concurrency: "0" must be a whole number from 1 to 256/],
    ['an unknown severity', ['scan', '--fail-on', 'urgent'], /--fail-on: "urgent" is not a severity; use one of critical, high, medium, low/],
    ['an unknown check', ['scan', '--checks', 'cloudtrail-multi-region-trail,no-such-check'], /--checks: unknown check id "no-such-check"/],
    ['an unknown format', ['scan', '--format', 'json,docx'], /--format: "docx" is not a format/],
    ['a missing config file', ['scan', '--config', '/nonexistent/forensight.yaml'], /--config: cannot read "\/nonexistent\/forensight.yaml"/],
    ['an unknown flag', ['scan', '--organisation'], /unknown option '--organisation'/],
    ['a missing previous scan', ['scan', '--previous', '/nonexistent/old.json'], /--previous: "\/nonexistent\/old.json" does not exist/],
  ])('%s', async (_name, args, message) => {
    const out = join(tmp, `never-${Math.random().toString(36).slice(2)}`);
    const run = await runCli([...args, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects a config file with a misspelt key, naming the key and the file', async () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, 'parameters:\n  minRetentionDay: 30\n');
    const run = await runCli(['scan', '--config', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}: unknown setting "parameters.minRetentionDay" (did you mean "minRetentionDays"?)`);
  });

  it('refuses an output directory that already holds a scan, leaving it untouched', async () => {
    const dir = join(tmp, 'existing');
    mkdirSync(dir);
    writeFileSync(join(dir, 'scan.json'), JSON.stringify({ scanId: 'scan-old' }));
    const run = await runCli(['scan', '--out', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/already holds a scan \(scan-old\)/);
    expect(JSON.parse(readFileSync(join(dir, 'scan.json'), 'utf8'))).toEqual({ scanId: 'scan-old' });
  });

  it('report: a scan of another schemaVersion gives a clear error and exit 2', async () => {
    const file = join(tmp, 'v2.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 2, scanId: 'x' }));
    const run = await runCli(['report', file, '--out', join(tmp, 'r')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/schemaVersion/);
    expect(run.stderr).toContain('v2.json');
  });
});

describe('no credentials', () => {
  it('exits 3 with a message that says how to provide credentials, and prints no secret', async () => {
    const saved = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLEEXAMPLE12';
    process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEYxx';
    try {
      // A closed loopback port: the credential check cannot succeed.
      const run = await runCli([
        'scan',
        '--endpoint-url',
        'http://127.0.0.1:9',
        '--regions',
        'us-east-1',
        '--max-attempts',
        '1',
        '--out',
        join(tmp, 'nocreds'),
      ]);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/No usable AWS credentials.*--profile/);
      expect(run.stderr).not.toContain('wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEYxx');
      expect(existsSync(join(tmp, 'nocreds'))).toBe(false);
    } finally {
      process.env = saved;
    }
  });
});

describe('catalogue and binary', () => {
  it('checks --json lists every registered check with its metadata', async () => {
    const run = await runCli(['checks', '--json']);
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout) as { id: string; remediation: { cli: string } }[];
    expect(list.map((c) => c.id)).toEqual(checkIds);
    expect(list.every((c) => c.remediation.cli.length > 0)).toBe(true);
  });

  it('checks prints a header and one line per check', async () => {
    const run = await runCli(['checks']);
    expect(run.stdout.trim().split('\n')).toHaveLength(checkIds.length + 1);
    expect(run.stdout).toMatch(/^cloudtrail-multi-region-trail\s+critical/m);
  });

  it('the built bin is an executable node script that prints the version', () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    const bin = (JSON.parse(readFileSync('package.json', 'utf8')) as { bin: { forensight: string } }).bin.forensight;
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    const out = execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(out.trim()).toBe(version);
    const bad = spawnSync(process.execPath, [bin, 'scan', '--fail-on', 'nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^forensight: --fail-on: "nope"/);
    expect(bad.stderr).not.toMatch(/NodeVersionSupportWarning/);
  }, 180_000);
});
