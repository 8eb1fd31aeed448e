// New IAM roles trusting an account outside the collection scope, and new IAM users (persistence).
import { isSuccess, type TimelineEvent } from '../event.js';
import { finding, isTrail, obj, requestParameters, type Finding, type Rule, type RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'iam-backdoor',
  title: 'IAM role trusting an external account, or new IAM user',
  severity: 'high',
  element: 'access',
  rationale:
    'A role whose trust policy lets another AWS account assume it (or a fresh IAM user) gives an attacker access that survives rotating the stolen credentials. Accounts in the collected Organization scope are not external.',
};

const TRUST = new Set(['CreateRole', 'UpdateAssumeRolePolicy']);
const USER = new Set(['CreateUser']);
const FOLLOW_UP = new Set(['AttachRolePolicy', 'PutRolePolicy', 'CreateAccessKey', 'CreateLoginProfile', 'AttachUserPolicy', 'PutUserPolicy', 'AddUserToGroup']);

function parsePolicy(raw: unknown): Record<string, unknown> | null {
  if (obj(raw)) return raw as Record<string, unknown>;
  if (typeof raw !== 'string') return null;
  for (const text of [raw, (() => { try { return decodeURIComponent(raw); } catch { return raw; } })()]) {
    try {
      return obj(JSON.parse(text));
    } catch {
      // try the next form
    }
  }
  return null;
}

/** Account ids (or '*') an Allow statement of the trust policy lets assume the role. */
export function trustedAccounts(policyDoc: unknown): string[] {
  const policy = parsePolicy(policyDoc);
  if (!policy) return [];
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  const out = new Set<string>();
  for (const s of statements.map(obj)) {
    if (!s || s.Effect !== 'Allow') continue;
    const principal = s.Principal === '*' ? { AWS: '*' } : obj(s.Principal);
    const aws = principal?.AWS;
    for (const p of Array.isArray(aws) ? aws : aws !== undefined ? [aws] : []) {
      const v = String(p);
      if (v === '*') out.add('*');
      else if (/^\d{12}$/.test(v)) out.add(v);
      else {
        const m = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(v);
        if (m) out.add(m[1]!);
      }
    }
  }
  return [...out].sort();
}

export const iamBackdoor: Rule = {
  meta,
  wants: (e) => isTrail(e) && e.service === 'iam.amazonaws.com' && (TRUST.has(e.action) || USER.has(e.action) || FOLLOW_UP.has(e.action)),
  match(events, ctx) {
    const out: Finding[] = [];
    const followUps = (name: string | null, kind: 'role' | 'user', from: TimelineEvent): TimelineEvent[] =>
      events.filter((f) => f !== from && isTrail(f) && isSuccess(f) && FOLLOW_UP.has(f.action) && f.time >= from.time && String(requestParameters(f)[kind === 'role' ? 'roleName' : 'userName'] ?? '') === name);
    for (const e of events) {
      if (!isTrail(e) || e.service !== 'iam.amazonaws.com' || !isSuccess(e)) continue;
      const params = requestParameters(e);
      if (TRUST.has(e.action)) {
        const own = e.account;
        const external = trustedAccounts(params.assumeRolePolicyDocument ?? params.policyDocument).filter((a) => a !== own && !ctx.knownAccounts.has(a));
        if (external.length === 0) continue;
        const role = typeof params.roleName === 'string' ? params.roleName : e.target;
        const more = followUps(role, 'role', e);
        const admin = more.some((f) => /AdministratorAccess|IAMFullAccess/.test(String(requestParameters(f).policyArn ?? '')));
        out.push(
          finding(meta, [e, ...more], `Role ${role ?? '?'} ${e.action === 'CreateRole' ? 'was created' : 'had its trust policy changed'} to trust ${external.includes('*') ? 'any AWS principal (*)' : `external account(s) ${external.join(', ')}`}${more.length ? `; then ${more.map((f) => f.action).join(', ')}` : ''}`, admin || external.includes('*') ? { severity: 'critical' } : {}),
        );
      } else if (USER.has(e.action)) {
        const user = typeof params.userName === 'string' ? params.userName : e.target;
        const more = followUps(user, 'user', e);
        out.push(finding(meta, [e, ...more], `IAM user ${user ?? '?'} was created by ${e.actor ?? '?'}${more.length ? `; then ${more.map((f) => f.action).join(', ')}` : ''}`, { severity: more.some((f) => f.action === 'CreateAccessKey' || f.action === 'CreateLoginProfile') ? 'high' : 'medium' }));
      }
    }
    return out;
  },
};
