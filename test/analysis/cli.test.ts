// analyze through the CLI on small bundles written with the real BundleWriter: output files, evidence refs,
// refusal to analyse tampered evidence, usage errors, and hostile strings escaped in the HTML report.
import { appendFile, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeBundle, type Analysis } from '../../src/analysis/run.js';
import type { TimelineEvent } from '../../src/analysis/event.js';
import { copyBundle } from '../collect/helpers.js';
import { runCli } from '../support/cli.js';
import { trailFile, writeBundle } from '../support/analysis-bundle.js';
import { cleanupTempDirs, tempDir } from './helpers.js';

afterAll(cleanupTempDirs);

const ACCOUNT = '123456789012';
const HOSTILE = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>';
const TRAIL_PATH = `evidence/${ACCOUNT}/us-east-1/cloudtrail/s3/trail-bucket/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/01/${ACCOUNT}_CloudTrail_us-east-1_20261101T1005Z_a.json.gz`;
const ACCESS_PATH = `evidence/${ACCOUNT}/global/s3-access-logs/logs/access-logs/training/2026-11-01-11-00-00-AAAA`;

const record = (eventName: string, minute: number, over: Record<string, unknown> = {}) => ({
  eventVersion: '1.09',
  eventTime: `2026-11-01T10:${String(minute).padStart(2, '0')}:00Z`,
  eventSource: 'cloudtrail.amazonaws.com',
  eventName,
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.051.100.023',
  userAgent: HOSTILE,
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/${HOSTILE}`, accountId: ACCOUNT, accessKeyId: 'AKIAHOSTILE' },
  requestParameters: { name: HOSTILE },
  recipientAccountId: ACCOUNT,
  ...over,
});

let bundleDir: string;

beforeAll(async () => {
  // Records out of time order inside the file, and a record in an earlier-sorting file at the same second.
  bundleDir = await writeBundle(await tempDir('bundles'), {
    files: [
      trailFile(
        TRAIL_PATH,
        [record('DescribeTrails', 9), record('StopLogging', 5), record('StartLogging', 1)],
        ['trail-bucket', 'AWSLogs/x.json.gz'],
      ),
      {
        path: ACCESS_PATH,
        body: `79a5 training [01/Nov/2026:10:05:00 +0000] 203.0.113.66 - REQ1 REST.GET.OBJECT data/${encodeURIComponent(HOSTILE)} "GET /training/x HTTP/1.1" 200 - 10 10 1 1 "-" "curl" - hid SigV4 ECDHE AuthHeader training.s3.amazonaws.com TLSv1.2 - -\n`,
        source: 's3-access-logs',
        region: 'global',
        from: ['access-logs', 'training/2026-11-01-11-00-00-AAAA'],
      },
    ],
    gaps: [{ accountId: ACCOUNT, region: 'eu-west-1', source: 'bedrock', reason: `AccessDenied ${HOSTILE}` }],
  });
});

describe('forensight analyze', () => {
  it('writes timeline, findings and a report beside the bundle, pointing every finding at its evidence', async () => {
    const run = await runCli(['analyze', bundleDir, '--format', 'json,html']);
    expect(run.stderr).toMatch(/Verified INC-1-/);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const outDir = `${bundleDir}-analysis`;
    const analysis = JSON.parse(await readFile(join(outDir, 'findings.json'), 'utf8')) as Analysis;
    expect(analysis.derivedFrom.path).toBe(bundleDir);
    expect(analysis.derivedFrom.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    const stop = analysis.findings.find((f) => f.ruleId === 'cloudtrail-tampering')!;
    expect(stop.events[0]).toMatchObject({ action: 'StopLogging', ref: { path: TRAIL_PATH, record: 1 }, sourceIp: '198.51.100.23' });
    // The AI bucket (access-logged) read from an external IP.
    expect(
      analysis.findings.some(
        (f) => f.ruleId === 's3-ai-bucket-external-read' && f.events[0]!.ref.path === ACCESS_PATH && f.events[0]!.ref.line === 1,
      ),
    ).toBe(true);
    expect(analysis.collectionGaps).toHaveLength(1);

    const timeline = (await readFile(join(outDir, 'timeline.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TimelineEvent);
    expect(timeline.map((e) => `${e.time.slice(14, 16)} ${e.action}`)).toEqual([
      '01 StartLogging',
      '05 REST.GET.OBJECT',
      '05 StopLogging',
      '09 DescribeTrails',
    ]);
    // Same second: the tie is broken by evidence path (evidence/<acct>/global/... before evidence/<acct>/us-east-1/...).
    expect(timeline[1]!.evidenceRef.path).toBe(ACCESS_PATH);

    // Nothing was added to the sealed bundle; it still verifies.
    expect((await runCli(['verify', bundleDir])).code).toBe(0);
    const outputs = JSON.parse(await readFile(join(outDir, 'analysis-manifest.json'), 'utf8')) as { files: { path: string }[] };
    expect(outputs.files.map((f) => f.path)).toEqual(['timeline.jsonl', 'findings.json', 'incident-report.html']);
    await expect(stat(join(outDir, '.sort-runs'))).rejects.toThrow();
  });

  it('escapes every evidence string in the HTML report; no script, strict CSP', async () => {
    const page = await readFile(join(`${bundleDir}-analysis`, 'incident-report.html'), 'utf8');
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).not.toMatch(/onerror=alert\(2\)>/);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;none&#39;; style-src &#39;sha256-[A-Za-z0-9+/=]+&#39;/,
    );
    expect(page).not.toMatch(/https?:\/\//);
  });

  it('refuses to overwrite an existing output directory (exit 2)', async () => {
    const run = await runCli(['analyze', bundleDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/already exists; analysis output is never overwritten/);
  });

  it('refuses to analyse a tampered bundle (exit 1), naming the altered file', async () => {
    const copy = await copyBundle(bundleDir, 'tamper');
    await appendFile(join(copy, ACCESS_PATH), ' ');
    const out = join(await tempDir('tamper-out'), 'analysis');
    const run = await runCli(['analyze', copy, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refusing to analyse/);
    expect(run.stderr).toContain(ACCESS_PATH);
    await expect(stat(out)).rejects.toThrow();
  });

  it('refuses a bundle with an extra file, e.g. analysis written inside it (exit 1)', async () => {
    const copy = await copyBundle(bundleDir, 'extra');
    await mkdir(join(copy, 'analysis'), { recursive: true });
    await appendFile(join(copy, 'analysis', 'timeline.jsonl'), '{}\n');
    const run = await runCli(['analyze', copy, '--out', join(await tempDir('extra-out'), 'a')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/EXTRA\s+analysis\/timeline\.jsonl/);
  });

  it('usage errors exit 2 with a clear message', async () => {
    const missing = await runCli(['analyze', '/nonexistent/bundle']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/is not a directory/);
    const empty = await runCli(['analyze', await tempDir('empty')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no manifest\.json/);
    const format = await runCli(['analyze', bundleDir, '--format', 'json,xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/"xml" is not one of json, html, pdf/);
    const inside = await runCli(['analyze', bundleDir, '--out', join(bundleDir, 'analysis')]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/inside the sealed bundle/);
  });

  it('refuses --out that reaches into the bundle through a symlink (exit 2), writing nothing there', async () => {
    const dir = await tempDir('symlink');
    await symlink(bundleDir, join(dir, 'link'));
    const run = await runCli(['analyze', bundleDir, '--out', join(dir, 'link', 'analysis')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/inside the sealed bundle \(it resolves to /);
    await expect(stat(join(bundleDir, 'analysis'))).rejects.toThrow();
  });

  it('a run that fails leaves nothing at --out nor beside it, so a rerun works', async () => {
    const parent = await tempDir('failed-run');
    const outDir = join(parent, 'analysis');
    await expect(analyzeBundle({ bundleDir, outDir, formats: ['json'], now: new Date(Number.NaN) })).rejects.toThrow(RangeError);
    expect(await readdir(parent)).toEqual([]);
    const again = await analyzeBundle({ bundleDir, outDir, formats: ['json'] });
    expect(again.outDir).toBe(outDir);
    expect((await readdir(outDir)).sort()).toEqual(['analysis-manifest.json', 'findings.json', 'timeline.jsonl']);
  });

  it("--actor prints that actor's storyline on stdout: who, what it did, every event with its evidence", async () => {
    const run = await runCli(['analyze', bundleDir, '--out', join(await tempDir('actor'), 'a'), '--actor', 'AKIAHOSTILE']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Actor AKIAHOSTILE \(access-key\)/);
    expect(run.stdout).toMatch(/Storyline of AKIAHOSTILE: 3 event\(s\)/);
    expect(run.stdout).toContain(`StopLogging`);
    expect(run.stdout).toContain(`[${TRAIL_PATH}#1]`);
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    const none = await runCli(['analyze', bundleDir, '--out', join(await tempDir('actor-none'), 'a'), '--actor', '203.0.113.250']);
    expect(none.stdout).toBe('No event in the bundle belongs to 203.0.113.250.\n');
    const bad = await runCli(['analyze', bundleDir, '--actor', 'two words']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--actor: "two words" is not an access key id, ARN or IP address/);
  });

  it("--config names the organisation's own applications and expected addresses: labelled as such in the actors table, and rules honour them", async () => {
    const analyse = async (config: object | null): Promise<Analysis> => {
      const dir = await tempDir('config');
      const file = join(dir, 'analysis.json');
      if (config) await writeFile(file, JSON.stringify(config));
      const run = await runCli(['analyze', bundleDir, '--out', join(dir, 'a'), ...(config ? ['--config', file] : [])]);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(await readFile(join(dir, 'a', 'findings.json'), 'utf8')) as Analysis;
    };
    const plain = await analyse(null);
    const own = await analyse({ ownApplications: [`arn:aws:iam::${ACCOUNT}:user/*`], expectedIps: ['203.0.113.66'] });
    const classOf = (a: Analysis, key: string) => a.actors.find((x) => x.key === key)?.class;
    expect(classOf(plain, 'AKIAHOSTILE')).toBe('credential');
    expect(classOf(own, 'AKIAHOSTILE')).toBe('own-application');
    expect(classOf(plain, '203.0.113.66')).toBe('credential');
    expect(classOf(own, '203.0.113.66')).toBe('own-application');
    expect(own.actors.find((x) => x.key === 'AKIAHOSTILE')?.note).toMatch(/own application/);
    // The anonymous read from 203.0.113.66 is external until the config says that address is the organisation's.
    expect(plain.findings.map((f) => f.ruleId)).toContain('s3-ai-bucket-external-read');
    expect(own.findings.map((f) => f.ruleId)).not.toContain('s3-ai-bucket-external-read');
  });

  it('--config errors exit 2 naming the file, the bad key and the likely fix', async () => {
    const dir = await tempDir('config-bad');
    const file = join(dir, 'analysis.yaml');
    await writeFile(file, 'ownApplication:\n  - arn:aws:iam::123456789012:role/app\n');
    const run = await runCli(['analyze', bundleDir, '--config', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}: unknown setting "ownApplication" (did you mean "ownApplications"?)`);
    const missing = await runCli(['analyze', bundleDir, '--config', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--config: cannot read ".*nope\.yaml" \(ENOENT\)/);
  });

  it('--fail-on exits 1 when a finding is at or above the severity', async () => {
    const run = await runCli(['analyze', bundleDir, '--out', join(await tempDir('failon'), 'a'), '--fail-on', 'critical']);
    expect(run.code).toBe(1);
  });
});
