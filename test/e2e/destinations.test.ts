// Destinations on the emulator (issue #8 point 1): a destination counts only if it exists, is where AWS
// delivers and can receive. moto cannot make a trail report a delivery error, so the proxy answers
// GetTrailStatus for that one trail with LatestDeliveryError (the other trails get moto's own answer shape).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteBucketCommand, PutBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchLogsClient, DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFlowLogsCommand, CreateNetworkInterfaceCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  accountCredentials,
  installMotoStubs,
  seedBedrockLogging,
  seedBucket,
  seedLogGroup,
  seedNotebook,
  seedOrganization,
  seedTrail,
  seedVpcWithFlowLogs,
} from '../../demo/seed.js';
import type { CheckResult, ScanDocument } from '../../src/model/scan.js';
import { runScanCli } from '../support/cli.js';
import { useEmulator } from '../support/emulator.js';

const env = useEmulator();
const tmp = mkdtempSync(join(tmpdir(), 'forensight-destinations-'));
let scan: ScanDocument;
let ml = '';
let other = '';
let vpcs = { s3: '', cw: '', eniCovered: '', eniPartial: '' };
let bareEni = '';
const AI = { 'forensight:role': 'training-data' };

beforeAll(async () => {
  const factory = env.factory();
  installMotoStubs(env.proxy);
  const org = await seedOrganization(factory, { accounts: [{ name: 'ml' }, { name: 'other' }] });
  ml = org.accounts[0]!.accountId;
  other = org.accounts[1]!.accountId;
  const t = { factory, credentials: accountCredentials(factory, ml), accountId: ml };
  const s3 = factory.client(S3Client, { credentials: t.credentials, region: 'us-east-1', accountId: ml });
  // A trail whose bucket was deleted after it was created, and one that reports a delivery error.
  // It selects management events, S3 object and Bedrock model data events, so every check crediting a trail meets it.
  await seedTrail(t, {
    name: 'gone-trail',
    bucket: `gone-trail-${ml}`,
    multiRegion: true,
    selectors: {
      advanced: [
        { Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        {
          Name: 's3',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          ],
        },
        {
          Name: 'bedrock',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::Bedrock::Model'] },
          ],
        },
      ],
    },
  });
  await s3.send(new DeleteBucketCommand({ Bucket: `gone-trail-${ml}` }));
  // In its own account, so no other trail there records management events.
  await seedTrail(
    { factory, credentials: accountCredentials(factory, other), accountId: other },
    { name: 'broken-trail', bucket: `broken-trail-${other}`, multiRegion: true },
  );
  env.proxy.addStub({
    service: 'cloudtrail',
    method: 'POST',
    path: '/',
    action: 'GetTrailStatus',
    respond: (_req, body) =>
      body.toString('utf8').includes('broken-trail')
        ? { body: { IsLogging: true, LatestDeliveryError: 'AccessDenied', LatestDeliveryAttemptTime: '2026-12-01T00:00:00Z' } }
        : { body: { IsLogging: true } },
  });
  // Access-log targets that cannot receive: deleted, Object Lock default retention, SSE-KMS default encryption.
  await seedBucket(t, { name: `target-gone-${ml}`, logDeliveryTarget: true });
  await seedBucket(t, { name: `data-a-${ml}`, tags: AI, accessLogging: { targetBucket: `target-gone-${ml}` } });
  await s3.send(new DeleteBucketCommand({ Bucket: `target-gone-${ml}` }));
  await seedBucket(t, { name: `target-locked-${ml}`, logDeliveryTarget: true, objectLock: { mode: 'GOVERNANCE', days: 30 } });
  await seedBucket(t, { name: `data-b-${ml}`, tags: AI, accessLogging: { targetBucket: `target-locked-${ml}` } });
  await seedBucket(t, { name: `target-kms-${ml}`, logDeliveryTarget: true });
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: `target-kms-${ml}`,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
    }),
  );
  await seedBucket(t, { name: `data-c-${ml}`, tags: AI, accessLogging: { targetBucket: `target-kms-${ml}` } });
  // Bedrock invocation logging to a bucket in another Region (us-east-1 -> eu-west-1) and in another account.
  await seedBucket(t, { name: `bedrock-eu-${ml}`, region: 'eu-west-1' });
  await seedBedrockLogging({ ...t, region: 'us-east-1' }, { s3: { bucketName: `bedrock-eu-${ml}` } });
  await seedBucket(
    { factory, credentials: accountCredentials(factory, other), accountId: other },
    { name: `bedrock-other-${other}`, region: 'eu-west-1' },
  );
  await seedBedrockLogging({ ...t, region: 'eu-west-1' }, { s3: { bucketName: `bedrock-other-${other}` } });
  // Bedrock invocation logging to CloudWatch Logs only (the group exists), without the large-data S3 delivery.
  const o = { factory, credentials: accountCredentials(factory, other), accountId: other, region: 'us-east-1' };
  await seedLogGroup(o, { name: '/bedrock/invocations' });
  await seedBedrockLogging(o, { cloudWatch: { logGroupName: '/bedrock/invocations' } });
  // Flow logs whose destination was deleted after they were created: an S3 bucket, and a CloudWatch log group,
  // each on a VPC hosting a SageMaker notebook.
  const s3Vpc = await seedVpcWithFlowLogs(t, { cidr: '10.31.0.0/16', flowLogs: [{ destination: 's3', bucket: `flows-gone-${ml}` }] });
  await s3.send(new DeleteBucketCommand({ Bucket: `flows-gone-${ml}` }));
  await seedNotebook(t, { name: 'nb-s3-flows', subnetId: s3Vpc.subnetIds[0], securityGroupIds: [s3Vpc.securityGroupId] });
  const cwVpc = await seedVpcWithFlowLogs(t, {
    cidr: '10.32.0.0/16',
    flowLogs: [{ destination: 'cloud-watch-logs', logGroupName: '/vpc/flows-gone' }],
  });
  await factory
    .client(CloudWatchLogsClient, { credentials: t.credentials, region: 'us-east-1', accountId: ml })
    .send(new DeleteLogGroupCommand({ logGroupName: '/vpc/flows-gone' }));
  await seedNotebook(t, { name: 'nb-cw-flows', subnetId: cwVpc.subnetIds[0], securityGroupIds: [cwVpc.securityGroupId] });
  // VPCs whose AI subnets are covered only by interface-level flow logs: every interface has one (PASS), or one
  // interface was added later without one (FAIL naming it). The scan lists their interfaces (DescribeNetworkInterfaces).
  const ec2 = factory.client(EC2Client, { credentials: t.credentials, region: 'us-east-1', accountId: ml });
  await seedBucket(t, { name: `eni-flows-${ml}` });
  const eniWithLog = async (subnetId: string, log: boolean): Promise<string> => {
    const eni = String((await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }))).NetworkInterface?.NetworkInterfaceId);
    if (log) {
      const out = await ec2.send(
        new CreateFlowLogsCommand({
          ResourceIds: [eni],
          ResourceType: 'NetworkInterface',
          TrafficType: 'ALL',
          LogDestinationType: 's3',
          LogDestination: `arn:aws:s3:::eni-flows-${ml}`,
        }),
      );
      expect(out.Unsuccessful ?? []).toEqual([]);
    }
    return eni;
  };
  const eniVpc = await seedVpcWithFlowLogs(t, { cidr: '10.33.0.0/16', subnets: 1 });
  await seedNotebook(t, { name: 'nb-eni-flows', subnetId: eniVpc.subnetIds[0], securityGroupIds: [eniVpc.securityGroupId] });
  await eniWithLog(eniVpc.subnetIds[0]!, true);
  const partialVpc = await seedVpcWithFlowLogs(t, { cidr: '10.34.0.0/16', subnets: 1 });
  await seedNotebook(t, { name: 'nb-eni-partial', subnetId: partialVpc.subnetIds[0], securityGroupIds: [partialVpc.securityGroupId] });
  await eniWithLog(partialVpc.subnetIds[0]!, true);
  bareEni = await eniWithLog(partialVpc.subnetIds[0]!, false);
  vpcs = { s3: s3Vpc.vpcId, cw: cwVpc.vpcId, eniCovered: eniVpc.vpcId, eniPartial: partialVpc.vpcId };
  const run = await runScanCli(env.url, join(tmp, 'scan'), [
    '--org',
    '--role-name',
    'OrganizationAccountAccessRole',
    '--regions',
    'us-east-1,eu-west-1',
    '--max-attempts',
    '2',
  ]);
  expect(run.code === 0 || run.code === 1, run.stderr).toBe(true);
  scan = run.scan;
}, 240_000);

const of = (checkId: string, needle: string): CheckResult[] =>
  scan.results.filter((r) => r.checkId === checkId && r.accountId === ml && JSON.stringify([r.resourceArn, r.evidence, r.reason]).includes(needle));

describe('destinations on the emulator', () => {
  // Every check that would credit the trail (management events, data events, validation, immutability) fails
  // on the deleted bucket: none counts a trail that keeps nothing.
  it.each([
    ['cloudtrail-multi-region-trail', 'gone-trail'],
    ['cloudtrail-log-file-validation', 'gone-trail'],
    ['cloudtrail-bucket-immutable', 'gone-trail'],
    ['cloudtrail-ai-bucket-data-events', `data-a-`],
    ['cloudtrail-ai-data-events', 'AWS::Bedrock::Model'],
  ])('a trail whose bucket was deleted: %s is FAIL destination-missing', (checkId, needle) => {
    const rs = of(checkId, needle);
    expect(rs.length, `${checkId} results for ${needle}`).toBeGreaterThan(0);
    for (const r of rs) {
      expect(r, r.reason).toMatchObject({ status: 'FAIL', reasonCode: 'destination-missing' });
      expect(r.reason).toContain(`gone-trail-${ml}`);
    }
  });

  it('a trail that reports LatestDeliveryError gives no management-event coverage, saying so', () => {
    const [r] = scan.results.filter((x) => x.checkId === 'cloudtrail-multi-region-trail' && x.accountId === other);
    expect(r).toMatchObject({ status: 'FAIL', reasonCode: 'not-delivering' });
    expect(r!.reason).toContain('LatestDeliveryError AccessDenied');
  });

  it.each([
    ['deleted', 'data-a', 'destination-missing'],
    ['Object Lock default retention', 'data-b', 'target-default-retention'],
    ['SSE-KMS default encryption', 'data-c', 'target-sse-kms'],
  ])('an access-log target that cannot receive (%s): FAIL', (_name, source, code) => {
    const [r] = of('s3-ai-bucket-access-logging', `${source}-${ml}`);
    expect(r).toMatchObject({ status: 'FAIL', reasonCode: code });
  });

  it.each([
    ['S3 bucket', 's3' as const, `flows-gone-`],
    ['CloudWatch log group', 'cw' as const, '/vpc/flows-gone'],
  ])('a flow log whose %s was deleted covers nothing: FAIL destination-missing', (_name, which, destination) => {
    const [r] = of('vpc-flow-logs-ai', vpcs[which]);
    expect(r).toMatchObject({ status: 'FAIL', reasonCode: 'destination-missing' });
    expect(r!.reason).toContain(destination);
  });

  it('a VPC whose AI subnet is covered by interface-level flow logs on every interface: PASS eni-flow-logs, saying later interfaces are not', () => {
    const [r] = of('vpc-flow-logs-ai', vpcs.eniCovered);
    expect(r, r?.reason).toMatchObject({ status: 'PASS', reasonCode: 'eni-flow-logs' });
    expect(r!.reason).toContain('interfaces created later');
  });

  it('a VPC with an interface in its AI subnet that has no flow log: FAIL interfaces-uncovered naming it', () => {
    const [r] = of('vpc-flow-logs-ai', vpcs.eniPartial);
    expect(r, r?.reason).toMatchObject({ status: 'FAIL', reasonCode: 'interfaces-uncovered' });
    expect(r!.reason).toContain(`${bareEni} (no flow log)`);
  });

  it('Bedrock invocation logging to CloudWatch Logs only, without large-data S3 delivery: the text result says large bodies are not kept', () => {
    const [r] = scan.results.filter((x) => x.checkId === 'bedrock-invocation-logging-text' && x.accountId === other && x.region === 'us-east-1');
    expect(r, r?.reason).toMatchObject({ status: 'FAIL', reasonCode: 'large-data-not-kept' });
    expect(r!.reason).toContain('bodies over 100 KB (and binary data) are not kept');
  });

  it('a log group a flow log names but that was deleted: logs-ai-retention is FAIL destination-missing like the other checks', () => {
    const [r] = of('logs-ai-retention', '/vpc/flows-gone');
    expect(r).toMatchObject({ status: 'FAIL', reasonCode: 'destination-missing' });
    expect(r!.reason).toContain('does not exist');
  });

  it.each([
    ['another Region', 'us-east-1', 'destination-other-region', /same Region|same account and Region/i],
    ['another account', 'eu-west-1', 'destination-other-account', /same account|same account and Region/i],
  ])('a Bedrock invocation-log bucket in %s: FAIL with the AWS rule in the reason', (_name, region, code, rule) => {
    const [r] = scan.results.filter((x) => x.checkId === 'bedrock-invocation-logging-s3' && x.accountId === ml && x.region === region);
    expect(r).toMatchObject({ status: 'FAIL', reasonCode: code });
    expect(r!.reason).toMatch(rule);
  });
});
