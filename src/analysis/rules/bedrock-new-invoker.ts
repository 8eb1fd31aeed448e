// LLMjacking / unauthorised model use: Bedrock invocations in the window by an actor, key or IP that did not
// invoke in the baseline, on a model or in a region not used in the baseline, or far above the actor's usual rate.
// One request counts once, however many sources recorded it.
import type { TimelineEvent } from '../event.js';
import { hourLabel, HourlyRates } from './hourly-rate.js';
import { actorKeyOf, EventSample, finding, inWindow, isBaseline, isExpected, isTrail, listSome, RecentIds, requestIdOf, say } from './support.js';
import { countParam, defineRule, numberParam, type Finding, type RuleMeta } from './types.js';

interface Params {
  rateFactor: number;
  minInvocationsPerHour: number;
}

const meta: RuleMeta<Params> = {
  id: 'bedrock-new-invoker',
  title: 'Bedrock used by a new invoker, on a new model or region, or far above its usual rate',
  severity: 'medium',
  element: 'invocation',
  techniques: ['T1078.004', 'T1496', 'AML.T0034'],
  rationale:
    'Stolen keys used for LLMjacking show up as model invocations from identities, keys or addresses with no history, on models and in regions the organisation never used, at rates far above normal. Compared with the invocations of the baseline lookback (invocation logs or CloudTrail), one count per request.',
  messages: { unusual: '{count} invocation(s) by {actor}: {reasons}' },
  params: {
    rateFactor: numberParam(10, 'Busiest hour above this multiple of the actor’s baseline hourly average is unusual.', 1),
    minInvocationsPerHour: countParam(100, 'Busiest hours below this many invocations are never unusual by rate alone.'),
  },
  needsBaseline: true,
  response: {
    containment: [
      'Deactivate the credential if the invoker is not a known application',
      'Remove model access the organisation does not use (model access / entitlements)',
    ],
    recovery: ['Review the invocation logs of the invoker for what was asked and answered; check the Bedrock bill'],
  },
};

const INVOKE =
  /^(?:InvokeModel|InvokeModelWithResponseStream|Converse|ConverseStream|StartAsyncInvoke|InvokeAgent|InvokeInlineAgent|RetrieveAndGenerate|RetrieveAndGenerateStream|Retrieve|ApplyGuardrail|InvokeFlow)$/;

export const isInvocation = (e: TimelineEvent): boolean =>
  e.source === 'bedrock-invocation' || (isTrail(e) && (e.service ?? '').startsWith('bedrock') && INVOKE.test(e.action));

const MAX_KNOWN = 100_000;
const cap = (s: Set<string>, v: string | null) => {
  if (v && s.size < MAX_KNOWN) s.add(v);
};

interface Usage {
  sample: EventSample;
  newIps: Set<string>;
  newModels: Set<string>;
  newRegions: Set<string>;
}

export const bedrockNewInvoker = defineRule<Params>({
  meta,
  create(ctx) {
    const known = {
      actors: new Set<string>(),
      principals: new Set<string>(),
      ips: new Set<string>(),
      models: new Set<string>(),
      regions: new Set<string>(),
    };
    let before = 0;
    const seen = new RecentIds();
    const rates = new HourlyRates();
    const usage = new Map<string, Usage>();
    return {
      event(e) {
        if (!isInvocation(e) || !seen.firstSighting(requestIdOf(e))) return;
        const key = actorKeyOf(e) ?? '(unknown actor)';
        if (isBaseline(e, ctx)) {
          before++;
          cap(known.actors, key);
          cap(known.principals, e.principal);
          cap(known.ips, e.sourceIp);
          cap(known.models, e.target);
          cap(known.regions, e.region);
          rates.baseline(key, Date.parse(e.time), 1);
          return;
        }
        if (!inWindow(e, ctx) || isExpected(e, ctx)) return;
        rates.incident(key, Date.parse(e.time), 1);
        let u = usage.get(key);
        if (!u) {
          if (usage.size >= MAX_KNOWN) return;
          u = { sample: new EventSample(), newIps: new Set(), newModels: new Set(), newRegions: new Set() };
          usage.set(key, u);
        }
        u.sample.add(e);
        if (e.sourceIp && known.ips.size && !known.ips.has(e.sourceIp) && u.newIps.size < 20) u.newIps.add(e.sourceIp);
        if (e.target && !known.models.has(e.target) && u.newModels.size < 20) u.newModels.add(e.target);
        if (e.region && !known.regions.has(e.region) && u.newRegions.size < 20) u.newRegions.add(e.region);
      },
      finish() {
        if (before === 0)
          return {
            findings: [],
            notAssessed: 'no Bedrock invocation records from before the window start: new invokers cannot be told from usual ones',
          };
        const hours = rates.baselineHours(ctx);
        const findings: Finding[] = [];
        for (const [key, u] of usage) {
          const reasons: string[] = [];
          const first = u.sample.first!;
          const newActor = !known.actors.has(key) && !(first.principal && known.principals.has(first.principal));
          if (newActor) reasons.push('made no invocation in the baseline');
          if (u.newIps.size) reasons.push(`from new IP(s) ${listSome(u.newIps, 5)}`);
          if (u.newModels.size) reasons.push(`on model(s) not used in the baseline: ${listSome(u.newModels, 5)}`);
          if (u.newRegions.size) reasons.push(`in region(s) not used in the baseline: ${listSome(u.newRegions, 5)}`);
          const r = rates.keys.get(key);
          const avg = r && hours ? r.baselineTotal / hours : 0;
          if (r && !newActor && avg > 0 && r.maxHour >= ctx.params.minInvocationsPerHour && r.maxHour > ctx.params.rateFactor * avg)
            reasons.push(`${r.maxHour} in the hour from ${hourLabel(r.maxHourStart)}, ${Math.round(r.maxHour / avg)}× its baseline hourly average`);
          if (!reasons.length) continue;
          const severity = reasons.length >= 3 ? 'critical' : reasons.length === 2 ? 'high' : meta.severity;
          findings.push(
            finding(meta, u.sample, say(meta.messages.unusual, { count: u.sample.count, actor: first.actor ?? key, reasons: reasons.join('; ') }), {
              actorKey: key,
              severity,
            }),
          );
        }
        return { findings, notAssessed: null };
      },
    };
  },
});
