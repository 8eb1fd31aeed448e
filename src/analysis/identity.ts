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

/** principal -> [actor key, services, IPs] in first-seen order: what a resolver learned, as plain data. */
export type LearnedIdentities = [principal: string, keys: [actorKey: string, services: string[], ips: string[]][]][];

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

  /**
   * `perFile`: what one file teaches, for absorb() into the resolver that holds the caps. Principals and keys are
   * not capped here (a key the file's own cap would drop may be one the whole resolver already holds); memory is
   * still bounded, by the file: CloudTrail documents are read whole under the document-size limit.
   */
  constructor({ perFile = false }: { perFile?: boolean } = {}) {
    this.maxPrincipals = perFile ? Infinity : MAX_PRINCIPALS;
    this.maxKeys = perFile ? Infinity : MAX_KEYS_PER_PRINCIPAL;
  }

  private readonly maxPrincipals: number;
  private readonly maxKeys: number;

  /** Phase 1: every record, in any order. */
  learn(e: TimelineEvent): void {
    if (!isTrail(e) || !e.principal || !e.actorKey) return;
    const c = this.candidate(e.principal, e.actorKey);
    if (!c) return;
    addCapped(c.services, e.service);
    addCapped(c.ips, e.sourceIp);
  }

  /** The entry of a key of a principal, made when the caps allow; null when they do not. */
  private candidate(principal: string, actorKey: string): Candidate | null {
    let keys = this.byPrincipal.get(principal);
    if (!keys) {
      if (this.byPrincipal.size >= this.maxPrincipals) return null;
      keys = new Map();
      this.byPrincipal.set(principal, keys);
    }
    let c = keys.get(actorKey);
    if (!c) {
      if (keys.size >= this.maxKeys) return null;
      c = { services: new Set(), ips: new Set() };
      keys.set(actorKey, c);
    }
    return c;
  }

  /** What was learned, in the order it was learned (for a worker thread to hand to the main thread's resolver). */
  learned(): LearnedIdentities {
    return [...this.byPrincipal].map(([p, keys]) => [p, [...keys].map(([k, c]) => [k, [...c.services], [...c.ips]])]);
  }

  /**
   * Learns what another resolver learned, as if its records had been learned here after the ones already seen:
   * principals, keys, services and IPs keep their first-seen order and the same caps cut them, so absorbing one
   * resolver per file in file order gives the same state as learning every record in that order.
   */
  absorb(learned: LearnedIdentities): void {
    for (const [principal, keyList] of learned) {
      for (const [actorKey, services, ips] of keyList) {
        const c = this.candidate(principal, actorKey);
        if (!c) continue;
        for (const s of services) addCapped(c.services, s);
        for (const ip of ips) addCapped(c.ips, ip);
      }
    }
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
