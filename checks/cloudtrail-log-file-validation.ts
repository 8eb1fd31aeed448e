// cloudtrail-log-file-validation: each logging multi-region or organization trail covering the account has
// log-file validation on. One result per (account, trail); see lib/trail-scope.ts for scope and for why an
// organization trail is reported in every member account. Validation of log files that never arrive proves
// nothing: a trail whose bucket is gone or that reports a delivery error fails with the destination's code.
import type { Check, Finding } from './types.js';
import { NOT_DELIVERING, trailDeliveryProblem } from './lib/destinations.js';
import { COMMON_CODES, fromVerdict, type Verdict } from './lib/results.js';
import { auditTrailScope, TRAIL_SCOPE_CODES } from './lib/trail-scope.js';

export const check: Check = {
  meta: {
    id: 'cloudtrail-log-file-validation',
    title: 'Trails that record the account have log-file validation enabled',
    severity: 'medium',
    scope: 'trail',
    service: 'cloudtrail',
    rationale:
      'Log-file validation makes CloudTrail write signed, hash-chained digest files. With them an investigator can prove that the log files used as evidence were not modified or deleted after delivery.',
    risk: 'Without digests, a deleted or edited log file is undetectable, and the integrity of the whole audit trail can be challenged.',
    remediation: {
      summary: 'Turn on log-file validation for the trail; validate with `aws cloudtrail validate-logs` during investigations.',
      cli: 'aws cloudtrail update-trail --name TRAIL_NAME --enable-log-file-validation',
      iac: {
        kind: 'terraform',
        snippet: ['resource "aws_cloudtrail" "org" {', '  # ...', '  enable_log_file_validation = true', '}'].join('\n'),
      },
      docs: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html'],
    },
    parameters: [],
    reasonCodes: {
      'validation-on': 'Log-file validation is on and digest files are delivered.',
      'validation-off': 'Log-file validation is disabled.',
      'destination-missing': "The trail's bucket does not exist, so there are no log files to validate.",
      'not-delivering': NOT_DELIVERING,
      'digest-delivery-error': 'Validation is on but GetTrailStatus reports a digest delivery error: no digests reach the bucket.',
      ...TRAIL_SCOPE_CODES,
      ...COMMON_CODES,
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-9' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
      { framework: 'iso-27001-2022', control: 'A.5.28' },
      { framework: 'cis-aws-foundations', control: '3.2' },
    ],
  },
  evaluate({ inventory, account }) {
    const scope = auditTrailScope(inventory, account);
    if (scope.empty) return [scope.empty];
    return scope.trails.map((t): Finding => {
      const ev = {
        trail: t.name,
        ownerAccountId: t.ownerAccountId,
        organizationTrail: t.isOrganizationTrail,
        logFileValidationEnabled: t.logFileValidationEnabled,
      };
      const at = (v: Verdict) => fromVerdict(account, t.homeRegion, t.arn, v);
      const undelivered = trailDeliveryProblem(inventory, t);
      if (undelivered)
        return at({
          ...undelivered,
          reason: `Trail ${t.name} has no log files to validate: ${undelivered.reason}`,
          evidence: { ...ev, ...undelivered.evidence },
        });
      if (!t.logFileValidationEnabled)
        return at({
          status: 'FAIL',
          code: 'validation-off',
          reason: `Trail ${t.name} has log-file validation disabled, so tampering with its log files cannot be detected`,
          evidence: ev,
        });
      const digestError = t.status.ok ? (t.status.value.latestDigestDeliveryError ?? null) : null;
      if (digestError)
        return at({
          status: 'FAIL',
          code: 'digest-delivery-error',
          reason: `Trail ${t.name} has log-file validation on, but its digest files are not being delivered (LatestDigestDeliveryError: ${digestError})`,
          evidence: { ...ev, latestDigestDeliveryError: digestError },
        });
      return at({ status: 'PASS', code: 'validation-on', reason: `Trail ${t.name} has log-file validation enabled`, evidence: ev });
    });
  },
};
