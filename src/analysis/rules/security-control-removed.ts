// Account-wide security controls removed or relaxed (the "security configuration change" family): the account
// taken out of its Organization, S3 public access blocks deleted or switched off, EBS default encryption disabled, the
// block on public AMIs and EBS snapshots turned off, EventBridge rules and CloudWatch alarms that route alerts deleted or disabled. Trails, flow logs, GuardDuty and
// Config have their own rules. Denied attempts are reported one step lower.
import type { TimelineEvent } from '../event.js';
import { changeRule, listSome, obj, requestParameters, str, type ChangeVerdict } from './support.js';
import { defineRule, listParam, type AnalysisContext, type RuleMeta, type Severity } from './types.js';

interface Params {
  alertRulePatterns: readonly string[];
}

const meta: RuleMeta<Params> = {
  id: 'security-control-removed',
  title: 'Account security control removed: Organization membership, public access block, default encryption or alerting',
  severity: 'high',
  element: 'infrastructure-changes',
  techniques: ['T1562.001', 'T1562.007', 'T1666'],
  rationale:
    'Before exfiltrating or persisting, attackers remove the account-wide controls in their way: the Organization itself (an account that leaves it, or is removed, escapes its service control policies, Organization trail and delegated GuardDuty / Security Hub), the S3 public access block (so a bucket policy can open AI data to the internet), EBS encryption by default (so snapshots can be shared out), the Region-wide block on public AMIs and EBS snapshots (so an image or snapshot can be made public, which resource-shared-external then reports), and the EventBridge rules and CloudWatch alarms that route GuardDuty, Security Hub or CloudTrail alerts to responders. An alerting rule or alarm named like a security one is high, any other medium. A denied attempt is reported one step lower.',
  messages: { change: '{what}{target} by {actor}{attempt}' },
  params: {
    alertRulePatterns: listParam(
      ['guardduty', 'securityhub', 'security', 'alert', 'cloudtrail', 'config', 'incident', 'finding', 'detect'],
      'Regexes of EventBridge rule and CloudWatch alarm names (case-insensitive) that route security alerts: deleting or disabling one is high.',
    ),
  },
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate the credential that made the change; put the control back (Organization membership, public access block, default encryption, alert rule or alarm)',
    ],
    recovery: [
      'Review what the control stopped guarding since the change: bucket policies and ACLs made public, snapshots shared, alerts not delivered, actions the SCPs would have denied',
    ],
  },
};

type Verdict = ChangeVerdict | null;

const BLOCK_FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'];

/** Public-access-block flags a Put turns off (the configuration as CloudTrail records it, any nesting). */
function flagsOff(p: Record<string, unknown>): string[] {
  const cfg = obj(p.PublicAccessBlockConfiguration) ?? obj(p.publicAccessBlockConfiguration) ?? p;
  return BLOCK_FLAGS.filter((f) => cfg[f] === false || cfg[f] === 'false');
}

/** EBS default encryption, and the block on public sharing of AMIs and EBS snapshots (the region-wide guard before a public share). */
function ec2(e: TimelineEvent): Verdict {
  const region = e.region ?? '?';
  switch (e.action) {
    case 'DisableEbsEncryptionByDefault':
      return {
        what: `EBS encryption by default disabled in ${region}`,
        severity: 'medium',
        restore: `Enable EBS encryption by default in ${region}`,
      };
    case 'DisableImageBlockPublicAccess':
      return {
        what: `Block public access for AMIs disabled in ${region} (images can be made public again)`,
        severity: 'high',
        restore: `Enable block public access for AMIs in ${region} (aws ec2 enable-image-block-public-access)`,
      };
    case 'DisableSnapshotBlockPublicAccess':
    case 'EnableSnapshotBlockPublicAccess': {
      if (e.action === 'EnableSnapshotBlockPublicAccess' && str(requestParameters(e).state)?.toLowerCase() !== 'unblocked') return null;
      return {
        what: `Block public access for EBS snapshots turned off in ${region} (snapshots can be shared publicly again)`,
        severity: 'high',
        restore: `Set block public access for EBS snapshots to block-all-sharing in ${region} (aws ec2 enable-snapshot-block-public-access)`,
      };
    }
    default:
      return null;
  }
}

function s3(e: TimelineEvent, ctx: AnalysisContext): Verdict {
  const p = requestParameters(e);
  const bucket = str(p.bucketName);
  const bucketSeverity: Severity = bucket && ctx.aiBuckets?.has(bucket) ? 'high' : 'medium';
  switch (e.action) {
    case 'DeleteAccountPublicAccessBlock':
      return {
        what: `S3 account public access block deleted`,
        severity: 'high',
        restore: 'Put the account public access block back (all four settings on)',
      };
    case 'PutAccountPublicAccessBlock': {
      const off = flagsOff(p);
      return off.length
        ? {
            what: `S3 account public access block relaxed (${off.join(', ')} off)`,
            severity: 'high',
            restore: 'Turn the account public access block settings back on',
          }
        : null;
    }
    case 'DeleteBucketPublicAccessBlock':
      return bucket
        ? {
            what: `Public access block of s3://${bucket} deleted`,
            severity: bucketSeverity,
            restore: `Put the public access block of s3://${bucket} back`,
          }
        : null;
    case 'PutBucketPublicAccessBlock': {
      const off = flagsOff(p);
      return bucket && off.length
        ? {
            what: `Public access block of s3://${bucket} relaxed (${off.join(', ')} off)`,
            severity: bucketSeverity,
            restore: `Turn the public access block of s3://${bucket} back on`,
          }
        : null;
    }
    default:
      return null;
  }
}

function eventBridge(e: TimelineEvent, patterns: RegExp[]): Verdict {
  if (e.action !== 'DeleteRule' && e.action !== 'DisableRule') return null;
  const name = str(requestParameters(e).name) ?? e.target ?? '?';
  const security = patterns.some((re) => re.test(name));
  return {
    what: `EventBridge rule ${name}${security ? ' (routes security alerts)' : ''} ${e.action === 'DeleteRule' ? 'deleted' : 'disabled'}`,
    severity: security ? 'high' : 'medium',
    restore: `Recreate or re-enable EventBridge rule ${name} and its targets`,
  };
}

function organizations(e: TimelineEvent): Verdict {
  if (e.action === 'LeaveOrganization')
    return {
      what: `Account ${e.account ?? '?'} left its Organization (SCPs, Organization trail and delegated security services no longer apply)`,
      severity: 'critical',
      restore: `Invite account ${e.account ?? '?'} back into the Organization and re-apply its SCPs`,
    };
  if (e.action !== 'RemoveAccountFromOrganization') return null;
  const account = str(requestParameters(e).accountId) ?? '?';
  return {
    what: `Account ${account} removed from the Organization (SCPs, Organization trail and delegated security services no longer apply)`,
    severity: 'high',
    restore: `Invite account ${account} back into the Organization and re-apply its SCPs`,
  };
}

function alarms(e: TimelineEvent, patterns: RegExp[]): Verdict {
  if (e.action !== 'DeleteAlarms' && e.action !== 'DisableAlarmActions') return null;
  const raw = requestParameters(e).alarmNames;
  const names = (Array.isArray(raw) ? raw : [raw]).map(str).filter((n): n is string => n !== null);
  const security = names.some((n) => patterns.some((re) => re.test(n)));
  const shown = names.length ? listSome(names, 5) : '?';
  return {
    what: `CloudWatch alarm(s) ${shown}${security ? ' (security alerting)' : ''} ${e.action === 'DeleteAlarms' ? 'deleted' : 'silenced (actions disabled)'}`,
    severity: security ? 'high' : 'medium',
    restore: `Recreate or re-enable the actions of CloudWatch alarm(s) ${shown}`,
  };
}

function judge(e: TimelineEvent, ctx: AnalysisContext, patterns: RegExp[]): Verdict {
  switch (e.service ?? '') {
    case 's3.amazonaws.com':
      return s3(e, ctx);
    case 'ec2.amazonaws.com':
      return ec2(e);
    case 'events.amazonaws.com':
      return eventBridge(e, patterns);
    case 'monitoring.amazonaws.com':
      return alarms(e, patterns);
    case 'organizations.amazonaws.com':
      return organizations(e);
    default:
      return null;
  }
}

export const securityControlRemoved = defineRule<Params>({
  meta,
  create: changeRule(meta, 'review', (ctx) => {
    const patterns = ctx.params.alertRulePatterns.map((p) => new RegExp(p, 'i'));
    return (e) => judge(e, ctx, patterns);
  }),
});
