// cloudtrail-lake-event-data-store: each CloudTrail Lake event data store that records CloudTrail events of
// the account (its own stores and organization stores) is ingesting, multi-region, keeps its events at least
// minRetentionDays and cannot be deleted by accident or by an intruder (termination protection). One result
// per (account, store); an organization store is reported in every member account it records, like an
// organization trail. Stores that hold no CloudTrail events (AWS Config items, events from outside AWS)
// are not the record of the account and are not judged.
import type { Check, Finding } from './types.js';
import type { EventDataStoreInfo } from '../src/model/inventory.js';
import { accountFinding, finding, listText } from './lib/results.js';
import { eventDataStoresCoveringAccount } from './lib/trails.js';

/** Does the store select CloudTrail management or data events (not Config items or external events)? */
export function holdsCloudTrailEvents(selectors: { fieldSelectors: { field: string; equals?: string[] }[] }[]): boolean {
  return selectors.some((s) =>
    s.fieldSelectors.some((f) => f.field === 'eventCategory' && (f.equals ?? []).some((c) => c === 'Management' || c === 'Data')),
  );
}

function judge(store: EventDataStoreInfo, minRetentionDays: number): { status: 'PASS' | 'FAIL' | 'NOT_ASSESSED' | null; problems: string[] } {
  const d = store.details;
  if (!d.ok) return { status: 'NOT_ASSESSED', problems: [d.reason] };
  if (!holdsCloudTrailEvents(d.value.selectors)) return { status: null, problems: [] };
  const problems: string[] = [];
  if (d.value.status !== 'ENABLED') problems.push(`it is not ingesting (status ${d.value.status})`);
  if (!d.value.multiRegion) problems.push(`it records only ${store.homeRegion}`);
  if (d.value.retentionDays === null) problems.push('its retention period is unknown');
  else if (d.value.retentionDays < minRetentionDays) problems.push(`it keeps events ${d.value.retentionDays} days, less than ${minRetentionDays}`);
  if (!d.value.terminationProtection) problems.push('termination protection is off, so the store and its events can be deleted');
  return { status: problems.length > 0 ? 'FAIL' : 'PASS', problems };
}

export const check: Check = {
  meta: {
    id: 'cloudtrail-lake-event-data-store',
    title: 'CloudTrail Lake event data stores that record the account ingest from every region, keep events long enough and are protected from deletion',
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
      const { status, problems } = judge(store, params.minRetentionDays);
      if (status === null) continue;
      const d = store.details.ok ? store.details.value : null;
      const ev = { eventDataStore: store.arn, owner: store.ownerAccountId, organization: d?.organization ?? null, retentionDays: d?.retentionDays ?? null, multiRegion: d?.multiRegion ?? null, terminationProtection: d?.terminationProtection ?? null, status: d?.status ?? null };
      const reason =
        status === 'PASS'
          ? `Event data store ${store.name} is ingesting from every region, keeps events ${d?.retentionDays} days and has termination protection`
          : status === 'FAIL'
            ? `Event data store ${store.name} does not hold up as the record: ${listText(problems)}`
            : `Event data store ${store.name} could not be read: ${problems.join('; ')}`;
      out.push(finding(account, store.homeRegion, store.arn, status, reason, ev));
    }
    if (unreadable.length > 0) out.push(accountFinding(account, 'NOT_ASSESSED', `CloudTrail Lake event data stores could not be listed: ${unreadable.join('; ')}`));
    if (out.length > 0) return out;
    return [
      accountFinding(account, 'NOT_APPLICABLE', `No CloudTrail Lake event data store records CloudTrail events of account ${account.accountId}`, {
        storesSeen: stores.map((s) => s.name),
      }),
    ];
  },
};
