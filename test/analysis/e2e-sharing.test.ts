// End to end on moto: exfiltration by sharing, exposure and destruction. Records of an intruder sharing a snapshot
// (with an outside account, and with an Organization account), opening an AI bucket to everyone, deleting its
// objects and scheduling its KMS key for deletion are dropped into a delivered trail file; the bundle is collected
// and analysed through main(), and each step is one finding pointing at its record in the preserved file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectResult } from '../../src/collect/collector.js';
import { installMotoStubs } from '../../demo/seed.js';
import type { Analysis } from '../../src/analysis/run.js';
import { useEmulator } from '../support/emulator.js';
import type { CliRun } from '../support/cli.js';
import { seedCollectWorld, type CollectWorld } from '../collect/seed-collect.js';
import { cleanupTempDirs } from './helpers.js';
import { dropCollectAnalyze } from './trail-drop.js';

afterAll(cleanupTempDirs);
const env = useEmulator();

const OUTSIDE = '999988887777';
const KEY = 'AKIASHARER000000001';
const IP = '203.0.113.77';
const DELETED = 120;
let world: CollectWorld;
let result: CollectResult;
let trailKey: string;
let run: CliRun;
let analysis: Analysis;

const iso = (t: Date) => t.toISOString().replace(/\.\d{3}Z$/, 'Z');

function records(W: string, at: Date, L: string): Record<string, unknown>[] {
  let n = 0;
  const rec = (eventSource: string, eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
    eventVersion: '1.09',
    eventTime: iso(new Date(at.getTime() + n++ * 1000)),
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: IP,
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${W}:user/sharer`, accountId: W, accessKeyId: KEY, userName: 'sharer' },
    requestParameters,
    responseElements: null,
    requestID: `share-${n}`,
    eventID: `share-ev-${n}`,
    recipientAccountId: W,
    eventType: 'AwsApiCall',
    ...over,
  });
  const share = (userId: string) =>
    rec('ec2.amazonaws.com', 'ModifySnapshotAttribute', {
      snapshotId: `snap-${userId}`,
      attributeType: 'CREATE_VOLUME_PERMISSION',
      createVolumePermission: { add: { items: [{ userId }] } },
    });
  return [
    share(L),
    share(OUTSIDE),
    rec('s3.amazonaws.com', 'PutBucketPolicy', {
      bucketName: 'workload-training',
      bucketPolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::workload-training/*' }],
      },
    }),
    ...Array.from({ length: DELETED }, (_, i) =>
      rec(
        's3.amazonaws.com',
        'DeleteObject',
        { bucketName: 'workload-training', key: `wipe/part-${i}.parquet` },
        { eventCategory: 'Data', managementEvent: false, readOnly: false },
      ),
    ),
    rec(
      'kms.amazonaws.com',
      'ScheduleKeyDeletion',
      { keyId: `arn:aws:kms:us-east-1:${W}:key/00000000-1111-2222-3333-444444444444`, pendingWindowInDays: 7 },
      { responseElements: { keyState: 'PendingDeletion' } },
    ),
  ];
}

beforeAll(async () => {
  world = await seedCollectWorld(env.factory(), installMotoStubs(env.proxy));
  const W = world.workload;
  const at = new Date(world.window.start.getTime() + 6 * 3_600_000 + 11 * 60_000);
  ({ trailKey, result, run, analysis } = await dropCollectAnalyze(env, world, {
    at,
    label: 'share',
    incident: 'INC-88',
    records: records(W, at, world.logArchive),
  }));
}, 240_000);

describe('sharing, exposure and destruction on moto, through collect and analyze', () => {
  const of = (ruleId: string) => analysis.findings.filter((f) => f.ruleId === ruleId && f.actorKey === KEY);
  const preserved = (path: string) => result.manifest.items.find((i) => i.path === path);

  it('exits 0', () => {
    expect(run.code, run.stderr).toBe(0);
  });

  it('the snapshot shared outside the Organization is one finding; the share with an Organization account is none', () => {
    const found = of('resource-shared-external');
    expect(found.map((f) => f.summary)).toEqual([
      `${`arn:aws:iam::${world.workload}:user/sharer`} shared EBS snapshot snap-${OUTSIDE} with account(s) ${OUTSIDE} outside the Organization`,
    ]);
    expect(found[0]!.severity).toBe('high');
    expect(found[0]!.actions.map((a) => a.kind)).toEqual(['deactivate-access-key', 'review']);
    const ref = found[0]!.events[0]!.ref;
    expect(ref.record).toBe(1);
    expect(preserved(ref.path)?.origin).toMatchObject({ kind: 's3', bucket: 'org-trail-archive', key: trailKey });
  });

  it('the AI bucket opened to everyone is critical', () => {
    const found = of('s3-resource-exposed');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'critical', target: 's3://workload-training' });
    expect(found[0]!.summary).toMatch(/opened s3:\/\/workload-training to everyone \(public\) with a bucket policy/);
  });

  it('the deletions are one mass deletion counting every object once', () => {
    const found = of('s3-mass-deletion');
    expect(found).toHaveLength(1);
    expect(found[0]!.summary).toMatch(new RegExp(`deleted ${DELETED} object\\(s\\) from s3://workload-training`));
    expect(found[0]!.eventCount).toBe(DELETED);
    expect(found[0]!.accessKeyIds).toEqual([KEY]);
  });

  it('the key scheduled for deletion says when it goes and what cannot be known', () => {
    const found = of('kms-key-destruction');
    expect(found).toHaveLength(1);
    expect(found[0]!.summary).toMatch(/scheduled for deletion on .*which data it encrypts, AI data or logs, is not in CloudTrail/);
    expect(found[0]!.actions.some((a) => /CancelScheduleKeyDeletion/.test(a.text))).toBe(true);
  });
});
