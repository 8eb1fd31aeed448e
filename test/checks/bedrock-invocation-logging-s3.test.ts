import { describe, expect, it } from 'vitest';
import { check } from '../../checks/bedrock-invocation-logging-s3.js';
import type { BedrockLoggingConfig, BucketInfo, Observed } from '../../src/model/inventory.js';
import { bucket, inventory, loggingConfig, LOGARCHIVE, MGMT, only, run, seen, unseen } from '../support/inventory-builder.js';

const ARN = `arn:aws:bedrock:us-east-1:${MGMT}:model-invocation-logging`;
const cwOnly = loggingConfig({ s3: null, cloudWatch: { logGroupName: '/bedrock/inv', roleArn: null, largeDataS3: null } });

describe('bedrock-invocation-logging-s3', () => {
  it.each<[string, Observed<BedrockLoggingConfig | null>, BucketInfo | null, string, string]>([
    ['PASS bucket exists (other account)', seen(loggingConfig()), bucket('invocation-logs', {}, LOGARCHIVE), 'PASS', 'delivered to S3 bucket invocation-logs (owner 333333333333)'],
    ['FAIL CloudWatch only', seen(cwOnly), null, 'FAIL', 'has no S3 destination'],
    ['FAIL not configured', seen(null), null, 'FAIL', 'not configured in us-east-1'],
    ['FAIL bucket does not exist', seen(loggingConfig()), bucket('invocation-logs', { region: unseen('NoSuchBucket: The specified bucket does not exist', 'NoSuchBucket') }, null), 'FAIL', 'Invocation-log bucket invocation-logs configured in us-east-1 does not exist'],
    ['NOT_ASSESSED bucket outside org', seen(loggingConfig()), bucket('invocation-logs', {}, null), 'NOT_ASSESSED', 'owned outside the scanned accounts'],
    ['NOT_ASSESSED bucket not collected', seen(loggingConfig()), null, 'NOT_ASSESSED', 'Invocation-log bucket invocation-logs was not collected'],
    ['NOT_ASSESSED settings unreadable', unseen('AccessDenied'), null, 'NOT_ASSESSED', 'settings in us-east-1 could not be read: AccessDenied'],
  ])('%s', (_n, logging, b, status, fragment) => {
    const inv = inventory().region('us-east-1', (r) => r.withBedrock().logging(logging));
    if (b) inv.bucket(b);
    const f = only(run(check, inv));
    expect(f.status).toBe(status);
    expect(f.severity).toBe('medium');
    expect(f.resourceArn).toBe(ARN);
    expect(f.reason).toContain(fragment);
  });
});
