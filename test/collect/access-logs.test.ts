// The date-partitioned access-log key format, which moto 5.2 cannot configure: S3 mocked.
import { Readable } from 'node:stream';
import { GetBucketLocationCommand, GetBucketLoggingCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import pLimit from 'p-limit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';
import type { RoleChain } from '../../src/aws/credentials.js';
import { BundleWriter } from '../../src/collect/bundle.js';
import { BucketResolver, type CollectContext } from '../../src/collect/sources/context.js';
import { collectAccessLogs } from '../../src/collect/sources/s3.js';
import { DEFAULT_STREAM_LIMITS } from '../../src/collect/parsers/stream-reader.js';
import { RateLimiters } from '../../src/collect/throttle.js';
import { ACTOR, tempDir, cleanupTempDirs } from './helpers.js';

afterAll(cleanupTempDirs);

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

describe('S3 access logs, date-partitioned format', () => {
  it('lists <prefix><account>/<region>/<bucket>/YYYY/MM/DD/ for each day and copies the window files', async () => {
    const bundle = await BundleWriter.create(await tempDir('partitioned'), 'INC-P', ACTOR);
    const factory = new ClientFactory();
    const chain = { forAccount: () => async () => ({ accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'x' }) } as unknown as RoleChain;
    const ctx: CollectContext = {
      factory,
      chain,
      bundle,
      window: { start: new Date('2026-11-01T00:00Z'), end: new Date('2026-11-02T00:00Z') },
      filter: {},
      events: { add: () => undefined, tally: () => undefined, keepsRecords: false },
      downloads: pLimit(2),
      buckets: new BucketResolver(factory, chain, 'us-east-1'),
      lookupLimiters: new RateLimiters(2),
      homeRegion: 'us-east-1',
      organizationId: null,
      accounts: new Map([['111122223333', ['eu-west-1']]]),
      limits: DEFAULT_STREAM_LIMITS,
      phase: 'incident',
      claimed: new Set(),
      parsers: null,
    };
    ctx.buckets.owners.set('training', '111122223333');
    ctx.buckets.owners.set('logs', '111122223333');
    s3.on(GetBucketLocationCommand, { Bucket: 'training' }).resolves({ LocationConstraint: 'eu-west-1' });
    s3.on(GetBucketLocationCommand, { Bucket: 'logs' }).resolves({ LocationConstraint: 'EU' });
    s3.on(GetBucketLoggingCommand).resolves({
      LoggingEnabled: {
        TargetBucket: 'logs',
        TargetPrefix: 'acc/',
        TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } },
      },
    });
    const base = 'acc/111122223333/eu-west-1/training/2026/11/01/';
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    s3.on(ListObjectsV2Command, { Prefix: base }).resolves({
      Contents: [{ Key: `${base}2026-11-01-10-00-00-ABCDEF0123456789` }, { Key: `${base}notes.txt` }],
    });
    s3.on(GetObjectCommand).callsFake(async () => ({
      Body: Readable.from([Buffer.from('log line\n')]) as never,
      VersionId: 'null',
      ETag: '"abc"',
      $metadata: { requestId: 'r' },
    }));
    const result = await collectAccessLogs(ctx, '111122223333', 'training');
    expect(result.files).toBe(1);
    const prefixes = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix);
    expect(prefixes).toEqual(['acc/111122223333/eu-west-1/training/2026/11/01/', 'acc/111122223333/eu-west-1/training/2026/11/02/']);
    const copied = bundle.items.find((i) => i.origin.kind === 's3' && i.path.includes('/s3-access-logs/logs/'))!;
    // A listed object that is not named like an access log is preserved too, apart, and never parsed as one.
    const other = bundle.items.find((i) => i.origin.kind === 's3' && i.origin.key.endsWith('notes.txt'))!;
    expect(other.path).toMatch(/\/s3-access-logs\/logs-unrecognised\/logs\/acc%2F\/.*notes\.txt$/);
    expect(copied.origin).toMatchObject({ uri: `s3://logs/${base}2026-11-01-10-00-00-ABCDEF0123456789`, versionId: null, etag: '"abc"' });
    expect(copied.region).toBe('eu-west-1');
    expect(bundle.gaps).toEqual([]);
  });
});
