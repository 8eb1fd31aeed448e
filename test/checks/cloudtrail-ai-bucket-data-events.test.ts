import { describe, expect, it } from 'vitest';
import { check } from '../../checks/cloudtrail-ai-bucket-data-events.js';
import type { Observed, TrailInfo } from '../../src/model/inventory.js';
import {
  advanced,
  bucket,
  classic,
  dataSelector,
  forResource,
  goneBucket,
  inventory,
  LOGARCHIVE,
  MEMBER,
  MGMT,
  mgmtSelector,
  model,
  only,
  run,
  seen,
  trail,
  trainingJob,
  unseen,
} from '../support/inventory-builder.js';
import { testCheck } from '../support/check-tester.js';

const S3 = 'AWS::S3::Object';
const B = 'arn:aws:s3:::training-data';

function scenario(trailProps: Partial<TrailInfo>, bucketRegion: Observed<string> = seen('us-east-1')) {
  return inventory()
    .account(MGMT, (a) =>
      a
        .trails([trail({ name: 'main', ...trailProps })])
        .region('us-east-1', (r) => r.trainingJobs([trainingJob('churn', { inputS3Uris: ['s3://training-data/churn/'] })])),
    )
    .bucket(bucket('training-data', { region: bucketRegion }));
}

describe('cloudtrail-ai-bucket-data-events', () => {
  it.each<[string, Partial<TrailInfo>, string, string]>([
    [
      'PASS: classic whole bucket',
      { selectors: classic({ readWriteType: 'All', dataResources: [{ type: S3, values: ['arn:aws:s3:::training-data/'] }] }) },
      'PASS',
      'reads and writes of bucket training-data are recorded',
    ],
    [
      'PASS: classic all buckets',
      { selectors: classic({ readWriteType: 'All', dataResources: [{ type: S3, values: ['arn:aws:s3'] }] }) },
      'PASS',
      'recorded',
    ],
    [
      'FAIL: classic prefix inside the bucket is partial',
      { selectors: classic({ readWriteType: 'All', dataResources: [{ type: S3, values: ['arn:aws:s3:::training-data/churn/'] }] }) },
      'FAIL',
      'selectors cover only part of the bucket',
    ],
    [
      'FAIL: classic WriteOnly',
      { selectors: classic({ readWriteType: 'WriteOnly', dataResources: [{ type: S3, values: ['arn:aws:s3:::training-data/'] }] }) },
      'FAIL',
      'Object-level reads of bucket training-data are not recorded',
    ],
    [
      'FAIL: classic other bucket',
      { selectors: classic({ readWriteType: 'All', dataResources: [{ type: S3, values: ['arn:aws:s3:::training-data-old/'] }] }) },
      'FAIL',
      'reads and writes of bucket training-data are not recorded',
    ],
    [
      'PASS: advanced StartsWith bucket/',
      { selectors: advanced(mgmtSelector, dataSelector(S3, { field: 'resources.ARN', startsWith: ['arn:aws:s3:::training-data/'] })) },
      'PASS',
      'recorded',
    ],
    ['PASS: advanced all S3 objects', { selectors: advanced(dataSelector(S3)) }, 'PASS', 'recorded'],
    [
      'FAIL: advanced StartsWith a prefix inside',
      { selectors: advanced(dataSelector(S3, { field: 'resources.ARN', startsWith: ['arn:aws:s3:::training-data/churn/'] })) },
      'FAIL',
      'only part of the bucket',
    ],
    [
      'FAIL: advanced readOnly=true only',
      { selectors: advanced(dataSelector(S3, { field: 'readOnly', equals: ['true'] })) },
      'FAIL',
      'Object-level writes of bucket training-data are not recorded',
    ],
    [
      'FAIL: advanced NotStartsWith the bucket',
      { selectors: advanced(dataSelector(S3, { field: 'resources.ARN', notStartsWith: ['arn:aws:s3:::training-data/'] })) },
      'FAIL',
      'reads and writes',
    ],
    [
      'PASS: advanced NotStartsWith another bucket',
      { selectors: advanced(dataSelector(S3, { field: 'resources.ARN', notStartsWith: ['arn:aws:s3:::cloudtrail-logs/'] })) },
      'PASS',
      'recorded',
    ],
    [
      'NOT_ASSESSED: selectors unreadable',
      { selectors: unseen('AccessDenied: GetEventSelectors') },
      'NOT_ASSESSED',
      'event selectors of trail main could not be read: AccessDenied: GetEventSelectors',
    ],
  ])('%s', (_n, trailProps, status, fragment) => {
    const f = only(run(check, scenario(trailProps)));
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe(B);
    expect(f.region).toBe('us-east-1');
    expect(f.reason).toContain(fragment);
  });

  it('bucket region unknown: a matching single-region trail cannot be trusted -> NOT_ASSESSED', () => {
    const f = only(run(check, scenario({ isMultiRegion: false, selectors: advanced(dataSelector(S3)) }, unseen('AccessDenied: GetBucketLocation'))));
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.resourceArn).toBe(B);
    expect(f.region).toBe('global');
    expect(f.reason).toContain('region of bucket training-data could not be read: AccessDenied: GetBucketLocation');
  });

  it('bucket owned outside the scanned accounts -> NOT_ASSESSED in the referencing account', () => {
    const inv = inventory()
      .account(MGMT, (a) => a.region('us-east-1', (r) => r.models([model('m1', { modelDataUrls: ['s3://vendor-models/m1.tar.gz'] })])))
      .bucket(bucket('vendor-models', {}, null));
    const f = only(run(check, inv));
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.resourceArn).toBe('arn:aws:s3:::vendor-models');
    expect(f.reason).toContain('Bucket vendor-models is owned outside the scanned accounts');
  });

  it('bucket referenced in one account but owned by another scanned account is judged in the owner', () => {
    const inv = inventory()
      .account(MEMBER, (a) =>
        a.region('us-east-1', (r) => r.models([model('m1', { modelDataUrls: ['s3://shared-models/m1.tar.gz'] }, 'us-east-1', MEMBER)])),
      )
      .account(LOGARCHIVE, (a) => a.trails([trail({ name: 'la', selectors: advanced(dataSelector(S3)) }, LOGARCHIVE)]))
      .bucket(bucket('shared-models', {}, LOGARCHIVE));
    const member = run(check, inv, MEMBER);
    expect(member).toHaveLength(1);
    expect(member[0]!.status).toBe('NOT_APPLICABLE');
    const owner = only(run(check, inv, LOGARCHIVE));
    expect(owner.status).toBe('PASS');
    expect(owner.accountId).toBe(LOGARCHIVE);
    expect(owner.resourceArn).toBe('arn:aws:s3:::shared-models');
  });

  it('tagged bucket counts as AI data (custom tag key)', () => {
    const inv = inventory()
      .account(MGMT, (a) => a.trails([trail({ name: 'main' })]))
      .bucket(bucket('evidence-vault', { tags: seen({ 'sec:role': 'evidence' }) }));
    const f = only(run(check, inv, MGMT, { bucketRoleTagKey: 'sec:role' }));
    expect(f.status).toBe('FAIL');
    expect(f.resourceArn).toBe('arn:aws:s3:::evidence-vault');
    expect(f.reason).toContain('bucket evidence-vault are not recorded');
  });

  it('NOT_APPLICABLE without AI data buckets; NOT_ASSESSED when a source of buckets cannot be read', () => {
    const none = only(
      run(
        check,
        inventory().account(MGMT, (a) => a.region('us-east-1')),
      ),
    );
    expect(none.status).toBe('NOT_APPLICABLE');
    expect(none.resourceArn).toBe(`arn:aws:iam::${MGMT}:root`);
    expect(none.reason).toContain('has no AI data buckets');
    const unread = only(
      run(
        check,
        inventory().account(MGMT, (a) => a.region('us-east-1', (r) => r.trainingJobs(unseen('AccessDenied: ListTrainingJobs')))),
      ),
    );
    expect(unread.status).toBe('NOT_ASSESSED');
    expect(unread.resourceArn).toBe(`arn:aws:iam::${MGMT}:root`);
    expect(unread.reason).toContain('SageMaker training jobs in us-east-1: AccessDenied: ListTrainingJobs');
  });

  it('an org trail selecting all S3 data events covers a member-owned bucket', () => {
    const inv = inventory()
      .org()
      .orgTrails([trail({ name: 'org', isOrganizationTrail: true, selectors: advanced(mgmtSelector, dataSelector(S3)) })])
      .account(MEMBER, (a) =>
        a.region('us-east-1', (r) => r.trainingJobs([trainingJob('j', { outputS3Path: 's3://member-out/j/' }, 'us-east-1', MEMBER)])),
      )
      .bucket(bucket('member-out', {}, MEMBER));
    const f = forResource(run(check, inv, MEMBER), 'arn:aws:s3:::member-out');
    expect(f.status).toBe('PASS');
    expect(f.reason).toContain('read: org');
  });
});

testCheck(check, [
  {
    name: 'PASS all object events of the bucket',
    inventory: scenario({ selectors: advanced(dataSelector(S3)) }),
    resource: B,
    status: 'PASS',
    code: 'data-events-recorded',
  },
  { name: 'FAIL management events only', inventory: scenario({}), resource: B, status: 'FAIL', code: 'data-events-off' },
  {
    name: 'FAIL a trail with a delivery error records nothing',
    inventory: scenario({ selectors: advanced(dataSelector(S3)), status: seen({ isLogging: true, latestDeliveryError: 'NoSuchBucket' }) }),
    resource: B,
    status: 'FAIL',
    code: 'not-delivering',
    reason: 'LatestDeliveryError NoSuchBucket',
  },
  {
    name: 'FAIL the selecting trail delivers to a deleted bucket',
    inventory: scenario({ selectors: advanced(dataSelector(S3)) }).bucket(goneBucket('main-bucket')),
    resource: B,
    status: 'FAIL',
    code: 'destination-missing',
    reason: 'bucket main-bucket of trail main does not exist',
  },
  {
    name: 'PASS the trail bucket is in another Region',
    inventory: scenario({ selectors: advanced(dataSelector(S3)) }).bucket(bucket('main-bucket', { region: seen('eu-west-1') })),
    resource: B,
    status: 'PASS',
    code: 'data-events-recorded',
  },
  {
    name: 'FAIL a gone-bucket trail that selects nothing of the bucket is not the cause',
    inventory: scenario({}).bucket(goneBucket('main-bucket')),
    resource: B,
    status: 'FAIL',
    code: 'data-events-off',
  },
  {
    name: 'NOT_ASSESSED selectors unreadable',
    inventory: scenario({ selectors: unseen('AccessDenied: GetEventSelectors') }),
    resource: B,
    status: 'NOT_ASSESSED',
    code: 'coverage-unknown',
  },
  { name: 'NOT_APPLICABLE no AI data buckets', inventory: inventory().region('us-east-1'), status: 'NOT_APPLICABLE', code: 'no-buckets' },
]);
