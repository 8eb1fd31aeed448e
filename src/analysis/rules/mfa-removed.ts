// MFA taken off an identity: DeactivateMFADevice and DeleteVirtualMFADevice, worst for root or another user.
// The delete that usually follows a deactivation of the same device is folded into the deactivation's finding.
import { isSuccess, type TimelineEvent } from '../event.js';
import {
  attempted,
  credentialActions,
  doneOrDenied,
  EventSample,
  finding,
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

/** One removal: its events (a deactivation and the delete that follows), rendered at the end. */
interface Removal {
  sample: EventSample;
  serial: string;
  deleted: boolean;
}

function render(r: Removal): Finding {
  const e = r.sample.first!;
  const o = owner(e, r.serial);
  const how = e.action === 'DeactivateMFADevice' ? (r.deleted ? 'deactivated and deleted' : 'deactivated') : 'deleted';
  return finding(meta, r.sample, say(meta.messages.removed, { actor: e.actor, how, serial: r.serial, whom: o.whom, attempt: attempted(e) }), {
    severity: isSuccess(e) ? o.severity : lower(o.severity),
    target: r.serial,
    actions: [
      ...credentialActions(e),
      ...(isSuccess(e)
        ? [{ kind: 'review' as const, target: r.serial, text: `Have ${o.whom} register a new MFA device; review its sign-ins since` }]
        : []),
    ],
  });
}

export const mfaRemoved = defineRule({
  meta,
  create(ctx) {
    const removals: Removal[] = [];
    /** Deactivated devices, by actor and serial: the delete that follows joins that removal. */
    const deactivated = new Map<string, Removal>();
    return {
      event(e) {
        if (!trailCall(e, 'iam.amazonaws.com', ACTIONS) || !doneOrDenied(e) || !inWindow(e, ctx)) return;
        const serial = str(requestParameters(e).serialNumber) ?? '(serial not recorded)';
        const key = `${e.accessKeyId ?? e.principal ?? '?'}|${serial}`;
        const earlier = deactivated.get(key);
        if (e.action === 'DeleteVirtualMFADevice' && earlier && isSuccess(e)) {
          earlier.sample.add(e);
          earlier.deleted = true;
          return;
        }
        const r: Removal = { sample: EventSample.of(e), serial, deleted: false };
        removals.push(r);
        if (e.action === 'DeactivateMFADevice' && isSuccess(e) && deactivated.size < MAX_TRACKED) deactivated.set(key, r);
      },
      finish: () => ({ findings: removals.map(render), notAssessed: null }),
    };
  },
});
