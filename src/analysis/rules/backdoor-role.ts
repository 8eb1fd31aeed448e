// New IAM roles trusting an account outside the collection scope, and new IAM users (persistence).
import { isSuccess, type TimelineEvent } from '../event.js';
import {
  credentialActions,
  EventSample,
  finding,
  inWindow,
  isTrail,
  parsePolicy,
  policyStatements,
  requestParameters,
  say,
  statementAccounts,
  str,
} from './support.js';
import { defineRule, type Finding, type ResponseAction, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'iam-backdoor',
  title: 'IAM role trusting an external account, or new IAM user',
  severity: 'high',
  element: 'access',
  techniques: ['T1098', 'T1136.003'],
  rationale:
    'A role whose trust policy lets another AWS account assume it (or a fresh IAM user) gives an attacker access that survives rotating the stolen credentials. Accounts in the collected Organization scope are not external.',
  messages: {
    role: 'Role {role} {how} to trust {trusted}{then}',
    user: 'IAM user {user} was created by {actor}{then}',
  },
  params: {},
  needsBaseline: false,
  response: {
    containment: [
      'Restore the role trust policy (or delete the role) and revoke its sessions',
      'Delete the new user’s access keys and login profile',
    ],
    recovery: ['Review what the new role or user did (its own actor storyline)'],
  },
};

const TRUST = new Set(['CreateRole', 'UpdateAssumeRolePolicy']);
const FOLLOW_UP = new Set([
  'AttachRolePolicy',
  'PutRolePolicy',
  'CreateAccessKey',
  'CreateLoginProfile',
  'AttachUserPolicy',
  'PutUserPolicy',
  'AddUserToGroup',
]);
const ADMIN = /AdministratorAccess|IAMFullAccess|PowerUserAccess/;
const MAX_TRACKED = 10_000;
/** CloudTrail times have one-second resolution: a follow-up in the same second may be filed before the creation. */
const SAME_MOMENT_MS = 2_000;
const MAX_EARLY = 200;

/** Account ids (or '*') an Allow statement of the trust policy lets assume the role. */
export function trustedAccounts(policyDoc: unknown): string[] {
  const out = new Set<string>();
  for (const s of policyStatements(parsePolicy(policyDoc))) if (s.Effect === 'Allow') for (const a of statementAccounts(s)) out.add(a);
  return [...out].sort();
}

interface Tracked {
  kind: 'role' | 'user';
  name: string;
  sample: EventSample;
  external: string[];
  admin: boolean;
  followUps: string[];
}

function render(t: Tracked): Finding {
  const e = t.sample.first!;
  const then = t.followUps.length ? `; then ${t.followUps.join(', ')}` : '';
  if (t.kind === 'role') {
    const trusted = t.external.includes('*') ? 'any AWS principal (*)' : `external account(s) ${t.external.join(', ')}`;
    const arn = `arn:aws:iam::${e.account ?? '?'}:role/${t.name}`;
    const actions: ResponseAction[] = [
      ...credentialActions(e),
      { kind: 'restore-trust-policy', target: arn, text: `Restore the trust policy of role ${t.name} (remove ${trusted}) or delete the role` },
      { kind: 'revoke-role-sessions', target: arn, text: `Revoke active sessions of role ${t.name}` },
    ];
    return finding(
      meta,
      t.sample,
      say(meta.messages.role, { role: t.name, how: e.action === 'CreateRole' ? 'was created' : 'had its trust policy changed', trusted, then }),
      { severity: t.admin || t.external.includes('*') ? 'critical' : 'high', actions },
    );
  }
  const keyOrLogin = t.followUps.some((a) => a === 'CreateAccessKey' || a === 'CreateLoginProfile');
  const actions: ResponseAction[] = [
    ...credentialActions(e),
    { kind: 'review', target: t.name, text: `Delete IAM user ${t.name}'s access keys and login profile unless it was created on purpose` },
  ];
  return finding(meta, t.sample, say(meta.messages.user, { user: t.name, actor: e.actor, then }), {
    severity: t.admin ? 'critical' : keyOrLogin ? 'high' : 'medium',
    actions,
  });
}

export const iamBackdoor = defineRule({
  meta,
  create(ctx) {
    const tracked = new Map<string, Tracked>();
    const start = (e: TimelineEvent): void => {
      if (tracked.size >= MAX_TRACKED) return;
      const params = requestParameters(e);
      if (TRUST.has(e.action)) {
        const external = trustedAccounts(params.assumeRolePolicyDocument ?? params.policyDocument).filter(
          (a) => a !== e.account && !ctx.knownAccounts.has(a),
        );
        const role = typeof params.roleName === 'string' ? params.roleName : e.target;
        if (external.length && role)
          tracked.set(`role|${e.account}|${role}`, { kind: 'role', name: role, sample: EventSample.of(e), external, admin: false, followUps: [] });
      } else if (e.action === 'CreateUser') {
        const user = typeof params.userName === 'string' ? params.userName : e.target;
        if (user)
          tracked.set(`user|${e.account}|${user}`, {
            kind: 'user',
            name: user,
            sample: EventSample.of(e),
            external: [],
            admin: false,
            followUps: [],
          });
      }
    };
    let early: TimelineEvent[] = [];
    const follow = (e: TimelineEvent): boolean => {
      const params = requestParameters(e);
      const t = tracked.get(`role|${e.account}|${String(params.roleName)}`) ?? tracked.get(`user|${e.account}|${String(params.userName)}`);
      if (!t) return false;
      t.sample.add(e);
      t.followUps.push(e.action);
      if (ADMIN.test(str(params.policyArn) ?? '')) t.admin = true;
      return true;
    };
    return {
      event(e) {
        if (!isTrail(e) || e.service !== 'iam.amazonaws.com' || !isSuccess(e) || !inWindow(e, ctx)) return;
        const t = Date.parse(e.time);
        early = early.filter((x) => t - Date.parse(x.time) <= SAME_MOMENT_MS);
        if (FOLLOW_UP.has(e.action)) {
          if (!follow(e) && early.length < MAX_EARLY) early.push(e);
          return;
        }
        start(e);
        early = early.filter((x) => !follow(x));
      },
      finish: () => ({ findings: [...tracked.values()].map(render), notAssessed: null }),
    };
  },
});
