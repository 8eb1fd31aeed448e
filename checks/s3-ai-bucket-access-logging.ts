// s3-ai-bucket-access-logging: each AI data bucket has server access logging to another bucket. One result
// per bucket, in the owning account. Logging into the bucket itself fails (log writes would log themselves,
// and whoever can delete the data can delete its access logs).
import type { Check } from './types.js';
import { AI_DATA_BUCKET_ROLES, isAiDataBucket, type Verdict } from './lib/buckets.js';
import { runBucketCheck } from './lib/bucket-check.js';

export const check: Check = {
  meta: {
    id: 's3-ai-bucket-access-logging',
    title: 'AI data buckets have server access logging to a separate bucket',
    severity: 'medium',
    scope: 'bucket',
    service: 's3',
    rationale:
      'Server access logs record every request to a bucket, including requests that CloudTrail data events do not select and failed (denied) attempts. They are a second, independent record of who touched training data and models.',
    risk: 'Without them, and without data events, reads of training data or models by an intruder are invisible.',
    remediation: {
      summary: 'Enable server access logging on each AI data bucket, targeting a dedicated log bucket (versioned and replicated to a locked bucket).',
      cli: `aws s3api put-bucket-logging --bucket AI_BUCKET --bucket-logging-status '{"LoggingEnabled":{"TargetBucket":"ACCESS_LOG_BUCKET","TargetPrefix":"AI_BUCKET/"}}'`,
      iac: {
        kind: 'terraform',
        snippet: [
          'resource "aws_s3_bucket_logging" "ai" {',
          '  bucket        = aws_s3_bucket.training_data.id',
          '  target_bucket = aws_s3_bucket.access_logs.id',
          '  target_prefix = "training-data/"',
          '}',
        ].join('\n'),
      },
      docs: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html'],
    },
    parameters: ['bucketRoleTagKey'],
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-2' },
      { framework: 'nist-800-53-r5', control: 'AU-12' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
      { framework: 'soc2', control: 'CC7.2' },
    ],
  },
  evaluate(ctx) {
    return runBucketCheck(ctx, {
      noun: 'AI data bucket',
      roles: AI_DATA_BUCKET_ROLES,
      filter: isAiDataBucket,
      judge: (b, info): Verdict => {
        if (info.logging === undefined) return { status: 'NOT_ASSESSED', reason: `Server access logging of bucket ${b.name} was not collected`, evidence: { bucket: b.name } };
        if (!info.logging.ok) return { status: 'NOT_ASSESSED', reason: `Server access logging of bucket ${b.name} could not be read: ${info.logging.reason}`, evidence: { bucket: b.name } };
        const l = info.logging.value;
        if (!l) return { status: 'FAIL', reason: `Bucket ${b.name} has no server access logging`, evidence: { bucket: b.name, logging: null } };
        const ev = { bucket: b.name, targetBucket: l.targetBucket, targetPrefix: l.targetPrefix };
        if (l.targetBucket === b.name) return { status: 'FAIL', reason: `Bucket ${b.name} writes its access logs to itself`, evidence: ev };
        return { status: 'PASS', reason: `Bucket ${b.name} logs access to bucket ${l.targetBucket}`, evidence: ev };
      },
    });
  },
};
