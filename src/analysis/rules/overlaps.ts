// One finding per attacker step. Where two rules can describe the same step (a new user's access key is both
// iam-backdoor's follow-up and iam-persistence's "key for another user"), this table says which finding carries
// the step; the other's evidence, actions, techniques and summary are merged into it. Pure.
import { compareRefs, refLabel, type EvidenceRef } from '../event.js';
import { lowerBoundsOf, mergeEvidence, RefLog } from './support.js';
import {
  MAX_FINDING_EVENTS,
  MAX_FINDING_KEYS,
  MAX_OMITTED_TRACKED,
  SEVERITY_ORDER,
  type Finding,
  type FindingEvent,
  type ResponseAction,
} from './types.js';

/** How two findings are recognised as the same step. */
export type SameStep =
  /** They share an evidence record. */
  | 'shared-event'
  /** Same actor key: both judge that actor's activity of one kind in the window (its model use, its reads). */
  | 'same-actor'
  /** Same actor key and same target. */
  | 'same-actor-and-target'
  /** Same target (the absorbed rule has no events: a comparison made at collection time). */
  | 'same-target';

export interface Overlap {
  primary: string;
  absorbed: string;
  sameStep: SameStep;
  why: string;
}

export const OVERLAPS: readonly Overlap[] = [
  {
    primary: 'iam-backdoor',
    absorbed: 'iam-persistence',
    sameStep: 'shared-event',
    why: 'an access key, login profile or admin policy on a user or role the attacker just created or opened to an outside account is a follow-up of that backdoor',
  },
  {
    primary: 'bedrock-model-access',
    absorbed: 'ai-recon-burst',
    sameStep: 'shared-event',
    why: 'LLMjacking enumeration (ListFoundationModels, GetFoundationModelAvailability...) is also a discovery burst across AI services',
  },
  {
    primary: 'bedrock-new-invoker',
    absorbed: 'invocation-token-abuse',
    sameStep: 'same-actor',
    why: 'the tokens a new or unusual invoker burns are the same unauthorised model use',
  },
  {
    primary: 's3-ai-bulk-read',
    absorbed: 's3-ai-bucket-external-read',
    sameStep: 'same-actor-and-target',
    why: 'a bulk read of a bucket from a new public address is one exfiltration, not two',
  },
  {
    primary: 'kms-key-policy-lockout',
    absorbed: 'resource-shared-external',
    sameStep: 'shared-event',
    why: 'a key policy that gives key administration to an outside account is that share, and the lever to lock the owner out',
  },
  {
    primary: 'model-artifact-new-version',
    absorbed: 'model-artifact-replaced',
    sameStep: 'same-target',
    why: 'the hash mismatch confirms the unusual write of the same artifact',
  },
  {
    primary: 'model-artifact-new-version',
    absorbed: 'sagemaker-model-changed',
    sameStep: 'shared-event',
    why: 'the model or endpoint change that points at the overwritten artifact is how it goes live',
  },
  {
    primary: 'compute-abuse',
    absorbed: 'sagemaker-high-risk',
    sameStep: 'shared-event',
    why: 'a GPU training job or notebook by an unusual actor is one launch',
  },
  {
    primary: 'ai-data-outside-org',
    absorbed: 'compute-abuse',
    sameStep: 'shared-event',
    why: 'a GPU training job that reads data from or writes results to a bucket outside the Organization is one launch',
  },
  {
    primary: 'ai-data-outside-org',
    absorbed: 'sagemaker-high-risk',
    sameStep: 'shared-event',
    why: 'a training or processing job by an unusual actor with data outside the Organization is one job',
  },
  {
    primary: 'ai-data-outside-org',
    absorbed: 'sagemaker-model-changed',
    sameStep: 'shared-event',
    why: 'a model or endpoint configuration whose image, model data or capture destination is outside the Organization is one change',
  },
  {
    primary: 'ai-data-outside-org',
    absorbed: 'bedrock-agent-changed',
    sameStep: 'shared-event',
    why: 'a knowledge-base data source pointed at a bucket outside the Organization is one change',
  },
  {
    primary: 'ai-data-outside-org',
    absorbed: 'bedrock-cost-abuse',
    sameStep: 'shared-event',
    why: 'a fine-tuning or batch job by an unusual actor on data outside the Organization is one job',
  },
  {
    primary: 'ai-data-outside-org',
    absorbed: 'bedrock-logging-disabled',
    sameStep: 'shared-event',
    why: 'invocation logging moved to a bucket outside the Organization and reduced in the same call is one change',
  },
];

const refKey = (e: FindingEvent): string => refLabel(e.ref);

function sameStep(how: SameStep, a: Finding, b: Finding): boolean {
  switch (how) {
    case 'shared-event': {
      const refs = new Set(a.events.map(refKey));
      return b.events.some((e) => refs.has(refKey(e)));
    }
    case 'same-actor':
      return a.actorKey !== null && a.actorKey === b.actorKey;
    case 'same-actor-and-target':
      return a.actorKey !== null && a.actorKey === b.actorKey && a.target === b.target;
    case 'same-target':
      return a.target !== null && a.target === b.target;
  }
}

const unionBy = <T>(key: (x: T) => string, ...lists: T[][]): T[] => {
  const seen = new Map<string, T>();
  for (const list of lists) for (const x of list) if (!seen.has(key(x))) seen.set(key(x), x);
  return [...seen.values()];
};

/** Every distinct key of a finding, first seen first (a hand-built finding without a tally has only its list). */
const allKeysOf = (f: Finding): readonly string[] => f.tally?.accessKeyIds ?? f.accessKeyIds;
/** How many distinct keys the finding itself says it saw (its list and the count beside it). */
const keyTotalOf = (f: Finding): number => f.accessKeyIds.length + (f.accessKeyIdsOmitted ?? 0);

/**
 * The keys of two findings of one step, merged before capping: the union of every distinct key each saw, the
 * first MAX_FINDING_KEYS listed and the rest counted. Exact while each side saw at most MAX_OMITTED_TRACKED keys;
 * beyond, the count is the largest known lower bound.
 */
function mergeKeys(a: Finding, b: Finding): Pick<Finding, 'accessKeyIds' | 'accessKeyIdsOmitted'> & { all: string[]; atLeast: boolean } {
  const union = unionBy((k) => k, [...allKeysOf(a)], [...allKeysOf(b)]);
  const all = union.slice(0, MAX_OMITTED_TRACKED);
  const listed = all.slice(0, MAX_FINDING_KEYS);
  const total = Math.max(all.length, keyTotalOf(a), keyTotalOf(b));
  const known = (f: Finding) => !f.lowerBounds?.includes('accessKeyIdsOmitted') && allKeysOf(f).length >= keyTotalOf(f);
  const atLeast = union.length > all.length || !known(a) || !known(b);
  return { accessKeyIds: listed.sort(), accessKeyIdsOmitted: total - listed.length, all, atLeast };
}

/**
 * The events of two findings of one step: the union of both, each request once, the earliest MAX_FINDING_EVENTS
 * of the two lists listed. The count is exact while each side remembered every event it counted (its list and
 * tally hold eventCount records); otherwise it is the largest known lower bound.
 */
function mergeEvents(a: Finding, b: Finding): Pick<Finding, 'events' | 'eventCount'> & { more: RefLog; atLeast: boolean } {
  const events = unionBy(refKey, a.events, b.events).sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : compareRefs(x.ref, y.ref)));
  const listed = events.slice(0, MAX_FINDING_EVENTS);
  const shown = new Set(listed.map(refKey));
  const more = new Map<string, EvidenceRef>();
  const rest = [events.slice(MAX_FINDING_EVENTS).map((e) => e.ref), a.tally?.moreEvents.refs() ?? [], b.tally?.moreEvents.refs() ?? []];
  let dropped = false;
  for (const r of rest.flat()) {
    const k = refLabel(r);
    if (shown.has(k) || more.has(k)) continue;
    if (more.size < MAX_OMITTED_TRACKED) more.set(k, r);
    else dropped = true;
  }
  const known = (f: Finding) => !f.lowerBounds?.includes('eventCount') && f.events.length + (f.tally?.moreEvents.length ?? 0) >= f.eventCount;
  return {
    events: listed,
    eventCount: Math.max(listed.length + more.size, a.eventCount, b.eventCount),
    more: RefLog.of(more.values()),
    atLeast: dropped || !known(a) || !known(b),
  };
}

/** The primary finding with the absorbed one's evidence, actions and techniques, and its summary appended. */
export function mergeFinding(primary: Finding, absorbed: Finding): Finding {
  const keys = mergeKeys(primary, absorbed);
  const events = mergeEvents(primary, absorbed);
  // Two findings may cite the same record (the invocation-log line behind both): it is one piece of evidence.
  const evidence = mergeEvidence([primary, absorbed]);
  const lowerBounds = lowerBoundsOf({ eventCount: events.atLeast, accessKeyIdsOmitted: keys.atLeast, evidenceOmitted: evidence.atLeast });
  const times = [primary.time, absorbed.time].filter((t) => t !== '').sort();
  return {
    ...primary,
    severity: SEVERITY_ORDER[absorbed.severity] < SEVERITY_ORDER[primary.severity] ? absorbed.severity : primary.severity,
    techniques: unionBy((t) => t, primary.techniques, absorbed.techniques),
    time: times[0] ?? '',
    summary: `${primary.summary}. Same step (${absorbed.ruleId}): ${absorbed.summary}`,
    actor: primary.actor ?? absorbed.actor,
    actorKey: primary.actorKey ?? absorbed.actorKey,
    accessKeyIds: keys.accessKeyIds,
    accessKeyIdsOmitted: keys.accessKeyIdsOmitted,
    events: events.events,
    eventCount: events.eventCount,
    tally: { accessKeyIds: keys.all, moreEvents: events.more, moreEvidence: evidence.more },
    evidence: evidence.evidence,
    evidenceOmitted: evidence.evidenceOmitted,
    lowerBounds,
    actions: unionBy((a: ResponseAction) => `${a.kind}|${a.target}`, primary.actions, absorbed.actions),
    mergedFrom: unionBy((r) => r, primary.mergedFrom ?? [], [absorbed.ruleId], absorbed.mergedFrom ?? []),
  };
}

/** Findings with every absorbed finding of the same step merged into its primary; how many each rule gave away. */
export function mergeOverlapping(
  findings: readonly Finding[],
  overlaps: readonly Overlap[] = OVERLAPS,
): { findings: Finding[]; mergedAway: Map<string, number> } {
  let out = [...findings];
  const mergedAway = new Map<string, number>();
  for (const o of overlaps) {
    const primaries = out.flatMap((f, i) => (f.ruleId === o.primary ? [i] : []));
    if (!primaries.length) continue;
    const gone = new Set<number>();
    out.forEach((f, j) => {
      if (f.ruleId !== o.absorbed) return;
      const i = primaries.find((p) => sameStep(o.sameStep, out[p]!, f));
      if (i === undefined) return;
      out[i] = mergeFinding(out[i]!, f);
      gone.add(j);
      mergedAway.set(o.absorbed, (mergedAway.get(o.absorbed) ?? 0) + 1);
    });
    out = out.filter((_, j) => !gone.has(j));
  }
  return { findings: out, mergedAway };
}
