// Bedrock guardrails deleted or changed.
import { isSuccess } from '../event.js';
import { finding, obj, requestParameters, trailCall, type Finding, type Rule, type RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'bedrock-guardrail-weakened',
  title: 'Bedrock guardrail deleted or weakened',
  severity: 'high',
  element: 'ai-changes',
  rationale:
    'Guardrails filter harmful content, denied topics and sensitive information in prompts and responses. Removing or loosening one during an incident lets prompt injection or data extraction through; the CIRT methodology lists removal or modification of guardrails as an AI change.',
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

export const bedrockGuardrailWeakened: Rule = {
  meta,
  wants: (e) => trailCall(e, 'bedrock.amazonaws.com', ACTIONS),
  match(events) {
    const out: Finding[] = [];
    for (const e of events) {
      if (!trailCall(e, 'bedrock.amazonaws.com', ACTIONS) || !isSuccess(e)) continue;
      const id = e.target ?? 'a guardrail';
      if (e.action === 'DeleteGuardrail') {
        out.push(finding(meta, [e], `Guardrail ${id} was deleted`));
        continue;
      }
      const weak = weakenedParts(requestParameters(e));
      out.push(
        weak.length
          ? finding(meta, [e], `Guardrail ${id} was updated and is weaker: ${weak.join('; ')}`)
          : finding(meta, [e], `Guardrail ${id} was updated; compare the new version with the previous one (CloudTrail may not record the policy contents)`, { severity: 'medium' }),
      );
    }
    return out;
  },
};
