// Discovery with a stolen key outside the AI services (ai-recon-burst has those): what the account can send by
// email (SES quota, sending enabled, verified identities: the first step of SES phishing and of reselling keys, as
// the LLMjacking and SES-abuse write-ups show), and who and what the account is (Organization and its accounts,
// contacts, IAM users and roles, trails, detectors). SES sending switched on or new identities are reported on their own.
import { isSuccess, type TimelineEvent } from '../event.js';
import {
  actorKeyOf,
  attempted,
  credentialActions,
  doneOrDenied,
  EventSample,
  finding,
  inWindow,
  isBaseline,
  isExpected,
  isTrail,
  listSome,
  lower,
  requestParameters,
  say,
  str,
  UsualActors,
  userTypeOf,
} from './support.js';
import { countParam, defineRule, type Finding, type RuleMeta, type RuleVisitor, type Severity } from './types.js';

interface Params {
  distinctActions: number;
  windowMinutes: number;
}

const meta: RuleMeta<Params> = {
  id: 'account-discovery',
  title: 'Account, identity and email-sending discovery by an unusual actor; SES sending enabled',
  severity: 'medium',
  element: 'access',
  techniques: ['T1087.004', 'T1580', 'T1526', 'T1069.003'],
  rationale:
    'After GetCallerIdentity a stolen key is sized up: can it send email (SES GetSendQuota, GetAccountSendingEnabled, ListIdentities: spammers and key resellers check first), what Organization and accounts it sits in, who the contacts are, which users, roles, trails and detectors exist. SES probes are reported for an actor that did not make them in the baseline; other discovery when one actor makes at least distinctActions of these calls within windowMinutes and did not in the baseline. Without a baseline both are one step lower. Enabling SES sending, asking for production access or verifying a new sender identity is high on its own. Service-linked roles, AWS services and expected principals are skipped.',
  messages: {
    burst: '{actor} made {distinct} distinct {kind} calls ({actions}) from {ips}{usual}',
    sending: '{what} by {actor}{attempt}',
  },
  params: {
    distinctActions: countParam(5, 'Distinct account/identity discovery actions by one actor within windowMinutes that make a finding.'),
    windowMinutes: countParam(30, 'Sliding window, minutes.'),
  },
  needsBaseline: false,
  response: {
    containment: ['Deactivate the credential if its owner did not make the calls; put SES back in the sandbox if sending was enabled'],
    recovery: ['Review what the actor did next (its storyline): SES sending statistics, new identities, IAM changes'],
  },
};

const SES_PROBES = new Set([
  'GetSendQuota',
  'GetAccountSendingEnabled',
  'ListIdentities',
  'GetIdentityVerificationAttributes',
  'ListEmailIdentities',
  'GetAccount',
  'GetSendStatistics',
  'ListVerifiedEmailAddresses',
]);
const SES_SENDING: Record<string, string> = {
  UpdateAccountSendingEnabled: 'SES sending enabled',
  PutAccountDetails: 'SES production access requested (leaving the sandbox)',
  CreateEmailIdentity: 'SES sender identity created',
  VerifyEmailIdentity: 'SES sender e-mail identity verified',
  VerifyEmailAddress: 'SES sender e-mail address verified',
  VerifyDomainIdentity: 'SES sender domain verified',
};
const DISCOVERY: Record<string, ReadonlySet<string>> = {
  'organizations.amazonaws.com': new Set([
    'DescribeOrganization',
    'ListAccounts',
    'DescribeAccount',
    'ListRoots',
    'ListOrganizationalUnitsForParent',
    'ListPolicies',
  ]),
  'account.amazonaws.com': new Set(['GetAlternateContact', 'GetContactInformation', 'ListRegions']),
  'billingconsole.amazonaws.com': new Set(['GetAlternateContact', 'GetContactInformation']),
  'iam.amazonaws.com': new Set([
    'GetAccountAuthorizationDetails',
    'GetAccountSummary',
    'ListUsers',
    'ListRoles',
    'ListGroups',
    'ListPolicies',
    'GetAccountPasswordPolicy',
    'ListAccountAliases',
    'ListAccessKeys',
    'ListAttachedUserPolicies',
    'ListUserPolicies',
  ]),
  'sts.amazonaws.com': new Set(['GetCallerIdentity']),
  's3.amazonaws.com': new Set(['ListBuckets']),
  'cloudtrail.amazonaws.com': new Set(['DescribeTrails', 'GetTrailStatus']),
  'guardduty.amazonaws.com': new Set(['ListDetectors']),
  'ec2.amazonaws.com': new Set(['DescribeSnapshots', 'DescribeInstances', 'DescribeRegions', 'DescribeSecurityGroups']),
  'secretsmanager.amazonaws.com': new Set(['ListSecrets']),
};

const isServiceRole = (e: TimelineEvent): boolean => /:assumed-role\/AWSServiceRoleFor/.test(e.principal ?? '');

type Kind = 'ses' | 'account';

/** One actor's calls of one kind: the recent ones (for the sliding window), then the finding's sample once it fired. */
interface Track {
  recent: { t: number; action: string; e: TimelineEvent }[];
  fired: { sample: EventSample; actions: Set<string> } | null;
}

const MAX_TRACKS = 100_000;
const MAX_RECENT = 200;

function kindOf(e: TimelineEvent): Kind | null {
  if (e.service === 'ses.amazonaws.com' && SES_PROBES.has(e.action)) return 'ses';
  return DISCOVERY[e.service ?? '']?.has(e.action) ? 'account' : null;
}

export const accountDiscovery = defineRule<Params>({
  meta,
  create(ctx): RuleVisitor {
    const usual = new UsualActors();
    const tracks = new Map<string, Track>();
    const findings: Finding[] = [];
    const span = ctx.params.windowMinutes * 60_000;
    const haveBaseline = ctx.baseline !== null;

    function track(kind: Kind, e: TimelineEvent): void {
      const id = `${kind}|${actorKeyOf(e) ?? e.sourceIp ?? '?'}`;
      let t = tracks.get(id);
      if (!t) {
        if (tracks.size >= MAX_TRACKS) return;
        t = { recent: [], fired: null };
        tracks.set(id, t);
      }
      if (t.fired) {
        t.fired.sample.add(e);
        if (t.fired.actions.size < 50) t.fired.actions.add(e.action);
        return;
      }
      const now = Date.parse(e.time);
      t.recent = t.recent.filter((r) => now - r.t <= span).slice(-MAX_RECENT);
      t.recent.push({ t: now, action: e.action, e });
      const distinct = new Set(t.recent.map((r) => r.action));
      if (distinct.size >= (kind === 'ses' ? 1 : ctx.params.distinctActions)) {
        t.fired = { sample: EventSample.of(...t.recent.map((r) => r.e)), actions: distinct };
        t.recent = [];
      }
    }

    return {
      event(e) {
        if (!isTrail(e) || userTypeOf(e) === 'AWSService' || isServiceRole(e) || isExpected(e, ctx)) return;
        const sending = e.service === 'ses.amazonaws.com' || e.service === 'email.amazonaws.com' ? SES_SENDING[e.action] : undefined;
        if (sending) {
          if (!doneOrDenied(e) || !inWindow(e, ctx) || (e.action === 'UpdateAccountSendingEnabled' && requestParameters(e).enabled === false)) return;
          const p = requestParameters(e);
          const target = str(p.emailIdentity) ?? str(p.emailAddress) ?? str(p.domain) ?? str(p.identity);
          const what = target ? `${sending}: ${target}` : sending;
          findings.push(
            finding(meta, [e], say(meta.messages.sending, { what, actor: e.actor, attempt: attempted(e) }), {
              severity: isSuccess(e) ? 'high' : 'medium',
            }),
          );
          return;
        }
        const kind = kindOf(e);
        if (!kind || !doneOrDenied(e)) return;
        if (isBaseline(e, ctx)) {
          if (isSuccess(e)) usual.learn(kind, e);
          return;
        }
        if (inWindow(e, ctx) && usual.isUsual(kind, e, haveBaseline) !== true) track(kind, e);
      },
      finish() {
        for (const [id, t] of tracks) {
          if (!t.fired) continue;
          const kind = id.split('|')[0] as Kind;
          const first = t.fired.sample.first!;
          const base: Severity = kind === 'ses' ? 'medium' : meta.severity;
          const severity = haveBaseline ? base : lower(base);
          const usualNote = haveBaseline ? ', not seen making such calls in the baseline' : ' (no baseline to tell whether this is usual)';
          const summary = say(meta.messages.burst, {
            actor: first.actor ?? first.sourceIp,
            distinct: t.fired.actions.size,
            kind: kind === 'ses' ? 'SES sending-capability' : 'account and identity discovery',
            actions: listSome(t.fired.actions, 8),
            ips: listSome(t.fired.sample.ips, 3) || '?',
            usual: usualNote,
          });
          findings.push(finding(meta, t.fired.sample, summary, { severity, actions: credentialActions(first) }));
        }
        return { findings, notAssessed: null };
      },
    };
  },
});
