// guardduty-enabled: a GuardDuty detector is enabled in each region with AI footprint (present or unknown);
// regions known to have none are NOT_APPLICABLE. One result per region.
import type { Check } from './types.js';
import { guardDutyArn } from './lib/arns.js';
import { AI_REGION_CODES, perAiRegion } from './lib/ai-regions.js';
import { COMMON_CODES } from './lib/results.js';

export const check: Check = {
  meta: {
    id: 'guardduty-enabled',
    title: 'GuardDuty is enabled in every region with AI workloads',
    severity: 'medium',
    scope: 'region',
    service: 'guardduty',
    rationale:
      'GuardDuty analyses CloudTrail, VPC flow and DNS activity continuously and raises findings such as credential exfiltration or anomalous API use. Its findings are often the first signal of an incident and a ready-made timeline for responders.',
    risk: 'Compromise of AI workloads in the region is noticed late, if at all, and responders start without detector findings.',
    remediation: {
      summary: 'Enable GuardDuty in the region (organization-wide through a delegated administrator is preferable).',
      cli: 'aws guardduty create-detector --enable --finding-publishing-frequency FIFTEEN_MINUTES --region REGION',
      iac: {
        kind: 'terraform',
        snippet: [
          'resource "aws_guardduty_detector" "this" {',
          '  enable                       = true',
          '  finding_publishing_frequency = "FIFTEEN_MINUTES"',
          '}',
        ].join('\n'),
      },
      docs: ['https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html'],
    },
    parameters: [],
    reasonCodes: {
      'detector-enabled': 'A GuardDuty detector is enabled in the region.',
      'no-detector': 'The region has no GuardDuty detector.',
      'detector-disabled': 'Every detector of the region is suspended or disabled.',
      ...AI_REGION_CODES,
      ...COMMON_CODES,
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'SI-4' },
      { framework: 'nist-800-53-r5', control: 'AU-6' },
      { framework: 'iso-27001-2022', control: 'A.8.16' },
      { framework: 'soc2', control: 'CC7.2' },
      { framework: 'soc2', control: 'CC7.3' },
    ],
  },
  evaluate(ctx) {
    return perAiRegion(
      ctx,
      (region) => guardDutyArn(region, ctx.account.accountId),
      (r) => {
        if (!r.guardDuty.ok)
          return {
            status: 'NOT_ASSESSED',
            code: 'not-readable',
            reason: `GuardDuty detectors in ${r.region} could not be read: ${r.guardDuty.reason}`,
          };
        const dets = r.guardDuty.value;
        if (dets.length === 0)
          return { status: 'FAIL', code: 'no-detector', reason: `GuardDuty has no detector in ${r.region}`, evidence: { detectors: [] } };
        const statuses = dets.map((d) => ({
          detectorId: d.detectorId,
          status: d.status.ok ? d.status.value : null,
          error: d.status.ok ? null : d.status.reason,
        }));
        const enabled = dets.find((d) => d.status.ok && d.status.value === 'ENABLED');
        if (enabled)
          return {
            status: 'PASS',
            code: 'detector-enabled',
            reason: `GuardDuty detector ${enabled.detectorId} is enabled in ${r.region}`,
            evidence: { detectors: statuses },
          };
        const unread = dets.filter((d) => !d.status.ok);
        if (unread.length > 0)
          return {
            status: 'NOT_ASSESSED',
            code: 'not-readable',
            reason: `Status of GuardDuty detector ${unread.map((d) => d.detectorId).join(', ')} in ${r.region} could not be read: ${unread.map((d) => (d.status.ok ? '' : d.status.reason)).join('; ')}`,
            evidence: { detectors: statuses },
          };
        return {
          status: 'FAIL',
          code: 'detector-disabled',
          reason: `GuardDuty detector ${dets.map((d) => d.detectorId).join(', ')} in ${r.region} is ${statuses.map((s) => s.status).join(', ')}`,
          evidence: { detectors: statuses },
        };
      },
    );
  },
};
