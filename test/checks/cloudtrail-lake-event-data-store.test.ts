import { describe, expect, it } from 'vitest';
import { check } from '../../checks/cloudtrail-lake-event-data-store.js';
import type { EventDataStoreInfo } from '../../src/model/inventory.js';
import { eventDataStore, inventory, MEMBER, MGMT, run, unseen, dataSelector } from '../support/inventory-builder.js';
import { testCheck } from '../support/check-tester.js';

const own = (stores: EventDataStoreInfo[] | ReturnType<typeof unseen>) => inventory().account(MGMT, (a) => a.eventDataStores(stores as never));

describe('cloudtrail-lake-event-data-store', () => {
  it.each<[string, EventDataStoreInfo, string, RegExp]>([
    [
      'PASS: ingesting, multi-region, 7 years, protected',
      eventDataStore('org-events'),
      'PASS',
      /ingesting from every region, keeps events 2557 days and has termination protection/,
    ],
    ['PASS: retention exactly the minimum', eventDataStore('edge', { retentionDays: 365 }), 'PASS', /keeps events 365 days/],
    ['FAIL: retention under minRetentionDays', eventDataStore('short', { retentionDays: 90 }), 'FAIL', /keeps events 90 days, less than 365/],
    ['FAIL: termination protection off', eventDataStore('unprotected', { terminationProtection: false }), 'FAIL', /termination protection is off/],
    ['FAIL: single-region', eventDataStore('one-region', { multiRegion: false }), 'FAIL', /records only us-east-1/],
    ['FAIL: ingestion stopped', eventDataStore('stopped', { status: 'STOPPED_INGESTION' }), 'FAIL', /not ingesting \(status STOPPED_INGESTION\)/],
    [
      'FAIL: data events only still counts as a CloudTrail record',
      eventDataStore('data', { selectors: [dataSelector('AWS::S3::Object')], retentionDays: 30 }),
      'FAIL',
      /30 days/,
    ],
    [
      'NOT_ASSESSED: GetEventDataStore denied',
      eventDataStore('hidden', unseen('AccessDenied: cloudtrail:GetEventDataStore')),
      'NOT_ASSESSED',
      /hidden could not be read: AccessDenied/,
    ],
  ])('%s', (_n, store, status, reason) => {
    const fs = run(check, own([store]));
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ status, resourceArn: store.arn, region: 'us-east-1' });
    expect(fs[0]!.reason).toMatch(reason);
  });

  it('lists every problem of one store in one FAIL, and the evidence names the store', () => {
    const [f] = run(check, own([eventDataStore('bad', { retentionDays: 7, terminationProtection: false, multiRegion: false })]));
    expect(f!.reason).toMatch(/only us-east-1, it keeps events 7 days, less than 365 and termination protection is off/);
    expect(f!.evidence).toMatchObject({
      eventDataStore: `arn:aws:cloudtrail:us-east-1:${MGMT}:eventdatastore/bad`,
      retentionDays: 7,
      multiRegion: false,
    });
  });

  it('honours minRetentionDays', () => {
    expect(run(check, own([eventDataStore('s', { retentionDays: 90 })]), undefined, { minRetentionDays: 90 })[0]!.status).toBe('PASS');
  });

  it('NOT_APPLICABLE without stores, and for stores that hold AWS Config items or outside events only', () => {
    expect(run(check, own([]))[0]).toMatchObject({ status: 'NOT_APPLICABLE', resourceArn: `arn:aws:iam::${MGMT}:root` });
    const config = eventDataStore('config-items', {
      selectors: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['ConfigurationItem'] }] }],
      retentionDays: 7,
    });
    expect(run(check, own([config]))[0]!.status).toBe('NOT_APPLICABLE');
    // Not collected (an inventory from before event data stores were read) is "none", never a gap.
    expect(run(check, inventory().account(MGMT))[0]!.status).toBe('NOT_APPLICABLE');
  });

  it('NOT_ASSESSED when the store list could not be read', () => {
    const [f] = run(check, own(unseen('AccessDenied: cloudtrail:ListEventDataStores')));
    expect(f).toMatchObject({ status: 'NOT_ASSESSED' });
    expect(f!.reason).toMatch(/event data stores of account 111111111111 could not be read: AccessDenied/);
  });

  it('an organization store of the management account is judged in every member it records', () => {
    const org = eventDataStore('org-events', { organization: true, retentionDays: 30 });
    const inv = inventory()
      .org()
      .orgEventDataStores([org])
      .account(MGMT, (a) => a.eventDataStores([org]))
      .account(MEMBER);
    const [member] = run(check, inv, MEMBER);
    expect(member).toMatchObject({ accountId: MEMBER, status: 'FAIL', resourceArn: org.arn });
    expect(member!.evidence).toMatchObject({ owner: MGMT, organization: true });
    // Without a separate organization list, the management account's organization stores still apply.
    const derived = inventory()
      .org()
      .account(MGMT, (a) => a.eventDataStores([org, eventDataStore('mgmt-only')]))
      .account(MEMBER);
    delete derived.inv.organizationEventDataStores;
    expect(run(check, derived, MEMBER).map((f) => f.resourceArn)).toEqual([org.arn]);
  });

  it('an unreadable organization store list is NOT_ASSESSED in a member', () => {
    const inv = inventory().org().orgEventDataStores(unseen('management account not accessible')).account(MEMBER);
    expect(run(check, inv, MEMBER)[0]).toMatchObject({ status: 'NOT_ASSESSED' });
  });
});

testCheck(check, [
  { name: 'holds up', inventory: own([eventDataStore('ok')]), status: 'PASS', code: 'store-holds-up' },
  {
    name: 'stopped first: it loses most',
    inventory: own([eventDataStore('s', { status: 'STOPPED_INGESTION', terminationProtection: false })]),
    status: 'FAIL',
    code: 'store-not-ingesting',
  },
  { name: 'single-region', inventory: own([eventDataStore('s', { multiRegion: false })]), status: 'FAIL', code: 'store-single-region' },
  { name: 'short retention', inventory: own([eventDataStore('s', { retentionDays: 30 })]), status: 'FAIL', code: 'retention-too-short' },
  { name: 'unknown retention', inventory: own([eventDataStore('s', { retentionDays: null })]), status: 'FAIL', code: 'retention-too-short' },
  {
    name: 'unprotected',
    inventory: own([eventDataStore('s', { terminationProtection: false })]),
    status: 'FAIL',
    code: 'termination-protection-off',
  },
  { name: 'no store', inventory: own([]), status: 'NOT_APPLICABLE', code: 'no-event-data-store' },
  { name: 'store unreadable', inventory: own([eventDataStore('h', unseen('AccessDenied'))]), status: 'NOT_ASSESSED', code: 'not-readable' },
  { name: 'list unreadable', inventory: own(unseen('Throttling')), status: 'NOT_ASSESSED', code: 'not-readable' },
]);
