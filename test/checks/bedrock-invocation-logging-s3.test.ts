import { check } from '../../checks/bedrock-invocation-logging-s3.js';
import { bucket, inventory, loggingConfig, MGMT, seen, unseen } from '../support/inventory-builder.js';
import { testCheck } from '../support/check-tester.js';
import { BEDROCK_ARN, bedrockInventory, cwOnly, missingBucket, otherAccountBucket, otherRegionBucket, outsideBucket } from './bedrock-fixtures.js';

testCheck(
  check,
  [
    {
      name: 'PASS bucket of the same account and Region',
      inventory: bedrockInventory(loggingConfig()),
      resource: BEDROCK_ARN,
      status: 'PASS',
      code: 'delivering',
      severity: 'medium',
      reason: 'delivered to S3 bucket invocation-logs of the same account and Region',
    },
    { name: 'FAIL CloudWatch only', inventory: bedrockInventory(cwOnly()), status: 'FAIL', code: 'no-s3-destination' },
    { name: 'FAIL not configured', inventory: bedrockInventory(null), status: 'FAIL', code: 'logging-off', reason: 'not configured in us-east-1' },
    {
      name: 'FAIL bucket deleted',
      inventory: bedrockInventory(loggingConfig(), [missingBucket]),
      status: 'FAIL',
      code: 'destination-missing',
      reason: 'Invocation-log bucket invocation-logs does not exist',
    },
    {
      name: 'FAIL bucket in another scanned account',
      inventory: bedrockInventory(loggingConfig(), [otherAccountBucket]),
      status: 'FAIL',
      code: 'destination-other-account',
      reason: 'same account and Region',
    },
    {
      name: 'FAIL bucket outside the Organization',
      inventory: bedrockInventory(loggingConfig(), [outsideBucket]),
      status: 'FAIL',
      code: 'destination-other-account',
    },
    {
      name: 'FAIL bucket in another Region',
      inventory: bedrockInventory(loggingConfig(), [otherRegionBucket]),
      status: 'FAIL',
      code: 'destination-other-region',
    },
    {
      name: 'NOT_ASSESSED bucket outside the scan while the account cannot list its buckets',
      inventory: bedrockInventory(loggingConfig(), [outsideBucket]).account(MGMT, (a) => (a.a.ownedBuckets = unseen('AccessDenied: ListBuckets'))),
      status: 'NOT_ASSESSED',
      code: 'not-readable',
      reason: 'could not be listed: AccessDenied: ListBuckets',
    },
    {
      name: 'NOT_ASSESSED bucket region unreadable',
      inventory: bedrockInventory(loggingConfig(), [bucket('invocation-logs', { region: unseen('AccessDenied: GetBucketLocation') }, MGMT)]),
      status: 'NOT_ASSESSED',
      code: 'not-readable',
    },
    {
      name: 'NOT_ASSESSED bucket not collected',
      inventory: bedrockInventory(seen(loggingConfig()), []),
      status: 'NOT_ASSESSED',
      code: 'not-collected',
      reason: 'Invocation-log bucket invocation-logs was not collected',
    },
    {
      name: 'NOT_ASSESSED settings unreadable',
      inventory: bedrockInventory(unseen('AccessDenied')),
      status: 'NOT_ASSESSED',
      code: 'not-readable',
      reason: 'settings in us-east-1 could not be read: AccessDenied',
    },
    { name: 'NOT_ASSESSED no region scanned', inventory: inventory().account(MGMT), status: 'NOT_ASSESSED', code: 'no-region-scanned' },
  ],
  {
    impossible: { NOT_APPLICABLE: 'Bedrock can be invoked on demand with no resource to show: without footprint the result is a low-severity FAIL' },
  },
);
