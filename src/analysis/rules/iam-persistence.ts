// Persistence through IAM: access keys created (for another user or root above all), service-specific credentials
// (long-term Bedrock API keys above all), console passwords created or changed, administrator policies attached, role trust policies changed. Denied attempts count, lower.
import { isSuccess, type TimelineEvent } from '../event.js';
import {
  attempted,
  credentialActions,
  doneOrDenied,
  finding,
  isTrail,
  lower,
  obj,
  parsePolicy,
  perEvent,
  policyStatements,
  requestParameters,
  responseElements,
  say,
  str,
  userTypeOf,
} from './support.js';
import { defineRule, type AnalysisContext, type Finding, type ResponseAction, type RuleMeta, type Severity } from './types.js';
import { trustedAccounts } from './backdoor-role.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'iam-persistence',
  title: 'IAM persistence: new access keys, Bedrock API keys, console passwords, admin policies, trust changes',
  severity: 'high',
  element: 'access',
  techniques: ['T1098.001', 'T1098.003', 'T1098'],
  rationale:
    'With a stolen key an attacker makes access that outlives it: an access key for another user or root, a service-specific credential (a long-term Bedrock API key keeps invoking models after every access key of the user is deactivated, and its use in CloudTrail shows only the user), a console password (login profile) for a user that had none, AdministratorAccess or a "*:*" inline policy, a new default policy version granting everything, or a role trust policy that lets a principal of their choosing assume it. Role trust to outside accounts and new users are iam-backdoor’s; a step on such a role or user is merged into its finding.',
  messages: {
    key: '{actor} created access key {key} for {whom}{attempt}',
    service: '{actor} {how} a {what} for {whom}{attempt}',
    login: '{actor} {how} the console password of IAM user {user}{attempt}',
    admin: '{actor} gave {whom} administrator rights ({policy}){attempt}',
    trust: '{actor} changed the trust policy of role {role} (now trusts {trusted}){attempt}',
  },
  params: {},
  needsBaseline: false,
  response: {
    containment: [
      'Delete the access keys, service-specific credentials (Bedrock API keys), login profiles and policy attachments the attacker made; restore trust policies',
    ],
    recovery: ['List every IAM change by the same actor and undo the ones not approved'],
  },
};

const ADMIN_POLICY = /:policy\/(?:AdministratorAccess|IAMFullAccess|PowerUserAccess|AWSOrganizationsFullAccess)$/;
const ATTACH = new Set(['AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy']);
const INLINE = new Set(['PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy']);

/** An inline policy with Allow of "*" (or "iam:*") on "*". */
export function grantsAdmin(doc: unknown): boolean {
  const has = (v: unknown, want: RegExp) => (Array.isArray(v) ? v : [v]).some((x) => typeof x === 'string' && want.test(x));
  return policyStatements(parsePolicy(doc)).some((s) => s.Effect === 'Allow' && has(s.Action, /^(?:\*|iam:\*|\*:\*)$/) && has(s.Resource, /^\*$/));
}

const SERVICE_CREDENTIAL_NAMES: Record<string, string> = {
  'bedrock.amazonaws.com': 'long-term Bedrock API key',
  'codecommit.amazonaws.com': 'CodeCommit Git credential',
  'cassandra.amazonaws.com': 'Amazon Keyspaces credential',
};

/** A service-specific credential created or its secret reset: a Bedrock API key is high whoever it is for. */
function serviceCredential(
  e: TimelineEvent,
  p: Record<string, unknown>,
  base: { actor: string | null; attempt: string },
): { summary: string; severity: Severity; actions: ResponseAction[] } {
  const created = obj(responseElements(e).serviceSpecificCredential);
  const service = str(p.serviceName) ?? str(created?.serviceName) ?? null;
  const user = str(p.userName) ?? str(created?.userName) ?? callerUser(e);
  const forOther = user !== null && user !== callerUser(e);
  const what = (service && SERVICE_CREDENTIAL_NAMES[service]) ?? `service-specific credential${service ? ` for ${service}` : ''}`;
  const credentialId = str(created?.serviceSpecificCredentialId) ?? str(p.serviceSpecificCredentialId);
  const whom = forOther ? `another user, ${user}` : `itself${user ? ` (${user})` : ''}`;
  const severity: Severity = service === 'bedrock.amazonaws.com' || forOther ? 'high' : 'medium';
  const how = e.action === 'CreateServiceSpecificCredential' ? 'created' : 'reset the secret of';
  return {
    summary: say(meta.messages.service, { ...base, how, what, whom }),
    severity,
    actions: [
      {
        kind: 'delete-service-credential',
        target: `${user ?? '?'}:${credentialId ?? service ?? '?'}`,
        text: `Delete the ${what}${credentialId ? ` ${credentialId}` : ''} of IAM user ${user ?? '?'} (aws iam delete-service-specific-credential)`,
      },
    ],
  };
}

const callerUser = (e: TimelineEvent): string | null => e.principal?.match(/:user\/(?:.*\/)?([^/]+)$/)?.[1] ?? null;

function judge(
  e: TimelineEvent,
  ctx: Pick<AnalysisContext, 'knownAccounts'>,
): { summary: string; severity: Severity; actions: ResponseAction[] } | null {
  const p = requestParameters(e);
  const base = { actor: e.actor, attempt: attempted(e) };
  const user = typeof p.userName === 'string' ? p.userName : null;
  const account = e.account ?? '?';
  switch (e.action) {
    case 'CreateAccessKey': {
      const created = obj(responseElements(e).accessKey);
      const key = typeof created?.accessKeyId === 'string' ? created.accessKeyId : '(id not recorded)';
      const root = !user && userTypeOf(e) === 'Root';
      const whom = root
        ? `the root user of ${account}`
        : user && user !== callerUser(e)
          ? `another user, ${user}`
          : `itself${(user ?? callerUser(e)) ? ` (${user ?? callerUser(e)})` : ''}`;
      const severity: Severity = root ? 'critical' : user && user !== callerUser(e) ? 'high' : 'medium';
      return {
        summary: say(meta.messages.key, { ...base, key, whom }),
        severity,
        actions: key.startsWith('AKIA')
          ? [{ kind: 'deactivate-access-key', target: key, text: `Deactivate and delete access key ${key} (created by ${e.actor ?? '?'})` }]
          : [],
      };
    }
    case 'CreateServiceSpecificCredential':
    case 'ResetServiceSpecificCredential':
      return serviceCredential(e, p, base);
    case 'CreateLoginProfile':
    case 'UpdateLoginProfile': {
      const target = user ?? callerUser(e) ?? '?';
      return {
        summary: say(meta.messages.login, { ...base, user: target, how: e.action === 'CreateLoginProfile' ? 'created' : 'changed' }),
        severity: 'high',
        actions: [
          { kind: 'delete-login-profile', target, text: `Delete the login profile (console password) of IAM user ${target} unless its owner set it` },
        ],
      };
    }
    case 'UpdateAssumeRolePolicy': {
      const role = typeof p.roleName === 'string' ? p.roleName : (e.target ?? '?');
      const trusted = trustedAccounts(p.policyDocument);
      if (trusted.some((a) => a === '*' || (a !== e.account && !ctx.knownAccounts.has(a)))) return null; // trust outside the scope: iam-backdoor reports it
      return {
        summary: say(meta.messages.trust, { ...base, role, trusted: trusted.join(', ') || 'services or federated principals' }),
        severity: 'medium',
        actions: [
          { kind: 'restore-trust-policy', target: `arn:aws:iam::${account}:role/${role}`, text: `Restore the previous trust policy of role ${role}` },
        ],
      };
    }
    case 'CreatePolicyVersion': {
      // A new default version of a customer-managed policy is the classic privilege escalation: every holder gets it.
      const policyArn = typeof p.policyArn === 'string' ? p.policyArn : '?';
      if (p.setAsDefault !== true || !grantsAdmin(p.policyDocument)) return null;
      return {
        summary: say(meta.messages.admin, { ...base, whom: `every holder of ${policyArn}`, policy: 'a new default policy version' }),
        severity: 'critical',
        actions: [{ kind: 'detach-policy', target: policyArn, text: `Set the previous version of ${policyArn} as default and delete the new one` }],
      };
    }
    default: {
      const policyArn = typeof p.policyArn === 'string' ? p.policyArn : null;
      const admin = (ATTACH.has(e.action) && policyArn && ADMIN_POLICY.test(policyArn)) || (INLINE.has(e.action) && grantsAdmin(p.policyDocument));
      if (!admin) return null;
      const whom = str(p.userName) ?? str(p.roleName) ?? str(p.groupName) ?? '?';
      const kind = p.userName ? 'user' : p.roleName ? 'role' : 'group';
      const policy = policyArn ?? `inline policy ${str(p.policyName) ?? '?'}`;
      return {
        summary: say(meta.messages.admin, { ...base, whom: `${kind} ${whom}`, policy }),
        severity: 'critical',
        actions: [{ kind: 'detach-policy', target: `${kind}/${whom}:${policy}`, text: `Remove ${policy} from ${kind} ${whom}` }],
      };
    }
  }
}

const ACTIONS = new Set([
  'CreateAccessKey',
  'CreateServiceSpecificCredential',
  'ResetServiceSpecificCredential',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'UpdateAssumeRolePolicy',
  'CreatePolicyVersion',
  ...ATTACH,
  ...INLINE,
]);

export const iamPersistence = defineRule({
  meta,
  create: perEvent((e, ctx): Finding | null => {
    if (
      !isTrail(e) ||
      e.service !== 'iam.amazonaws.com' ||
      !ACTIONS.has(e.action) ||
      !doneOrDenied(e) ||
      e.time > ctx.window.end ||
      e.time < ctx.window.start
    )
      return null;
    const v = judge(e, ctx);
    if (!v) return null;
    return finding(meta, [e], v.summary, {
      severity: isSuccess(e) ? v.severity : lower(v.severity),
      actions: [...credentialActions(e), ...(isSuccess(e) ? v.actions : [])],
    });
  }),
});
