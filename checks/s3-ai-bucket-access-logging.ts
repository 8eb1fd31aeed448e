// s3-ai-bucket-access-logging: each AI data bucket has server access logging to another bucket. One result
// per bucket, in the owning account. Logging into the bucket itself fails (log writes would log themselves,
// and whoever can delete the data can delete its access logs); so does a target S3 cannot deliver to
// (lib/access-log-target.ts: missing, other account or Region, default retention, SSE-KMS).
import type { Check } from './types.js';
import { accessLogTargetProblem, ACCESS_LOG_TARGET_CODES } from './lib/access-log-target.js';
import { AI_DATA_BUCKET_ROLES, isAiDataBucket } from './lib/buckets.js';
import { BUCKET_CHECK_CODES, runBucketCheck } from './lib/bucket-check.js';
import { COMMON_CODES, type Verdict } from './lib/results.js';

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
    reasonCodes: {
      'logging-off': 'The bucket has no server access logging.',
      'logs-to-itself': 'The bucket is its own access-log target.',
      'logging-delivered': 'Access logs go to another bucket that S3 can deliver to.',
      ...ACCESS_LOG_TARGET_CODES,
      ...BUCKET_CHECK_CODES,
      ...COMMON_CODES,
    },
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
      judge: (b, info, c): Verdict => {
        if (info.logging === undefined)
          return {
            status: 'NOT_ASSESSED',
            code: 'not-collected',
            reason: `Server access logging of bucket ${b.name} was not collected`,
            evidence: { bucket: b.name },
          };
        if (!info.logging.ok)
          return {
            status: 'NOT_ASSESSED',
            code: 'not-readable',
            reason: `Server access logging of bucket ${b.name} could not be read: ${info.logging.reason}`,
            evidence: { bucket: b.name },
          };
        const l = info.logging.value;
        if (!l)
          return {
            status: 'FAIL',
            code: 'logging-off',
            reason: `Bucket ${b.name} has no server access logging`,
            evidence: { bucket: b.name, logging: null },
          };
        const ev = { bucket: b.name, targetBucket: l.targetBucket, targetPrefix: l.targetPrefix };
        if (l.targetBucket === b.name)
          return { status: 'FAIL', code: 'logs-to-itself', reason: `Bucket ${b.name} writes its access logs to itself`, evidence: ev };
        const problem = accessLogTargetProblem(c.inventory, info, l.targetBucket);
        if (problem)
          return {
            ...problem,
            reason: `Bucket ${b.name} logs access to bucket ${l.targetBucket}, which receives nothing: ${problem.reason}`,
            evidence: { ...ev, ...problem.evidence },
          };
        return {
          status: 'PASS',
          code: 'logging-delivered',
          reason: `Bucket ${b.name} logs access to bucket ${l.targetBucket} (same account and Region, no default retention, no SSE-KMS)`,
          evidence: ev,
        };
      },
    });
  },
};
