// Bedrock guardrails deleted or changed.
import { isSuccess } from '../event.js';
import { attempted, doneOrDenied, finding, lower, obj, perEvent, requestParameters, say, str, trailCall } from './support.js';
import { defineRule, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'bedrock-guardrail-weakened',
  title: 'Bedrock guardrail deleted or weakened',
  severity: 'high',
  element: 'ai-changes',
  techniques: ['T1562.001'],
  rationale:
    'Guardrails filter harmful content, denied topics and sensitive information in prompts and responses. Removing or loosening one during an incident lets prompt injection or data extraction through (a denied attempt is reported one step lower); the CIRT methodology lists removal or modification of guardrails as an AI change.',
  messages: {
    deleted: 'Guardrail {id} was deleted by {actor}{attempt}',
    weaker: 'Guardrail {id} was updated by {actor} and is weaker: {parts}{attempt}',
    updated:
      'Guardrail {id} was updated by {actor}{attempt}; compare the new version with the previous one (CloudTrail may not record the policy contents)',
  },
  params: {},
  needsBaseline: false,
  response: {
    containment: ['Restore the guardrail from its last approved version and attach it to the applications again'],
    recovery: ['Review invocation logs since the change for content the guardrail would have blocked'],
  },
};

const ACTIONS = new Set(['DeleteGuardrail', 'UpdateGuardrail']);

/** Filters set to NONE/LOW or policies missing from an update; empty when the parameters show nothing weaker (or were redacted). */
export function weakenedParts(params: Record<string, unknown>): string[] {
  const out: string[] = [];
  const filters = obj(params.contentPolicyConfig)?.filtersConfig;
  if (Array.isArray(filters)) {
    for (const f of filters.map(obj)) {
      if (!f) continue;
      for (const k of ['inputStrength', 'outputStrength'])
        if (f[k] === 'NONE' || f[k] === 'LOW') out.push(`${str(f.type) ?? 'filter'} ${k}=${String(f[k])}`);
    }
  }
  return out;
}

export const bedrockGuardrailWeakened = defineRule({
  meta,
  create: perEvent((e) => {
    if (!trailCall(e, 'bedrock.amazonaws.com', ACTIONS) || !doneOrDenied(e)) return null;
    const values = { id: e.target ?? 'a guardrail', actor: e.actor, attempt: attempted(e) };
    const weak = weakenedParts(requestParameters(e));
    const [message, severity] =
      e.action === 'DeleteGuardrail'
        ? (['deleted', meta.severity] as const)
        : weak.length
          ? (['weaker', meta.severity] as const)
          : (['updated', 'medium'] as const);
    // A denied attempt is still a signal that someone tried to loosen the guardrail, one step lower.
    return finding(meta, [e], say(meta.messages[message], { ...values, parts: weak.join('; ') }), {
      severity: isSuccess(e) ? severity : lower(severity),
    });
  }),
});
