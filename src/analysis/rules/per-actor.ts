// Findings grouped by actor: one finding per actor key with the labels (pattern names, secret types...) seen.
import type { TimelineEvent } from '../event.js';
import { actorKeyOf, EventSample, EvidenceSet, inWindow, lowerBoundsOf, mergeEvidence, RecentIds, requestIdOf } from './support.js';
import type { Finding, RuleContext, RuleVisitor } from './types.js';

const MAX_ACTORS = 100_000;
const MAX_LABELS = 50;

export interface ActorGroup {
  sample: EventSample;
  labels: Set<string>;
  targets: Set<string>;
  /** Records of the hits other than each event's first (the invocation-log line behind a CloudTrail-led event), each once. */
  otherRefs: EvidenceSet;
}

export class PerActor {
  readonly groups = new Map<string, ActorGroup>();
  add(e: TimelineEvent, labels: Iterable<string> = []): void {
    const key = actorKeyOf(e) ?? '(unknown actor)';
    let g = this.groups.get(key);
    if (!g) {
      if (this.groups.size >= MAX_ACTORS) return;
      g = { sample: new EventSample(), labels: new Set(), targets: new Set(), otherRefs: new EvidenceSet() };
      this.groups.set(key, g);
    }
    g.sample.add(e);
    for (const l of labels) if (g.labels.size < MAX_LABELS) g.labels.add(l);
    if (e.target && g.targets.size < MAX_LABELS) g.targets.add(e.target);
    g.otherRefs.addAll(e.evidence.slice(1));
  }
}

/**
 * The loop every invocation-content rule shares: each hit in the window counted once per request (however many
 * sources recorded it), grouped by actor, one finding per actor at the end. `labelsOf` returns null for an event
 * that is not a hit, and the labels of a hit (possibly none).
 */
export function perActorInvocations(
  ctx: Pick<RuleContext, 'window'>,
  labelsOf: (e: TimelineEvent) => string[] | null,
  render: (key: string, group: ActorGroup) => Finding,
): RuleVisitor {
  const seen = new RecentIds();
  const actors = new PerActor();
  return {
    event(e) {
      if (!inWindow(e, ctx)) return;
      const labels = labelsOf(e);
      if (labels === null || !seen.firstSighting(requestIdOf(e))) return;
      actors.add(e, labels);
    },
    finish: () => ({
      // The prompt is in the invocation log even when CloudTrail's record of the call leads the event: cite both.
      findings: [...actors.groups].map(([key, g]) => {
        const f = render(key, g);
        const { more, atLeast, ...evidence } = mergeEvidence([f], g.otherRefs);
        const lowerBounds = lowerBoundsOf({ ...Object.fromEntries((f.lowerBounds ?? []).map((b) => [b, true])), evidenceOmitted: atLeast });
        return { ...f, ...evidence, lowerBounds, tally: f.tally && { ...f.tally, moreEvidence: more } };
      }),
      notAssessed: null,
    }),
  };
}
