// `forensight hunt --out`: what the query found becomes a normal sealed bundle that verify accepts and analyze
// reads. Athena names log files: they are copied byte-exact from the trail bucket (moto's S3), a file that is
// gone is a gap. CloudTrail Lake holds events: the eventJson pages are the evidence (Lake stubbed in the proxy).
// The event is a real public CloudTrail record (Bedrock InvokeModel, from the shared fixtures).
// The log files go through collect's own trail-file copy: a file over the expanded-size limit and a decompression
// bomb are preserved whole with a gap naming them, as collect does; the download cap holds (a proxy gate shows it).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';
import { sha256Hex } from '../../src/collect/canonical.js';
import type { Manifest } from '../../src/collect/manifest.js';
import type { StreamLimits } from '../../src/collect/parsers/stream-reader.js';
import { verifyBundle } from '../../src/collect/verify.js';
import { collectAthenaFiles, writeHuntBundle, type HuntBundleOptions } from '../../src/hunt/collect.js';
import { buildRoleTemplate } from '../../src/collect/role-template.js';
import { iamActionsFor } from '../../src/collect/iam-actions.js';
import { runCli } from '../support/cli.js';
import { TEST_CREDENTIALS, useEmulator } from '../support/emulator.js';
import { stubLake } from '../support/lake-stub.js';

const env = useEmulator();
const FIXTURE = '/work/shared/fixtures/public/cloudtrail/amazon-bedrock-InvokeModel.json';
const ACCOUNT = '956882123456';
const BUCKET = 'org-trail-logs';
const KEY = `AWSLogs/o-abcdefghij/${ACCOUNT}/CloudTrail/us-west-2/2024/10/01/${ACCOUNT}_CloudTrail_us-west-2_20241001T1155Z_hunt0001.json.gz`;
const GONE = `AWSLogs/o-abcdefghij/${ACCOUNT}/CloudTrail/us-west-2/2024/10/01/${ACCOUNT}_CloudTrail_us-west-2_20241001T1200Z_gone0001.json.gz`;
const INDICATORS = ['--access-key-id', 'AKIA12345EXAMPLE67890', '--start', '2024-10-01T00:00:00Z', '--end', '2024-10-02T00:00:00Z'];

let record: Record<string, unknown>;
let trailFile: Buffer;

const row = (...v: string[]) => ({ Data: v.map((VarCharValue) => ({ VarCharValue })) });

async function cannedAthenaRows(rows: ReturnType<typeof row>[]): Promise<void> {
  const res = await fetch(`${env.moto.url}/moto-api/static/athena/query-results`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account_id: '123456789012', region: 'us-east-1', results: [{ rows, column_info: [] }] }),
  });
  expect(res.status).toBe(201);
}

async function seedTrailBucket(files: [key: string, body: Buffer][] = [[KEY, trailFile]]): Promise<void> {
  const s3 = new S3Client({ endpoint: env.url, forcePathStyle: true, region: 'us-east-1', credentials: TEST_CREDENTIALS });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const [key, body] of files) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

/** A trail file key of the hunted account's us-west-2 day folder, named `unique`. */
const trailKey = (unique: string) =>
  `AWSLogs/o-abcdefghij/${ACCOUNT}/CloudTrail/us-west-2/2024/10/01/${ACCOUNT}_CloudTrail_us-west-2_20241001T1155Z_${unique}.json.gz`;

/** An Athena hunt that matched `keys`, collected into a bundle by collectAthenaFiles directly (to set limits and the cap). */
async function huntBundle(keys: string[], extra: Partial<HuntBundleOptions> = {}) {
  const o: HuntBundleOptions = {
    factory: new ClientFactory({ endpoint: env.url, maxAttempts: 2 }),
    credentials: TEST_CREDENTIALS,
    region: 'us-east-1',
    caller: { arn: 'arn:aws:iam::123456789012:user/responder', accountId: '123456789012' },
    outDir: await mkdtemp(join(tmpdir(), 'hunt-copy-')),
    incident: 'INC-81',
    indicators: { accessKeyIds: ['AKIA12345EXAMPLE67890'], principals: [], sourceIps: [], eventNames: [], ...WINDOW },
    via: 'athena',
    sql: 'SELECT 1',
    result: {
      queryId: 'q-copy',
      rejectedRows: 0,
      matches: keys.map((key) => ({ account: ACCOUNT, region: 'us-west-2', day: '2024/10/01', path: `s3://${BUCKET}/${key}`, matches: 1 })),
    },
    ...extra,
  };
  return writeHuntBundle(o, (writer) => collectAthenaFiles(writer, o));
}
const WINDOW = { start: new Date('2024-10-01T00:00:00Z'), end: new Date('2024-10-02T00:00:00Z') };

async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

const bundleDirOf = (stdout: string) => /into (\S+) \(/.exec(stdout)?.[1] ?? '';
const shaOf = (stdout: string) => /--expect ([0-9a-f]{64})/.exec(stdout)?.[1] ?? '';

async function analyzedActions(bundleDir: string): Promise<string[]> {
  const out = `${bundleDir}-analysis`;
  const run = await runCli(['analyze', bundleDir, '--out', out]);
  expect(run.code, run.stderr).toBeLessThanOrEqual(1);
  const lines = (await readFile(join(out, 'timeline.jsonl'), 'utf8')).trim().split('\n');
  return lines.map((l) => (JSON.parse(l) as { action: string; actorKey: string | null }).action);
}

beforeAll(async () => {
  record = JSON.parse(await readFile(FIXTURE, 'utf8')) as Record<string, unknown>;
  trailFile = gzipSync(Buffer.from(JSON.stringify({ Records: [record] })));
});

describe('forensight hunt --out (emulator)', () => {
  it('Athena: the matched log file is copied byte-exact, the missing one is a gap, and verify and analyze accept the bundle', async () => {
    await env.reset();
    await seedTrailBucket();
    await cannedAthenaRows([
      row('path', 'account', 'region', 'day', 'matches'),
      row(`s3://${BUCKET}/${KEY}`, ACCOUNT, 'us-west-2', '2024/10/01', '1'),
      row(`s3://${BUCKET}/${GONE}`, ACCOUNT, 'us-west-2', '2024/10/01', '3'),
    ]);
    const out = await mkdtemp(join(tmpdir(), 'hunt-athena-'));
    const run = await runCli([
      'hunt',
      ...INDICATORS,
      '--output-location',
      's3://athena-results/',
      '--out',
      out,
      '--incident',
      'INC-77',
      '--endpoint-url',
      env.url,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const dir = bundleDirOf(run.stdout);
    const manifest = await readManifest(dir);
    const copied = manifest.items.filter((i) => i.origin.kind === 's3');
    expect(copied).toHaveLength(1);
    expect(copied[0]).toMatchObject({ source: 'cloudtrail', accountId: ACCOUNT, region: 'us-west-2', origin: { uri: `s3://${BUCKET}/${KEY}` } });
    expect(await readFile(join(dir, copied[0]!.path))).toEqual(trailFile);
    expect(manifest.gaps).toEqual([expect.objectContaining({ accountId: ACCOUNT, target: `s3://${BUCKET}/${GONE}`, source: 'cloudtrail' })]);
    expect(manifest.scope.accounts).toEqual([expect.objectContaining({ accountId: ACCOUNT, status: 'PARTIAL', regions: ['us-west-2'] })]);
    expect(manifest.filters).toMatchObject({ hunt: 'athena', accessKeyIds: ['AKIA12345EXAMPLE67890'] });
    const custody = await readFile(join(dir, 'custody.jsonl'), 'utf8');
    expect(custody).toContain('"action":"hunt-query"');
    expect(custody).toContain('AKIA12345EXAMPLE67890');

    const verified = await runCli(['verify', dir, '--expect', shaOf(run.stdout)]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(await analyzedActions(dir)).toContain('InvokeModel');
  });

  it('Lake: the match query says where, the eventJson pages are the evidence, and analyze reads the events from them', async () => {
    await env.reset();
    const lake = stubLake(env.proxy, {
      matchRows: [[{ account: ACCOUNT }, { region: 'us-west-2' }, { day: '2024-10-01' }, { matches: '1' }]],
      eventRows: [[{ eventJson: JSON.stringify(record) }], [{ eventJson: JSON.stringify({ ...record, eventID: 'second', eventName: 'Converse' }) }]],
      pageSize: 1,
    });
    try {
      const out = await mkdtemp(join(tmpdir(), 'hunt-lake-'));
      const run = await runCli([
        'hunt',
        ...INDICATORS,
        '--event-data-store',
        'eds-0123abcd',
        '--out',
        out,
        '--incident',
        'INC-78',
        '--endpoint-url',
        env.url,
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(lake.statements).toHaveLength(2);
      expect(lake.statements[1]).toMatch(/^SELECT eventJson FROM eds-0123abcd\nWHERE /);
      const dir = bundleDirOf(run.stdout);
      const manifest = await readManifest(dir);
      const pages = manifest.items.filter((i) => i.path.includes('/cloudtrail/lake-events/'));
      expect(pages).toHaveLength(2);
      expect(pages[0]!.origin).toMatchObject({ kind: 'api', service: 'cloudtrail', action: 'GetQueryResults' });
      expect(manifest.scope.accounts).toEqual([expect.objectContaining({ accountId: ACCOUNT, status: 'COLLECTED' })]);
      const verified = await runCli(['verify', dir, '--expect', shaOf(run.stdout)]);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect((await analyzedActions(dir)).sort()).toEqual(['Converse', 'InvokeModel']);
    } finally {
      lake.remove();
    }
  });

  it('every call the hunt made is allowed by the separate hunt policy of the role template', () => {
    const called = new Set(env.proxy.requests.filter((r) => r.service !== 'sts').map((r) => `${r.service}:${r.action}`));
    expect(called.size).toBeGreaterThan(0);
    const policy = buildRoleTemplate().Resources.ForensightHuntPolicy as {
      Condition: string;
      Properties: { PolicyDocument: { Statement: { Action: string[] }[] } };
    };
    expect(policy.Condition).toBe('CreateHuntPolicy');
    const allowed = new Set(policy.Properties.PolicyDocument.Statement.flatMap((s) => s.Action));
    const missing = [...called]
      .flatMap((c) => iamActionsFor(c.split(':')[0]!, c.split(':')[1]!))
      .filter((a) => !allowed.has(a) && a !== 's3:GetObjectVersion');
    expect(missing).toEqual([]);
  });

  it('a bad --out is refused with exit 2 before any query runs', async () => {
    env.proxy.resetCounters();
    const noIncident = await runCli(['hunt', ...INDICATORS, '--out', tmpdir(), '--endpoint-url', env.url]);
    expect(noIncident.code).toBe(2);
    expect(noIncident.stderr).toContain('--incident');
    const bundle = await mkdtemp(join(tmpdir(), 'hunt-inside-'));
    await cannedAthenaRows([row('path', 'account', 'region', 'day', 'matches')]);
    const first = await runCli([
      'hunt',
      ...INDICATORS,
      '--output-location',
      's3://athena-results/',
      '--out',
      bundle,
      '--incident',
      'INC-79',
      '--endpoint-url',
      env.url,
    ]);
    expect(first.code, first.stderr).toBe(0);
    env.proxy.resetCounters();
    const inside = await runCli([
      'hunt',
      ...INDICATORS,
      '--out',
      join(bundleDirOf(first.stdout), 'x'),
      '--incident',
      'INC-80',
      '--endpoint-url',
      env.url,
    ]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/inside the sealed bundle/);
    expect(env.proxy.requests).toHaveLength(0);
  });

  it('a matched file over the expanded-size limit is preserved whole, a gap names it and the limit, and the bundle verifies', async () => {
    await env.reset();
    const limits: StreamLimits = { maxExpandedBytes: 64 * 1024, maxRecordBytes: 16 * 1024 };
    const big = Buffer.from(JSON.stringify({ Records: Array.from({ length: 100 }, (_, i) => ({ ...record, eventID: `big-${i}` })) }));
    expect(big.length).toBeGreaterThan(limits.maxExpandedBytes);
    const bigKey = trailKey('big00001');
    await seedTrailBucket([
      [KEY, trailFile],
      [bigKey, big],
    ]);
    const bundle = await huntBundle([KEY, bigKey], { limits });
    expect(bundle.files).toBe(2);
    const item = bundle.manifest.items.find((i) => i.origin.kind === 's3' && i.origin.uri === `s3://${BUCKET}/${bigKey}`);
    expect(item).toMatchObject({ bytes: big.length, sha256: sha256Hex(big), source: 'cloudtrail', accountId: ACCOUNT, region: 'us-west-2' });
    expect(await readFile(join(bundle.bundleDir, item!.path))).toEqual(big);
    expect(bundle.manifest.gaps).toEqual([
      expect.objectContaining({
        target: `s3://${BUCKET}/${bigKey}`,
        reason: `Preserved byte-exact as ${item!.path}, but not fully analysed: s3://${BUCKET}/${bigKey} runs past 65536 bytes (the expanded-size limit); records after that point were not read`,
      }),
    ]);
    expect((await verifyBundle(bundle.bundleDir, { expectSha256: bundle.manifestSha256 })).problems).toEqual([]);
  });

  it('hunt --max-expanded-bytes sets the limit as collect does, and a bad size is refused with exit 2 before any query', async () => {
    await env.reset();
    const big = Buffer.from(JSON.stringify({ Records: Array.from({ length: 100 }, (_, i) => ({ ...record, eventID: `cli-${i}` })) }));
    const bigKey = trailKey('cli00001');
    await seedTrailBucket([[bigKey, big]]);
    await cannedAthenaRows([
      row('path', 'account', 'region', 'day', 'matches'),
      row(`s3://${BUCKET}/${bigKey}`, ACCOUNT, 'us-west-2', '2024/10/01', '1'),
    ]);
    const args = ['hunt', ...INDICATORS, '--output-location', 's3://athena-results/', '--incident', 'INC-82', '--endpoint-url', env.url];
    const run = await runCli([...args, '--out', await mkdtemp(join(tmpdir(), 'hunt-limit-')), '--max-expanded-bytes', '64K']);
    expect(run.code, run.stderr).toBe(0);
    const manifest = await readManifest(bundleDirOf(run.stdout));
    expect(manifest.gaps).toEqual([
      expect.objectContaining({
        target: `s3://${BUCKET}/${bigKey}`,
        reason: expect.stringContaining('runs past 65536 bytes (the expanded-size limit)'),
      }),
    ]);
    env.proxy.resetCounters();
    const bad = await runCli([...args, '--out', tmpdir(), '--max-expanded-bytes', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-expanded-bytes');
    const withoutOut = await runCli([...args.filter((a) => a !== '--incident' && a !== 'INC-82'), '--max-record-bytes', '1M']);
    expect(withoutOut.code).toBe(2);
    expect(withoutOut.stderr).toMatch(/only apply with --out/);
    expect(env.proxy.requests).toHaveLength(0);
  });

  it('a decompression bomb among the matched files stops inflating at the limit and is a gap, as collect records it', async () => {
    await env.reset();
    // As collect's bomb test (test/collect/stream.test.ts): padding inside a valid document, about 32 KiB gzipped.
    const limits: StreamLimits = { maxExpandedBytes: 1 << 20, maxRecordBytes: 64 * 1024 };
    const bomb = gzipSync(
      Buffer.concat([
        Buffer.from(`{"Records":[${JSON.stringify(record)},`),
        Buffer.alloc(32 * 1024 * 1024, 0x20),
        Buffer.from('{"eventName":"Last"}]}'),
      ]),
    );
    expect(bomb.length).toBeLessThan(256 * 1024);
    const bombKey = trailKey('bomb0001');
    await seedTrailBucket([
      [KEY, trailFile],
      [bombKey, bomb],
    ]);
    const bundle = await huntBundle([bombKey, KEY], { limits });
    const item = bundle.manifest.items.find((i) => i.origin.kind === 's3' && i.origin.uri === `s3://${BUCKET}/${bombKey}`);
    expect(item).toMatchObject({ bytes: bomb.length, sha256: sha256Hex(bomb) });
    expect(bundle.manifest.gaps).toHaveLength(1);
    expect(bundle.manifest.gaps[0]).toMatchObject({ target: `s3://${BUCKET}/${bombKey}`, source: 'cloudtrail' });
    expect(bundle.manifest.gaps[0]!.reason).toBe(
      `Preserved byte-exact as ${item!.path}, but not fully analysed: s3://${BUCKET}/${bombKey} expands past ${limits.maxExpandedBytes} bytes (the expanded-size limit); records after that point were not read`,
    );
    expect((await verifyBundle(bundle.bundleDir)).ok).toBe(true);
  });

  it('matched files are copied concurrently up to the download cap, never more', async () => {
    await env.reset();
    const keys = ['c1', 'c2', 'c3', 'c4', 'c5'].map((u) => trailKey(`${u}000001`));
    await seedTrailBucket(keys.map((k) => [k, trailFile]));
    const downloads = pLimit(2);
    // Every GetObject waits at the proxy until two are held at once; then the limiter must hold back the other three.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let atGate: { arrived: number; active: number; pending: number } | null = null;
    let arrived = 0;
    const stop = env.proxy.onRequest((r) => {
      if (r.service !== 's3' || r.action !== 'GetObject') return;
      arrived++;
      if (arrived === 2) {
        atGate = { arrived, active: downloads.activeCount, pending: downloads.pendingCount };
        open();
      }
    });
    env.proxy.addRule({ match: { service: 's3', action: 'GetObject' }, hold: gate });
    env.proxy.resetCounters();
    try {
      const bundle = await huntBundle(keys, { downloads });
      expect(atGate).toEqual({ arrived: 2, active: 2, pending: 3 });
      expect(bundle.files).toBe(5);
      expect(bundle.manifest.gaps).toEqual([]);
      expect(env.proxy.requests.filter((r) => r.action === 'GetObject')).toHaveLength(5);
      expect(env.proxy.peakInFlight).toBe(2);
    } finally {
      stop();
    }
  });
});
