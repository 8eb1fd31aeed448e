// A KMS key policy that takes the key away from its owner: set with the lockout safety check bypassed, leaving no
// principal of the key's account able to change the policy again, or giving key administration to an outside
// account. Everything the key encrypts is then held by whoever controls the policy (ransomware-style impact), and the
// owner cannot disable or audit the key's use (defence evasion).
import type { TimelineEvent } from '../event.js';
import {
  changeRule,
  externalOf,
  headerIsTrue,
  obj,
  parsePolicy,
  policyStatements,
  requestParameters,
  responseElements,
  statementAccounts,
  str,
  type ChangeVerdict,
} from './support.js';
import { defineRule, SEVERITY_ORDER, type RuleContext, type RuleMeta, type Severity } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'kms-key-policy-lockout',
  title: 'KMS key policy locks the owner out or hands key administration to an outside account',
  severity: 'high',
  element: 'data-store-changes',
  techniques: ['T1486', 'T1562'],
  rationale:
    "A KMS key policy decides who may use and manage the key; IAM policies of the account only count where the policy lets the account's root do so. A policy (PutKeyPolicy, or CreateKey with a policy) that no principal of the key's account may change again (no Allow of kms:PutKeyPolicy to the account root, the account or one of its principals, or a Deny of it to everyone) leaves the key unmanageable by its owner: whoever wrote it holds every object, volume and log the key encrypts, as in a ransom. KMS refuses such a policy unless BypassPolicyLockoutSafetyCheck is true, so a bypassed check is itself reported. Key administration (kms:PutKeyPolicy, kms:* or *) given to an account outside the Organization lets that account lock the owner out at any time. Critical when the owner is locked out; high for an outside administrator or a bypassed check on a policy CloudTrail did not record; medium for a bypassed check on a policy that keeps the owner. A denied attempt is one step lower.",
  messages: { change: '{what}{target} by {actor}{attempt}' },
  params: {},
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate the credential that set the policy; while the account can still manage the key, put back the approved key policy (PutKeyPolicy naming the account root as key administrator)',
    ],
    recovery: [
      'If no principal of the account can change the key policy any more, contact AWS Support to regain access; until then list what the key encrypts and treat it as unavailable',
    ],
  },
};

const MANAGE = 'kms:PutKeyPolicy';

/** Whether an Action / NotAction entry of a statement covers `action` (IAM wildcards * and ?, case-insensitive). */
function covers(statement: Record<string, unknown>, action: string): boolean {
  const list = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
  const match = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      'i',
    ).test(action);
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some(match);
  return list(statement.Action).some(match);
}

/** The account a key belongs to: the account in its ARN, else the account the call was made in. */
const keyAccountOf = (e: TimelineEvent, key: string): string | null => /^arn:aws[a-z-]*:kms:[^:]*:(\d{12}):/.exec(key)?.[1] ?? e.account;

export interface KeyPolicyVerdict {
  /** No principal of the key's account may change the policy again. */
  ownerLockedOut: boolean;
  /** Outside accounts (or '*') the policy lets change the key policy. */
  outsideAdmins: string[];
}

/** What a key policy leaves its owner and gives away; null when the document cannot be read. */
export function judgeKeyPolicy(
  doc: unknown,
  owner: string | null,
  e: TimelineEvent,
  ctx: Pick<RuleContext, 'knownAccounts'>,
): KeyPolicyVerdict | null {
  const policy = parsePolicy(doc);
  if (!policy) return null;
  let ownerCanManage = false;
  let deniedToAll = false;
  const admins = new Set<string>();
  for (const s of policyStatements(policy)) {
    if (!covers(s, MANAGE)) continue;
    const accounts = statementAccounts(s);
    if (s.Effect === 'Deny') {
      if (!obj(s.Condition) && (accounts.includes('*') || (owner !== null && accounts.includes(owner)))) deniedToAll = true;
      continue;
    }
    if (s.Effect !== 'Allow') continue;
    for (const a of accounts) {
      admins.add(a);
      if (a === '*' || a === owner) ownerCanManage = true;
    }
  }
  const outside = externalOf(admins, e, ctx).filter((a) => a !== owner && a !== '*');
  return { ownerLockedOut: deniedToAll || !ownerCanManage, outsideAdmins: outside };
}

function judge(ctx: RuleContext<Record<string, never>>): (e: TimelineEvent) => ChangeVerdict | null {
  return (e) => {
    if (e.service !== 'kms.amazonaws.com' || (e.action !== 'PutKeyPolicy' && e.action !== 'CreateKey')) return null;
    const p = requestParameters(e);
    const meta = obj(responseElements(e).keyMetadata);
    const key = str(p.keyId) ?? str(meta?.arn) ?? str(meta?.keyId) ?? e.target ?? 'a new key';
    const bypass = headerIsTrue(p.bypassPolicyLockoutSafetyCheck ?? p.BypassPolicyLockoutSafetyCheck);
    // CreateKey without a policy gets the default key policy, which names the account root.
    if (e.action === 'CreateKey' && p.policy === undefined && !bypass) return null;
    const verdict = p.policy === undefined ? null : judgeKeyPolicy(p.policy, keyAccountOf(e, key), e, ctx);
    const found: [string, Severity][] = [];
    if (verdict?.ownerLockedOut)
      found.push([`no principal of account ${keyAccountOf(e, key) ?? '?'} can change the key policy again (owner locked out)`, 'critical']);
    if (verdict?.outsideAdmins.length)
      found.push([`key administration (kms:PutKeyPolicy) given to account(s) ${verdict.outsideAdmins.join(', ')} outside the Organization`, 'high']);
    if (bypass)
      found.push(
        verdict
          ? ['lockout safety check bypassed', 'medium']
          : ['lockout safety check bypassed on a policy CloudTrail did not record (check GetKeyPolicy)', 'high'],
      );
    if (!found.length) return null;
    const parts = found.map(([part]) => part);
    const severity = found.map(([, s]) => s).sort((a, b) => SEVERITY_ORDER[a] - SEVERITY_ORDER[b])[0]!;
    return {
      what: `${e.action === 'CreateKey' ? 'KMS key created' : 'Key policy of KMS key'} ${key}${e.action === 'CreateKey' ? ' with a policy' : ' set'}: ${parts.join('; ')}`,
      severity,
      restore: `Put back the approved key policy of KMS key ${key} (the account root as key administrator); if the account can no longer do so, contact AWS Support`,
    };
  };
}

export const kmsKeyPolicyLockout = defineRule({
  meta,
  create: changeRule(meta, 'review', judge),
});
