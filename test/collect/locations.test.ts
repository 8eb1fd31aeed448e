// #11 on moto: buckets named by https URLs (virtual-hosted and path style) in a SageMaker ModelDataUrl and a
// data-capture DestinationS3Uri are scanned and collected, and one bucketRoleTagKey from --config decides the
// AI buckets for both scan and collect.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/collect/manifest.js';
import type { ScanDocument } from '../../src/model/scan.js';
import { MOTO_ACCOUNT, SEED_CREDENTIALS, seedBucket, seedSageMakerEndpoint } from '../../demo/seed.js';
import { runCli, runScanCli } from '../support/cli.js';
import { useEmulator } from '../support/emulator.js';
import { dayPath } from './seed-collect.js';
import { cleanupTempDirs, tempDir } from './helpers.js';
import { readFileSync, readdirSync } from 'node:fs';

afterAll(cleanupTempDirs);
const env = useEmulator();

const start = new Date(Date.now() - 6 * 3_600_000);
const end = new Date(Date.now() - 3_600_000);
const at = new Date(start.getTime() + 3_600_000);
const pad = (n: number) => String(n).padStart(2, '0');
const dashed = (t: Date) =>
  `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}-${pad(t.getUTCHours())}-${pad(t.getUTCMinutes())}-${pad(t.getUTCSeconds())}`;

const MODEL_URL = 'https://vh-models.s3.us-east-1.amazonaws.com/m/model.tar.gz';
const CAPTURE_URI = 'https://s3.us-east-1.amazonaws.com/ps-capture/cap';
const captureKey = `cap/loc-ep/AllTraffic/${dayPath(at)}/${pad(at.getUTCHours())}/capture-1.jsonl`;
const accessLogKey = `ct/${dashed(at)}-0A1B2C3D4E5F6A7B`;
const otherLogKey = (prefix: string) => `${prefix}/${dashed(at)}-1A2B3C4D5E6F7A8B`;

let scan: ScanDocument;
let manifest: Manifest;
let collectCode: number;

beforeAll(async () => {
  const t = { factory: env.factory() };
  const s3 = env.factory().client(S3Client, { credentials: SEED_CREDENTIALS, region: 'us-east-1', accountId: MOTO_ACCOUNT });
  await seedBucket(t, { name: 'vh-models', versioning: true });
  await s3.send(new PutObjectCommand({ Bucket: 'vh-models', Key: 'm/model.tar.gz', Body: 'weights' }));
  await seedBucket(t, { name: 'ps-capture' });
  await s3.send(new PutObjectCommand({ Bucket: 'ps-capture', Key: captureKey, Body: '{"captureData":{}}\n' }));
  await seedSageMakerEndpoint(t, {
    name: 'loc-ep',
    model: { modelDataUrl: MODEL_URL },
    instanceType: 'ml.m5.large',
    dataCapture: { destinationS3Uri: CAPTURE_URI },
  });
  await seedBucket(t, { name: 'custom-logs', logDeliveryTarget: true });
  await seedBucket(t, {
    name: 'custom-tagged',
    tags: { 'team:ai': 'training-data' },
    accessLogging: { targetBucket: 'custom-logs', targetPrefix: 'ct/' },
  });
  await s3.send(new PutObjectCommand({ Bucket: 'custom-logs', Key: accessLogKey, Body: 'line\n' }));
  // Not AI buckets under this config: a value that is no bucket role, and the default key.
  await seedBucket(t, { name: 'custom-web', tags: { 'team:ai': 'website' }, accessLogging: { targetBucket: 'custom-logs', targetPrefix: 'cw/' } });
  await s3.send(new PutObjectCommand({ Bucket: 'custom-logs', Key: otherLogKey('cw'), Body: 'line\n' }));
  await seedBucket(t, {
    name: 'default-key',
    tags: { 'forensight:role': 'training-data' },
    accessLogging: { targetBucket: 'custom-logs', targetPrefix: 'dk/' },
  });
  await s3.send(new PutObjectCommand({ Bucket: 'custom-logs', Key: otherLogKey('dk'), Body: 'line\n' }));

  const dir = await tempDir('locations');
  const config = join(dir, 'config.json');
  await writeFile(config, JSON.stringify({ parameters: { bucketRoleTagKey: 'team:ai' } }));
  scan = (await runScanCli(env.url, join(dir, 'scan'), ['--config', config])).scan;
  const out = join(dir, 'bundles');
  const run = await runCli([
    'collect',
    '--incident',
    'INC-LOC',
    '--start',
    start.toISOString(),
    '--end',
    end.toISOString(),
    '--endpoint-url',
    env.url,
    '--regions',
    'us-east-1',
    '--sources',
    'sagemaker,s3',
    '--baseline-days',
    '0',
    '--config',
    config,
    '--out',
    out,
  ]);
  collectCode = run.code;
  const [bundle] = readdirSync(out);
  manifest = JSON.parse(readFileSync(join(out, bundle!, 'manifest.json'), 'utf8')) as Manifest;
}, 240_000);

const collected = (bucket: string, key: string) =>
  manifest.items.some((i) => i.origin.kind === 's3' && i.origin.bucket === bucket && i.origin.key === key);
const scannedBucket = (bucket: string) => scan.results.filter((r) => r.resourceArn === `arn:aws:s3:::${bucket}`).map((r) => r.checkId);

describe('S3 locations and the bucket-role tag key, scan and collect alike', () => {
  it('collect ran to the end', () => {
    expect(collectCode).toBe(0);
  });

  it('a virtual-hosted https ModelDataUrl: the bucket is judged by scan and the artifact is collected', () => {
    expect(scannedBucket('vh-models')).toContain('sagemaker-model-artifact-versioning');
    expect(collected('vh-models', 'm/model.tar.gz')).toBe(true);
  });

  it('a path-style https capture URI: the bucket is an AI bucket to scan and its capture file is collected', () => {
    expect(scannedBucket('ps-capture').length).toBeGreaterThan(0);
    expect(collected('ps-capture', captureKey)).toBe(true);
  });

  it('bucketRoleTagKey from --config: the tagged bucket is an AI bucket for scan and its access logs are collected', () => {
    expect(scannedBucket('custom-tagged')).toContain('s3-ai-bucket-access-logging');
    expect(collected('custom-logs', accessLogKey)).toBe(true);
  });

  it('a tag value that is no bucket role, or the default key under another configured key, makes no AI bucket in either', () => {
    for (const [bucket, prefix] of [
      ['custom-web', 'cw'],
      ['default-key', 'dk'],
    ] as const) {
      expect(scannedBucket(bucket), bucket).not.toContain('s3-ai-bucket-access-logging');
      expect(collected('custom-logs', otherLogKey(prefix)), bucket).toBe(false);
    }
  });
});
