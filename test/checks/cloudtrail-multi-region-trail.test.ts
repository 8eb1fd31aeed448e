import { describe, expect, it } from 'vitest';
import { check } from '../../checks/cloudtrail-multi-region-trail.js';
import type { TrailInfo } from '../../src/model/inventory.js';
import { testCheck } from '../support/check-tester.js';
import {
  advanced,
  bucket,
  classic,
  dataSelector,
  deliveryError,
  eventDataStore,
  goneBucket,
  inventory,
  logging,
  MEMBER,
  MGMT,
  mgmtSelector,
  only,
  run,
  seen,
  trail,
  unseen,
} from '../support/inventory-builder.js';

const ROOT = `arn:aws:iam::${MGMT}:root`;

const cases: [string, Partial<TrailInfo>[], string, string][] = [
  ['PASS', [{}], 'PASS', 'Multi-region trail t0 is logging and records read and write management events'],
  ['FAIL: no trail', [], 'FAIL', 'no trail or event data store covers the account'],
  ['FAIL: single-region only', [{ isMultiRegion: false }], 'FAIL', 'trail t0 is single-region (us-east-1)'],
  ['FAIL: stopped', [{ status: logging(false) }], 'FAIL', 'trail t0 is not logging'],
  [
    'FAIL: classic ReadOnly',
    [{ selectors: classic({ readWriteType: 'ReadOnly', includeManagementEvents: true }) }],
    'FAIL',
    'records only read management events',
  ],
  [
    'FAIL: classic excludes management',
    [{ selectors: classic({ readWriteType: 'All', includeManagementEvents: false }) }],
    'FAIL',
    'records no management events',
  ],
  [
    'PASS: classic ReadOnly + WriteOnly',
    [{ selectors: classic({ readWriteType: 'ReadOnly' }, { readWriteType: 'WriteOnly' }) }],
    'PASS',
    'records read and write',
  ],
  ['PASS: advanced management', [{ selectors: advanced(mgmtSelector) }], 'PASS', 'records read and write'],
  [
    'PASS: advanced excluding KMS',
    [
      {
        selectors: advanced({
          fieldSelectors: [
            { field: 'eventCategory', equals: ['Management'] },
            { field: 'eventSource', notEquals: ['kms.amazonaws.com'] },
          ],
        }),
      },
    ],
    'PASS',
    'excluding kms.amazonaws.com',
  ],
  [
    'FAIL: advanced excluding IAM is partial',
    [
      {
        selectors: advanced({
          fieldSelectors: [
            { field: 'eventCategory', equals: ['Management'] },
            { field: 'eventSource', notEquals: ['iam.amazonaws.com'] },
          ],
        }),
      },
    ],
    'FAIL',
    'records no management events',
  ],
  [
    'FAIL: advanced readOnly=true',
    [
      {
        selectors: advanced({
          fieldSelectors: [
            { field: 'eventCategory', equals: ['Management'] },
            { field: 'readOnly', equals: ['true'] },
          ],
        }),
      },
    ],
    'FAIL',
    'records only read management events',
  ],
  [
    'PASS: advanced read + write selectors',
    [
      {
        selectors: advanced(
          {
            fieldSelectors: [
              { field: 'eventCategory', equals: ['Management'] },
              { field: 'readOnly', equals: ['true'] },
            ],
          },
          {
            fieldSelectors: [
              { field: 'eventCategory', equals: ['Management'] },
              { field: 'readOnly', equals: ['false'] },
            ],
          },
        ),
      },
    ],
    'PASS',
    'records read and write',
  ],
  ['FAIL: a trail reporting no selectors proves nothing', [{ selectors: seen({ classic: [], advanced: [] }) }], 'FAIL', 'trail'],
  [
    'NOT_ASSESSED: status unreadable',
    [{ status: unseen('AccessDenied on GetTrailStatus') }],
    'NOT_ASSESSED',
    'status of trail t0 could not be read: AccessDenied on GetTrailStatus',
  ],
  [
    'NOT_ASSESSED: selectors unreadable',
    [{ selectors: unseen('Throttled') }],
    'NOT_ASSESSED',
    'event selectors of trail t0 could not be read: Throttled',
  ],
  ['PASS beats unknown', [{ status: unseen('x') }, {}], 'PASS', 'trail t1 is logging'],
];

describe('cloudtrail-multi-region-trail', () => {
  it.each(cases)('%s', (_name, trails, status, fragment) => {
    const inv = inventory().account(MGMT, (a) => a.trails(trails.map((p, i) => trail({ name: `t${i}`, ...p }))).region('us-east-1'));
    const f = only(run(check, inv));
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe(ROOT);
    expect(f.region).toBe('global');
    expect(f.reason).toContain(fragment);
  });

  it('NOT_ASSESSED when the account trail list cannot be read and nothing passes', () => {
    const f = only(
      run(
        check,
        inventory().account(MGMT, (a) => a.trails(unseen('AccessDenied: DescribeTrails'))),
      ),
    );
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.resourceArn).toBe(ROOT);
    expect(f.reason).toContain('trails of account 111111111111 could not be read: AccessDenied: DescribeTrails');
  });

  it('an organization trail covers a member account that has no trail of its own', () => {
    const inv = inventory()
      .org()
      .orgTrails([trail({ name: 'org', isOrganizationTrail: true })])
      .account(MGMT)
      .account(MEMBER);
    const f = only(run(check, inv, MEMBER));
    expect(f.status).toBe('PASS');
    expect(f.resourceArn).toBe(`arn:aws:iam::${MEMBER}:root`);
    expect(f.reason).toContain('Organization trail org');
  });

  it('a single-region organization trail does not count', () => {
    const inv = inventory()
      .org()
      .orgTrails([trail({ name: 'org', isOrganizationTrail: true, isMultiRegion: false })])
      .account(MEMBER);
    const f = only(run(check, inv, MEMBER));
    expect(f.status).toBe('FAIL');
    expect(f.reason).toContain('trail org is single-region');
  });

  it('organization trails that cannot be read make a member NOT_ASSESSED, not FAIL', () => {
    const inv = inventory().org().orgTrails(unseen('AccessDenied in management account')).account(MEMBER);
    const f = only(run(check, inv, MEMBER));
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.reason).toContain('organization trails could not be read: AccessDenied in management account');
  });

  describe('CloudTrail Lake event data stores', () => {
    const withStore = (store: ReturnType<typeof eventDataStore>, trails: TrailInfo[] = []) =>
      inventory().account(MGMT, (a) => a.trails(trails).eventDataStores([store]));

    it.each<[string, ReturnType<typeof eventDataStore>, string, string]>([
      [
        'PASS: ingesting multi-region management-event store',
        eventDataStore('lake'),
        'PASS',
        'CloudTrail Lake event data store lake is ingesting read and write management events from every region',
      ],
      ['FAIL: store not ingesting', eventDataStore('lake', { status: 'STOPPED_INGESTION' }), 'FAIL', 'event data store lake is not ingesting'],
      ['FAIL: single-region store', eventDataStore('lake', { multiRegion: false }), 'FAIL', 'event data store lake is single-region (us-east-1)'],
      [
        'FAIL: data events only',
        eventDataStore('lake', { selectors: [dataSelector('AWS::S3::Object')] }),
        'FAIL',
        'event data store lake records no management events',
      ],
      [
        'FAIL: read-only management events',
        eventDataStore('lake', {
          selectors: [
            {
              fieldSelectors: [
                { field: 'eventCategory', equals: ['Management'] },
                { field: 'readOnly', equals: ['true'] },
              ],
            },
          ],
        }),
        'FAIL',
        'records only read management events',
      ],
      [
        'NOT_ASSESSED: store details unreadable',
        eventDataStore('lake', unseen('AccessDenied: cloudtrail:GetEventDataStore')),
        'NOT_ASSESSED',
        'event data store lake could not be read: AccessDenied',
      ],
    ])('%s', (_n, store, status, fragment) => {
      const f = only(run(check, withStore(store)));
      expect(f.status).toBe(status);
      expect(f.reason).toContain(fragment);
      if (status === 'PASS') expect(f.evidence).toMatchObject({ eventDataStore: store.arn });
    });

    it('a passing trail wins over the store and names the trail', () => {
      const f = only(run(check, withStore(eventDataStore('lake'), [trail({ name: 'main' })])));
      expect(f.reason).toContain('Multi-region trail main');
    });

    it('an organization store of the management account covers a member without a trail', () => {
      const org = eventDataStore('org-lake', { organization: true });
      const f = only(run(check, inventory().org().orgEventDataStores([org]).account(MGMT).account(MEMBER), MEMBER));
      expect(f).toMatchObject({ status: 'PASS', accountId: MEMBER, evidence: { eventDataStore: org.arn } });
    });

    it('an unreadable store list keeps a trail-less account NOT_ASSESSED, not FAIL', () => {
      const f = only(
        run(
          check,
          inventory().account(MGMT, (a) => a.eventDataStores(unseen('AccessDenied: cloudtrail:ListEventDataStores'))),
        ),
      );
      expect(f.status).toBe('NOT_ASSESSED');
      expect(f.reason).toContain('event data stores of account 111111111111 could not be read');
    });
  });
});

const withTrails = (trails: Partial<TrailInfo>[]) =>
  inventory().account(MGMT, (a) => a.trails(trails.map((p, i) => trail({ name: `t${i}`, ...p }))).region('us-east-1'));

testCheck(
  check,
  [
    { name: 'trail records', inventory: withTrails([{}]), status: 'PASS', code: 'trail-records-management-events' },
    {
      name: 'store records',
      inventory: inventory().account(MGMT, (a) =>
        a
          .trails([])
          .eventDataStores([eventDataStore('lake')])
          .region('us-east-1'),
      ),
      status: 'PASS',
      code: 'event-data-store-records-management-events',
    },
    { name: 'nothing covers the account', inventory: withTrails([]), status: 'FAIL', code: 'no-trail' },
    { name: 'single-region trail', inventory: withTrails([{ isMultiRegion: false }]), status: 'FAIL', code: 'management-events-not-recorded' },
    { name: 'stopped trail', inventory: withTrails([{ status: logging(false) }]), status: 'FAIL', code: 'management-events-not-recorded' },
    { name: 'status unreadable', inventory: withTrails([{ status: unseen('AccessDenied') }]), status: 'NOT_ASSESSED', code: 'not-readable' },
    {
      name: 'the trail bucket was deleted',
      inventory: withTrails([{}]).bucket(goneBucket('t0-bucket')),
      status: 'FAIL',
      code: 'destination-missing',
      reason: 'bucket t0-bucket of trail t0 does not exist',
    },
    {
      name: 'the trail bucket is in another Region (CloudTrail delivers there)',
      inventory: withTrails([{}]).bucket(bucket('t0-bucket', { region: seen('eu-west-1') })),
      status: 'PASS',
      code: 'trail-records-management-events',
    },
    {
      name: 'the bucket cannot receive (delivery error)',
      inventory: withTrails([{ status: deliveryError('AccessDenied') }]),
      status: 'FAIL',
      code: 'not-delivering',
      reason: 'LatestDeliveryError AccessDenied',
    },
    {
      name: 'a gone-bucket trail does not hide a delivering one',
      inventory: withTrails([{}, {}]).bucket(goneBucket('t0-bucket')),
      status: 'PASS',
      code: 'trail-records-management-events',
      reason: 'Multi-region trail t1',
    },
    {
      name: 'a gone-bucket trail leaves the store to decide',
      inventory: inventory()
        .account(MGMT, (a) =>
          a
            .trails([trail({ name: 't0' })])
            .eventDataStores([eventDataStore('lake')])
            .region('us-east-1'),
        )
        .bucket(goneBucket('t0-bucket')),
      status: 'PASS',
      code: 'event-data-store-records-management-events',
    },
    {
      name: 'trail list unreadable',
      inventory: inventory().account(MGMT, (a) => a.trails(unseen('AccessDenied'))),
      status: 'NOT_ASSESSED',
      code: 'not-readable',
    },
  ],
  { impossible: { NOT_APPLICABLE: 'every account needs its management events recorded' } },
);
