import { describe, expect, it } from 'vitest';
import { check } from '../../checks/s3-log-bucket-object-lock.js';
import type { CheckParameters } from '../../checks/types.js';
import type { BucketInfo } from '../../src/model/inventory.js';
import {
  bucket,
  forResource,
  inventory,
  LOGARCHIVE,
  locked,
  loggingConfig,
  MGMT,
  only,
  run,
  seen,
  trail,
  unseen,
  versioned,
} from '../support/inventory-builder.js';
import { testCheck } from '../support/check-tester.js';

describe('s3-log-bucket-object-lock', () => {
  const invocationLogs = (p: Partial<BucketInfo>, owner: string | null = MGMT) =>
    inventory()
      .region('us-east-1', (r) => r.logging(loggingConfig()))
      .bucket(bucket('invocation-logs', p, owner));

  it.each<[string, Partial<BucketInfo>, Partial<CheckParameters>, string, string]>([
    ['PASS', { objectLock: locked('COMPLIANCE', 365) }, {}, 'PASS', 'Bucket invocation-logs has Object Lock in COMPLIANCE mode for 365 days'],
    ['FAIL GOVERNANCE vs COMPLIANCE', { objectLock: locked('GOVERNANCE', 365) }, {}, 'FAIL', 'GOVERNANCE mode (required: COMPLIANCE)'],
    ['PASS GOVERNANCE allowed', { objectLock: locked('GOVERNANCE', 365) }, { objectLockMode: 'GOVERNANCE' }, 'PASS', 'GOVERNANCE mode'],
    ['FAIL short', { objectLock: locked('COMPLIANCE', 30) }, {}, 'FAIL', 'locked for 30 days (required: >= 365)'],
    ['FAIL no lock', { objectLock: seen({ enabled: false, defaultRetention: null }) }, {}, 'FAIL', 'does not have Object Lock enabled'],
    [
      'NOT_ASSESSED unreadable',
      { objectLock: unseen('AccessDenied') },
      {},
      'NOT_ASSESSED',
      'Object Lock configuration of bucket invocation-logs could not be read: AccessDenied',
    ],
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
      [
        'PASS versioned + replicated to locked',
        { versioning: versioned(), replication: seen({ destinationBuckets: ['arn:aws:s3:::access-logs-locked'] }) },
        bucket('access-logs-locked', { objectLock: locked() }, LOGARCHIVE),
        'PASS',
        'versioned and replicated to bucket access-logs-locked',
      ],
      [
        'FAIL replica unlocked',
        { versioning: versioned(), replication: seen({ destinationBuckets: ['access-logs-copy'] }) },
        bucket('access-logs-copy', { objectLock: seen({ enabled: false, defaultRetention: null }) }),
        'FAIL',
        'replicated only to buckets without compliant Object Lock',
      ],
      [
        'FAIL replica GOVERNANCE',
        { versioning: versioned(), replication: seen({ destinationBuckets: ['access-logs-copy'] }) },
        bucket('access-logs-copy', { objectLock: locked('GOVERNANCE') }),
        'FAIL',
        'GOVERNANCE mode (required: COMPLIANCE)',
      ],
      [
        'FAIL not replicated',
        { versioning: versioned(), replication: seen(null) },
        undefined,
        'FAIL',
        'is versioned but not replicated to a locked bucket',
      ],
      ['FAIL not versioned', { versioning: versioned('Suspended') }, undefined, 'FAIL', 'Access-log bucket access-logs has versioning suspended'],
      ['FAIL has default retention itself', { objectLock: locked() }, undefined, 'FAIL', 'S3 access-log delivery does not support'],
      [
        'NOT_ASSESSED replica outside org',
        { versioning: versioned(), replication: seen({ destinationBuckets: ['ext'] }) },
        bucket('ext', {}, null),
        'NOT_ASSESSED',
        'replica bucket ext is owned outside the scanned accounts',
      ],
      [
        'NOT_ASSESSED replication unreadable',
        { versioning: versioned(), replication: unseen('AccessDenied: GetBucketReplication') },
        undefined,
        'NOT_ASSESSED',
        'could not be read: AccessDenied: GetBucketReplication',
      ],
    ])('%s', (_n, target, replica, status, fragment) => {
      const f = build(target, replica);
      expect(f.status).toBe(status);
      expect(f.resourceArn).toBe('arn:aws:s3:::access-logs');
      expect(f.reason).toContain(fragment);
    });
  });
});

const targetOf = (p: Partial<BucketInfo>) =>
  inventory()
    .region('us-east-1', (r) => r.logging(loggingConfig()))
    .bucket(bucket('invocation-logs', { objectLock: locked(), logging: seen({ targetBucket: 'access-logs', targetPrefix: '' }) }))
    .bucket(
      bucket('access-logs', {
        objectLock: seen({ enabled: false, defaultRetention: null }),
        encryption: seen({ algorithm: 'AES256' as const }),
        versioning: versioned(),
        replication: seen({ destinationBuckets: ['locked-replica'] }),
        ...p,
      }),
    )
    .bucket(bucket('locked-replica', { objectLock: locked() }));
testCheck(check, [
  {
    name: 'PASS locked log bucket',
    inventory: inventory()
      .region('us-east-1', (r) => r.logging(loggingConfig()))
      .bucket(bucket('invocation-logs', { objectLock: locked() })),
    status: 'PASS',
    code: 'locked',
  },
  {
    name: 'PASS access-log target replicated to a locked bucket',
    inventory: targetOf({}),
    resource: 'arn:aws:s3:::access-logs',
    status: 'PASS',
    code: 'replicated-to-locked',
  },
  {
    name: 'FAIL access-log target with SSE-KMS cannot receive',
    inventory: targetOf({ encryption: seen({ algorithm: 'aws:kms' as const }) }),
    resource: 'arn:aws:s3:::access-logs',
    status: 'FAIL',
    code: 'target-sse-kms',
  },
  {
    name: 'FAIL access-log target with default retention',
    inventory: targetOf({ objectLock: locked() }),
    resource: 'arn:aws:s3:::access-logs',
    status: 'FAIL',
    code: 'target-default-retention',
  },
  {
    name: 'FAIL replica was deleted',
    inventory: targetOf({}).bucket(bucket('locked-replica', { region: unseen('Bucket locked-replica does not exist', 'NoSuchBucket') }, null)),
    resource: 'arn:aws:s3:::access-logs',
    status: 'FAIL',
    code: 'replica-not-locked',
    reason: 'replica bucket locked-replica does not exist',
  },
  {
    name: 'FAIL GOVERNANCE where COMPLIANCE is required',
    inventory: inventory()
      .region('us-east-1', (r) => r.logging(loggingConfig()))
      .bucket(bucket('invocation-logs', { objectLock: locked('GOVERNANCE') })),
    status: 'FAIL',
    code: 'retention-mode-weak',
  },
  {
    name: 'NOT_ASSESSED Object Lock answer malformed',
    inventory: inventory()
      .region('us-east-1', (r) => r.logging(loggingConfig()))
      .bucket(
        bucket('invocation-logs', {
          objectLock: unseen(
            's3:GetObjectLockConfiguration answered without ObjectLockConfiguration (an empty or malformed response body)',
            'MalformedResponse',
          ),
        }),
      ),
    status: 'NOT_ASSESSED',
    code: 'not-readable',
    reason: 'malformed',
  },
  { name: 'NOT_APPLICABLE no log buckets', inventory: inventory().region('us-east-1'), status: 'NOT_APPLICABLE', code: 'no-buckets' },
]);
