// Recording states on the emulator (issue #8 point 2), as a user sees them in scan.json: SageMaker endpoints in
// every DescribeEndpoint EndpointStatus, serverless endpoints, and AWS Config recorders by recording strategy,
// recording mode and status.
//
// moto 5.2 natively: serverless endpoint configs (a variant with ServerlessConfig; DescribeEndpointConfig returns
// it), and recorders with recordingStrategy EXCLUSION_BY_RESOURCE_TYPES and exclusionByResourceTypes, started
// or not. moto puts every endpoint InService, drops recordingMode, and never reports a failed recorder; those
// the proxy writes into moto's own answers (test/support/rewrites.ts), so the scan still reads them through
// its real collectors.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateEndpointCommand, CreateEndpointConfigCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { installMotoStubs, seedBucket, seedOrganization, seedSageMakerEndpoint, seedSageMakerModel, type SeededAccount } from '../../demo/seed.js';
import { MOTO_DEFAULT_ACCOUNT } from '../../demo/proxy.js';
import type { CheckResult, ScanDocument } from '../../src/model/scan.js';
import { runScanCli } from '../support/cli.js';
import { TEST_CREDENTIALS, useEmulator } from '../support/emulator.js';
import { rewriteEndpointStatus } from '../support/rewrites.js';

const env = useEmulator();
const tmp = mkdtempSync(join(tmpdir(), 'forensight-recording-states-'));
let scan: ScanDocument;
let endpoints: SeededAccount;

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

beforeAll(async () => {
  const factory = env.factory();
  installMotoStubs(env.proxy);
  const org = await seedOrganization(factory, { accounts: [{ name: 'endpoints' }] });
  endpoints = org.accounts[0]!;
  await seedEndpoints(endpoints);
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
