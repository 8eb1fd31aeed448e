import { check } from '../../checks/bedrock-invocation-logging-text.js';
import { inventory, loggingConfig, MGMT, unseen } from '../support/inventory-builder.js';
import { testCheck } from '../support/check-tester.js';
import { bedrockInventory, cwOnly, missingBucket } from './bedrock-fixtures.js';

testCheck(
  check,
  [
    {
      name: 'PASS text to S3',
      inventory: bedrockInventory(loggingConfig()),
      status: 'PASS',
      code: 'text-kept',
      reason: 'keeps prompt and response text in S3 bucket invocation-logs',
      severity: 'high',
    },
    {
      name: 'PASS text to CloudWatch with large-data S3 delivery',
      inventory: bedrockInventory(cwOnly('invocation-logs')),
      status: 'PASS',
      code: 'text-kept',
      reason: 'log group /bedrock/inv',
    },
    {
      name: 'FAIL text to CloudWatch only: large bodies are dropped',
      inventory: bedrockInventory(cwOnly()),
      status: 'FAIL',
      code: 'large-data-not-kept',
      reason: 'over 100 KB',
    },
    {
      name: 'FAIL text off',
      inventory: bedrockInventory(loggingConfig({ textDataDelivery: false })),
      status: 'FAIL',
      code: 'text-delivery-off',
      severity: 'high',
      reason: 'does not deliver text data',
    },
    {
      name: 'FAIL text off without resources is still high: configured logging is Bedrock used on demand',
      inventory: bedrockInventory(loggingConfig({ textDataDelivery: false }), undefined, () => undefined),
      status: 'FAIL',
      code: 'text-delivery-off',
      severity: 'high',
    },
    { name: 'FAIL not configured', inventory: bedrockInventory(null, [], () => undefined), status: 'FAIL', code: 'logging-off', severity: 'low' },
    {
      name: 'FAIL no destination',
      inventory: bedrockInventory(loggingConfig({ s3: null, cloudWatch: null })),
      status: 'FAIL',
      code: 'no-destination',
    },
    {
      name: 'FAIL text on but the only destination was deleted',
      inventory: bedrockInventory(loggingConfig(), [missingBucket]),
      status: 'FAIL',
      code: 'destination-missing',
      reason: 'Text data delivery is on, but',
    },
    { name: 'NOT_ASSESSED unreadable', inventory: bedrockInventory(unseen('ThrottlingException')), status: 'NOT_ASSESSED', code: 'not-readable' },
    { name: 'NOT_ASSESSED no region scanned', inventory: inventory().account(MGMT), status: 'NOT_ASSESSED', code: 'no-region-scanned' },
  ],
  {
    impossible: { NOT_APPLICABLE: 'Bedrock can be invoked on demand with no resource to show: without footprint the result is a low-severity FAIL' },
  },
);
