// cloudtrail-multi-region-trail: a logging multi-region trail (own or organization trail) records read and
// write management events for the account. One result per account.
// Organization trails count for every member account. An organization trail that is single-region does not
// count: it leaves every other region of the account unrecorded. Selector rules: see lib/selectors.ts.
// A CloudTrail Lake event data store that is ingesting, multi-region and selects read and write management
// events is the same record (an organization store for every member): it passes too, naming the store.
// A trail whose bucket does not exist or that reports a delivery error keeps nothing (lib/destinations.ts): it
// never passes, and when it is the reason nothing passes the FAIL carries the destination's code.
import type { Check, Finding } from './types.js';
import type { AccountInventory } from '../src/model/inventory.js';
import { accountVerdict, COMMON_CODES } from './lib/results.js';
import { NOT_DELIVERING } from './lib/destinations.js';
import {
  eventDataStoresCoveringAccount,
  recorderOfStore,
  recorderOfTrail,
  trailRecordsManagementEvents,
  trailsCoveringAccount,
  type Recorder,
} from './lib/trails.js';

export const check: Check = {
  meta: {
    id: 'cloudtrail-multi-region-trail',
    title: 'A logging multi-region trail records read and write management events in the account',
    severity: 'critical',
    scope: 'account',
    service: 'cloudtrail',
    rationale:
      'Management events are the backbone of every cloud investigation: who created the endpoint, changed the model, attached the policy, disabled the logging. A multi-region trail, or an organization trail, keeps them beyond the 90 days of Event history and in every region, including regions nobody uses on purpose.',
    risk: 'Without it, control-plane activity older than 90 days or in an unexpected region cannot be reconstructed; attacker changes to AI resources, IAM and logging leave no durable record.',
    remediation: {
      summary:
        'Create a multi-region trail (ideally an organization trail from the management account) that logs all read and write management events, and start logging.',
      cli: 'aws cloudtrail create-trail --name org-trail --s3-bucket-name LOG_ARCHIVE_BUCKET --is-multi-region-trail --is-organization-trail --enable-log-file-validation && aws cloudtrail start-logging --name org-trail',
      iac: {
        kind: 'terraform',
        snippet: [
          'resource "aws_cloudtrail" "org" {',
          '  name                          = "org-trail"',
          '  s3_bucket_name                = aws_s3_bucket.log_archive.id',
          '  is_multi_region_trail         = true',
          '  is_organization_trail         = true',
          '  include_global_service_events = true',
          '  enable_log_file_validation    = true',
          '  event_selector {',
          '    read_write_type           = "All"',
          '    include_management_events = true',
          '  }',
          '}',
        ].join('\n'),
      },
      docs: [
        'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html',
        'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html',
      ],
    },
    parameters: [],
    reasonCodes: {
      'trail-records-management-events': 'A logging multi-region (or organization) trail records read and write management events for the account.',
      'event-data-store-records-management-events':
        'An ingesting multi-region CloudTrail Lake event data store records read and write management events for the account.',
      'no-trail': 'No trail or event data store covers the account.',
      'management-events-not-recorded':
        'Trails or event data stores cover the account, but none is logging, multi-region and recording read and write management events; the reason says why for each.',
      'destination-missing': 'The only trails that would record management events deliver to a bucket that does not exist.',
      'not-delivering': NOT_DELIVERING,
      'not-readable': COMMON_CODES['not-readable'],
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-2' },
      { framework: 'nist-800-53-r5', control: 'AU-12' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
      { framework: 'soc2', control: 'CC7.2' },
      { framework: 'eu-ai-act', control: 'Art. 12' },
      { framework: 'iso-42001', control: 'A.6.2.8' },
      { framework: 'cis-aws-foundations', control: '3.1' },
    ],
  },
  evaluate({ inventory, account }) {
    const { trails, unreadable } = trailsCoveringAccount(inventory, account);
    const lake = eventDataStoresCoveringAccount(inventory, account);
    const notes: string[] = [];
    const unknown: string[] = [...unreadable, ...lake.unreadable];
    const evaluated: Record<string, unknown>[] = [];
    const destinationCodes: string[] = [];
    for (const t of trails) {
      if (!t.isMultiRegion) {
        notes.push(`trail ${t.name} is single-region (${t.homeRegion})`);
        continue;
      }
      const a = trailRecordsManagementEvents(recorderOfTrail(inventory, t));
      evaluated.push({ trail: t.arn, organizationTrail: t.isOrganizationTrail, bucket: t.s3BucketName, answer: a.answer, detail: a.detail });
      if (a.answer === 'no' && a.destinationCode) destinationCodes.push(a.destinationCode);
      if (a.answer === 'yes') {
        const kind = t.isOrganizationTrail ? 'Organization trail' : 'Multi-region trail';
        const excl = a.excludedSources && a.excludedSources.length > 0 ? ` (excluding ${a.excludedSources.join(', ')})` : '';
        return [
          accountVerdict(account, {
            status: 'PASS',
            code: 'trail-records-management-events',
            reason: `${kind} ${t.name} is logging and records read and write management events${excl}`,
            evidence: { trail: t.arn, organizationTrail: t.isOrganizationTrail, excludedEventSources: a.excludedSources ?? [] },
          }),
        ];
      }
      if (a.answer === 'unknown') unknown.push(a.detail);
      else notes.push(a.detail);
    }
    const byStore = storePass(account, lake.stores.map(recorderOfStore), evaluated, notes, unknown);
    if (byStore) return [byStore];
    if (unknown.length > 0) {
      return [
        accountVerdict(account, {
          status: 'NOT_ASSESSED',
          code: 'not-readable',
          reason: `No trail is known to record all management events, and ${unknown.join('; ')}`,
          evidence: { evaluated, unknown },
        }),
      ];
    }
    const none = trails.length === 0 && lake.stores.length === 0;
    const why = none ? 'no trail or event data store covers the account' : notes.join('; ');
    return [
      accountVerdict(account, {
        status: 'FAIL',
        code: none ? 'no-trail' : (destinationCodes[0] ?? 'management-events-not-recorded'),
        reason: `No logging multi-region trail records read and write management events in account ${account.accountId}: ${why}`,
        evidence: { evaluated, notes },
      }),
    ];
  },
};

/** PASS for the first ingesting multi-region store recording all management events; notes the others. */
function storePass(
  account: AccountInventory,
  stores: Recorder[],
  evaluated: Record<string, unknown>[],
  notes: string[],
  unknown: string[],
): Finding | null {
  for (const s of stores) {
    if (!s.status.ok) {
      unknown.push(`${s.name} could not be read: ${s.status.reason}`);
      continue;
    }
    if (!s.isMultiRegion) {
      notes.push(`${s.name} is single-region (${s.homeRegion})`);
      continue;
    }
    const a = trailRecordsManagementEvents(s);
    evaluated.push({ eventDataStore: s.arn, answer: a.answer, detail: a.detail });
    if (a.answer === 'yes') {
      const excl = a.excludedSources && a.excludedSources.length > 0 ? ` (excluding ${a.excludedSources.join(', ')})` : '';
      return accountVerdict(account, {
        status: 'PASS',
        code: 'event-data-store-records-management-events',
        reason: `CloudTrail Lake ${s.name} is ingesting read and write management events from every region${excl}`,
        evidence: { eventDataStore: s.arn, excludedEventSources: a.excludedSources ?? [] },
      });
    }
    if (a.answer === 'unknown') unknown.push(a.detail);
    else notes.push(a.detail);
  }
  return null;
}
