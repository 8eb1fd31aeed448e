// logs-ai-retention: in-scope CloudWatch log groups keep events >= minRetentionDays or never expire.
// In scope, per region of the account: every group named /aws/sagemaker/*, the Bedrock invocation-log group,
// flow-log groups (cloud-watch-logs destination) and the CloudWatch group of trails owned by the account
// (from cloudWatchLogGroupArn, in the group's own region). A referenced group that does not exist FAILs:
// the logs it should hold are not being kept. One result per log group.
import type { Check, Finding } from './types.js';
import type { AccountInventory, Inventory, LogGroupInfo } from '../src/model/inventory.js';
import { logGroupArn, logGroupsArn, normalizeLogGroupArn, parseLogGroupArn } from './lib/arns.js';
import { scannedRegions } from './lib/footprint.js';
import { accountVerdict, COMMON_CODES, fromVerdict, noRegionScanned } from './lib/results.js';
import { trailsCoveringAccount } from './lib/trails.js';

interface Ref {
  region: string;
  name: string;
  why: string;
}

export const check: Check = {
  meta: {
    id: 'logs-ai-retention',
    title: 'AI-related CloudWatch log groups keep events for the required retention',
    severity: 'medium',
    scope: 'log-group',
    service: 'logs',
    rationale:
      'Incidents are often discovered months after they start. SageMaker job and endpoint logs, Bedrock invocation logs, flow logs and CloudTrail copies in CloudWatch are only useful if they still exist when the investigation begins.',
    risk: 'Logs covering the start of an intrusion have already expired when it is discovered; a referenced group that does not exist keeps nothing at all.',
    remediation: {
      summary:
        'Set a retention of at least the required days (or never expire) on each in-scope log group, and create groups that logging configurations reference.',
      cli: 'aws logs put-retention-policy --log-group-name LOG_GROUP --retention-in-days 365',
      iac: {
        kind: 'terraform',
        snippet: [
          'resource "aws_cloudwatch_log_group" "bedrock_invocations" {',
          '  name              = "/aws/bedrock/invocations"',
          '  retention_in_days = 365',
          '}',
        ].join('\n'),
      },
      docs: ['https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention'],
    },
    parameters: ['minRetentionDays'],
    reasonCodes: {
      'never-expires': 'The log group never expires events.',
      'retention-ok': 'The log group keeps events for at least minRetentionDays.',
      'retention-too-short': 'The log group expires events before minRetentionDays.',
      'destination-missing': 'A logging configuration references the group but it does not exist: nothing is kept.',
      'region-not-scanned': 'The referenced group is in a region that was not scanned.',
      'no-log-groups': 'No in-scope log group exists or is referenced.',
      ...COMMON_CODES,
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-11' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
      { framework: 'eu-ai-act', control: 'Art. 19' },
      { framework: 'eu-ai-act', control: 'Art. 26(6)' },
    ],
  },
  evaluate({ inventory, account, params }) {
    const none = noRegionScanned(account);
    if (none) return [none];
    const { refs, sourcesUnread } = referencedLogGroups(inventory, account);
    const judged = new Set<string>();
    const out = [
      ...judgeSageMakerGroups(account, params.minRetentionDays, judged),
      ...judgeReferencedGroups(account, refs, params.minRetentionDays, judged),
    ];
    if (sourcesUnread.length > 0) {
      out.push(
        accountVerdict(account, {
          status: 'NOT_ASSESSED',
          code: 'sources-unreadable',
          reason: `Some in-scope log groups of account ${account.accountId} may be missing because ${sourcesUnread.join('; ')}`,
          evidence: { unreadable: sourcesUnread },
        }),
      );
    } else if (out.length === 0) {
      out.push(
        accountVerdict(account, {
          status: 'NOT_APPLICABLE',
          code: 'no-log-groups',
          reason: `Account ${account.accountId} has no SageMaker, Bedrock, flow-log or CloudTrail log groups in the scanned regions`,
        }),
      );
    }
    return out;
  },
};

/** Log groups that logging configurations point at (Bedrock, flow logs, the account's trails), and the sources that could not be read. */
function referencedLogGroups(inventory: Inventory, account: AccountInventory): { refs: Ref[]; sourcesUnread: string[] } {
  const refs: Ref[] = [];
  const sourcesUnread: string[] = [];
  for (const r of scannedRegions(account)) {
    if (r.bedrock.logging.ok) {
      const cw = r.bedrock.logging.value?.cloudWatch;
      if (cw) refs.push({ region: r.region, name: cw.logGroupName, why: 'Bedrock invocation log group' });
    } else sourcesUnread.push(`Bedrock invocation logging in ${r.region}: ${r.bedrock.logging.reason}`);
    if (r.flowLogs.ok) {
      for (const f of r.flowLogs.value) {
        if (f.destinationType !== 'cloud-watch-logs') continue;
        const name = f.logGroupName ?? (f.destinationArn ? parseLogGroupArn(f.destinationArn)?.name : undefined);
        if (name) refs.push({ region: r.region, name, why: `flow log ${f.id} group` });
      }
    } else sourcesUnread.push(`flow logs in ${r.region}: ${r.flowLogs.reason}`);
  }
  const { trails } = trailsCoveringAccount(inventory, account);
  if (!account.trails.ok) sourcesUnread.push(`trails of account ${account.accountId}: ${account.trails.reason}`);
  const org = inventory.organizationTrails;
  if (org && !org.ok && inventory.organization?.managementAccountId === account.accountId) sourcesUnread.push(`organization trails: ${org.reason}`);
  for (const t of trails) {
    if (!t.cloudWatchLogGroupArn) continue;
    const p = parseLogGroupArn(t.cloudWatchLogGroupArn);
    if (!p) continue;
    const owner = p.accountId || t.ownerAccountId;
    if (owner !== account.accountId) continue; // judged in the account that owns the group
    refs.push({ region: p.region || t.homeRegion, name: p.name, why: `CloudTrail trail ${t.name} group` });
  }
  return { refs, sourcesUnread };
}

function judgeRetention(account: AccountInventory, region: string, g: LogGroupInfo, why: string, minRetentionDays: number): Finding {
  const arn = normalizeLogGroupArn(g.arn || logGroupArn(region, account.accountId, g.name));
  const ev = { logGroup: g.name, inScopeAs: why, retentionInDays: g.retentionInDays, minRetentionDays };
  if (g.retentionInDays === null || g.retentionInDays === undefined)
    return fromVerdict(account, region, arn, {
      status: 'PASS',
      code: 'never-expires',
      reason: `Log group ${g.name} never expires events`,
      evidence: ev,
    });
  if (g.retentionInDays >= minRetentionDays)
    return fromVerdict(account, region, arn, {
      status: 'PASS',
      code: 'retention-ok',
      reason: `Log group ${g.name} keeps events for ${g.retentionInDays} days`,
      evidence: ev,
    });
  return fromVerdict(account, region, arn, {
    status: 'FAIL',
    code: 'retention-too-short',
    reason: `Log group ${g.name} keeps events for only ${g.retentionInDays} days (required: >= ${minRetentionDays})`,
    evidence: ev,
  });
}

/** Every /aws/sagemaker/* group of the scanned regions; records each judged group in `judged`. */
function judgeSageMakerGroups(account: AccountInventory, minRetentionDays: number, judged: Set<string>): Finding[] {
  const out: Finding[] = [];
  for (const r of scannedRegions(account)) {
    if (!r.logGroups.ok) {
      out.push(
        fromVerdict(account, r.region, logGroupsArn(r.region, account.accountId), {
          status: 'NOT_ASSESSED',
          code: 'not-readable',
          reason: `Log groups in ${r.region} could not be listed: ${r.logGroups.reason}`,
        }),
      );
      continue;
    }
    for (const g of r.logGroups.value) {
      if (!g.name.startsWith('/aws/sagemaker/')) continue;
      judged.add(`${r.region}|${g.name}`);
      out.push(judgeRetention(account, r.region, g, 'SageMaker log group', minRetentionDays));
    }
  }
  return out;
}

/** Each referenced group not judged yet: missing FAILs, unreadable or unscanned is NOT_ASSESSED. */
function judgeReferencedGroups(account: AccountInventory, refs: Ref[], minRetentionDays: number, judged: Set<string>): Finding[] {
  const out: Finding[] = [];
  for (const ref of refs) {
    const key = `${ref.region}|${ref.name}`;
    if (judged.has(key)) continue;
    judged.add(key);
    const arn = logGroupArn(ref.region, account.accountId, ref.name);
    const r = account.regions[ref.region];
    if (!r) {
      out.push(
        fromVerdict(account, ref.region, arn, {
          status: 'NOT_ASSESSED',
          code: 'region-not-scanned',
          reason: `Log group ${ref.name} (${ref.why}) is in region ${ref.region}, which was not scanned`,
          evidence: { logGroup: ref.name, inScopeAs: ref.why },
        }),
      );
      continue;
    }
    if (!r.logGroups.ok) {
      out.push(
        fromVerdict(account, ref.region, arn, {
          status: 'NOT_ASSESSED',
          code: 'not-readable',
          reason: `Retention of log group ${ref.name} (${ref.why}) could not be read: ${r.logGroups.reason}`,
          evidence: { logGroup: ref.name, inScopeAs: ref.why },
        }),
      );
      continue;
    }
    const g = r.logGroups.value.find((x) => x.name === ref.name);
    if (!g) {
      out.push(
        fromVerdict(account, ref.region, arn, {
          status: 'FAIL',
          code: 'destination-missing',
          reason: `Log group ${ref.name} is referenced as ${ref.why} but does not exist in ${ref.region}, so nothing is kept`,
          evidence: { logGroup: ref.name, inScopeAs: ref.why, exists: false },
        }),
      );
      continue;
    }
    out.push(judgeRetention(account, ref.region, g, ref.why, minRetentionDays));
  }
  return out;
}
