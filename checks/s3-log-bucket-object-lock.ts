// s3-log-bucket-object-lock: each log bucket has Object Lock with a default retention of at least
// minRetentionDays in the required mode. S3 cannot deliver server access logs to a bucket with Object Lock
// default retention, so an access-log target instead passes with versioning Enabled plus replication to a
// bucket that itself has compliant Object Lock default retention; an access-log target that has default
// retention itself fails (its access logs are not being delivered).
import type { Check } from './types.js';
import type { BucketInfo, Inventory } from '../src/model/inventory.js';
import type { CheckParameters } from './types.js';
import { evaluateObjectLock, isAccessLogTarget, isLogBucket, LOG_BUCKET_ROLES, type ClassifiedBucket, type Verdict } from './lib/buckets.js';
import { runBucketCheck } from './lib/bucket-check.js';
import { bucketNameOf } from '../src/model/s3-location.js';

function judgeAccessLogTarget(b: ClassifiedBucket, info: BucketInfo, inventory: Inventory, params: CheckParameters): Verdict {
  const name = b.name;
  const base = { bucket: name, accessLogTarget: true };
  if (info.objectLock?.ok && info.objectLock.value.enabled && info.objectLock.value.defaultRetention)
    return {
      status: 'FAIL',
      reason: `Bucket ${name} receives server access logs but has Object Lock default retention, which S3 access-log delivery does not support`,
      evidence: { ...base, defaultRetention: info.objectLock.value.defaultRetention },
    };
  if (info.versioning === undefined) return { status: 'NOT_ASSESSED', reason: `Versioning of access-log bucket ${name} was not collected`, evidence: base };
  if (!info.versioning.ok) return { status: 'NOT_ASSESSED', reason: `Versioning of access-log bucket ${name} could not be read: ${info.versioning.reason}`, evidence: base };
  if (info.versioning.value.status !== 'Enabled')
    return { status: 'FAIL', reason: `Access-log bucket ${name} has versioning ${info.versioning.value.status.toLowerCase()} (needs versioning and replication to a locked bucket)`, evidence: { ...base, versioning: info.versioning.value.status } };
  if (info.replication === undefined) return { status: 'NOT_ASSESSED', reason: `Replication of access-log bucket ${name} was not collected`, evidence: base };
  if (!info.replication.ok) return { status: 'NOT_ASSESSED', reason: `Replication of access-log bucket ${name} could not be read: ${info.replication.reason}`, evidence: base };
  const dests = (info.replication.value?.destinationBuckets ?? []).map(bucketNameOf);
  if (dests.length === 0) return { status: 'FAIL', reason: `Access-log bucket ${name} is versioned but not replicated to a locked bucket`, evidence: { ...base, versioning: 'Enabled', replicationDestinations: [] } };
  const verdicts: Record<string, string> = {};
  const unknown: string[] = [];
  for (const d of dests) {
    const dInfo = inventory.buckets[d];
    if (!dInfo) {
      unknown.push(`replica bucket ${d} was not collected`);
      continue;
    }
    if (dInfo.ownerAccountId === null) {
      unknown.push(`replica bucket ${d} is owned outside the scanned accounts`);
      continue;
    }
    const v = evaluateObjectLock(dInfo, params);
    if (v.status === 'PASS')
      return { status: 'PASS', reason: `Access-log bucket ${name} is versioned and replicated to bucket ${d}, which ${v.reason.replace(`Bucket ${d} `, '')}`, evidence: { ...base, versioning: 'Enabled', replica: d, replicaLock: v.evidence } };
    if (v.status === 'NOT_ASSESSED') unknown.push(v.reason);
    verdicts[d] = v.reason;
  }
  const ev = { ...base, versioning: 'Enabled', replicationDestinations: dests, replicaVerdicts: verdicts };
  if (unknown.length > 0) return { status: 'NOT_ASSESSED', reason: `Access-log bucket ${name} is versioned and replicated, but the replica's Object Lock could not be confirmed: ${unknown.join('; ')}`, evidence: ev };
  return { status: 'FAIL', reason: `Access-log bucket ${name} is replicated only to buckets without compliant Object Lock: ${Object.values(verdicts).join('; ')}`, evidence: ev };
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
