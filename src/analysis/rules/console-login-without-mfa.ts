// Successful console sign-in of an IAM user or root without MFA.
import { isSuccess } from '../event.js';
import { finding, isTrail, obj, type Finding, type Rule, type RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'console-login-without-mfa',
  title: 'Console sign-in without MFA',
  severity: 'high',
  element: 'access',
  rationale:
    'A password-only console sign-in is how stolen credentials are typically used. Federated (SAML, assumed-role) sign-ins are left out: their MFA happens at the identity provider and CloudTrail records MFAUsed=No for them.',
};

export const consoleLoginWithoutMfa: Rule = {
  meta,
  wants: (e) => isTrail(e) && e.action === 'ConsoleLogin',
  match(events) {
    const out: Finding[] = [];
    for (const e of events) {
      if (!isTrail(e) || e.action !== 'ConsoleLogin' || !isSuccess(e)) continue;
      const type = e.detail?.userIdentityType;
      if (type !== 'IAMUser' && type !== 'Root') continue;
      if (obj(e.detail?.responseElements)?.ConsoleLogin !== 'Success') continue;
      if (obj(e.detail?.additionalEventData)?.MFAUsed !== 'No') continue;
      out.push(finding(meta, [e], `${type === 'Root' ? 'Root user' : 'IAM user'} ${e.principal ?? '?'} signed in to the console without MFA from ${e.sourceIp ?? 'an unknown address'}`, type === 'Root' ? { severity: 'critical' } : {}));
    }
    return out;
  },
};
