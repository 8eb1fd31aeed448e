// Recording states on the emulator (issue #8 point 2), as a user sees them in scan.json: SageMaker endpoints in
// every DescribeEndpoint EndpointStatus, serverless endpoints, and AWS Config recorders by recording strategy,
// recording mode and status.
//
// moto 5.2 natively: serverless endpoint configs (a variant with ServerlessConfig; DescribeEndpointConfig returns
// it), and recorders with recordingStrategy EXCLUSION_BY_RESOURCE_TYPES and exclusionByResourceTypes or an
// inclusion list, started or not, with a delivery channel. Like AWS, moto rejects AWS::SageMaker::EndpointConfig
// in a recording group: AWS Config has no such resource type, so the check requires only AWS::SageMaker::Model. moto puts every endpoint InService, drops recordingMode, and never reports a failed recorder; those
// the proxy writes into moto's own answers (test/support/rewrites.ts), so the scan still reads them through
// its real collectors.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateEndpointCommand, CreateEndpointConfigCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import {
  ConfigServiceClient,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
  type RecordingGroup,
  type RecordingMode,
} from '@aws-sdk/client-config-service';
import { beforeAll, describe, expect, it } from 'vitest';
import { installMotoStubs, seedBucket, seedOrganization, seedSageMakerEndpoint, seedSageMakerModel, type SeededAccount } from '../../demo/seed.js';
import { MOTO_DEFAULT_ACCOUNT } from '../../demo/proxy.js';
import type { CheckResult, ScanDocument } from '../../src/model/scan.js';
import { runScanCli } from '../support/cli.js';
import { TEST_CREDENTIALS, useEmulator } from '../support/emulator.js';
import { rewriteConfigRecorder, rewriteConfigRecorderStatus, rewriteEndpointStatus } from '../support/rewrites.js';

const env = useEmulator();
const tmp = mkdtempSync(join(tmpdir(), 'forensight-recording-states-'));
let scan: ScanDocument;
let endpoints: SeededAccount;
let management = '';
const recorders: Record<string, SeededAccount> = {};

/** DescribeEndpoint EndpointStatus values in which the endpoint still serves traffic, and those in which it serves none. */
const SERVING = ['InService', 'Updating', 'SystemUpdating', 'RollingBack', 'UpdateRollbackFailed'];
const NOT_SERVING = ['Creating', 'Failed', 'OutOfService', 'Deleting'];
const endpointName = (status: string, capture: boolean): string => `ep-${status.toLowerCase()}-${capture ? 'on' : 'off'}`;

async function seedEndpoints(a: SeededAccount): Promise<void> {
  const bucket = `capture-${a.accountId}`;
  await seedBucket(a.target, { name: bucket });
  for (const status of [...SERVING, ...NOT_SERVING])
    for (const capture of SERVING.includes(status) ? [true, false] : [true]) {
      const name = endpointName(status, capture);
      await seedSageMakerEndpoint(a.target, { name, dataCapture: capture ? { destinationS3Uri: `s3://${bucket}/${name}/` } : null });
      if (status !== 'InService') rewriteEndpointStatus(env.proxy, a.accountId, name, status);
    }
  // A serverless endpoint: its config's only variant has a ServerlessConfig (moto stores and returns it).
  const { modelName } = await seedSageMakerModel(a.target, { name: 'ep-serverless-model' });
  const sm = env.factory().client(SageMakerClient, { credentials: a.credentials, region: 'us-east-1', accountId: a.accountId });
  await sm.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: 'ep-serverless-config',
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: modelName, ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 } }],
    }),
  );
  await sm.send(new CreateEndpointCommand({ EndpointName: 'ep-serverless', EndpointConfigName: 'ep-serverless-config' }));
}

/** A configuration recorder (one per account and Region, as AWS allows) with a delivery channel, started or not. */
async function seedRecorder(a: SeededAccount, spec: { group?: RecordingGroup; mode?: RecordingMode; start: boolean }): Promise<void> {
  const config = env.factory().client(ConfigServiceClient, { credentials: a.credentials, region: 'us-east-1', accountId: a.accountId });
  const bucket = `config-${a.accountId}`;
  await seedBucket(a.target, { name: bucket });
  await config.send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: {
        name: 'default',
        roleARN: `arn:aws:iam::${a.accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
        recordingGroup: spec.group ?? { allSupported: true, includeGlobalResourceTypes: true },
        ...(spec.mode ? { recordingMode: spec.mode } : {}),
      },
    }),
  );
  await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: bucket } }));
  if (spec.start) await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
}

const exclusion = (resourceTypes: string[]): RecordingGroup => ({
  allSupported: false,
  includeGlobalResourceTypes: false,
  exclusionByResourceTypes: { resourceTypes: resourceTypes as never },
  recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
});
const DAILY: RecordingMode = { recordingFrequency: 'DAILY', recordingModeOverrides: [] };

/** One account per recorder case; each has a SageMaker model, so every one is a Region with AI footprint. */
const RECORDER_CASES: Record<string, (a: SeededAccount) => Promise<void>> = {
  'exclude-other': (a) => seedRecorder(a, { group: exclusion(['AWS::EC2::Volume']), start: true }),
  'exclude-sagemaker': (a) => seedRecorder(a, { group: exclusion(['AWS::SageMaker::Model', 'AWS::EC2::Volume']), start: true }),
  'include-model': (a) =>
    seedRecorder(a, {
      group: {
        allSupported: false,
        resourceTypes: ['AWS::SageMaker::Model', 'AWS::S3::Bucket'],
        recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' },
      },
      start: true,
    }),
  // moto accepts recordingMode but drops it: the proxy answers it as AWS would.
  daily: async (a) => {
    await seedRecorder(a, { mode: DAILY, start: true });
    rewriteConfigRecorder(env.proxy, a.accountId, { recordingMode: DAILY });
  },
  'daily-model-continuous': async (a) => {
    const mode: RecordingMode = {
      recordingFrequency: 'DAILY',
      recordingModeOverrides: [{ description: 'models as they change', resourceTypes: ['AWS::SageMaker::Model'], recordingFrequency: 'CONTINUOUS' }],
    };
    await seedRecorder(a, { mode, start: true });
    rewriteConfigRecorder(env.proxy, a.accountId, { recordingMode: mode });
  },
  stopped: (a) => seedRecorder(a, { start: false }),
  // moto never fails a delivery: the status says what AWS reports after one.
  failing: async (a) => {
    await seedRecorder(a, { start: true });
    rewriteConfigRecorderStatus(env.proxy, a.accountId, {
      lastStatus: 'Failure',
      lastErrorCode: 'NoSuchBucket',
      lastErrorMessage: 'The specified bucket does not exist',
    });
  },
  'status-denied': async (a) => {
    await seedRecorder(a, { start: true });
    env.proxy.addRule({
      match: { service: 'config', accountId: a.accountId, action: 'DescribeConfigurationRecorderStatus' },
      error: { status: 400, code: 'AccessDeniedException' },
    });
  },
  none: async () => {},
};

beforeAll(async () => {
  const factory = env.factory();
  installMotoStubs(env.proxy);
  const names = Object.keys(RECORDER_CASES);
  const org = await seedOrganization(factory, { accounts: [{ name: 'endpoints' }, ...names.map((name) => ({ name: `recorder-${name}` }))] });
  management = org.managementAccountId;
  endpoints = org.accounts[0]!;
  await seedEndpoints(endpoints);
  for (const [i, name] of names.entries()) {
    const a = org.accounts[i + 1]!;
    recorders[name] = a;
    await seedSageMakerModel(a.target, { name: 'recorded-model' });
    await RECORDER_CASES[name]!(a);
  }
  const run = await runScanCli(env.url, join(tmp, 'scan'), ['--org', '--role-name', 'OrganizationAccountAccessRole', '--max-attempts', '2']);
  expect(run.code === 0 || run.code === 1, run.stderr).toBe(true);
  scan = run.scan;
}, 240_000);

const result = (checkId: string, accountId: string, resourceSuffix: string): CheckResult => {
  const rs = scan.results.filter((r) => r.checkId === checkId && r.accountId === accountId && r.resourceArn.endsWith(resourceSuffix));
  expect(rs, `${checkId} results for ${resourceSuffix}`).toHaveLength(1);
  return rs[0]!;
};
const endpointResult = (name: string): CheckResult => result('sagemaker-endpoint-data-capture', endpoints.accountId, `:endpoint/${name}`);

describe('SageMaker endpoint states on the emulator', () => {
  it.each(SERVING)('an endpoint %s still serves: capture on is PASS capturing, capture off is FAIL capture-off', (status) => {
    const on = endpointResult(endpointName(status, true));
    expect(on, on.reason).toMatchObject({ status: 'PASS', reasonCode: 'capturing' });
    expect(on.evidence).toMatchObject({ status });
    const off = endpointResult(endpointName(status, false));
    expect(off, off.reason).toMatchObject({ status: 'FAIL', reasonCode: 'capture-off' });
    expect(off.evidence).toMatchObject({ status });
  });

  it.each(NOT_SERVING)('an endpoint %s serves no traffic: NOT_APPLICABLE not-serving, although it captures', (status) => {
    const r = endpointResult(endpointName(status, true));
    expect(r, r.reason).toMatchObject({ status: 'NOT_APPLICABLE', reasonCode: 'not-serving' });
    expect(r.evidence).toMatchObject({ status });
  });

  it('a serverless endpoint: FAIL serverless-no-capture, saying to record payloads in the caller instead of enabling capture', () => {
    const r = endpointResult('ep-serverless');
    expect(r, r.reason).toMatchObject({ status: 'FAIL', reasonCode: 'serverless-no-capture', evidence: { serverless: true } });
    expect(r.reason).toContain('calling application');
  });
});

describe('AWS Config recording on the emulator', () => {
  const recorderResult = (accountId: string): CheckResult => result('config-recorder-ai', accountId, ':configuration-recorder');

  it.each([
    ['an exclusion strategy that does not exclude SageMaker', 'exclude-other', 'PASS', 'recording-sagemaker'],
    ['an exclusion strategy that excludes the SageMaker model type', 'exclude-sagemaker', 'FAIL', 'sagemaker-not-recorded'],
    ['an inclusion list naming the SageMaker model (AWS Config has no endpoint-config type)', 'include-model', 'PASS', 'recording-sagemaker'],
    ['daily recording', 'daily', 'FAIL', 'daily-recording'],
    ['daily recording with a continuous override for the SageMaker model', 'daily-model-continuous', 'PASS', 'recording-sagemaker'],
    ['a recorder that is not recording', 'stopped', 'FAIL', 'recorder-stopped'],
    ['a recorder whose last delivery failed', 'failing', 'FAIL', 'recorder-failing'],
    ['a recorder whose status cannot be read', 'status-denied', 'NOT_ASSESSED', 'not-readable'],
    ['no recorder', 'none', 'FAIL', 'no-recorder'],
  ])('%s: %s', (_name, which, status, reasonCode) => {
    const r = recorderResult(recorders[which]!.accountId);
    expect(r, r.reason).toMatchObject({ status, reasonCode, region: 'us-east-1' });
  });

  it('daily recording says what it loses: changes reverted within the day', () => {
    expect(recorderResult(recorders.daily!.accountId).reason).toContain('a change reverted within the day');
  });

  it('an account without AI workloads needs no recorder: NOT_APPLICABLE no-ai-footprint', () => {
    expect(recorderResult(management)).toMatchObject({ status: 'NOT_APPLICABLE', reasonCode: 'no-ai-footprint' });
  });
});

describe('the proxy rewrite rule', () => {
  it('fails a request whose matching answer is not JSON, so a rewrite never silently does not apply', async () => {
    env.proxy.addRule({ match: { service: 's3', action: 'ListBuckets' }, rewrite: (answer) => answer });
    try {
      const s3 = env.factory(1).client(S3Client, { credentials: TEST_CREDENTIALS, region: 'us-east-1', accountId: MOTO_DEFAULT_ACCOUNT });
      await expect(s3.send(new ListBucketsCommand({}))).rejects.toMatchObject({ $metadata: { httpStatusCode: 502 } });
    } finally {
      env.proxy.clearRules();
    }
  });
});
