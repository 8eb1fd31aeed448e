import { describe, expect, it } from 'vitest';
import { check } from '../../checks/s3-log-bucket-object-lock.js';
import type { CheckParameters } from '../../checks/types.js';
import type { BucketInfo } from '../../src/model/inventory.js';
import { bucket, forResource, inventory, LOGARCHIVE, locked, loggingConfig, MGMT, only, run, seen, trail, unseen, versioned } from '../support/inventory-builder.js';

describe('s3-log-bucket-object-lock', () => {
  const invocationLogs = (p: Partial<BucketInfo>, owner: string | null = MGMT) =>
    inventory().region('us-east-1', (r) => r.logging(loggingConfig())).bucket(bucket('invocation-logs', p, owner));

  it.each<[string, Partial<BucketInfo>, Partial<CheckParameters>, string, string]>([
    ['PASS', { objectLock: locked('COMPLIANCE', 365) }, {}, 'PASS', 'Bucket invocation-logs has Object Lock in COMPLIANCE mode for 365 days'],
    ['FAIL GOVERNANCE vs COMPLIANCE', { objectLock: locked('GOVERNANCE', 365) }, {}, 'FAIL', 'GOVERNANCE mode (required: COMPLIANCE)'],
    ['PASS GOVERNANCE allowed', { objectLock: locked('GOVERNANCE', 365) }, { objectLockMode: 'GOVERNANCE' }, 'PASS', 'GOVERNANCE mode'],
    ['FAIL short', { objectLock: locked('COMPLIANCE', 30) }, {}, 'FAIL', 'locked for 30 days (required: >= 365)'],
    ['FAIL no lock', { objectLock: seen({ enabled: false, defaultRetention: null }) }, {}, 'FAIL', 'does not have Object Lock enabled'],
    ['NOT_ASSESSED unreadable', { objectLock: unseen('AccessDenied') }, {}, 'NOT_ASSESSED', 'Object Lock configuration of bucket invocation-logs could not be read: AccessDenied'],
  ])('%s', (_n, p, params, status, fragment) => {
    const f = only(run(check, invocationLogs(p), MGMT, params));
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe('arn:aws:s3:::invocation-logs');
    expect(f.reason).toContain(fragment);
  });

  it('NOT_ASSESSED for a log bucket owned outside the Organization', () => {
    const f = only(run(check, invocationLogs({ objectLock: locked() }, null)));
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.resourceArn).toBe('arn:aws:s3:::invocation-logs');
    expect(f.reason).toContain('owned outside the scanned accounts');
  });

  it('NOT_APPLICABLE without log buckets', () => {
    const f = only(run(check, inventory().region('us-east-1')));
    expect(f.status).toBe('NOT_APPLICABLE');
    expect(f.resourceArn).toBe(`arn:aws:iam::${MGMT}:root`);
    expect(f.reason).toContain('has no log buckets');
  });

  describe('access-log targets', () => {
    const build = (target: Partial<BucketInfo>, replica?: BucketInfo) => {
      const inv = inventory()
        .account(MGMT, (a) => a.trails([trail({ name: 'main', s3BucketName: 'trail-logs' })]))
        .bucket(bucket('trail-logs', { objectLock: locked(), logging: seen({ targetBucket: 'access-logs', targetPrefix: '' }) }))
        .bucket(bucket('access-logs', target));
      if (replica) inv.bucket(replica);
      return forResource(run(check, inv), 'arn:aws:s3:::access-logs');
    };

    it.each<[string, Partial<BucketInfo>, BucketInfo | undefined, string, string]>([
      ['PASS versioned + replicated to locked', { versioning: versioned(), replication: seen({ destinationBuckets: ['arn:aws:s3:::access-logs-locked'] }) }, bucket('access-logs-locked', { objectLock: locked() }, LOGARCHIVE), 'PASS', 'versioned and replicated to bucket access-logs-locked'],
      ['FAIL replica unlocked', { versioning: versioned(), replication: seen({ destinationBuckets: ['access-logs-copy'] }) }, bucket('access-logs-copy', { objectLock: seen({ enabled: false, defaultRetention: null }) }), 'FAIL', 'replicated only to buckets without compliant Object Lock'],
      ['FAIL replica GOVERNANCE', { versioning: versioned(), replication: seen({ destinationBuckets: ['access-logs-copy'] }) }, bucket('access-logs-copy', { objectLock: locked('GOVERNANCE') }), 'FAIL', 'GOVERNANCE mode (required: COMPLIANCE)'],
      ['FAIL not replicated', { versioning: versioned(), replication: seen(null) }, undefined, 'FAIL', 'is versioned but not replicated to a locked bucket'],
      ['FAIL not versioned', { versioning: versioned('Suspended') }, undefined, 'FAIL', 'Access-log bucket access-logs has versioning suspended'],
      ['FAIL has default retention itself', { objectLock: locked() }, undefined, 'FAIL', 'S3 access-log delivery does not support'],
      ['NOT_ASSESSED replica outside org', { versioning: versioned(), replication: seen({ destinationBuckets: ['ext'] }) }, bucket('ext', {}, null), 'NOT_ASSESSED', 'replica bucket ext is owned outside the scanned accounts'],
      ['NOT_ASSESSED replication unreadable', { versioning: versioned(), replication: unseen('AccessDenied: GetBucketReplication') }, undefined, 'NOT_ASSESSED', 'could not be read: AccessDenied: GetBucketReplication'],
    ])('%s', (_n, target, replica, status, fragment) => {
      const f = build(target, replica);
      expect(f.status).toBe(status);
      expect(f.resourceArn).toBe('arn:aws:s3:::access-logs');
      expect(f.reason).toContain(fragment);
    });
  });
});
