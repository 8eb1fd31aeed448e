// What the incident report says, built once for the HTML and the PDF: the response actions aggregated from the
// findings, the narrative of each actor with its evidence, and what the analysis cannot know and why.
import { refLabel, type EvidenceRef } from '../../src/analysis/event.js';
import type { ActorSummary } from '../../src/analysis/actors.js';
import type { Analysis } from '../../src/analysis/model.js';
import { RESPONSE_ACTION_KINDS, SEVERITY_ORDER, type ResponseActionKind, type Severity } from '../../src/analysis/rules/types.js';

export const ACTION_HEADING: Record<ResponseActionKind, string> = {
  'deactivate-access-key': 'Deactivate access keys',
  'revoke-role-sessions': 'Revoke role sessions',
  'delete-login-profile': 'Remove console passwords',
  'delete-service-credential': 'Delete service-specific credentials (Bedrock API keys)',
  'detach-policy': 'Detach policies',
  'restore-trust-policy': 'Restore role trust policies',
  'restore-logging': 'Restore logging',
  'rollback-artifact-version': 'Roll back model artifacts',
  review: 'Review',
};

/** A count that may have passed the 100,000 tracking limit: "at least N" when it did. */
export const count = (n: number, atLeast: boolean): string => `${atLeast ? 'at least ' : ''}${n}`;

/** Distinct objects an actor read or wrote ("at least N" past the tracking limit). */
export const objectCount = (side: ActorSummary['read']): string => count(side.objects, side.objectsCapped);

type ReportFinding = Analysis['findings'][number];
/** "N more events …" / "N more evidence records …" of a finding, "at least" where its count is a lower bound; null when none is left out. */
export function findingLeftOut(f: ReportFinding, list: 'events' | 'evidence'): string | null {
  const n = list === 'events' ? f.eventCount - f.events.length : (f.evidenceOmitted ?? 0);
  if (n <= 0) return null;
  const atLeast = !!f.lowerBounds?.includes(list === 'events' ? 'eventCount' : 'evidenceOmitted');
  return `${count(n, atLeast)} more ${list === 'events' ? 'events' : 'evidence records'} of this finding are in findings.json${list === 'events' ? ' / timeline.jsonl' : ''}`;
}

export interface AggregatedAction {
  kind: ResponseActionKind;
  target: string;
  text: string;
  /** Findings that ask for it, most severe first. */
  findings: string[];
  severity: Severity;
}

/** Every finding's concrete actions, one per (kind, target), grouped in the order a responder does them. */
export function responseActions(a: Pick<Analysis, 'findings'>): AggregatedAction[] {
  const byKey = new Map<string, AggregatedAction>();
  for (const f of a.findings) {
    for (const act of f.actions ?? []) {
      const key = `${act.kind}|${act.target}`;
      const cur = byKey.get(key);
      if (!cur) byKey.set(key, { kind: act.kind, target: act.target, text: act.text, findings: [f.id], severity: f.severity });
      else {
        if (!cur.findings.includes(f.id)) cur.findings.push(f.id);
        if (SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[cur.severity]) cur.severity = f.severity;
      }
    }
  }
  const order = (k: ResponseActionKind): number => RESPONSE_ACTION_KINDS.indexOf(k);
  return [...byKey.values()].sort(
    (x, y) => order(x.kind) - order(y.kind) || SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || (x.target < y.target ? -1 : 1),
  );
}

export interface Claim {
  text: string;
  refs: EvidenceRef[];
}

const bytes = (n: number): string =>
  n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} bytes`;
export { bytes as formatBytes };

/** How many entries of a bounded list the report leaves out: those past `shown` plus those findings.json already left out. */
export const leftOut = (list: readonly unknown[], shown: number, omitted = 0): number => Math.max(0, list.length - shown) + omitted;
const andMore = (n: number): string => (n > 0 ? ` and ${n} more` : '');

/** The attack narrative of one actor: what it is, when and from where it acted, what it touched, which findings. */
export function actorNarrative(actor: ActorSummary, a: Pick<Analysis, 'findings'>): Claim[] {
  const claims: Claim[] = [{ text: actor.note, refs: [actor.firstRef] }];
  const ips = actor.sourceIps.slice(0, 5).map((s) => `${s.ip}${s.new ? ' (new)' : ''}`);
  claims.push({
    text: `Acted from ${actor.firstSeen} to ${actor.lastSeen} in ${actor.accounts.join(', ') || 'an unknown account'}${actor.regions.length ? ` (${actor.regions.join(', ')})` : ''}${ips.length ? ` from ${ips.join(', ')}${andMore(leftOut(actor.sourceIps, 5, actor.sourceIpsOmitted))}` : ''}: ${actor.events} request(s), ${actor.errors} failed.`,
    refs: [actor.firstRef],
  });
  const top = actor.actions.slice(0, 6).map((x) => `${x.action} ×${x.count}${x.errors ? ` (${x.errors} failed)` : ''}`);
  if (top.length)
    claims.push({
      text: `Most frequent actions: ${top.join(', ')}${leftOut(actor.actions, 6, actor.actionsOmitted) ? `, and ${leftOut(actor.actions, 6, actor.actionsOmitted)} other action(s)` : ''}.`,
      refs: [],
    });
  if (actor.read.objects)
    claims.push({
      text: `Read ${objectCount(actor.read)} distinct object(s), ${bytes(actor.read.bytes)}, from ${actor.read.buckets.join(', ') || 'S3'}${andMore(actor.read.bucketsOmitted ?? 0)}.`,
      refs: [],
    });
  if (actor.written.objects)
    claims.push({
      text: `Wrote ${objectCount(actor.written)} distinct object(s), ${bytes(actor.written.bytes)}, to ${actor.written.buckets.join(', ') || 'S3'}${andMore(actor.written.bucketsOmitted ?? 0)}.`,
      refs: [],
    });
  for (const c of actor.changed.slice(0, 10)) claims.push({ text: `${c.time}: ${c.action}${c.target ? ` on ${c.target}` : ''}.`, refs: [c.ref] });
  if (actor.changedCount > 10) claims.push({ text: `${actor.changedCount - 10} more creations or changes (timeline.jsonl).`, refs: [] });
  if (actor.network)
    claims.push({
      text: `Network: ${actor.network.flows} flow(s) with its IPs, ${bytes(actor.network.bytesOut)} out of the VPC${actor.network.workloads.length ? `, through AI workloads ${actor.network.workloads.join(', ')}` : ''}.`,
      refs: [],
    });
  const byId = new Map(a.findings.map((f) => [f.id, f]));
  for (const id of actor.findings) {
    const f = byId.get(id);
    if (f)
      claims.push({
        text: `${f.id} (${f.severity}) ${f.title}: ${f.summary}`,
        refs: [...f.events.slice(0, 3).map((e) => e.ref), ...f.evidence.slice(0, 2)],
      });
  }
  return claims;
}

export interface Unknown {
  what: string;
  why: string;
}

/** What the analysis cannot know from this bundle, and why: missing baseline, rules not assessed, gaps, unreadable records. */
export function unknowns(a: Analysis): Unknown[] {
  const out: Unknown[] = [];
  if (!a.baselineWindow)
    out.push({
      what: 'What is usual (new invokers, models, IPs, regions, rates)',
      why: 'No baseline lookback was collected (collect --baseline-days): rules that compare with normal are not assessed.',
    });
  for (const r of a.rules) if (r.notAssessed) out.push({ what: `Rule ${r.id} (${r.title})`, why: r.notAssessed });
  for (const g of a.collectionGaps) out.push({ what: `${g.source} in ${g.accountId}/${g.region}${g.target ? `: ${g.target}` : ''}`, why: g.reason });
  if (a.stats.problems)
    out.push({
      what: `${a.stats.problems} record(s) that could not be read`,
      why: `Unreadable or over the size limits; e.g. ${a.problems
        .slice(0, 3)
        .map((p) => `${refLabel(p)}: ${p.message}`)
        .join('; ')}`,
    });
  if (a.stats.actors > a.actors.length)
    out.push({
      what: `${a.stats.actors - a.actors.length} more actor(s)`,
      why: 'Only the most suspicious actors are listed; findings.json stats and timeline.jsonl have the rest.',
    });
  return out;
}
