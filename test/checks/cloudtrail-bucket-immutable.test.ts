import { describe, expect, it } from 'vitest';
import { check } from '../../checks/cloudtrail-bucket-immutable.js';
import type { CheckParameters } from '../../checks/types.js';
import type { BucketInfo } from '../../src/model/inventory.js';
import { bucket, deliveryError, inventory, LOGARCHIVE, locked, MEMBER, MGMT, only, run, seen, trail, unseen } from '../support/inventory-builder.js';
import { testCheck } from '../support/check-tester.js';

const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/org`;

function orgInventory(b: BucketInfo | null) {
  const inv = inventory()
    .org()
    .orgTrails([trail({ name: 'org', isOrganizationTrail: true, s3BucketName: 'org-trail-logs' })])
    .account(MGMT)
    .account(MEMBER)
    .account(LOGARCHIVE);
  if (b) inv.bucket(b);
  return inv;
}

function scenario(b: BucketInfo | null, params: Partial<CheckParameters> = {}, acct = MGMT) {
  const inv = inventory()
    .org()
    .orgTrails([trail({ name: 'org', isOrganizationTrail: true, s3BucketName: 'org-trail-logs' })])
    .account(MGMT)
    .account(MEMBER)
    .account(LOGARCHIVE);
  if (b) inv.bucket(b);
  return only(run(check, inv, acct, params));
}

describe('cloudtrail-bucket-immutable', () => {
  it.each<[string, BucketInfo | null, Partial<CheckParameters>, string, string]>([
    [
      'PASS: COMPLIANCE 365 days',
      bucket('org-trail-logs', { objectLock: locked('COMPLIANCE', 365) }, LOGARCHIVE),
      {},
      'PASS',
      'Object Lock in COMPLIANCE mode for 365 days',
    ],
    [
      'PASS: years count as 365 days',
      bucket('org-trail-logs', { objectLock: seen({ enabled: true, defaultRetention: { mode: 'COMPLIANCE', years: 1 } }) }, LOGARCHIVE),
      {},
      'PASS',
      'for 365 days',
    ],
    [
      'FAIL: GOVERNANCE when COMPLIANCE required',
      bucket('org-trail-logs', { objectLock: locked('GOVERNANCE', 400) }, LOGARCHIVE),
      {},
      'FAIL',
      'default retention in GOVERNANCE mode (required: COMPLIANCE)',
    ],
    [
      'PASS: COMPLIANCE when GOVERNANCE required',
      bucket('org-trail-logs', { objectLock: locked('COMPLIANCE', 400) }, LOGARCHIVE),
      { objectLockMode: 'GOVERNANCE' },
      'PASS',
      'COMPLIANCE mode for 400 days',
    ],
    [
      'PASS: GOVERNANCE when GOVERNANCE required',
      bucket('org-trail-logs', { objectLock: locked('GOVERNANCE', 400) }, LOGARCHIVE),
      { objectLockMode: 'GOVERNANCE' },
      'PASS',
      'GOVERNANCE mode for 400 days',
    ],
    [
      'FAIL: too short',
      bucket('org-trail-logs', { objectLock: locked('COMPLIANCE', 90) }, LOGARCHIVE),
      {},
      'FAIL',
      'locked for 90 days (required: >= 365)',
    ],
    [
      'FAIL: custom minimum',
      bucket('org-trail-logs', { objectLock: locked('COMPLIANCE', 365) }, LOGARCHIVE),
      { minRetentionDays: 730 },
      'FAIL',
      '(required: >= 730)',
    ],
    [
      'FAIL: no Object Lock',
      bucket('org-trail-logs', { objectLock: seen({ enabled: false, defaultRetention: null }) }, LOGARCHIVE),
      {},
      'FAIL',
      'does not have Object Lock enabled',
    ],
    [
      'FAIL: lock without default retention',
      bucket('org-trail-logs', { objectLock: seen({ enabled: true, defaultRetention: null }) }, LOGARCHIVE),
      {},
      'FAIL',
      'has Object Lock but no default retention',
    ],
    [
      'NOT_ASSESSED: lock unreadable',
      bucket('org-trail-logs', { objectLock: unseen('AccessDenied: GetObjectLockConfiguration') }, LOGARCHIVE),
      {},
      'NOT_ASSESSED',
      'could not be read: AccessDenied: GetObjectLockConfiguration',
    ],
    [
      'NOT_ASSESSED: lock not collected',
      bucket('org-trail-logs', {}, LOGARCHIVE),
      {},
      'NOT_ASSESSED',
      'Object Lock configuration of bucket org-trail-logs was not collected',
    ],
    [
      'NOT_ASSESSED: owned outside the org',
      bucket('org-trail-logs', { objectLock: locked() }, null),
      {},
      'NOT_ASSESSED',
      'is owned outside the scanned accounts',
    ],
    ['NOT_ASSESSED: bucket not collected', null, {}, 'NOT_ASSESSED', 'Bucket org-trail-logs of trail org was not collected'],
  ])('%s', (_n, b, params, status, fragment) => {
    const f = scenario(b, params);
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe(TRAIL_ARN);
    expect(f.region).toBe('us-east-1');
    expect(f.reason).toContain(fragment);
  });

  it('judges the organization trail bucket (owned by the log-archive account) in a member account', () => {
    const f = scenario(bucket('org-trail-logs', { objectLock: locked('GOVERNANCE', 365) }, LOGARCHIVE), {}, MEMBER);
    expect(f.accountId).toBe(MEMBER);
    expect(f.status).toBe('FAIL');
    expect(f.resourceArn).toBe(TRAIL_ARN);
    expect(f.reason).toContain('Trail org: Bucket org-trail-logs has default retention in GOVERNANCE mode');
    expect(f.evidence).toMatchObject({ bucketOwner: LOGARCHIVE });
  });

  it('NOT_APPLICABLE without any multi-region or organization trail', () => {
    const f = only(run(check, inventory().account(MGMT)));
    expect(f.status).toBe('NOT_APPLICABLE');
    expect(f.resourceArn).toBe(`arn:aws:iam::${MGMT}:root`);
    expect(f.reason).toContain('No logging multi-region or organization trail');
  });
});

testCheck(check, [
  { name: 'PASS locked', inventory: orgInventory(bucket('org-trail-logs', { objectLock: locked() }, LOGARCHIVE)), status: 'PASS', code: 'locked' },
  {
    name: 'FAIL not locked',
    inventory: orgInventory(bucket('org-trail-logs', { objectLock: seen({ enabled: false, defaultRetention: null }) }, LOGARCHIVE)),
    status: 'FAIL',
    code: 'object-lock-off',
  },
  {
    name: 'FAIL the trail bucket was deleted',
    inventory: orgInventory(bucket('org-trail-logs', { region: unseen('Bucket org-trail-logs does not exist', 'NoSuchBucket') }, null)),
    status: 'FAIL',
    code: 'destination-missing',
    reason: 'does not exist, so the trail delivers nothing',
  },
  {
    name: 'FAIL the bucket cannot receive (delivery error)',
    inventory: inventory()
      .org()
      .orgTrails([trail({ name: 'org', isOrganizationTrail: true, s3BucketName: 'org-trail-logs', status: deliveryError('AccessDenied') })])
      .account(MGMT)
      .account(LOGARCHIVE)
      .bucket(bucket('org-trail-logs', { objectLock: locked() }, LOGARCHIVE)),
    status: 'FAIL',
    code: 'not-delivering',
    reason: 'LatestDeliveryError AccessDenied',
  },
  {
    name: 'PASS locked bucket in another Region',
    inventory: orgInventory(bucket('org-trail-logs', { objectLock: locked(), region: seen('eu-west-1') }, LOGARCHIVE)),
    status: 'PASS',
    code: 'locked',
  },
  {
    name: 'NOT_ASSESSED owned outside the scan',
    inventory: orgInventory(bucket('org-trail-logs', {}, null)),
    status: 'NOT_ASSESSED',
    code: 'owned-outside-scan',
  },
  { name: 'NOT_APPLICABLE no audit trail', inventory: inventory().account(MGMT), status: 'NOT_APPLICABLE', code: 'no-audit-trail' },
]);
