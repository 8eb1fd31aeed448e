// Defence evasion beyond trails: GuardDuty detectors, trusted-IP lists and members, Config recorders, Security Hub,
// IAM Access Analyzer, Macie, AI log groups and log or AI buckets disabled, deleted or cut short, including attempts
// that were denied.
import type { TimelineEvent } from '../event.js';
import { changeRule, headerIsTrue, lower, obj, requestParameters, str, type ChangeVerdict } from './support.js';
import { defineRule, listParam, type AnalysisContext, type RuleContext, type RuleMeta, type Severity } from './types.js';

interface Params {
  logGroupPatterns: readonly string[];
}

const meta: RuleMeta<Params> = {
  id: 'monitoring-disabled',
  title: 'Threat detection, configuration recording or AI logs disabled',
  severity: 'high',
  element: 'infrastructure-changes',
  techniques: ['T1562.001', 'T1562.008', 'T1070'],
  rationale:
    'Attackers switch off what would catch them: GuardDuty detectors and member associations, GuardDuty trusted-IP lists (findings from listed addresses are never raised), AWS Config recorders and delivery channels, Security Hub, IAM Access Analyzer and its archive rules, Amazon Macie, the CloudWatch log groups of Bedrock and SageMaker, and the buckets that hold AI data or logs (deleted, lifecycle-expired within a week, access logging turned off, versioning suspended or MFA delete disabled, default encryption or replication removed, Object Lock retention removed or bypassed, legal holds lifted: the preparation of S3 ransomware and of log destruction). When the bundle names no AI or log buckets, every bucket is judged, one step lower. Trails, Bedrock invocation logging and flow logs have their own rules. A denied attempt is one step lower but still reported.',
  messages: { change: '{what}{target} by {actor}{attempt}' },
  params: {
    logGroupPatterns: listParam(
      ['^/aws/bedrock', '^/aws/sagemaker', 'bedrock', 'sagemaker', 'invocation'],
      'Regexes of CloudWatch log group names that hold AI logs.',
    ),
  },
  needsBaseline: false,
  response: {
    containment: ['Deactivate the credential that made the change; re-enable the detector / recorder / logging'],
    recovery: ['Treat the period since the change as unmonitored for that source; restore deleted log data from backups or replicas'],
  },
};

type Verdict = ChangeVerdict | null;

const GUARDDUTY: Record<string, string> = {
  DeleteDetector: 'GuardDuty detector deleted',
  DisassociateFromMasterAccount: 'GuardDuty member left its administrator account',
  DisassociateFromAdministratorAccount: 'GuardDuty member left its administrator account',
  DisassociateMembers: 'GuardDuty members disassociated',
  DeleteMembers: 'GuardDuty members deleted',
  StopMonitoringMembers: 'GuardDuty monitoring of members stopped',
  DeletePublishingDestination: 'GuardDuty findings export deleted',
  CreateIPSet: 'GuardDuty trusted-IP list created (findings from those IPs are suppressed)',
};
const ACCESS_ANALYZER: Record<string, [string, Severity]> = {
  DeleteAnalyzer: ['IAM Access Analyzer deleted (external and unused access is no longer reported)', 'high'],
  CreateArchiveRule: ['IAM Access Analyzer archive rule created (matching findings are archived unseen)', 'medium'],
  UpdateArchiveRule: ['IAM Access Analyzer archive rule changed', 'medium'],
};
const MACIE: Record<string, string> = {
  DisableMacie: 'Amazon Macie disabled (sensitive-data discovery stopped)',
  DisassociateFromAdministratorAccount: 'Macie member left its administrator account',
  DisassociateFromMasterAccount: 'Macie member left its administrator account',
  DisassociateMembers: 'Macie members disassociated',
  DeleteMember: 'Macie member deleted',
};
const CONFIG: Record<string, string> = {
  StopConfigurationRecorder: 'AWS Config recorder stopped',
  DeleteConfigurationRecorder: 'AWS Config recorder deleted',
  DeleteDeliveryChannel: 'AWS Config delivery channel deleted',
  DeleteConfigRule: 'AWS Config rule deleted',
};
const SECURITYHUB: Record<string, string> = {
  DisableSecurityHub: 'Security Hub disabled',
  DisassociateFromAdministratorAccount: 'Security Hub member left its administrator',
  DisassociateFromMasterAccount: 'Security Hub member left its administrator',
  DisassociateMembers: 'Security Hub members disassociated',
  DeleteMembers: 'Security Hub members deleted',
  BatchDisableStandards: 'Security Hub standards disabled',
};

function guardDuty(e: TimelineEvent): Verdict {
  if (e.action === 'UpdateDetector')
    return requestParameters(e).enable === false
      ? { what: 'GuardDuty detector disabled', severity: 'high', restore: 'Re-enable the GuardDuty detector' }
      : null;
  if (e.action === 'UpdateIPSet') {
    // Activating a trusted list, or pointing it at a new file of addresses, silences findings from those addresses.
    const p = requestParameters(e);
    return p.activate === true || str(p.location)
      ? {
          what: `GuardDuty trusted-IP list ${p.activate === true ? 'activated' : 'replaced'}`,
          severity: 'high',
          restore: 'Deactivate or delete the trusted-IP list',
        }
      : null;
  }
  if (e.action === 'CreateFilter')
    return requestParameters(e).action === 'ARCHIVE'
      ? { what: 'GuardDuty auto-archive filter created (findings hidden)', severity: 'medium', restore: 'Delete the auto-archive filter' }
      : null;
  const what = GUARDDUTY[e.action];
  return what ? { what, severity: 'high', restore: 'Re-enable GuardDuty and its member associations' } : null;
}

function accessAnalyzer(e: TimelineEvent): Verdict {
  const hit = ACCESS_ANALYZER[e.action];
  if (!hit) return null;
  const p = requestParameters(e);
  const name = [str(p.analyzerName), str(p.ruleName)].filter(Boolean).join('/');
  return {
    what: `${hit[0]}${name ? `: ${name}` : ''}`,
    severity: hit[1],
    restore: 'Recreate the analyzer and delete archive rules that were not approved',
  };
}

function macie(e: TimelineEvent): Verdict {
  if (e.action === 'UpdateMacieSession')
    return requestParameters(e).status === 'PAUSED'
      ? { what: 'Amazon Macie paused', severity: 'medium', restore: 'Set the Macie session back to ENABLED' }
      : null;
  const what = MACIE[e.action];
  return what ? { what, severity: 'high', restore: 'Re-enable Macie and its member associations' } : null;
}

function logs(e: TimelineEvent, patterns: RegExp[]): Verdict {
  const p = requestParameters(e);
  const group = str(p.logGroupName) ?? str(p.logGroupIdentifier) ?? '';
  if (!patterns.some((re) => re.test(group))) return null;
  if (e.action === 'DeleteLogGroup')
    return { what: `AI log group ${group} deleted`, severity: 'high', restore: `Recreate log group ${group} and its subscriptions` };
  if (e.action === 'DeleteLogStream')
    return { what: `Stream of AI log group ${group} deleted`, severity: 'medium', restore: `Check what log group ${group} lost` };
  if (e.action === 'DeleteSubscriptionFilter')
    return { what: `Log forwarding of ${group} removed`, severity: 'medium', restore: `Restore the subscription filter of ${group}` };
  if (e.action === 'PutRetentionPolicy' && typeof p.retentionInDays === 'number' && p.retentionInDays < 30)
    return {
      what: `Retention of AI log group ${group} cut to ${p.retentionInDays} day(s)`,
      severity: 'medium',
      restore: `Restore the retention of ${group}`,
    };
  return null;
}

/** Object Lock weakened on an AI bucket: default retention removed, retention changed by bypassing governance, legal hold lifted. */
function objectLock(e: TimelineEvent, p: Record<string, unknown>, bucket: string): Verdict {
  const object = e.target ?? `s3://${bucket}`;
  if (e.action === 'PutObjectLockConfiguration') {
    const cfg = obj(p.ObjectLockConfiguration);
    return cfg && !obj(obj(cfg.Rule)?.DefaultRetention)
      ? {
          what: `Object Lock default retention of s3://${bucket} removed`,
          severity: 'high',
          restore: `Put the Object Lock default retention of s3://${bucket} back (compliance mode where possible)`,
        }
      : null;
  }
  if (e.action === 'PutObjectRetention' && headerIsTrue(p['x-amz-bypass-governance-retention']))
    return {
      what: `Object Lock retention of ${object} changed by bypassing governance mode`,
      severity: 'medium',
      restore: `Restore the retention of ${object}; remove s3:BypassGovernanceRetention from everyone but break-glass`,
    };
  if (e.action === 'PutObjectLegalHold' && str(obj(p.LegalHold)?.Status)?.toUpperCase() === 'OFF')
    return { what: `Legal hold of ${object} lifted`, severity: 'medium', restore: `Put the legal hold of ${object} back` };
  return null;
}

/** The shortest expiration (days) a lifecycle configuration sets on enabled rules, or null when none is short. */
function shortestExpiry(p: Record<string, unknown>): number | null {
  const cfg = obj(p.LifecycleConfiguration) ?? p;
  const rules = Array.isArray(cfg.Rule) ? cfg.Rule : [cfg.Rule];
  const days: number[] = [];
  for (const r of rules.slice(0, 100).map(obj)) {
    if (!r || str(r.Status)?.toLowerCase() === 'disabled') continue;
    // Expiration deletes current versions, NoncurrentVersionExpiration the older ones; transitions delete nothing.
    for (const d of [obj(r.Expiration)?.Days, obj(r.NoncurrentVersionExpiration)?.NoncurrentDays]) {
      const n = Number(d);
      if (d !== undefined && d !== null && d !== '' && Number.isFinite(n)) days.push(n);
    }
  }
  const min = days.length ? Math.min(...days) : null;
  return min !== null && min <= 7 ? min : null;
}

/** What an S3 call takes away from a bucket's logs or recoverability, or null. */
function s3Change(e: TimelineEvent, p: Record<string, unknown>, bucket: string): Verdict {
  if (e.action === 'DeleteBucket')
    return { what: `AI or log bucket s3://${bucket} deleted`, severity: 'high', restore: `Recreate s3://${bucket} from replicas/backups` };
  if (e.action === 'PutBucketLogging' && obj(p.BucketLoggingStatus) && !obj(obj(p.BucketLoggingStatus)?.LoggingEnabled))
    return { what: `Access logging of s3://${bucket} turned off`, severity: 'high', restore: `Turn access logging of s3://${bucket} back on` };
  if (e.action === 'PutBucketLifecycle' || e.action === 'PutBucketLifecycleConfiguration') {
    const days = shortestExpiry(p);
    return days !== null
      ? {
          what: `Lifecycle rule expiring objects of s3://${bucket} within ${days} day(s)`,
          severity: 'high',
          restore: `Remove the new lifecycle rule of s3://${bucket}`,
        }
      : null;
  }
  if (e.action === 'PutBucketVersioning') {
    const v = obj(p.VersioningConfiguration);
    const off = ['Suspended', 'Disabled'].includes(str(v?.Status) ?? '');
    const mfaOff = str(v?.MfaDelete) === 'Disabled';
    if (!off && !mfaOff) return null;
    const what = [off ? `Versioning of s3://${bucket} suspended` : '', mfaOff ? `MFA delete of s3://${bucket} disabled` : '']
      .filter(Boolean)
      .join('; ');
    return { what, severity: 'medium', restore: `Re-enable versioning${mfaOff ? ' and MFA delete' : ''} of s3://${bucket}` };
  }
  if (e.action === 'DeleteBucketEncryption')
    return {
      what: `Default encryption of s3://${bucket} removed`,
      severity: 'medium',
      restore: `Put the default encryption (SSE-KMS) of s3://${bucket} back`,
    };
  if (e.action === 'DeleteBucketReplication')
    return {
      what: `Replication of s3://${bucket} deleted (new objects are no longer copied to the replica)`,
      severity: 'medium',
      restore: `Restore the replication configuration of s3://${bucket}`,
    };
  return objectLock(e, p, bucket);
}

/**
 * Buckets the bundle names as AI or log buckets are judged as such; when the bundle names none (unknown), every
 * bucket is in scope, one step lower (it may hold neither).
 */
function s3(e: TimelineEvent, ctx: AnalysisContext): Verdict {
  const p = requestParameters(e);
  const bucket = typeof p.bucketName === 'string' ? p.bucketName : null;
  if (!bucket || (ctx.aiBuckets && !ctx.aiBuckets.has(bucket))) return null;
  const v = s3Change(e, p, bucket);
  if (!v || ctx.aiBuckets) return v;
  return { ...v, what: v.what.replace('AI or log bucket ', 'Bucket '), severity: lower(v.severity) };
}

function judge(e: TimelineEvent, ctx: RuleContext<Params>, patterns: RegExp[]): Verdict {
  switch (e.service ?? '') {
    case 'guardduty.amazonaws.com':
      return guardDuty(e);
    case 'config.amazonaws.com':
      return CONFIG[e.action] ? { what: CONFIG[e.action]!, severity: 'high', restore: 'Restart the AWS Config recorder and delivery channel' } : null;
    case 'securityhub.amazonaws.com':
      return SECURITYHUB[e.action] ? { what: SECURITYHUB[e.action]!, severity: 'high', restore: 'Re-enable Security Hub and its standards' } : null;
    case 'access-analyzer.amazonaws.com':
      return accessAnalyzer(e);
    case 'macie2.amazonaws.com':
      return macie(e);
    case 'logs.amazonaws.com':
      return logs(e, patterns);
    case 's3.amazonaws.com':
      return s3(e, ctx);
    default:
      return null;
  }
}

export const monitoringDisabled = defineRule<Params>({
  meta,
  create: changeRule(meta, 'restore-logging', (ctx) => {
    const patterns = ctx.params.logGroupPatterns.map((p) => new RegExp(p, 'i'));
    return (e) => judge(e, ctx, patterns);
  }),
});
