import { describe, expect, it } from 'vitest';
import { check } from '../../checks/bedrock-invocation-logging.js';
import type { BedrockLoggingConfig, Observed } from '../../src/model/inventory.js';
import { inventory, loggingConfig, MGMT, only, run, seen, unseen, type RegionBuilder } from '../support/inventory-builder.js';

const ARN = `arn:aws:bedrock:us-east-1:${MGMT}:model-invocation-logging`;
type Fp = (r: RegionBuilder) => unknown;
const withBedrock: Fp = (r) => r.withBedrock();
const noFootprint: Fp = () => undefined;
const unknownFootprint: Fp = (r) => r.footprintUnreadable('AccessDenied: ListGuardrails');

describe('bedrock-invocation-logging', () => {
  it.each<[string, Observed<BedrockLoggingConfig | null>, Fp, string, string, string]>([
    ['PASS to S3', seen(loggingConfig()), withBedrock, 'PASS', 'high', 'delivers to S3 bucket invocation-logs'],
    ['PASS to CloudWatch', seen(loggingConfig({ s3: null, cloudWatch: { logGroupName: '/bedrock/inv', roleArn: null, largeDataS3: null } })), withBedrock, 'PASS', 'high', 'log group /bedrock/inv'],
    ['FAIL not configured, with footprint', seen(null), withBedrock, 'FAIL', 'high', 'not configured in us-east-1 (Bedrock is in use in this region)'],
    ['FAIL not configured, no footprint -> low', seen(null), noFootprint, 'FAIL', 'low', 'no Bedrock resources in this region'],
    ['FAIL not configured, footprint unknown -> high', seen(null), unknownFootprint, 'FAIL', 'high', 'Bedrock footprint unknown'],
    ['FAIL no destination', seen(loggingConfig({ s3: null, cloudWatch: null })), withBedrock, 'FAIL', 'high', 'has no destination'],
    ['NOT_ASSESSED unreadable', unseen('AccessDenied: GetModelInvocationLoggingConfiguration'), withBedrock, 'NOT_ASSESSED', 'high', 'could not be read: AccessDenied: GetModelInvocationLoggingConfiguration'],
  ])('%s', (_n, logging, fp, status, severity, fragment) => {
    const f = only(run(check, inventory().region('us-east-1', (r) => { fp(r); r.logging(logging); })));
    expect(f.status).toBe(status);
    expect(f.severity).toBe(severity);
    expect(f.resourceArn).toBe(ARN);
    expect(f.region).toBe('us-east-1');
    expect(f.reason).toContain(fragment);
  });

  it('one result per scanned region', () => {
    const fs = run(check, inventory().region('us-east-1').region('eu-west-1', (r) => r.logging(loggingConfig())));
    expect(fs.map((f) => [f.region, f.status])).toEqual([
      ['us-east-1', 'FAIL'],
      ['eu-west-1', 'PASS'],
    ]);
  });

  it('NOT_APPLICABLE is never produced: an account without regions yields nothing to judge', () => {
    expect(run(check, inventory().account(MGMT))).toEqual([]);
  });
});
