// Getting onto instances and running code there: Windows passwords retrieved, user data (start-up code) replaced,
// SSH keys pushed through EC2 Instance Connect or the serial console, SSM commands and sessions. Expected principals
// and AWS services are skipped; SSM commands and sessions also when the actor did the same in the baseline.
import { isSuccess, type TimelineEvent } from '../event.js';
import {
  attempted,
  credentialActions,
  doneOrDenied,
  finding,
  inWindow,
  isBaseline,
  isExpected,
  isTrail,
  listSome,
  lower,
  perEvent,
  requestParameters,
  say,
  str,
  UsualActors,
  userTypeOf,
} from './support.js';
import { defineRule, listParam, type Finding, type RuleMeta, type Severity } from './types.js';

interface Params {
  shellDocuments: readonly string[];
}

const meta: RuleMeta<Params> = {
  id: 'instance-access',
  title: 'Access to instances: Windows passwords, user data, SSH keys pushed, SSM commands and sessions',
  severity: 'high',
  element: 'access',
  techniques: ['T1059.009', 'T1021.004', 'T1021.007', 'T1552.005', 'T1552'],
  rationale:
    'With API access alone an attacker reaches inside instances, and through them the instance role’s credentials and the data the workload sees: GetPasswordData hands out a Windows administrator password, new user data runs as root at the next start, EC2 Instance Connect and the serial console accept an SSH key for 60 seconds, and SSM SendCommand and StartSession run shell commands with no key at all. These are reported unless the actor is an expected principal or an AWS service; SSM commands and sessions, and reads of user data (start-up scripts often carry passwords and keys), also when the actor did the same in the baseline (its usual automation). A denied attempt is one step lower.',
  messages: { access: '{what} by {actor}{usual}{attempt}' },
  params: {
    shellDocuments: listParam(
      ['AWS-RunShellScript', 'AWS-RunPowerShellScript', 'AWS-RunRemoteScript', 'AWS-StartInteractiveCommand', 'AWS-StartSSHSession'],
      'SSM documents that run arbitrary commands: SendCommand of one is high, of another document medium.',
    ),
  },
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate the credential that made the call; revoke the sessions of the instance roles of the instances it reached',
      'Terminate open SSM sessions; restore the user data and rotate the Windows administrator password of the instances named',
    ],
    recovery: ['Treat the instances as compromised: review their process, shell and network activity since the call, or rebuild them'],
  },
};

const ALWAYS = new Set([
  'GetPasswordData',
  'ModifyInstanceAttribute',
  'EnableSerialConsoleAccess',
  'SendSSHPublicKey',
  'SendSerialConsoleSSHPublicKey',
]);
const SSM = new Set(['SendCommand', 'StartSession', 'DescribeInstanceAttribute']);

/** Instance ids a request names (instanceId, instanceIds, SSM targets of InstanceIds), bounded. */
function instancesOf(p: Record<string, unknown>): string[] {
  const out: string[] = [];
  const one = str(p.instanceId) ?? str(p.target);
  if (one) out.push(one);
  if (Array.isArray(p.instanceIds)) out.push(...p.instanceIds.map(str).filter((x): x is string => x !== null));
  if (Array.isArray(p.targets))
    for (const t of p.targets.slice(0, 10)) {
      const o = t && typeof t === 'object' ? (t as Record<string, unknown>) : {};
      const values = Array.isArray(o.values) ? o.values.map(String).slice(0, 20) : [];
      out.push(...(o.key === 'InstanceIds' ? values : values.map((v) => `${String(o.key)}=${v}`)));
    }
  return out.slice(0, 50);
}

const userDataChanged = (p: Record<string, unknown>): boolean => p.userData !== undefined || p.attribute === 'userData';

/** What the call did and how bad it is, or null when it is not an access step. */
function judge(e: TimelineEvent, shell: ReadonlySet<string>): { what: string; severity: Severity; cls: string | null } | null {
  const p = requestParameters(e);
  const on = listSome(instancesOf(p), 5) || (e.target ?? '?');
  switch (`${e.service ?? ''}|${e.action}`) {
    case 'ec2.amazonaws.com|GetPasswordData':
      return { what: `Windows administrator password of ${on} retrieved`, severity: 'high', cls: null };
    case 'ec2.amazonaws.com|ModifyInstanceAttribute':
      return userDataChanged(p) ? { what: `User data (start-up code) of ${on} replaced`, severity: 'high', cls: null } : null;
    case 'ec2.amazonaws.com|EnableSerialConsoleAccess':
      return { what: `EC2 serial console access enabled in ${e.region ?? '?'}`, severity: 'medium', cls: null };
    case 'ec2.amazonaws.com|DescribeInstanceAttribute':
      // User data is where start-up scripts keep the passwords and keys they need; reading it is credential access.
      return p.attribute === 'userData'
        ? { what: `User data (start-up code, often with secrets) of ${on} read`, severity: 'medium', cls: 'user-data' }
        : null;
    case 'ec2-instance-connect.amazonaws.com|SendSSHPublicKey':
      return {
        what: `SSH public key pushed to ${on} for OS user ${str(p.instanceOSUser) ?? '?'} (EC2 Instance Connect)`,
        severity: 'high',
        cls: null,
      };
    case 'ec2-instance-connect.amazonaws.com|SendSerialConsoleSSHPublicKey':
      return { what: `SSH public key pushed to the serial console of ${on}`, severity: 'high', cls: null };
    case 'ssm.amazonaws.com|SendCommand': {
      const doc = str(p.documentName) ?? '?';
      return { what: `SSM command ${doc} sent to ${on}`, severity: shell.has(doc) ? 'high' : 'medium', cls: 'ssm' };
    }
    case 'ssm.amazonaws.com|StartSession': {
      const doc = str(p.documentName);
      return { what: `SSM session started on ${on}${doc ? ` (${doc})` : ''}`, severity: 'high', cls: 'ssm' };
    }
    default:
      return null;
  }
}

export const instanceAccess = defineRule<Params>({
  meta,
  create(ctx) {
    const usual = new UsualActors();
    const shell = new Set(ctx.params.shellDocuments);
    return perEvent<Params>((e): Finding | null => {
      if (!isTrail(e) || !(ALWAYS.has(e.action) || SSM.has(e.action)) || !doneOrDenied(e)) return null;
      if (userTypeOf(e) === 'AWSService' || isExpected(e, ctx)) return null;
      const v = judge(e, shell);
      if (!v) return null;
      if (isBaseline(e, ctx)) {
        if (v.cls && isSuccess(e)) usual.learn(v.cls, e);
        return null;
      }
      if (!inWindow(e, ctx)) return null;
      let note = '';
      let severity = v.severity;
      if (v.cls) {
        const u = usual.isUsual(v.cls, e, ctx.baseline !== null);
        if (u) return null;
        if (u === null) {
          severity = lower(severity);
          note = ' (no baseline to tell whether this actor usually does this)';
        } else note = ', which did not do this in the baseline';
      }
      return finding(meta, [e], say(meta.messages.access, { what: v.what, actor: e.actor, usual: note, attempt: attempted(e) }), {
        severity: isSuccess(e) ? severity : lower(severity),
        actions: credentialActions(e),
      });
    })(ctx);
  },
});
