// Successful console sign-in of an IAM user or root without MFA; from the account's usual address it is less
// alarming than from a new one.
import { isSuccess } from '../event.js';
import { finding, isBaseline, isExpected, isTrail, obj, say, userTypeOf } from './support.js';
import { defineRule, type RuleMeta, type Severity } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'console-login-without-mfa',
  title: 'Console sign-in without MFA',
  severity: 'high',
  element: 'access',
  techniques: ['T1078.004'],
  rationale:
    "A password-only console sign-in is how stolen credentials are typically used. Federated (SAML, assumed-role) sign-ins are left out: their MFA happens at the identity provider and CloudTrail records MFAUsed=No for them. A sign-in from an address the account's users signed in from during the baseline (or an expected address) is one step lower than one from a new address; root is always one step higher than an IAM user.",
  messages: { login: '{who} {principal} signed in to the console without MFA from {ip} ({novelty})' },
  params: {},
  needsBaseline: false,
  response: {
    containment: ['If the sign-in is not the owner: reset the password, delete the login profile or secure root, and end its console sessions'],
    recovery: ['Require MFA for every console user (and for root)'],
  },
};

const MAX_IPS_PER_ACCOUNT = 5_000;

const SEVERITY: Record<'Root' | 'IAMUser', Record<'new' | 'usual' | 'unknown', Severity>> = {
  Root: { new: 'critical', unknown: 'high', usual: 'medium' },
  IAMUser: { new: 'high', unknown: 'medium', usual: 'low' },
};

export const consoleLoginWithoutMfa = defineRule({
  meta,
  create(ctx) {
    const usual = new Map<string, Set<string>>();
    const findings: ReturnType<typeof finding>[] = [];
    return {
      event(e) {
        if (!isTrail(e) || e.action !== 'ConsoleLogin' || !isSuccess(e)) return;
        const type = userTypeOf(e);
        if (type !== 'IAMUser' && type !== 'Root') return;
        if (obj(e.detail?.responseElements)?.ConsoleLogin !== 'Success') return;
        const account = e.account ?? '?';
        if (isBaseline(e, ctx)) {
          const ips = usual.get(account) ?? new Set<string>();
          if (e.sourceIp && ips.size < MAX_IPS_PER_ACCOUNT) ips.add(e.sourceIp);
          usual.set(account, ips);
        }
        if (obj(e.detail?.additionalEventData)?.MFAUsed !== 'No' || isBaseline(e, ctx)) return;
        const novelty = isExpected(e, ctx) || (e.sourceIp && usual.get(account)?.has(e.sourceIp)) ? 'usual' : ctx.baseline ? 'new' : 'unknown';
        const text = {
          usual: 'an address this account signed in from before',
          new: 'an address not seen in the baseline',
          unknown: 'no baseline to tell whether the address is usual',
        }[novelty];
        findings.push(
          finding(
            meta,
            [e],
            say(meta.messages.login, {
              who: type === 'Root' ? 'Root user' : 'IAM user',
              principal: e.principal,
              ip: e.sourceIp ?? 'an unknown address',
              novelty: text,
            }),
            { severity: SEVERITY[type][novelty] },
          ),
        );
      },
      finish: () => ({ findings, notAssessed: null }),
    };
  },
});
