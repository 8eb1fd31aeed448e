// Token usage far above an actor's baseline, or above an absolute limit per invocation or per hour.
import { HOUR, hourLabel, HourlyRates } from './hourly-rate.js';
import { tokensOf } from './invocation-text.js';
import { actorKeyOf, EventSample, finding, inWindow, isBaseline, RecentIds, requestIdOf, say } from './support.js';
import { countParam, defineRule, numberParam, type Finding, type RuleMeta } from './types.js';

interface Params {
  maxTokensPerInvocation: number;
  maxTokensPerHour: number;
  baselineFactor: number;
  minTokensPerHour: number;
}

const meta: RuleMeta<Params> = {
  id: 'invocation-token-abuse',
  title: 'Model token usage far above normal',
  severity: 'medium',
  element: 'invocation',
  techniques: ['T1496', 'AML.T0034'],
  rationale:
    'LLMjacking resells or burns stolen model access: token volume jumps far above what the credential used before, or above any sane per-call size. Compared per actor (busiest hour in the window against its baseline hourly average) and against absolute limits (parameters).',
  messages: {
    hour: '{actor} used {tokens} tokens in the hour from {hour}{why}',
    single: '{count} invocation(s) by {actor} used more than {limit} tokens each',
  },
  params: {
    maxTokensPerInvocation: countParam(100_000, 'Input + output tokens of one invocation above which it is reported.'),
    maxTokensPerHour: countParam(2_000_000, 'Tokens per actor per hour above which it is reported, whatever the baseline.'),
    baselineFactor: numberParam(10, 'Busiest hour above this multiple of the baseline hourly average is reported.', 1),
    minTokensPerHour: countParam(50_000, 'Busiest hours below this are never reported as far above baseline.'),
  },
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate the credential if the usage is not a known workload',
      'Set Bedrock model access / service quotas to what the applications need',
    ],
    recovery: ['Check the bill for Bedrock usage in the window; review the invocation logs of the actor'],
  },
};

export const invocationTokenAbuse = defineRule<Params>({
  meta,
  create(ctx) {
    const p = ctx.params;
    const seen = new RecentIds();
    const rates = new HourlyRates();
    /** Per actor: the invocations of its current hour, and of its busiest hour (the finding's evidence is that hour's). */
    const current = new Map<string, { hour: number; sample: EventSample }>();
    const samples = new Map<string, EventSample>();
    const oversized = new Map<string, EventSample>();
    return {
      event(e) {
        const tokens = tokensOf(e);
        if (tokens === null || !seen.firstSighting(requestIdOf(e))) return;
        const key = actorKeyOf(e) ?? '(unknown actor)';
        const t = Date.parse(e.time);
        if (isBaseline(e, ctx)) return rates.baseline(key, t, tokens);
        if (!inWindow(e, ctx)) return;
        rates.incident(key, t, tokens);
        const rate = rates.keys.get(key);
        if (rate && samples.size < 100_000) {
          let cur = current.get(key);
          if (cur?.hour !== rate.hour) current.set(key, (cur = { hour: rate.hour, sample: new EventSample() }));
          cur.sample.add(e);
          if (rate.maxHourStart === rate.hour * HOUR) samples.set(key, cur.sample);
        }
        if (tokens > p.maxTokensPerInvocation) oversized.set(key, (oversized.get(key) ?? new EventSample()).add(e));
      },
      finish() {
        const hours = rates.baselineHours(ctx);
        const findings: Finding[] = [];
        for (const [key, sample] of samples) {
          const r = rates.keys.get(key)!;
          const avg = hours ? r.baselineTotal / hours : null;
          const overAbsolute = r.maxHour > p.maxTokensPerHour;
          const overBaseline = avg !== null && r.maxHour >= p.minTokensPerHour && r.maxHour > p.baselineFactor * avg;
          if (!overAbsolute && !overBaseline) continue;
          const why = overBaseline
            ? avg
              ? `, ${Math.round(r.maxHour / avg)}× its baseline average of ${Math.round(avg)} per hour`
              : ', with no usage in the baseline'
            : `, above the limit of ${p.maxTokensPerHour} per hour`;
          findings.push(
            finding(
              meta,
              sample,
              say(meta.messages.hour, { actor: sample.first?.actor ?? key, tokens: r.maxHour, hour: hourLabel(r.maxHourStart), why }),
              { actorKey: key, severity: overAbsolute && overBaseline ? 'high' : meta.severity },
            ),
          );
        }
        for (const [key, sample] of oversized)
          findings.push(
            finding(
              meta,
              sample,
              say(meta.messages.single, { count: sample.count, actor: sample.first?.actor ?? key, limit: p.maxTokensPerInvocation }),
              { actorKey: key },
            ),
          );
        return { findings, notAssessed: null };
      },
    };
  },
});
