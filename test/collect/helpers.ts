// Shared helpers of the collect tests: a small sealed bundle on disk, and copies to tamper with.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BundleWriter } from '../../src/collect/bundle.js';
import type { CustodyActor } from '../../src/collect/custody.js';
import type { ManifestHeader } from '../../src/collect/manifest.js';

export const ACTOR: CustodyActor = {
  tool: 'forensight',
  toolVersion: '0.0.0-test',
  callerArn: 'arn:aws:iam::123456789012:user/tester',
  sessionName: 'forensight-collect-test',
  osUser: 'tester',
  host: 'test',
};

export function header(bundleId: string): ManifestHeader {
  return {
    bundleId,
    incident: 'INC-1',
    window: { start: '2026-11-01T00:00:00.000Z', end: '2026-11-02T00:00:00.000Z' },
    baselineWindow: null,
    scope: { organization: null, accounts: [{ accountId: '123456789012', name: 'test', regions: ['us-east-1'], status: 'COLLECTED' }] },
    sources: ['cloudtrail'],
    filters: {},
    collector: {
      tool: 'forensight',
      version: '0.0.0-test',
      callerArn: ACTOR.callerArn,
      callerAccountId: '123456789012',
      sessionNames: [ACTOR.sessionName],
      roleName: null,
      osUser: 'tester',
      host: 'test',
    },
    startedAt: '2026-11-03T00:00:00.000Z',
  };
}

const created: string[] = [];

export async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `forensight-collect-test-${label}-`));
  created.push(dir);
  return dir;
}

/** Removes the temporary directories this test file created (call from afterAll). */
export async function cleanupTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A sealed bundle with a few files of each kind. */
export async function makeBundle(outDir: string): Promise<string> {
  const writer = await BundleWriter.create(outDir, 'INC-1', ACTOR);
  const meta = { accountId: '123456789012', region: 'us-east-1', source: 'cloudtrail' as const };
  await writer.writeBytes('evidence/123456789012/us-east-1/cloudtrail/s3/trail/a.json.gz', Buffer.from([0x1f, 0x8b, 1, 2, 3]), {
    ...meta,
    origin: {
      kind: 's3',
      uri: 's3://trail/a.json.gz',
      bucket: 'trail',
      key: 'a.json.gz',
      versionId: 'v1',
      etag: '"e"',
      lastModified: null,
      readVia: '123456789012',
      requestId: 'r1',
    },
  });
  await writer.writeJson(
    'evidence/123456789012/us-east-1/cloudtrail/config/describe-trails.json',
    { trailList: [] },
    {
      ...meta,
      origin: { kind: 'api', service: 'cloudtrail', action: 'DescribeTrails', accountId: '123456789012', region: 'us-east-1', requestId: 'r2' },
    },
  );
  await writer.writeBytes('analysis/events.jsonl', '{"a":1}\n', {
    accountId: 'all',
    region: 'all',
    source: 'analysis',
    origin: { kind: 'derived', description: 'test' },
  });
  await writer.addGap({ accountId: '123456789012', region: 'eu-west-1', source: 'sagemaker', reason: 'AccessDenied on sagemaker:ListEndpoints' });
  await writer.seal(header(writer.id), { apiCalls: 3, durationMs: 10 });
  return writer.dir;
}

export async function copyBundle(dir: string, label: string): Promise<string> {
  const to = join(await tempDir(label), 'bundle');
  await cp(dir, to, { recursive: true, verbatimSymlinks: true });
  return to;
}
