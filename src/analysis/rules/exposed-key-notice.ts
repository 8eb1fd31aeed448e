// AWS's own word that a key leaked: when AWS finds an access key in public (a code repository, a paste site) it
// attaches the AWSCompromisedKeyQuarantine policy to the key's user (older notices put the inline policy
// AWSExposedCredentialPolicy_DO_NOT_REMOVE) and opens a support case. Whoever made the call, this is a leaked key.
import { isSuccess, type TimelineEvent } from '../event.js';
import { finding, inWindow, isTrail, perEvent, requestParameters, say, str } from './support.js';
import { defineRule, type Finding, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'exposed-key-notice',
  title: 'AWS quarantined an access key it found exposed in public',
  severity: 'critical',
  element: 'access',
  techniques: ['T1552.001', 'T1078.004'],
  rationale:
    'AWS scans public code and paste sites for access keys; when it finds one it attaches AWSCompromisedKeyQuarantine (V1, V2, V3) to the key’s IAM user, as a managed or an inline policy (older notices: AWSExposedCredentialPolicy_DO_NOT_REMOVE), and opens a support case. The quarantine denies only some actions: the key stays usable for others, and attackers harvesting public repositories try leaked keys within minutes. Every such attachment in the window is reported, and the user is named so its keys can be rotated.',
  messages: { notice: 'AWS attached {policy} to IAM user {user}: an access key of {user} was found exposed in public{attempt}' },
  params: {},
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate and delete every access key of the user named (create a new one only after the leak is removed from where it was published)',
      'Keep the quarantine policy attached until the review is done; review the support case AWS opened',
    ],
    recovery: ['Review everything the user’s keys did since the leak (its actor storyline), starting with IAM changes, instances and Bedrock use'],
  },
};

const QUARANTINE = /(?:^|\/)AWSCompromisedKeyQuarantine(?:V\d+)?$/;
const EXPOSED_INLINE = /^AWSExposedCredentialPolicy/;

function policyOf(e: TimelineEvent): string | null {
  const p = requestParameters(e);
  if (e.action === 'AttachUserPolicy') {
    const arn = str(p.policyArn);
    return arn && QUARANTINE.test(arn) ? arn.split('/').pop()! : null;
  }
  if (e.action === 'PutUserPolicy') {
    const name = str(p.policyName);
    if (name && (EXPOSED_INLINE.test(name) || QUARANTINE.test(name))) return name;
  }
  return null;
}

export const exposedKeyNotice = defineRule({
  meta,
  create: perEvent((e, ctx): Finding | null => {
    if (!isTrail(e) || e.service !== 'iam.amazonaws.com' || !isSuccess(e) || !inWindow(e, ctx)) return null;
    const policy = policyOf(e);
    if (!policy) return null;
    const user = str(requestParameters(e).userName) ?? '?';
    return finding(meta, [e], say(meta.messages.notice, { policy, user, attempt: '' }), {
      target: `user/${user}`,
      // The actor is AWS (or the user itself, as AWS records it); the user is the one to contain.
      actions: [
        {
          kind: 'review',
          target: `user/${user}`,
          text: `Deactivate and rotate every access key of IAM user ${user}`,
        },
      ],
    });
  }),
});
