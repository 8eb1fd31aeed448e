// One actor per credential, whichever source saw it. CloudTrail names the access key; Bedrock invocation logs and
// S3 server access logs name only the principal ARN. Without this, the IAM user whose leaked key CloudTrail shows
// is a second actor in the invocation logs. Every CloudTrail record teaches which actor keys a principal acted
// as (an IAM user ARN -> its long-term AKIA keys; a role session ARN -> itself); an event that carries only the
// principal then belongs to that actor when exactly one fits (the principal itself, e.g. a console session, is
// one of the candidates), narrowed by the service and source IP it used.
// When several keys still fit, the event keeps the principal as its actor: guessing would put one key's acts on
// another. Bounded memory.
import type { TimelineEvent } from './event.js';

const MAX_PRINCIPALS = 200_000;
const MAX_KEYS_PER_PRINCIPAL = 20;
const MAX_SEEN = 50;

interface Candidate {
  services: Set<string>;
  ips: Set<string>;
}

const isTrail = (e: TimelineEvent): boolean => e.source === 'cloudtrail' || e.source === 'cloudtrail-lookup';

function addCapped(s: Set<string>, v: string | null): void {
  if (v && s.size < MAX_SEEN) s.add(v);
}

export class IdentityResolver {
  /** principal ARN -> actor key -> what that key was seen doing. */
  private readonly byPrincipal = new Map<string, Map<string, Candidate>>();
  resolved = 0;

  /** Phase 1: every record, in any order. */
  learn(e: TimelineEvent): void {
    if (!isTrail(e) || !e.principal || !e.actorKey) return;
    let keys = this.byPrincipal.get(e.principal);
    if (!keys) {
      if (this.byPrincipal.size >= MAX_PRINCIPALS) return;
      keys = new Map();
      this.byPrincipal.set(e.principal, keys);
    }
    let c = keys.get(e.actorKey);
    if (!c) {
      if (keys.size >= MAX_KEYS_PER_PRINCIPAL) return;
      c = { services: new Set(), ips: new Set() };
      keys.set(e.actorKey, c);
    }
    addCapped(c.services, e.service);
    addCapped(c.ips, e.sourceIp);
  }

  /** The actor key an event with only a principal belongs to, else the event's own. */
  actorKeyOf(e: TimelineEvent): string | null {
    if (e.accessKeyId || !e.principal || e.actorKey !== e.principal) return e.actorKey;
    const keys = this.byPrincipal.get(e.principal);
    if (!keys) return e.actorKey;
    let fit = [...keys];
    if (fit.length > 1 && e.service) fit = narrow(fit, (c) => c.services.has(e.service!));
    if (fit.length > 1 && e.sourceIp) fit = narrow(fit, (c) => c.ips.has(e.sourceIp!));
    return fit.length === 1 ? fit[0]![0] : e.actorKey;
  }

  /** Phase 2: the event with the actor it belongs to (the same object when that does not change). */
  resolve(e: TimelineEvent): TimelineEvent {
    const key = this.actorKeyOf(e);
    if (key === e.actorKey) return e;
    this.resolved++;
    return { ...e, actorKey: key };
  }
}

/** The candidates that pass, or all of them when none does (a filter that rules everyone out says nothing). */
function narrow(fit: [string, Candidate][], test: (c: Candidate) => boolean): [string, Candidate][] {
  const kept = fit.filter(([, c]) => test(c));
  return kept.length ? kept : fit;
}
