// Guardrails dropped at invocation time: an actor that called Bedrock with a guardrail in the baseline (or where the
// organisation requires one) calls it without one in the window. A guardrail is applied per request (InvokeModel's
// guardrailIdentifier / X-Amzn-Bedrock-GuardrailIdentifier, Converse's guardrailConfig: "If you don't provide a
// value, no guardrail is applied", Bedrock API reference), so leaving it out is all it takes to bypass it.
import type { TimelineEvent } from '../event.js';
import { isInvocation } from './bedrock-new-invoker.js';
import { actorKeyOf, EventSample, finding, inWindow, isExpected, obj, RecentIds, requestIdOf, requestParameters, say, str } from './support.js';
import { defineRule, notAssessed, type Finding, type ParamSpec, type RuleMeta } from './types.js';

interface Params {
  guardrailRequired: boolean;
}

const meta: RuleMeta<Params> = {
  id: 'invocation-guardrail-dropped',
  title: 'Bedrock invoked without the guardrail the actor used before (or the organisation requires)',
  severity: 'high',
  element: 'invocation',
  techniques: ['AML.T0054', 'T1562.001'],
  rationale:
    'Bedrock applies a guardrail only to a request that names it: InvokeModel takes guardrailIdentifier and guardrailVersion (the X-Amzn-Bedrock-GuardrailIdentifier header), Converse and ConverseStream a guardrailConfig, and without them no guardrail is applied. An actor whose invocations carried a guardrail in the baseline and carry none in the window has stepped around it (a stolen application credential used directly, or a changed client). What the records carry: CloudTrail requestParameters.guardrailIdentifier or guardrailConfig where it recorded them; in the invocation log, the Converse request body (inputBodyJson.guardrailConfig), any guardrail field of the record, and the InvokeModel response field amazon-bedrock-guardrailAction. Which of these CloudTrail and the invocation log record for each operation is not stated in the Bedrock documentation, so invocations are only compared with those of the same source and operation: absence counts only where that kind of record showed a guardrail before. With guardrailRequired, any invocation without one is reported where records of its kind showed guardrails elsewhere in the bundle. NOT_ASSESSED without a baseline unless guardrailRequired is set.',
  messages: {
    dropped: '{actor} invoked Bedrock {count} time(s) without a guardrail ({kind}, models: {models}) between {from} and {to}; {why}',
  },
  params: {
    guardrailRequired: {
      default: false,
      description: 'The organisation requires a guardrail on every Bedrock invocation: report any invocation without one.',
      schema: { type: 'boolean' },
    } satisfies ParamSpec<boolean>,
  },
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate the credential if the actor is not the application; enforce the guardrail with an IAM condition (bedrock:GuardrailIdentifier) on bedrock:InvokeModel* and bedrock:Converse*',
    ],
    recovery: ['Read the unguarded prompts and responses in the invocation logs for what the guardrail would have stopped'],
  },
};

const MAX_TRACKED = 100_000;

/** The guardrail a request names or a record shows applied: its identifier, 'applied' when only its action shows, null when none. */
export function guardrailOf(e: TimelineEvent): string | null {
  const p = requestParameters(e);
  const body = obj(obj(e.detail?.input)?.inputBodyJson);
  const config = obj(p.guardrailConfig) ?? obj(body?.guardrailConfig) ?? obj(body?.['amazon-bedrock-guardrailConfig']);
  const id = str(p.guardrailIdentifier) ?? str(config?.guardrailIdentifier);
  if (id) return id;
  const output = obj(obj(e.detail?.output)?.outputBodyJson);
  if (obj(e.detail?.guardrail) || output?.['amazon-bedrock-guardrailAction'] !== undefined || config) return 'applied';
  return str(output?.stopReason) === 'guardrail_intervened' ? 'applied' : null;
}

const kindOf = (e: TimelineEvent): string => `${e.source === 'bedrock-invocation' ? 'invocation log' : 'CloudTrail'} ${e.action}`;

export const invocationGuardrailDropped = defineRule<Params>({
  meta,
  create(ctx) {
    const seen = new RecentIds();
    /** Kinds of record (source and operation) that showed a guardrail anywhere in the bundle. */
    const guardedKinds = new Set<string>();
    /** actor -> kind -> guardrail seen on its baseline invocations. */
    const usual = new Map<string, Map<string, string>>();
    const unguarded = new Map<string, { key: string; kind: string; sample: EventSample; models: Set<string> }>();
    return {
      event(e) {
        if (!isInvocation(e) || !seen.firstSighting(requestIdOf(e)) || isExpected(e, ctx)) return;
        const key = actorKeyOf(e) ?? '(unknown actor)';
        const kind = kindOf(e);
        const guardrail = guardrailOf(e);
        if (guardrail && guardedKinds.size < 1000) guardedKinds.add(kind);
        if (!inWindow(e, ctx)) {
          if (guardrail && e.time < ctx.window.start && (usual.size < MAX_TRACKED || usual.has(key))) {
            const kinds = usual.get(key) ?? new Map<string, string>();
            kinds.set(kind, guardrail);
            usual.set(key, kinds);
          }
          return;
        }
        if (guardrail || e.outcome !== 'success') return;
        const id = `${key}\n${kind}`;
        let u = unguarded.get(id);
        if (!u) {
          if (unguarded.size >= MAX_TRACKED) return;
          u = { key, kind, sample: new EventSample(), models: new Set() };
          unguarded.set(id, u);
        }
        u.sample.add(e);
        if (e.target && u.models.size < 5) u.models.add(e.target);
      },
      finish() {
        const findings: Finding[] = [];
        for (const u of unguarded.values()) {
          const before = usual.get(u.key)?.get(u.kind);
          const required = ctx.params.guardrailRequired && guardedKinds.has(u.kind);
          if (!before && !required) continue;
          const why = before
            ? `in the baseline its invocations of this kind carried guardrail ${before === 'applied' ? '(identifier not recorded)' : before}`
            : 'the organisation requires a guardrail on every invocation (guardrailRequired)';
          findings.push(
            finding(
              meta,
              u.sample,
              say(meta.messages.dropped, {
                actor: u.sample.first?.actor ?? u.key,
                count: u.sample.count,
                kind: u.kind,
                models: [...u.models].join(', ') || '?',
                from: u.sample.first?.time,
                to: u.sample.last?.time,
                why,
              }),
              { actorKey: u.key, severity: before ? 'high' : 'medium' },
            ),
          );
        }
        if (!ctx.baseline && !ctx.params.guardrailRequired)
          return notAssessed(
            'no baseline lookback: invocations with a guardrail before the window cannot be told (set guardrailRequired to report every unguarded one)',
            findings,
          );
        return { findings, notAssessed: null };
      },
    };
  },
});
