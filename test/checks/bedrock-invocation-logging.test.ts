import { check } from '../../checks/bedrock-invocation-logging.js';
import { describe, expect, it } from 'vitest';
import { inventory, logGroup, loggingConfig, MGMT, run, seen, unseen } from '../support/inventory-builder.js';
import { testCheck } from '../support/check-tester.js';
import { BEDROCK_ARN, bedrockInventory, cwOnly, missingBucket, otherAccountBucket, otherRegionBucket, outsideBucket } from './bedrock-fixtures.js';

testCheck(
  check,
  [
    {
      name: 'PASS to an S3 bucket of the same account and Region',
      inventory: bedrockInventory(loggingConfig()),
      status: 'PASS',
      code: 'delivering',
      reason: 'delivers to S3 bucket invocation-logs',
      severity: 'high',
    },
    {
      name: 'PASS to an existing log group',
      inventory: bedrockInventory(cwOnly()),
      status: 'PASS',
      code: 'delivering',
      reason: 'log group /bedrock/inv',
    },
    {
      name: 'PASS when one of two destinations works, naming the other',
      inventory: bedrockInventory(loggingConfig({ cloudWatch: { logGroupName: '/gone', roleArn: null, largeDataS3: null } })),
      status: 'PASS',
      code: 'delivering',
      reason: 'Invocation log group /gone does not exist',
    },
    {
      name: 'FAIL not configured, with footprint',
      inventory: bedrockInventory(null),
      status: 'FAIL',
      code: 'logging-off',
      severity: 'high',
      reason: '(Bedrock is in use in this region)',
    },
    {
      name: 'FAIL not configured, no footprint -> low',
      inventory: bedrockInventory(null, [], () => undefined),
      status: 'FAIL',
      code: 'logging-off',
      severity: 'low',
      reason: 'no Bedrock resources in this region',
    },
    {
      name: 'FAIL not configured, footprint unknown -> high',
      inventory: bedrockInventory(null, [], (r) => r.footprintUnreadable('AccessDenied: ListGuardrails')),
      status: 'FAIL',
      code: 'logging-off',
      severity: 'high',
      reason: 'Bedrock footprint unknown',
    },
    {
      name: 'FAIL no destination',
      inventory: bedrockInventory(loggingConfig({ s3: null, cloudWatch: null })),
      status: 'FAIL',
      code: 'no-destination',
    },
    {
      name: 'FAIL the bucket was deleted',
      inventory: bedrockInventory(loggingConfig(), [missingBucket]),
      status: 'FAIL',
      code: 'destination-missing',
      reason: 'Invocation-log bucket invocation-logs does not exist',
    },
    {
      name: 'FAIL the bucket is in another scanned account',
      inventory: bedrockInventory(loggingConfig(), [otherAccountBucket]),
      status: 'FAIL',
      code: 'destination-other-account',
      reason: 'owned by account 333333333333, not 111111111111',
    },
    {
      name: 'FAIL the bucket is outside the Organization',
      inventory: bedrockInventory(loggingConfig(), [outsideBucket]),
      status: 'FAIL',
      code: 'destination-other-account',
      reason: 'is not a bucket of account 111111111111',
    },
    {
      name: 'FAIL the bucket is in another Region',
      inventory: bedrockInventory(loggingConfig(), [otherRegionBucket]),
      status: 'FAIL',
      code: 'destination-other-region',
      reason: 'is in eu-west-1, not us-east-1',
    },
    {
      name: 'FAIL the log group does not exist',
      inventory: bedrockInventory(cwOnly(), [], undefined, []),
      status: 'FAIL',
      code: 'destination-missing',
      reason: 'Invocation log group /bedrock/inv does not exist in us-east-1',
    },
    {
      name: 'NOT_ASSESSED settings unreadable',
      inventory: bedrockInventory(unseen('AccessDenied: GetModelInvocationLoggingConfiguration')),
      status: 'NOT_ASSESSED',
      code: 'not-readable',
      reason: 'could not be read: AccessDenied',
    },
    {
      name: 'NOT_ASSESSED the bucket was not collected',
      inventory: bedrockInventory(seen(loggingConfig()), []),
      status: 'NOT_ASSESSED',
      code: 'not-collected',
    },
    {
      name: 'NOT_ASSESSED no requested region was scanned',
      inventory: inventory().account(
        MGMT,
        (a) => (a.a.regionsSkipped = [{ region: 'us-east-9', reason: "us-east-9 is not a region of this account's partition" }]),
      ),
      status: 'NOT_ASSESSED',
      code: 'no-region-scanned',
      reason: 'us-east-9',
    },
  ],
  {
    impossible: { NOT_APPLICABLE: 'Bedrock can be invoked on demand with no resource to show: without footprint the result is a low-severity FAIL' },
  },
);

describe('bedrock-invocation-logging regions', () => {
  it('gives one result per scanned region, on the region resource', () => {
    const fs = run(
      check,
      inventory()
        .region('us-east-1')
        .region('eu-west-1', (r) => r.logging(cwOnly()).logGroups([logGroup('/bedrock/inv', 30, 'eu-west-1')])),
    );
    expect(fs.map((f) => [f.region, f.status, f.resourceArn.endsWith(':model-invocation-logging')])).toEqual([
      ['us-east-1', 'FAIL', true],
      ['eu-west-1', 'PASS', true],
    ]);
    expect(fs[0]!.resourceArn).toBe(BEDROCK_ARN);
  });
});
