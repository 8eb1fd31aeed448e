// Bedrock guardrails deleted or changed.
import { isSuccess } from '../event.js';
import { finding, obj, perEvent, requestParameters, say, trailCall } from './support.js';
import { defineRule, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'bedrock-guardrail-weakened',
  title: 'Bedrock guardrail deleted or weakened',
  severity: 'high',
  element: 'ai-changes',
  techniques: ['T1562.001'],
  rationale:
    'Guardrails filter harmful content, denied topics and sensitive information in prompts and responses. Removing or loosening one during an incident lets prompt injection or data extraction through; the CIRT methodology lists removal or modification of guardrails as an AI change.',
  messages: {
    deleted: 'Guardrail {id} was deleted by {actor}',
    weaker: 'Guardrail {id} was updated by {actor} and is weaker: {parts}',
    updated: 'Guardrail {id} was updated by {actor}; compare the new version with the previous one (CloudTrail may not record the policy contents)',
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
      for (const k of ['inputStrength', 'outputStrength']) if (f[k] === 'NONE' || f[k] === 'LOW') out.push(`${String(f.type ?? 'filter')} ${k}=${String(f[k])}`);
    }
  }
  return out;
}

export const bedrockGuardrailWeakened = defineRule({
  meta,
  create: perEvent((e) => {
    if (!trailCall(e, 'bedrock.amazonaws.com', ACTIONS) || !isSuccess(e)) return null;
    const values = { id: e.target ?? 'a guardrail', actor: e.actor };
    if (e.action === 'DeleteGuardrail') return finding(meta, [e], say(meta.messages.deleted, values));
    const weak = weakenedParts(requestParameters(e));
    return weak.length ? finding(meta, [e], say(meta.messages.weaker, { ...values, parts: weak.join('; ') })) : finding(meta, [e], say(meta.messages.updated, values), { severity: 'medium' });
  }),
});
