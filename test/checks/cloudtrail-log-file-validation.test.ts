import { describe, expect, it } from 'vitest';
import { check } from '../../checks/cloudtrail-log-file-validation.js';
import type { TrailInfo } from '../../src/model/inventory.js';
import {
  bucket,
  deliveryError,
  forResource,
  goneBucket,
  inventory,
  logging,
  seen,
  MEMBER,
  MGMT,
  only,
  run,
  trail,
  unseen,
} from '../support/inventory-builder.js';
import { testCheck } from '../support/check-tester.js';

const arnOf = (name: string, acct = MGMT, region = 'us-east-1') => `arn:aws:cloudtrail:${region}:${acct}:trail/${name}`;

describe('cloudtrail-log-file-validation', () => {
  it.each<[string, Partial<TrailInfo>, string, string]>([
    ['PASS', {}, 'PASS', 'Trail t has log-file validation enabled'],
    ['FAIL', { logFileValidationEnabled: false }, 'FAIL', 'Trail t has log-file validation disabled'],
    [
      'status unreadable is still judged on its own setting',
      { status: unseen('denied'), logFileValidationEnabled: false },
      'FAIL',
      'log-file validation disabled',
    ],
  ])('%s', (_n, p, status, fragment) => {
    const f = only(
      run(
        check,
        inventory().account(MGMT, (a) => a.trails([trail({ name: 't', homeRegion: 'eu-west-1', ...p })])),
      ),
    );
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe(arnOf('t', MGMT, 'eu-west-1'));
    expect(f.region).toBe('eu-west-1');
    expect(f.reason).toContain(fragment);
  });

  it.each<[string, Partial<TrailInfo>]>([
    ['single-region trail', { isMultiRegion: false }],
    ['stopped trail', { status: logging(false) }],
  ])('NOT_APPLICABLE when the only trail is a %s', (_n, p) => {
    const f = only(
      run(
        check,
        inventory().account(MGMT, (a) => a.trails([trail({ name: 't', ...p })])),
      ),
    );
    expect(f.status).toBe('NOT_APPLICABLE');
    expect(f.resourceArn).toBe(`arn:aws:iam::${MGMT}:root`);
    expect(f.reason).toContain('No logging multi-region or organization trail covers account 111111111111');
  });

  it('NOT_ASSESSED when trails cannot be listed', () => {
    const f = only(
      run(
        check,
        inventory().account(MGMT, (a) => a.trails(unseen('AccessDenied: DescribeTrails'))),
      ),
    );
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.resourceArn).toBe(`arn:aws:iam::${MGMT}:root`);
    expect(f.reason).toContain('could not be listed: trails of account 111111111111 could not be read: AccessDenied: DescribeTrails');
  });

  it('reports an organization trail in the member account it covers', () => {
    const inv = inventory()
      .org()
      .orgTrails([trail({ name: 'org', isOrganizationTrail: true, logFileValidationEnabled: false })])
      .account(MEMBER, (a) => a.trails([trail({ name: 'local' }, MEMBER)]));
    const fs = run(check, inv, MEMBER);
    expect(fs).toHaveLength(2);
    const org = forResource(fs, arnOf('org'));
    expect(org.accountId).toBe(MEMBER);
    expect(org.status).toBe('FAIL');
    expect(org.reason).toContain('Trail org has log-file validation disabled');
    const local = forResource(fs, arnOf('local', MEMBER));
    expect(local.status).toBe('PASS');
    expect(local.reason).toContain('Trail local has log-file validation enabled');
  });
});

const oneTrail = (p: Partial<TrailInfo>) => inventory().account(MGMT, (a) => a.trails([trail({ name: 't', ...p })]));
testCheck(check, [
  { name: 'PASS validation on, digests delivered', inventory: oneTrail({}), status: 'PASS', code: 'validation-on' },
  { name: 'FAIL validation off', inventory: oneTrail({ logFileValidationEnabled: false }), status: 'FAIL', code: 'validation-off' },
  {
    name: 'FAIL digest files not delivered',
    inventory: oneTrail({ status: { ok: true, value: { isLogging: true, latestDeliveryError: null, latestDigestDeliveryError: 'AccessDenied' } } }),
    status: 'FAIL',
    code: 'digest-delivery-error',
    reason: 'LatestDigestDeliveryError: AccessDenied',
  },
  {
    name: 'FAIL the trail bucket was deleted',
    inventory: oneTrail({}).bucket(goneBucket('t-bucket')),
    status: 'FAIL',
    code: 'destination-missing',
    reason: 'bucket t-bucket of trail t does not exist',
  },
  {
    name: 'FAIL the bucket cannot receive (delivery error)',
    inventory: oneTrail({ status: deliveryError('NoSuchBucket') }),
    status: 'FAIL',
    code: 'not-delivering',
    reason: 'LatestDeliveryError NoSuchBucket',
  },
  {
    name: 'PASS the trail bucket is in another Region',
    inventory: oneTrail({}).bucket(bucket('t-bucket', { region: seen('eu-west-1') })),
    status: 'PASS',
    code: 'validation-on',
  },
  { name: 'NOT_APPLICABLE no audit trail', inventory: oneTrail({ isMultiRegion: false }), status: 'NOT_APPLICABLE', code: 'no-audit-trail' },
  {
    name: 'NOT_ASSESSED trails unreadable',
    inventory: inventory().account(MGMT, (a) => a.trails(unseen('AccessDenied: DescribeTrails'))),
    status: 'NOT_ASSESSED',
    code: 'trails-unreadable',
  },
]);
