// The scan's call budget, proven from its own call log on the emulator, on the benchmark's Organization shape
// (one model bucket, endpoint and log group per member and workload region): every account-wide answer read
// once per account, not per region; nothing read that no check judges; and nothing left unread.
import { beforeAll, describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { defaultParameters } from '../../checks/parameters.js';
import { seedBenchOrganization, type BenchOrganization } from '../../bench/org-shape.js';
import { callBudget, type RecordedCall } from '../../src/aws/recorder.js';
import { parseTargetOptions } from '../../src/cli/common.js';
import type { ScanDocument } from '../../src/model/scan.js';
import { runScan } from '../../src/scan/runner.js';
import { useEmulator } from '../support/emulator.js';
import { installMotoStubs } from '../../demo/seed.js';

const env = useEmulator();
const REGIONS = ['us-east-1', 'eu-west-1'];
/** Scanned too, with nothing in it: what an account-region without AI workloads costs. */
const EMPTY_REGION = 'us-west-2';
let org: BenchOrganization;
let calls: RecordedCall[];
let document: ScanDocument;

beforeAll(async () => {
  const factory = env.factory();
  installMotoStubs(env.proxy);
  org = await seedBenchOrganization(factory, { members: 3, regions: REGIONS });
  factory.destroy();
  const target = parseTargetOptions({
    org: true,
    roleName: 'ForensightReadOnly',
    regions: [...REGIONS, EMPTY_REGION].join(','),
    endpointUrl: env.url,
    concurrency: '8',
  });
  const run = await runScan({ target, checks: allChecks, params: defaultParameters, toolVersion: '0.0.0-test' });
  run.session.factory.destroy();
  calls = run.session.factory.recorder.calls;
  document = run.document;
}, 240_000);

describe('scan call budget', () => {
  it('an account-region without AI workloads costs at most 28 calls: the footprint and AI data-event listings, flow logs and log groups', () => {
    for (const member of org.memberAccountIds) {
      const inRegion = calls.filter((c) => c.accountId === member && c.region === EMPTY_REGION);
      expect(inRegion.length, member).toBeLessThanOrEqual(28);
      // GuardDuty and Config are judged only where AI workloads are: not read here.
      expect(
        inRegion.filter((c) => c.service === 'guardduty' || c.service === 'config'),
        member,
      ).toEqual([]);
    }
    expect(
      document.results
        .filter(
          (r) =>
            r.region === EMPTY_REGION &&
            org.memberAccountIds.includes(r.accountId) &&
            ['guardduty-enabled', 'config-recorder-ai'].includes(r.checkId),
        )
        .map((r) => r.status),
    ).toEqual(org.memberAccountIds.flatMap(() => ['NOT_APPLICABLE', 'NOT_APPLICABLE']));
  });

  it('a workload account-region (one endpoint, one model bucket) costs at most 39 calls, with nothing left unread', () => {
    const regions = REGIONS.length + 1;
    const budget = callBudget(calls, Object.fromEntries(org.memberAccountIds.map((id) => [id, regions])));
    expect(document.results.filter((r) => r.status === 'NOT_ASSESSED').map((r) => r.reason.slice(0, 160))).toEqual([]);
    for (const member of org.memberAccountIds) {
      const inEmpty = calls.filter((c) => c.accountId === member && c.region === EMPTY_REGION).length;
      // AssumeRole into the member is made with the management account's credentials: count it for the member.
      const perWorkloadRegion = (budget.perAccountRegion[member]! * regions - inEmpty + 1) / REGIONS.length;
      expect(perWorkloadRegion, member).toBeLessThanOrEqual(39);
    }
  });

  it("reads account-wide answers once per account, and a bucket's region from the listing", () => {
    // member-0002: no data capture, so its model buckets are not log buckets.
    const member = org.memberAccountIds[1]!;
    const count = (action: string): number => calls.filter((c) => c.accountId === member && `${c.service}:${c.action}` === action).length;
    expect(count('s3:ListBuckets')).toBe(1);
    expect(count('cloudtrail:ListTrails')).toBe(1);
    expect(count('cloudtrail:DescribeTrails')).toBe(0);
    expect(count('s3:GetBucketLocation')).toBe(0);
    // Default regions need no DescribeRegions; model buckets need versioning and logging, not Object Lock or replication.
    expect(count('ec2:DescribeRegions')).toBe(0);
    expect(count('s3:GetBucketVersioning')).toBe(REGIONS.length);
    expect(count('s3:GetBucketLogging')).toBe(REGIONS.length);
    expect(count('s3:GetObjectLockConfiguration') + count('s3:GetBucketReplication')).toBe(0);
  });
});
