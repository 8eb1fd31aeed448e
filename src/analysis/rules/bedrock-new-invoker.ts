// Bedrock invocations in the window by a principal or from an IP with no invocation before the window.
import type { TimelineEvent } from '../event.js';
import { finding, isTrail, type Finding, type Rule, type RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'bedrock-new-invoker',
  title: 'Bedrock invoked by a principal or from an IP not seen before the window',
  severity: 'medium',
  element: 'invocation',
  rationale:
    'Stolen keys used for LLMjacking or data extraction show up as model invocations from identities or addresses with no earlier history. Needs invocation records from before the window start (invocation logs or CloudTrail data events) to tell new from usual.',
};

const INVOKE = /^(?:InvokeModel|InvokeModelWithResponseStream|Converse|ConverseStream|InvokeAgent|InvokeInlineAgent|RetrieveAndGenerate|Retrieve|ApplyGuardrail)$/;

export const isInvocation = (e: TimelineEvent): boolean => e.source === 'bedrock-invocation' || (isTrail(e) && e.service === 'bedrock.amazonaws.com' && INVOKE.test(e.action));

export const bedrockNewInvoker: Rule = {
  meta,
  wants: isInvocation,
  match(events, ctx) {
    const before = events.filter((e) => isInvocation(e) && e.time < ctx.window.start);
    if (before.length === 0) return [];
    const knownPrincipals = new Set(before.map((e) => e.principal).filter((p): p is string => Boolean(p)));
    const knownIps = new Set(before.map((e) => e.sourceIp).filter((p): p is string => Boolean(p)));
    const groups = new Map<string, { kind: 'principal' | 'IP'; value: string; events: TimelineEvent[] }>();
    for (const e of events) {
      if (!isInvocation(e) || e.time < ctx.window.start || e.time > ctx.window.end) continue;
      const add = (kind: 'principal' | 'IP', value: string) => {
        const key = `${kind}|${value}`;
        const g = groups.get(key) ?? { kind, value, events: [] };
        g.events.push(e);
        groups.set(key, g);
      };
      if (e.principal && !knownPrincipals.has(e.principal)) add('principal', e.principal);
      if (e.sourceIp && knownIps.size > 0 && !knownIps.has(e.sourceIp)) add('IP', e.sourceIp);
    }
    const out: Finding[] = [];
    for (const g of groups.values()) {
      const models = [...new Set(g.events.map((e) => e.target).filter(Boolean))];
      out.push(finding(meta, g.events, `${g.events.length} invocation(s) by ${g.kind} ${g.value}, which made none before ${ctx.window.start}${models.length ? ` (models: ${models.slice(0, 5).join(', ')})` : ''}`, g.kind === 'principal' ? { actor: g.value } : {}));
    }
    return out;
  },
  coverage: (events, ctx) =>
    events.some((e) => isInvocation(e) && e.time < ctx.window.start) ? null : 'no Bedrock invocation records from before the window start: new invokers cannot be told from usual ones',
};
