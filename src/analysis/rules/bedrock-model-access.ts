// LLMjacking preparation: enumerating which foundation models an account can use, and enabling model access
// (use-case forms, agreements, entitlements), including attempts that were denied.
import { isSuccess, type TimelineEvent } from '../event.js';
import { isInvocation } from './bedrock-new-invoker.js';
import { actorKeyOf, EventSample, finding, isBaseline, isDenied, isExpected, isTrail, listSome, say } from './support.js';
import { countParam, defineRule, type Finding, type RuleMeta } from './types.js';

interface Params {
  enumerationThreshold: number;
}

const meta: RuleMeta<Params> = {
  id: 'bedrock-model-access',
  title: 'Bedrock model access enumerated or enabled',
  severity: 'high',
  element: 'invocation',
  techniques: ['T1580', 'T1496', 'AML.T0034'],
  rationale:
    'LLMjacking campaigns first check which models a stolen key can reach (GetFoundationModelAvailability, ListFoundationModels, the logging configuration, or invocations with deliberately invalid parameters: a ValidationException proves access without paying for a completion, an AccessDenied says there is none) and then request access themselves (PutUseCaseForModelAccess, CreateFoundationModelAgreement, PutFoundationModelEntitlement). Enabling access is rare and deliberate; enumeration counts when an actor that did not do it in the baseline does several such calls.',
  messages: {
    enabled: '{actor} requested model access: {calls}{denied}',
    enumerated: '{actor} enumerated Bedrock model access ({count} calls: {calls}){denied}',
  },
  params: { enumerationThreshold: countParam(3, 'Enumeration calls by one actor (not seen doing them in the baseline) that make a finding.') },
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate the credential unless an administrator enabled the models on purpose',
      'Remove model access that was enabled (model access page / entitlements)',
    ],
    recovery: [
      'Deny bedrock:PutFoundationModelEntitlement, CreateFoundationModelAgreement and PutUseCaseForModelAccess to all but administrators (SCP)',
    ],
  },
};

const ENABLE = new Set([
  'PutUseCaseForModelAccess',
  'CreateFoundationModelAgreement',
  'PutFoundationModelEntitlement',
  'DeleteFoundationModelAgreement',
]);
const ENUMERATE = new Set([
  'GetFoundationModelAvailability',
  'ListFoundationModels',
  'GetFoundationModel',
  'GetUseCaseForModelAccess',
  'ListFoundationModelAgreementOffers',
  'GetModelInvocationLoggingConfiguration',
  'ListProvisionedModelThroughputs',
  'ListInferenceProfiles',
]);

const isBedrock = (e: TimelineEvent): boolean => isTrail(e) && (e.service ?? '').startsWith('bedrock');
/** Invocation errors that answer "may this key use that model?" without a completion. */
const PROBE_ERROR = /^(?:ValidationException|AccessDeniedException|AccessDenied|ResourceNotFoundException)$/;
/** An invocation that failed in a way that probes model access (the call names the error, e.g. InvokeModel (ValidationException)). */
const probeCall = (e: TimelineEvent): string | null =>
  isTrail(e) && isInvocation(e) && PROBE_ERROR.test(e.outcome) ? `${e.action} (${e.outcome})` : null;

export const bedrockModelAccess = defineRule<Params>({
  meta,
  create(ctx) {
    const usualEnumerators = new Set<string>();
    const enabled = new Map<string, { sample: EventSample; calls: Set<string>; denied: number }>();
    const enumerated = new Map<string, { sample: EventSample; calls: Set<string>; denied: number }>();
    const add = (m: typeof enabled, key: string, e: TimelineEvent, call: string | null = null) => {
      const g = m.get(key) ?? { sample: new EventSample(), calls: new Set<string>(), denied: 0 };
      g.sample.add(e);
      if (g.calls.size < 50) g.calls.add(call ?? e.action);
      if (isDenied(e)) g.denied++;
      if (m.size < 100_000 || m.has(key)) m.set(key, g);
    };
    return {
      event(e) {
        const probe = probeCall(e);
        if (!probe && (!isBedrock(e) || !(ENABLE.has(e.action) || ENUMERATE.has(e.action)) || !(isSuccess(e) || isDenied(e)))) return;
        const key = actorKeyOf(e) ?? '(unknown actor)';
        if (isBaseline(e, ctx)) {
          if (!ENABLE.has(e.action) && usualEnumerators.size < 100_000) usualEnumerators.add(key);
          return;
        }
        if (e.time > ctx.window.end || isExpected(e, ctx)) return;
        if (ENABLE.has(e.action)) add(enabled, key, e);
        else if (!usualEnumerators.has(key)) add(enumerated, key, e, probe);
      },
      finish() {
        const findings: Finding[] = [];
        const deniedNote = (n: number) => (n ? ` (${n} denied)` : '');
        for (const [key, g] of enabled)
          findings.push(
            finding(
              meta,
              g.sample,
              say(meta.messages.enabled, { actor: g.sample.first?.actor ?? key, calls: listSome(g.calls), denied: deniedNote(g.denied) }),
              { actorKey: key, severity: g.denied === g.sample.count ? 'medium' : 'high' },
            ),
          );
        for (const [key, g] of enumerated) {
          if (g.sample.count < ctx.params.enumerationThreshold) continue;
          const alsoEnabled = enabled.has(key);
          findings.push(
            finding(
              meta,
              g.sample,
              say(meta.messages.enumerated, {
                actor: g.sample.first?.actor ?? key,
                count: g.sample.count,
                calls: listSome(g.calls),
                denied: deniedNote(g.denied),
              }),
              { actorKey: key, severity: alsoEnabled ? 'high' : 'medium' },
            ),
          );
        }
        return { findings, notAssessed: null };
      },
    };
  },
});
