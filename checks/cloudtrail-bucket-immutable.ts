// cloudtrail-bucket-immutable: the S3 bucket of each logging multi-region or organization trail covering the
// account, found in whichever scanned account owns it (Inventory.buckets), has Object Lock with a default
// retention of at least minRetentionDays in the required mode. One result per (account, trail); an
// organization trail is reported in every member account it records (see lib/trail-scope.ts). A locked bucket
// the trail does not deliver to (gone, or LatestDeliveryError) keeps nothing: FAIL with the destination's code.
import type { Check, Finding } from './types.js';
import { NOT_DELIVERING, trailDeliveryProblem } from './lib/destinations.js';
import { evaluateObjectLock, OBJECT_LOCK_CODES } from './lib/object-lock.js';
import { COMMON_CODES, fromVerdict, type Verdict } from './lib/results.js';
import { auditTrailScope, TRAIL_SCOPE_CODES } from './lib/trail-scope.js';

export const check: Check = {
  meta: {
    id: 'cloudtrail-bucket-immutable',
    title: 'Trail log buckets have Object Lock with a sufficient default retention',
    severity: 'high',
    scope: 'trail',
    service: 's3',
    rationale:
      'An intruder with enough privilege deletes or overwrites CloudTrail logs to hide their tracks. Object Lock default retention (in COMPLIANCE mode, not even the root user can shorten it) keeps every delivered log file for the retention period, whatever happens to the credentials.',
    risk: 'The audit trail can be destroyed after the fact, and with it the ability to reconstruct the incident.',
    remediation: {
      summary:
        'Deliver the trail to a bucket created with Object Lock enabled and a default retention in COMPLIANCE mode of at least the required days (Object Lock can also be enabled on an existing versioned bucket).',
      cli: `aws s3api put-object-lock-configuration --bucket TRAIL_BUCKET --object-lock-configuration '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Days":365}}}'`,
      iac: {
        kind: 'cloudformation',
        snippet: [
          'TrailBucket:',
          '  Type: AWS::S3::Bucket',
          '  Properties:',
          '    ObjectLockEnabled: true',
          '    VersioningConfiguration: { Status: Enabled }',
          '    ObjectLockConfiguration:',
          '      ObjectLockEnabled: Enabled',
          '      Rule:',
          '        DefaultRetention: { Mode: COMPLIANCE, Days: 365 }',
        ].join('\n'),
      },
      docs: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html'],
    },
    parameters: ['minRetentionDays', 'objectLockMode'],
    reasonCodes: {
      ...OBJECT_LOCK_CODES,
      'no-bucket': 'The trail names no S3 bucket.',
      'destination-missing': "The trail's bucket does not exist, so no log file is delivered.",
      'not-delivering': NOT_DELIVERING,
      'owned-outside-scan': "The trail's bucket is owned outside the scanned accounts.",
      ...TRAIL_SCOPE_CODES,
      ...COMMON_CODES,
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-9' },
      { framework: 'nist-800-53-r5', control: 'AU-11' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
      { framework: 'iso-27001-2022', control: 'A.5.28' },
      { framework: 'eu-ai-act', control: 'Art. 19' },
    ],
  },
  evaluate({ inventory, account, params }) {
    const scope = auditTrailScope(inventory, account);
    if (scope.empty) return [scope.empty];
    return scope.trails.map((t): Finding => {
      const base = { trail: t.name, organizationTrail: t.isOrganizationTrail };
      const name = t.s3BucketName;
      const at = (v: Verdict) => fromVerdict(account, t.homeRegion, t.arn, v);
      if (!name) return at({ status: 'FAIL', code: 'no-bucket', reason: `Trail ${t.name} has no S3 bucket`, evidence: base });
      const info = inventory.buckets[name];
      const ev = { ...base, bucket: name };
      const undelivered = trailDeliveryProblem(inventory, t);
      if (undelivered?.code === 'destination-missing')
        return at({
          ...undelivered,
          reason: `Bucket ${name} of trail ${t.name} does not exist, so the trail delivers nothing`,
          evidence: { ...ev, exists: false },
        });
      if (!info)
        return at({
          status: 'NOT_ASSESSED',
          code: 'not-collected',
          reason: `Bucket ${name} of trail ${t.name} was not collected, so its Object Lock could not be read`,
          evidence: ev,
        });
      if (undelivered)
        return at({
          ...undelivered,
          reason: `Trail ${t.name}: ${undelivered.reason}, so its bucket's Object Lock protects nothing new`,
          evidence: { ...ev, ...undelivered.evidence },
        });
      if (info.ownerAccountId === null)
        return at({
          status: 'NOT_ASSESSED',
          code: 'owned-outside-scan',
          reason: `Bucket ${name} of trail ${t.name} is owned outside the scanned accounts, so its Object Lock could not be read`,
          evidence: ev,
        });
      const v = evaluateObjectLock(info, params);
      return at({ ...v, reason: `Trail ${t.name}: ${v.reason}`, evidence: { ...base, bucketOwner: info.ownerAccountId, ...v.evidence } });
    });
  },
};
