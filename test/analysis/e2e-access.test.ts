// End to end on moto for the access and evasion rules: a leaked key's steps inside an account (an SSM shell command,
// SSH opened to the internet, SecureString parameters read by path, MFA taken off another user, an OIDC provider
// created, a denied LeaveOrganization) are dropped into a delivered trail file, collected into a bundle, analysed
// through main(), and each finding is followed back to its record in the preserved trail file.
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

const KEY = 'AKIAINTRUDERSSM00001';
const IP = '203.0.113.201';
let world: CollectWorld;
let result: CollectResult;
let trailKey: string;
let analysis: Analysis;
let run: CliRun;

/** The steps, in order; each record's index in the trail file is what the findings must point at. */
const STEPS: { eventSource: string; eventName: string; requestParameters: unknown; errorCode?: string }[] = [
  { eventSource: 'ssm.amazonaws.com', eventName: 'DescribeInstanceInformation', requestParameters: { maxResults: 50 } },
  {
    eventSource: 'ssm.amazonaws.com',
    eventName: 'SendCommand',
    requestParameters: { documentName: 'AWS-RunShellScript', instanceIds: ['i-0e2e00000000000a1'], parameters: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
  },
  {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'AuthorizeSecurityGroupIngress',
    requestParameters: {
      groupId: 'sg-0e2e0000000000001',
      ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] },
    },
  },
  { eventSource: 'ssm.amazonaws.com', eventName: 'GetParametersByPath', requestParameters: { path: '/prod', recursive: true, withDecryption: true } },
  {
    eventSource: 'iam.amazonaws.com',
    eventName: 'DeactivateMFADevice',
    requestParameters: { userName: 'ops-admin', serialNumber: 'arn:aws:iam::__W__:mfa/ops-admin' },
  },
  {
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateOpenIDConnectProvider',
    requestParameters: { url: 'https://idp.attacker.example', clientIDList: ['sts.amazonaws.com'], thumbprintList: ['0'.repeat(40)] },
  },
  { eventSource: 'organizations.amazonaws.com', eventName: 'LeaveOrganization', requestParameters: null, errorCode: 'AccessDenied' },
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
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${W}:user/intruder`, accountId: W, accessKeyId: KEY, userName: 'intruder' },
    requestParameters: JSON.parse(JSON.stringify(s.requestParameters ?? null).replaceAll('__W__', W)) as unknown,
    responseElements: null,
    ...(s.errorCode ? { errorCode: s.errorCode, errorMessage: 'not authorized' } : {}),
    requestID: `e2e-access-${i}`,
    eventID: `e2e-access-ev-${i}`,
    recipientAccountId: W,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
  }));
  ({ trailKey, result, run, analysis } = await dropCollectAnalyze(env, world, { at: t0, label: 'access', incident: 'INC-88', records }));
}, 240_000);

describe("a leaked key's access and evasion steps, collected on moto and analysed", () => {
  const ofKey = (ruleId: string) => analysis.findings.filter((f) => f.ruleId === ruleId && f.actorKey === KEY);
  /** The trail object and record index behind a finding's first event. */
  const origin = (f: Analysis['findings'][number]) => {
    const ref = f.events[0]!.ref;
    const item = result.manifest.items.find((i) => i.path === ref.path);
    return { key: (item?.origin as { key?: string } | undefined)?.key, record: ref.record };
  };

  it('exits 0 and names the steps on the terminal', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/instance-access: SSM command AWS-RunShellScript sent to i-0e2e00000000000a1/);
  });

  it.each([
    ['instance-access', /SSM command AWS-RunShellScript sent to i-0e2e00000000000a1 by .*intruder/, 1],
    ['network-opened-to-world', /Security group sg-0e2e0000000000001 opened to the internet: tcp port 22 from 0\.0\.0\.0\/0/, 2],
    ['secrets-bulk-retrieval', /retrieved SecureString parameters in bulk with 1 GetParametersByPath call\(s\), under \/prod \(recursive\)/, 3],
    ['mfa-removed', /deactivated the MFA device .*mfa\/ops-admin of IAM user ops-admin/, 4],
    ['federation-backdoor', /OIDC identity provider https:\/\/idp\.attacker\.example created/, 5],
    ['security-control-removed', /left its Organization .*\(attempt denied: AccessDenied\)/, 6],
  ] as const)('%s: one finding of the leaked key, pointing at its record in the preserved trail file', (ruleId, summary, record) => {
    const found = ofKey(ruleId);
    expect(
      found.map((f) => f.summary),
      ruleId,
    ).toHaveLength(1);
    const f = found[0]!;
    expect(f.summary).toMatch(summary);
    expect(f.account).toBe(world.workload);
    expect(f.events[0]!.sourceIp).toBe(IP);
    expect(origin(f)).toEqual({ key: trailKey, record });
    expect(f.actions).toContainEqual(expect.objectContaining({ kind: 'deactivate-access-key', target: KEY }));
  });

  it('the denied LeaveOrganization is one step lower than a done one; the enumeration before the command is no finding', () => {
    expect(ofKey('security-control-removed')[0]!.severity).toBe('high');
    expect(analysis.findings.filter((f) => f.actorKey === KEY && f.events.some((e) => e.action === 'DescribeInstanceInformation'))).toEqual([]);
  });
});
