import { describe, expect, it } from 'vitest';
import { check } from '../../checks/s3-ai-bucket-access-logging.js';
import type { BucketInfo } from '../../src/model/inventory.js';
import { bucket, forResource, inventory, MGMT, only, run, seen, trainingJob, unseen } from '../support/inventory-builder.js';

const ARN = 'arn:aws:s3:::training-data';
const withTraining = () => inventory().region('us-east-1', (r) => r.trainingJobs([trainingJob('j', { inputS3Uris: ['s3://training-data/x/'] })]));

describe('s3-ai-bucket-access-logging', () => {
  it.each<[string, Partial<BucketInfo>, string, string]>([
    ['PASS', { logging: seen({ targetBucket: 'access-logs', targetPrefix: 'td/' }) }, 'PASS', 'Bucket training-data logs access to bucket access-logs'],
    ['FAIL none', { logging: seen(null) }, 'FAIL', 'Bucket training-data has no server access logging'],
    ['FAIL to itself', { logging: seen({ targetBucket: 'training-data', targetPrefix: 'logs/' }) }, 'FAIL', 'writes its access logs to itself'],
    ['NOT_ASSESSED unreadable', { logging: unseen('AccessDenied: GetBucketLogging') }, 'NOT_ASSESSED', 'could not be read: AccessDenied: GetBucketLogging'],
    ['NOT_ASSESSED not collected', {}, 'NOT_ASSESSED', 'was not collected'],
  ])('%s', (_n, p, status, fragment) => {
    const f = forResource(run(check, withTraining().bucket(bucket('training-data', p))), ARN);
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe(ARN);
    expect(f.reason).toContain(fragment);
  });

  it('NOT_APPLICABLE without AI data buckets', () => {
    const f = only(run(check, inventory().region('us-east-1')));
    expect(f.status).toBe('NOT_APPLICABLE');
    expect(f.resourceArn).toBe(`arn:aws:iam::${MGMT}:root`);
    expect(f.reason).toContain('has no AI data buckets');
  });

  it('a bucket that is not collected is NOT_ASSESSED in the referencing account', () => {
    const f = only(run(check, withTraining()));
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.resourceArn).toBe(ARN);
    expect(f.reason).toContain('Bucket training-data was not collected');
  });
});
