// cloudtrail-lake-event-data-store: each CloudTrail Lake event data store that records CloudTrail events of
// the account (its own stores and organization stores) is ingesting, multi-region, keeps its events at least
// minRetentionDays and cannot be deleted by accident or by an intruder (termination protection). One result
// per (account, store); an organization store is reported in every member account it records, like an
// organization trail. Stores that hold no CloudTrail events (AWS Config items, events from outside AWS)
// are not the record of the account and are not judged.
import type { Check, Finding } from './types.js';
import type { EventDataStoreInfo } from '../src/model/inventory.js';
import { accountVerdict, COMMON_CODES, fromVerdict, listText, type Verdict } from './lib/results.js';
import { eventDataStoresCoveringAccount } from './lib/trails.js';

/** Does the store select CloudTrail management or data events (not Config items or external events)? */
export function holdsCloudTrailEvents(selectors: { fieldSelectors: { field: string; equals?: string[] }[] }[]): boolean {
  return selectors.some((s) =>
    s.fieldSelectors.some((f) => f.field === 'eventCategory' && (f.equals ?? []).some((c) => c === 'Management' || c === 'Data')),
  );
}

export const REASON_CODES = {
  'store-holds-up': 'The store is ingesting from every region, keeps events at least minRetentionDays and has termination protection.',
  'store-not-ingesting': 'The store is not ingesting events (stopped, or in another status than ENABLED).',
  'store-single-region': 'The store records only its home region.',
  'retention-too-short': 'The store keeps events for less than minRetentionDays, or its retention period is unknown.',
  'termination-protection-off': 'Termination protection is off, so the store and its events can be deleted.',
  'no-event-data-store': 'No CloudTrail Lake event data store records CloudTrail events of the account.',
  'not-readable': COMMON_CODES['not-readable'],
} as const;

type Code = keyof typeof REASON_CODES;

/** The store's verdict (codes in the order of what loses most evidence first), or null when it holds no CloudTrail events. */
function judge(store: EventDataStoreInfo, minRetentionDays: number): Verdict | null {
  const d = store.details;
  if (!d.ok) return { status: 'NOT_ASSESSED', code: 'not-readable', reason: `Event data store ${store.name} could not be read: ${d.reason}` };
  const v = d.value;
  if (!holdsCloudTrailEvents(v.selectors)) return null;
  const problems: [Code, string][] = [];
  if (v.status !== 'ENABLED') problems.push(['store-not-ingesting', `it is not ingesting (status ${v.status})`]);
  if (!v.multiRegion) problems.push(['store-single-region', `it records only ${store.homeRegion}`]);
  if (v.retentionDays === null) problems.push(['retention-too-short', 'its retention period is unknown']);
  else if (v.retentionDays < minRetentionDays)
    problems.push(['retention-too-short', `it keeps events ${v.retentionDays} days, less than ${minRetentionDays}`]);
  if (!v.terminationProtection)
    problems.push(['termination-protection-off', 'termination protection is off, so the store and its events can be deleted']);
  const evidence = {
    eventDataStore: store.arn,
    owner: store.ownerAccountId,
    organization: v.organization,
    retentionDays: v.retentionDays,
    multiRegion: v.multiRegion,
    terminationProtection: v.terminationProtection,
    status: v.status,
    problems: problems.map(([c]) => c),
  };
  if (problems.length > 0)
    return {
      status: 'FAIL',
      code: problems[0]![0],
      reason: `Event data store ${store.name} does not hold up as the record: ${listText(problems.map(([, t]) => t))}`,
      evidence,
    };
  return {
    status: 'PASS',
    code: 'store-holds-up',
    reason: `Event data store ${store.name} is ingesting from every region, keeps events ${v.retentionDays} days and has termination protection`,
    evidence,
  };
}

export const check: Check = {
  meta: {
    id: 'cloudtrail-lake-event-data-store',
    title:
      'CloudTrail Lake event data stores that record the account ingest from every region, keep events long enough and are protected from deletion',
    severity: 'medium',
    scope: 'event-data-store',
    service: 'cloudtrail',
    rationale:
      'A CloudTrail Lake event data store can be the record of an account instead of a trail, and it can be queried in place during an incident. It only holds up as evidence if it ingests from every region, keeps events for the period an investigation looks back over, and cannot simply be deleted.',
    risk: 'A stopped, single-region, short-lived or unprotected store loses events the investigation needs, or lets an intruder delete the record along with its events.',
    remediation: {
      summary: 'Make the store multi-region, set its retention to at least minRetentionDays, turn on termination protection and start ingestion.',
      cli: 'aws cloudtrail update-event-data-store --event-data-store EVENT_DATA_STORE_ARN --multi-region-enabled --retention-period 365 --termination-protection-enabled && aws cloudtrail start-event-data-store-ingestion --event-data-store EVENT_DATA_STORE_ARN',
      iac: {
        kind: 'terraform',
        snippet: [
          'resource "aws_cloudtrail_event_data_store" "org" {',
          '  name                           = "org-events"',
          '  multi_region_enabled           = true',
          '  organization_enabled           = true',
          '  retention_period               = 365',
          '  termination_protection_enabled = true',
          '}',
        ].join('\n'),
      },
      docs: [
        'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-lake.html',
        'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-event-data-store-cloudtrail.html',
      ],
    },
    parameters: ['minRetentionDays'],
    reasonCodes: REASON_CODES,
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-9' },
      { framework: 'nist-800-53-r5', control: 'AU-11' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
      { framework: 'eu-ai-act', control: 'Art. 19' },
    ],
  },
  evaluate({ inventory, account, params }) {
    const { stores, unreadable } = eventDataStoresCoveringAccount(inventory, account);
    const out: Finding[] = [];
    for (const store of stores) {
      const v = judge(store, params.minRetentionDays);
      if (v !== null) out.push(fromVerdict(account, store.homeRegion, store.arn, v));
    }
    if (unreadable.length > 0)
      out.push(
        accountVerdict(account, {
          status: 'NOT_ASSESSED',
          code: 'not-readable',
          reason: `CloudTrail Lake event data stores could not be listed: ${unreadable.join('; ')}`,
        }),
      );
    if (out.length > 0) return out;
    return [
      accountVerdict(account, {
        status: 'NOT_APPLICABLE',
        code: 'no-event-data-store',
        reason: `No CloudTrail Lake event data store records CloudTrail events of account ${account.accountId}`,
        evidence: { storesSeen: stores.map((s) => s.name) },
      }),
    ];
  },
};
