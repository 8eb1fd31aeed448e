// Findings grouped by actor: one finding per actor key with the labels (pattern names, secret types...) seen.
import type { TimelineEvent } from '../event.js';
import { actorKeyOf, EventSample } from './support.js';

const MAX_ACTORS = 100_000;
const MAX_LABELS = 50;

export class PerActor {
  readonly groups = new Map<string, { sample: EventSample; labels: Set<string>; targets: Set<string> }>();
  add(e: TimelineEvent, labels: Iterable<string> = []): void {
    const key = actorKeyOf(e) ?? '(unknown actor)';
    let g = this.groups.get(key);
    if (!g) {
      if (this.groups.size >= MAX_ACTORS) return;
      g = { sample: new EventSample(), labels: new Set(), targets: new Set() };
      this.groups.set(key, g);
    }
    g.sample.add(e);
    for (const l of labels) if (g.labels.size < MAX_LABELS) g.labels.add(l);
    if (e.target && g.targets.size < MAX_LABELS) g.targets.add(e.target);
  }
}
