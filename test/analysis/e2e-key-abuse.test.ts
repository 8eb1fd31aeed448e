// End to end on moto for what a leaked key does first and what it plants: a TruffleHog check of the key, SES
// sending-capability probes, Lambda code replaced and an outside layer attached, a bucket object re-encrypted under a
// customer-provided key with a ransom note beside it, and AWS's quarantine policy on the key's user. The records are
// dropped into a delivered trail file, collected into a bundle, analysed through main(), and each finding is followed
// back to its record in the preserved trail file.
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

const KEY = 'AKIALEAKEDKEYABUSE01';
const IP = '203.0.113.202';
const SSE_C = { 'x-amz-server-side-encryption-customer-algorithm': 'AES256' };
let world: CollectWorld;
let result: CollectResult;
let trailKey: string;
let analysis: Analysis;
let run: CliRun;

interface Step {
  eventSource: string;
  eventName: string;
  requestParameters: unknown;
  userAgent?: string;
  data?: boolean;
}
/** The steps, in order; each record's index in the trail file is what the findings must point at. */
const STEPS: Step[] = [
  { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', requestParameters: null, userAgent: 'TruffleHog' },
  { eventSource: 'ses.amazonaws.com', eventName: 'GetSendQuota', requestParameters: null },
  { eventSource: 'ses.amazonaws.com', eventName: 'GetAccountSendingEnabled', requestParameters: null },
  { eventSource: 'ses.amazonaws.com', eventName: 'ListIdentities', requestParameters: { identityType: 'EmailAddress' } },
  {
    eventSource: 'lambda.amazonaws.com',
    eventName: 'UpdateFunctionCode20150331v2',
    requestParameters: { functionName: 'orders-api', publish: true },
  },
  {
    eventSource: 'lambda.amazonaws.com',
    eventName: 'UpdateFunctionConfiguration20150331v2',
    requestParameters: { functionName: 'orders-api', layers: ['arn:aws:lambda:us-east-1:999988887777:layer:spy-extension:1'] },
  },
  {
    eventSource: 's3.amazonaws.com',
    eventName: 'CopyObject',
    requestParameters: {
      bucketName: 'feature-store',
      key: 'train/part-0.parquet',
      'x-amz-copy-source': 'feature-store/train/part-0.parquet',
      ...SSE_C,
    },
    data: true,
  },
  {
    eventSource: 's3.amazonaws.com',
    eventName: 'PutObject',
    requestParameters: { bucketName: 'feature-store', key: 'HOW_TO_DECRYPT_FILES.txt' },
    data: true,
  },
  {
    eventSource: 'iam.amazonaws.com',
    eventName: 'AttachUserPolicy',
    requestParameters: { userName: 'ci-deployer', policyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2' },
    userAgent: 'AWS Internal',
  },
];

beforeAll(async () => {
  world = await seedCollectWorld(env.factory(), installMotoStubs(env.proxy));
  const W = world.workload;
  const t0 = new Date(world.window.start.getTime() + 3 * 3_600_000);
  const records = STEPS.map((s, i) => ({
    eventVersion: '1.09',
    eventTime: new Date(t0.getTime() + i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: s.eventSource,
    eventName: s.eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: IP,
    userAgent: s.userAgent ?? 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${W}:user/ci-deployer`, accountId: W, accessKeyId: KEY, userName: 'ci-deployer' },
    requestParameters: s.requestParameters,
    responseElements: null,
    requestID: `e2e-key-abuse-${i}`,
    eventID: `e2e-key-abuse-ev-${i}`,
    recipientAccountId: W,
    readOnly: /^(Get|List)/.test(s.eventName),
    eventType: 'AwsApiCall',
    managementEvent: !s.data,
    eventCategory: s.data ? 'Data' : 'Management',
  }));
  ({ trailKey, result, run, analysis } = await dropCollectAnalyze(env, world, { at: t0, label: 'key-abuse', incident: 'INC-89', records }));
}, 240_000);

describe("a leaked key's first checks and the backdoors it plants, collected on moto and analysed", () => {
  const ofKey = (ruleId: string) => analysis.findings.filter((f) => f.ruleId === ruleId && f.accessKeyIds.includes(KEY));
  /** The trail object and record index behind each of a finding's events. */
  const origins = (f: Analysis['findings'][number]) =>
    f.events.map((e) => {
      const item = result.manifest.items.find((i) => i.path === e.ref.path);
      return { key: (item?.origin as { key?: string } | undefined)?.key, record: e.ref.record };
    });

  it('exits 0 and names the steps on the terminal', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/exposed-key-notice: AWS attached AWSCompromisedKeyQuarantineV2 to IAM user ci-deployer/);
  });

  it.each([
    ['attack-tool-agent', /made 1 call\(s\) with trufflehog \(GetCallerIdentity\) from 203\.0\.113\.202/, [0]],
    ['account-discovery', /3 distinct SES sending-capability calls \(GetSendQuota, GetAccountSendingEnabled, ListIdentities\)/, [1, 2, 3]],
    ['s3-ransomware', /ransom note\(s\) uploaded: s3:\/\/feature-store\/HOW_TO_DECRYPT_FILES\.txt; 1 object\(s\) copied onto themselves/, [6, 7]],
    ['exposed-key-notice', /an access key of ci-deployer was found exposed in public/, [8]],
  ] as const)('%s: one finding of the leaked key, pointing at its records in the preserved trail file', (ruleId, summary, records) => {
    const found = ofKey(ruleId);
    expect(
      found.map((f) => f.summary),
      ruleId,
    ).toHaveLength(1);
    const f = found[0]!;
    expect(f.summary).toMatch(summary);
    expect(f.account).toBe(world.workload);
    expect(f.events[0]!.sourceIp).toBe(IP);
    expect(origins(f)).toEqual(records.map((record) => ({ key: trailKey, record })));
  });

  it('lambda-backdoor: the code replaced and the outside layer, each its own finding, the layer high whoever did it', () => {
    const found = ofKey('lambda-backdoor');
    expect(found.map((f) => origins(f))).toEqual([[{ key: trailKey, record: 4 }], [{ key: trailKey, record: 5 }]]);
    expect(found[0]!.summary).toMatch(/Code of Lambda function orders-api replaced by .*ci-deployer, by hand/);
    expect(found[1]!).toMatchObject({
      severity: 'high',
      summary: expect.stringMatching(/Layer of account 999988887777 \(outside the Organization\)/) as unknown,
    });
    for (const f of found) expect(f.actions).toContainEqual(expect.objectContaining({ kind: 'deactivate-access-key', target: KEY }));
  });

  it('the quarantine names the user whose keys to rotate, not the AWS call, as what to do', () => {
    expect(ofKey('exposed-key-notice')[0]!.actions).toEqual([expect.objectContaining({ kind: 'review', target: 'user/ci-deployer' })]);
  });
});
