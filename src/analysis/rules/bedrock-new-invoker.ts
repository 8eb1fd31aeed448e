// Bedrock invocations in the window by a principal or from an IP with no invocation in the baseline.
import type { TimelineEvent } from '../event.js';
import { EventSample, finding, inWindow, isBaseline, isTrail, listSome, RecentIds, requestIdOf, say } from './support.js';
import { defineRule, type Finding, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'bedrock-new-invoker',
  title: 'Bedrock invoked by a principal or from an IP not seen before the window',
  severity: 'medium',
  element: 'invocation',
  techniques: ['T1078.004', 'T1496'],
  rationale:
    'Stolen keys used for LLMjacking or data extraction show up as model invocations from identities or addresses with no earlier history. Needs invocation records from before the window start (invocation logs or CloudTrail data events) to tell new from usual.',
  messages: { invoker: '{count} invocation(s) by {kind} {value}, which made none before {start}{models}' },
  params: {},
  needsBaseline: true,
  response: {
    containment: ['Deactivate the credential if the invoker is not a known application'],
    recovery: ['Review the invocation logs of the new invoker for what was asked and answered'],
  },
};

const INVOKE = /^(?:InvokeModel|InvokeModelWithResponseStream|Converse|ConverseStream|StartAsyncInvoke|InvokeAgent|InvokeInlineAgent|RetrieveAndGenerate|Retrieve|ApplyGuardrail)$/;

export const isInvocation = (e: TimelineEvent): boolean => e.source === 'bedrock-invocation' || (isTrail(e) && (e.service ?? '').startsWith('bedrock') && INVOKE.test(e.action));

const MAX_KNOWN = 100_000;

export const bedrockNewInvoker = defineRule({
  meta,
  create(ctx) {
    const knownPrincipals = new Set<string>();
    const knownIps = new Set<string>();
    let before = 0;
    const seen = new RecentIds();
    const groups = new Map<string, { kind: 'principal' | 'IP'; value: string; sample: EventSample; models: Set<string> }>();
    const add = (kind: 'principal' | 'IP', value: string, e: TimelineEvent) => {
      const key = `${kind}|${value}`;
      const g = groups.get(key) ?? { kind, value, sample: new EventSample(), models: new Set<string>() };
      g.sample.add(e);
      if (e.target && g.models.size < 20) g.models.add(e.target);
      groups.set(key, g);
    };
    return {
      event(e) {
        if (!isInvocation(e) || !seen.firstSighting(requestIdOf(e))) return;
        if (isBaseline(e, ctx)) {
          before++;
          if (e.principal && knownPrincipals.size < MAX_KNOWN) knownPrincipals.add(e.principal);
          if (e.sourceIp && knownIps.size < MAX_KNOWN) knownIps.add(e.sourceIp);
          return;
        }
        if (!inWindow(e, ctx) || before === 0) return;
        if (e.principal && !knownPrincipals.has(e.principal)) add('principal', e.principal, e);
        if (e.sourceIp && knownIps.size > 0 && !knownIps.has(e.sourceIp)) add('IP', e.sourceIp, e);
      },
      finish() {
        if (before === 0) return { findings: [], notAssessed: 'no Bedrock invocation records from before the window start: new invokers cannot be told from usual ones' };
        const findings: Finding[] = [...groups.values()].map((g) =>
          finding(meta, g.sample, say(meta.messages.invoker, { count: g.sample.count, kind: g.kind, value: g.value, start: ctx.window.start, models: g.models.size ? ` (models: ${listSome(g.models, 5)})` : '' }), g.kind === 'principal' ? { actor: g.value } : {}),
        );
        return { findings, notAssessed: null };
      },
    };
  },
});
