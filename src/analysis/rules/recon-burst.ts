// Reconnaissance: a burst of List/Describe/Get calls across AI services by an actor, or from an address, not seen
// in the baseline; GetCallerIdentity shortly before is the classic first step with a stolen key.
import type { TimelineEvent } from '../event.js';
import { actorKeyOf, EventSample, finding, inWindow, isBaseline, isExpected, isTrail, listSome, say } from './support.js';
import { countParam, defineRule, type Finding, type RuleMeta } from './types.js';

interface Params {
  distinctActions: number;
  windowMinutes: number;
}

const meta: RuleMeta<Params> = {
  id: 'ai-recon-burst',
  title: 'Burst of discovery calls across AI services by a new actor or address',
  severity: 'medium',
  element: 'access',
  techniques: ['T1526', 'T1580', 'T1087.004'],
  rationale:
    'Someone trying out a stolen key first asks who it is (sts:GetCallerIdentity) and then lists what it can reach: foundation models, custom models, agents, knowledge bases, endpoints, notebooks, buckets. Many distinct read-only AI calls in minutes from an actor or an address the baseline never saw is that pattern. Without a baseline only bursts that start with GetCallerIdentity are reported.',
  messages: { burst: '{actor} made {count} discovery calls ({distinct} distinct: {actions}) between {from} and {to} from {ips}; {why}' },
  params: {
    distinctActions: countParam(8, 'Distinct read-only AI actions by one actor within windowMinutes that make a burst.'),
    windowMinutes: countParam(10, 'Sliding window, minutes.'),
  },
  needsBaseline: true,
  response: {
    containment: ['Deactivate the credential if its owner did not make the calls'],
    recovery: ['Check what the same actor did after the burst (its storyline): invocations, access changes'],
  },
};

const READ = /^(?:List|Describe|Get|Head|Search|BatchGet)/;
const AI_SERVICE =
  /^(?:bedrock[a-z-]*|sagemaker|runtime\.sagemaker|api\.sagemaker|qbusiness|kendra|comprehend|textract|rekognition|aoss)\.amazonaws\.com$/;
const MAX = 100_000;

/** The actor's last calls within the window (at most MAX_RECENT), with a count per action, so each call costs O(1). */
class RecentCalls {
  private items: { t: number; action: string; e: TimelineEvent }[] = [];
  private head = 0;
  readonly counts = new Map<string, number>();

  add(t: number, action: string, e: TimelineEvent, span: number): void {
    while (this.head < this.items.length && (t - this.items[this.head]!.t > span || this.items.length - this.head >= MAX_RECENT + 1))
      this.dropOldest();
    this.items.push({ t, action, e });
    this.counts.set(action, (this.counts.get(action) ?? 0) + 1);
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  firstTime(): number {
    return this.items[this.head]!.t;
  }

  events(): TimelineEvent[] {
    return this.items.slice(this.head).map((r) => r.e);
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.counts.clear();
  }

  private dropOldest(): void {
    const { action } = this.items[this.head++]!;
    const n = this.counts.get(action)! - 1;
    if (n) this.counts.set(action, n);
    else this.counts.delete(action);
  }
}

const MAX_RECENT = 500;

interface State {
  recent: RecentCalls;
  open: { sample: EventSample; actions: Set<string>; whoAmI: boolean } | null;
  lastWhoAmI: number | null;
}

export const reconBurst = defineRule<Params>({
  meta,
  create(ctx) {
    const span = ctx.params.windowMinutes * 60_000;
    const knownActors = new Set<string>();
    const knownPairs = new Set<string>();
    const states = new Map<string, State>();
    let baselineEvents = 0;
    const done: { key: string; s: NonNullable<State['open']> }[] = [];
    return {
      event(e) {
        if (!isTrail(e)) return;
        const key = actorKeyOf(e);
        if (!key) return;
        if (isBaseline(e, ctx)) {
          baselineEvents++;
          if (knownActors.size < MAX) knownActors.add(key);
          if (e.sourceIp && knownPairs.size < MAX) knownPairs.add(`${key}|${e.sourceIp}`);
          return;
        }
        if (!inWindow(e, ctx) || isExpected(e, ctx)) return;
        const t = Date.parse(e.time);
        let s = states.get(key);
        if (!s) {
          if (states.size >= MAX) return;
          s = { recent: new RecentCalls(), open: null, lastWhoAmI: null };
          states.set(key, s);
        }
        if (e.action === 'GetCallerIdentity') s.lastWhoAmI = t;
        if (!READ.test(e.action) || !AI_SERVICE.test(e.service ?? '')) return;
        // The burst grows while the window ending at this call still holds enough distinct actions; else it ends here.
        s.recent.add(t, e.action, e, span);
        const full = s.recent.counts.size >= ctx.params.distinctActions;
        if (s.open && full) {
          s.open.sample.add(e);
          s.open.actions.add(e.action);
          return;
        }
        if (s.open) {
          done.push({ key, s: s.open });
          s.open = null;
          s.recent.clear();
          s.recent.add(t, e.action, e, span);
          return;
        }
        if (full) {
          const whoAmI = s.lastWhoAmI !== null && s.recent.firstTime() - s.lastWhoAmI <= span;
          s.open = { sample: EventSample.of(...s.recent.events()), actions: new Set(s.recent.counts.keys()), whoAmI };
        }
      },
      finish() {
        for (const [key, s] of states) if (s.open) done.push({ key, s: s.open });
        const haveBaseline = baselineEvents > 0 || ctx.baseline !== null;
        const findings: Finding[] = [];
        for (const { key, s } of done) {
          const first = s.sample.first!;
          const newActor = haveBaseline && !knownActors.has(key);
          const newIps = haveBaseline ? [...s.sample.ips].filter((ip) => !knownPairs.has(`${key}|${ip}`)) : [];
          if (haveBaseline ? !newActor && newIps.length === 0 : !s.whoAmI) continue;
          const why = [
            newActor
              ? 'the actor made no call in the baseline'
              : newIps.length
                ? `new address(es) for this actor: ${listSome(newIps, 3)}`
                : 'no baseline to tell whether this is usual',
            ...(s.whoAmI ? ['it started with GetCallerIdentity'] : []),
          ].join('; ');
          const severity = !haveBaseline ? 'low' : newActor && s.whoAmI ? 'high' : meta.severity;
          findings.push(
            finding(
              meta,
              s.sample,
              say(meta.messages.burst, {
                actor: first.actor ?? key,
                count: s.sample.count,
                distinct: s.actions.size,
                actions: listSome(s.actions),
                from: first.time,
                to: s.sample.last?.time,
                ips: listSome(s.sample.ips, 3) || '?',
                why,
              }),
              { actorKey: key, severity, target: null },
            ),
          );
        }
        return haveBaseline
          ? { findings, notAssessed: null }
          : {
              findings,
              notAssessed:
                'no baseline events: only bursts that start with GetCallerIdentity are reported, new actors cannot be told from usual ones',
            };
      },
    };
  },
});
