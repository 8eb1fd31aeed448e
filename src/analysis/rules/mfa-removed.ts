// MFA taken off an identity: DeactivateMFADevice and DeleteVirtualMFADevice, worst for root or another user.
// The delete that usually follows a deactivation of the same device is folded into the deactivation's finding.
import { isSuccess, type TimelineEvent } from '../event.js';
import {
  attempted,
  credentialActions,
  doneOrDenied,
  finding,
  findingEvent,
  inWindow,
  lower,
  requestParameters,
  say,
  str,
  trailCall,
  userTypeOf,
} from './support.js';
import { defineRule, type Finding, type RuleMeta, type Severity } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'mfa-removed',
  title: 'MFA device deactivated or deleted',
  severity: 'high',
  element: 'access',
  techniques: ['T1556.006', 'T1098'],
  rationale:
    'Removing MFA lets a stolen or newly set password sign in alone, and clears the way to register the attacker’s own device. The root user’s MFA is critical, another user’s high, a user removing its own medium (it may be replacing a lost device). A delete of a device just deactivated is the same step. A denied attempt is one step lower.',
  messages: { removed: '{actor} {how} the MFA device {serial} of {whom}{attempt}' },
  params: {},
  needsBaseline: false,
  response: {
    containment: ['Have the owner register a new MFA device (root: from the root user’s own sign-in); deactivate the credential that removed it'],
    recovery: ['Review console sign-ins of the identity since its MFA was removed, and any MFA device registered after'],
  },
};

const ACTIONS = new Set(['DeactivateMFADevice', 'DeleteVirtualMFADevice']);
const MAX_TRACKED = 10_000;

const callerUser = (e: TimelineEvent): string | null => e.principal?.match(/:user\/(?:.*\/)?([^/]+)$/)?.[1] ?? null;

/** Whose device: root (the root user's call without a user name, or root's virtual device), another user, itself. */
function owner(e: TimelineEvent, serial: string): { whom: string; severity: Severity } {
  const user = str(requestParameters(e).userName);
  const account = e.account ?? '?';
  if (/:mfa\/root-account-mfa-device$/.test(serial) || (!user && userTypeOf(e) === 'Root'))
    return { whom: `the root user of ${account}`, severity: 'critical' };
  // A virtual device's serial is arn:...:mfa/<path/><name>, named by its user as a rule.
  const named = user ?? serial.match(/:mfa\/(?:.*\/)?([^/]+)$/)?.[1] ?? null;
  const self = callerUser(e);
  if (named && self && named === self) return { whom: `itself (${self})`, severity: 'medium' };
  return named ? { whom: `IAM user ${named}`, severity: 'high' } : { whom: 'an IAM user', severity: 'medium' };
}

export const mfaRemoved = defineRule({
  meta,
  create(ctx) {
    const findings: Finding[] = [];
    /** Deactivated devices, by actor and serial: the delete that follows joins that finding. */
    const deactivated = new Map<string, Finding>();
    return {
      event(e) {
        if (!trailCall(e, 'iam.amazonaws.com', ACTIONS) || !doneOrDenied(e) || !inWindow(e, ctx)) return;
        const serial = str(requestParameters(e).serialNumber) ?? '(serial not recorded)';
        const key = `${e.accessKeyId ?? e.principal ?? '?'}|${serial}`;
        const earlier = deactivated.get(key);
        if (e.action === 'DeleteVirtualMFADevice' && earlier && isSuccess(e)) {
          earlier.events.push(findingEvent(e));
          earlier.eventCount++;
          earlier.summary = earlier.summary.replace(' deactivated ', ' deactivated and deleted ');
          return;
        }
        const o = owner(e, serial);
        const f = finding(
          meta,
          [e],
          say(meta.messages.removed, {
            actor: e.actor,
            how: e.action === 'DeactivateMFADevice' ? 'deactivated' : 'deleted',
            serial,
            whom: o.whom,
            attempt: attempted(e),
          }),
          {
            severity: isSuccess(e) ? o.severity : lower(o.severity),
            target: serial,
            actions: [
              ...credentialActions(e),
              ...(isSuccess(e)
                ? [{ kind: 'review' as const, target: serial, text: `Have ${o.whom} register a new MFA device; review its sign-ins since` }]
                : []),
            ],
          },
        );
        findings.push(f);
        if (e.action === 'DeactivateMFADevice' && isSuccess(e) && deactivated.size < MAX_TRACKED) deactivated.set(key, f);
      },
      finish: () => ({ findings, notAssessed: null }),
    };
  },
});
