// Code planted in Lambda functions: function code replaced, layers (extensions run before the handler) attached,
// functions opened through a URL that needs no authentication. Deployment pipelines do these all day, so a role
// session (not a person) is judged against the baseline; a person's change (IAM user, root, federated user, an IAM
// Identity Center session) is reported, lower when that person did the same in the baseline.
import { isSuccess, type TimelineEvent } from '../event.js';
import {
  attempted,
  credentialActions,
  doneOrDenied,
  externalOf,
  finding,
  inWindow,
  isBaseline,
  isExpected,
  isTrail,
  lower,
  obj,
  perEvent,
  requestParameters,
  responseElements,
  say,
  str,
  UsualActors,
  userTypeOf,
} from './support.js';
import { defineRule, listParam, type Finding, type RuleContext, type RuleMeta, type Severity } from './types.js';

interface Params {
  trustedLayerAccounts: readonly string[];
}

const meta: RuleMeta<Params> = {
  id: 'lambda-backdoor',
  title: 'Lambda function code, layers or public URL changed outside the usual deployment',
  severity: 'high',
  element: 'infrastructure-changes',
  techniques: ['T1525', 'T1546', 'T1190'],
  rationale:
    'A Lambda function runs with its execution role on every invocation: replacing its code (UpdateFunctionCode), attaching a layer (a Lambda extension in a layer runs before the handler and sees every event and the role’s credentials) or adding a function URL with AuthType NONE (anyone on the internet can invoke it) turns it into a persistent backdoor. Pipelines deploy with role sessions every day, so a role session is reported only when it did not change functions in the baseline; a person (IAM user, root, federated user, IAM Identity Center session) changing a function by hand is reported, one step lower when they did so in the baseline. A layer published by an account outside the Organization, and a public function URL, are high whoever did it. A denied attempt is one step lower.',
  messages: { change: '{what} by {actor}{usual}{attempt}' },
  params: {
    trustedLayerAccounts: listParam(
      [],
      'Accounts outside the Organization whose layers are expected (vendors of monitoring extensions, e.g. Datadog or AWS-managed layer accounts).',
    ),
  },
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate the credential that made the change; publish the last known-good version of the function (or point its alias back) and remove added layers',
      'Delete a function URL with AuthType NONE, or set it to AWS_IAM',
    ],
    recovery: [
      'Review the function’s invocations and its execution role’s activity since the change; compare the deployed code hash with the pipeline’s',
    ],
  },
};

/** CloudTrail names Lambda calls with their API version: UpdateFunctionCode20150331v2, CreateFunctionUrlConfig20211031. */
const KIND = /^(UpdateFunctionCode|UpdateFunctionConfiguration|CreateFunctionUrlConfig|UpdateFunctionUrlConfig)(?:\d{8}(?:v\d+)?)?$/;

/** A person rather than a workload: long-term users, root, federation tokens and IAM Identity Center sessions. */
function isPerson(e: TimelineEvent): boolean {
  const type = userTypeOf(e);
  if (type === 'IAMUser' || type === 'Root' || type === 'FederatedUser') return true;
  return type === 'AssumedRole' && /:assumed-role\/AWSReservedSSO_/.test(e.principal ?? '');
}

const LAYER_ACCOUNT = /^arn:aws[a-z-]*:lambda:[^:]*:(\d{12}):layer:/;

/** Layer ARNs the call attached (request list of ARNs, or response objects with `arn`), bounded. */
function layersOf(e: TimelineEvent): string[] {
  const raw = [requestParameters(e).layers, responseElements(e).layers].find(Array.isArray) as unknown[] | undefined;
  return (raw ?? [])
    .slice(0, 20)
    .map((l) => str(l) ?? str(obj(l)?.arn))
    .filter((l): l is string => !!l);
}

interface Verdict {
  what: string;
  severity: Severity;
  /** Judged against the baseline (code and same-Organization layers); public URLs and outside layers are not. */
  usualMatters: boolean;
}

function judge(e: TimelineEvent, kind: string, ctx: RuleContext<Params>): Verdict | null {
  const p = requestParameters(e);
  const fn = str(p.functionName) ?? e.target ?? '?';
  if (kind === 'UpdateFunctionCode') return { what: `Code of Lambda function ${fn} replaced`, severity: 'medium', usualMatters: true };
  if (kind === 'UpdateFunctionConfiguration') {
    const layers = layersOf(e);
    if (!layers.length) return null;
    const accounts = layers.map((l) => LAYER_ACCOUNT.exec(l)?.[1]).filter((a): a is string => !!a);
    const outside = externalOf(accounts, e, ctx, ctx.params.trustedLayerAccounts);
    const names = layers.slice(0, 3).join(', ');
    return outside.length
      ? {
          what: `Layer of account ${outside.join(', ')} (outside the Organization) attached to Lambda function ${fn}: ${names}`,
          severity: 'high',
          usualMatters: false,
        }
      : { what: `Layers attached to Lambda function ${fn}: ${names}`, severity: 'medium', usualMatters: true };
  }
  const auth = str(p.authType) ?? str(responseElements(e).authType);
  return auth === 'NONE' ? { what: `Public function URL (AuthType NONE) on Lambda function ${fn}`, severity: 'high', usualMatters: false } : null;
}

export const lambdaBackdoor = defineRule<Params>({
  meta,
  create(ctx) {
    const usual = new UsualActors();
    return perEvent<Params>((e): Finding | null => {
      const kind = isTrail(e) && e.service === 'lambda.amazonaws.com' ? KIND.exec(e.action)?.[1] : undefined;
      if (!kind || !doneOrDenied(e) || userTypeOf(e) === 'AWSService' || isExpected(e, ctx)) return null;
      const v = judge(e, kind, ctx);
      if (!v) return null;
      if (isBaseline(e, ctx)) {
        if (isSuccess(e)) usual.learn('lambda-change', e);
        return null;
      }
      if (!inWindow(e, ctx)) return null;
      let severity = v.severity;
      let note = '';
      if (v.usualMatters) {
        const u = usual.isUsual('lambda-change', e, ctx.baseline !== null);
        const person = isPerson(e);
        // A workload's change is a deployment unless the baseline says this workload does not deploy.
        if (!person && u !== false) return null;
        if (u) {
          severity = lower(severity);
          note = ' (a person who changed functions in the baseline too)';
        } else if (u === false) {
          severity = 'high';
          note = person ? ', by hand, not seen changing functions in the baseline' : ', a role session not seen changing functions in the baseline';
        } else note = ', by hand (no baseline to tell whether this is usual)';
      }
      return finding(meta, [e], say(meta.messages.change, { what: v.what, actor: e.actor, usual: note, attempt: attempted(e) }), {
        severity: isSuccess(e) ? severity : lower(severity),
        actions: [
          ...credentialActions(e),
          ...(isSuccess(e)
            ? [{ kind: 'review' as const, target: e.target ?? v.what, text: 'Restore the function’s known-good code, layers and URL auth type' }]
            : []),
        ],
      });
    })(ctx);
  },
});
