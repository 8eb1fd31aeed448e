// s3-log-bucket-object-lock: each log bucket has Object Lock with a default retention of at least
// minRetentionDays in the required mode. S3 cannot deliver server access logs to a bucket with Object Lock
// default retention, so an access-log target instead passes with versioning Enabled plus replication to a
// bucket that itself has compliant Object Lock default retention; an access-log target that has default
// retention or SSE-KMS default encryption itself fails (its access logs are not being delivered).
import type { Check } from './types.js';
import type { BucketInfo, Inventory } from '../src/model/inventory.js';
import type { CheckParameters } from './types.js';
import { ACCESS_LOG_TARGET_CODES, targetCannotReceive } from './lib/access-log-target.js';
import { bucketMissing, isAccessLogTarget, isLogBucket, LOG_BUCKET_ROLES, type ClassifiedBucket } from './lib/buckets.js';
import { bucketNameOf } from '../src/model/s3-location.js';
import { BUCKET_CHECK_CODES, runBucketCheck } from './lib/bucket-check.js';
import { evaluateObjectLock, OBJECT_LOCK_CODES } from './lib/object-lock.js';
import { COMMON_CODES, type Verdict } from './lib/results.js';

function judgeAccessLogTarget(b: ClassifiedBucket, info: BucketInfo, inventory: Inventory, params: CheckParameters): Verdict {
  const name = b.name;
  const base = { bucket: name, accessLogTarget: true };
  const blocked = targetCannotReceive(info);
  if (blocked && blocked.status === 'FAIL')
    return { ...blocked, reason: `Bucket ${name} receives server access logs, but ${blocked.reason}`, evidence: { ...base, ...blocked.evidence } };
  if (info.versioning === undefined)
    return { status: 'NOT_ASSESSED', code: 'not-collected', reason: `Versioning of access-log bucket ${name} was not collected`, evidence: base };
  if (!info.versioning.ok)
    return {
      status: 'NOT_ASSESSED',
      code: 'not-readable',
      reason: `Versioning of access-log bucket ${name} could not be read: ${info.versioning.reason}`,
      evidence: base,
    };
  if (info.versioning.value.status !== 'Enabled')
    return {
      status: 'FAIL',
      code: 'target-not-versioned',
      reason: `Access-log bucket ${name} has versioning ${info.versioning.value.status.toLowerCase()} (needs versioning and replication to a locked bucket)`,
      evidence: { ...base, versioning: info.versioning.value.status },
    };
  if (info.replication === undefined)
    return { status: 'NOT_ASSESSED', code: 'not-collected', reason: `Replication of access-log bucket ${name} was not collected`, evidence: base };
  if (!info.replication.ok)
    return {
      status: 'NOT_ASSESSED',
      code: 'not-readable',
      reason: `Replication of access-log bucket ${name} could not be read: ${info.replication.reason}`,
      evidence: base,
    };
  const dests = (info.replication.value?.destinationBuckets ?? []).map(bucketNameOf);
  if (dests.length === 0)
    return {
      status: 'FAIL',
      code: 'target-not-replicated',
      reason: `Access-log bucket ${name} is versioned but not replicated to a locked bucket`,
      evidence: { ...base, versioning: 'Enabled', replicationDestinations: [] },
    };
  const verdicts: Record<string, string> = {};
  const unknown: string[] = [];
  for (const d of dests) {
    const dInfo = inventory.buckets[d];
    if (!dInfo) {
      unknown.push(`replica bucket ${d} was not collected`);
      continue;
    }
    if (bucketMissing(dInfo)) {
      verdicts[d] = `replica bucket ${d} does not exist`;
      continue;
    }
    if (dInfo.ownerAccountId === null) {
      unknown.push(`replica bucket ${d} is owned outside the scanned accounts`);
      continue;
    }
    const v = evaluateObjectLock(dInfo, params);
    if (v.status === 'PASS')
      return {
        status: 'PASS',
        code: 'replicated-to-locked',
        reason: `Access-log bucket ${name} is versioned and replicated to bucket ${d}, which ${v.reason.replace(`Bucket ${d} `, '')}`,
        evidence: { ...base, versioning: 'Enabled', replica: d, replicaLock: v.evidence },
      };
    if (v.status === 'NOT_ASSESSED') unknown.push(v.reason);
    verdicts[d] = v.reason;
  }
  const ev = { ...base, versioning: 'Enabled', replicationDestinations: dests, replicaVerdicts: verdicts };
  if (unknown.length > 0)
    return {
      status: 'NOT_ASSESSED',
      code: 'replica-unknown',
      reason: `Access-log bucket ${name} is versioned and replicated, but the replica's Object Lock could not be confirmed: ${unknown.join('; ')}`,
      evidence: ev,
    };
  return {
    status: 'FAIL',
    code: 'replica-not-locked',
    reason: `Access-log bucket ${name} is replicated only to buckets without compliant Object Lock: ${Object.values(verdicts).join('; ')}`,
    evidence: ev,
  };
}

export const check: Check = {
  meta: {
    id: 's3-log-bucket-object-lock',
    title: 'Log buckets are immutable (Object Lock, or versioned replication to a locked bucket)',
    severity: 'high',
    scope: 'bucket',
    service: 's3',
    rationale:
      'Invocation logs, data captures, flow logs, access logs and evidence copies are only evidence if nobody could have altered them. Object Lock default retention makes every new log object undeletable for the retention period.',
    risk: 'An intruder or careless clean-up deletes the logs an investigation depends on; integrity of what remains can be disputed.',
    remediation: {
      summary:
        'Enable Object Lock with a COMPLIANCE default retention on log buckets. For server-access-log targets (which cannot have default retention), enable versioning and replicate to a bucket that has it.',
      cli: `aws s3api put-object-lock-configuration --bucket LOG_BUCKET --object-lock-configuration '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Days":365}}}'`,
      iac: {
        kind: 'terraform',
        snippet: [
          'resource "aws_s3_bucket_object_lock_configuration" "logs" {',
          '  bucket = aws_s3_bucket.logs.id',
          '  rule {',
          '    default_retention {',
          '      mode = "COMPLIANCE"',
          '      days = 365',
          '    }',
          '  }',
          '}',
        ].join('\n'),
      },
      docs: [
        'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html',
        'https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html',
      ],
    },
    parameters: ['minRetentionDays', 'objectLockMode', 'bucketRoleTagKey'],
    reasonCodes: {
      ...OBJECT_LOCK_CODES,
      'target-default-retention': ACCESS_LOG_TARGET_CODES['target-default-retention'],
      'target-sse-kms': ACCESS_LOG_TARGET_CODES['target-sse-kms'],
      'target-not-versioned': 'An access-log target (which cannot have default retention) is not versioned.',
      'target-not-replicated': 'An access-log target is versioned but not replicated to a locked bucket.',
      'replicated-to-locked': 'An access-log target is versioned and replicated to a bucket with compliant Object Lock.',
      'replica-unknown': "The access-log target's replica could not be judged.",
      'replica-not-locked': 'An access-log target is replicated only to buckets without compliant Object Lock.',
      ...BUCKET_CHECK_CODES,
      ...COMMON_CODES,
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-9' },
      { framework: 'nist-800-53-r5', control: 'AU-11' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
      { framework: 'iso-27001-2022', control: 'A.5.28' },
      { framework: 'eu-ai-act', control: 'Art. 19' },
      { framework: 'eu-ai-act', control: 'Art. 26(6)' },
    ],
  },
  evaluate(ctx) {
    return runBucketCheck(ctx, {
      noun: 'log bucket',
      roles: LOG_BUCKET_ROLES,
      filter: isLogBucket,
      judge: (b, info, c): Verdict => {
        if (isAccessLogTarget(b)) return judgeAccessLogTarget(b, info, c.inventory, c.params);
        return evaluateObjectLock(info, c.params);
      },
    });
  },
};
