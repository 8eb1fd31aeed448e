// Shared pieces of the rules: the contract fields of an event, evidence samples, findings, response actions,
// bounded de-duplication and sliding-window bursts. Pure.
import { anyExpected, expectedListOf } from '../expected.js';
import { isSuccess, refLabel, type EvidenceRef, type TimelineEvent } from '../event.js';
import { actorKeyOf as deriveActorKey, isPublicIp } from '../normalize.js';
import {
  LOWER_BOUNDS,
  MAX_FINDING_EVENTS,
  MAX_FINDING_EVIDENCE,
  MAX_FINDING_KEYS,
  MAX_OMITTED_TRACKED,
  type EventRefs,
  type Finding,
  type LowerBound,
  type FindingEvent,
  type ResponseAction,
  type ResponseActionKind,
  type RuleContext,
  type RuleMeta,
  type RuleVisitor,
  type Severity,
} from './types.js';

export const obj = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
/** A non-empty string, else null (fields of hostile records may be anything). */
export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A request header CloudTrail recorded as true ("true", true or ["true"]). */
export const headerIsTrue = (v: unknown): boolean =>
  v === true || (Array.isArray(v) ? v : [v]).some((x) => (typeof x === 'string' || typeof x === 'boolean') && String(x).toLowerCase() === 'true');

/** CloudTrail-sourced event (trail file or LookupEvents). */
export const isTrail = (e: TimelineEvent): boolean => e.source === 'cloudtrail' || e.source === 'cloudtrail-lookup';

export function requestParameters(e: TimelineEvent): Record<string, unknown> {
  return obj(e.detail?.requestParameters) ?? {};
}
export function responseElements(e: TimelineEvent): Record<string, unknown> {
  return obj(e.detail?.responseElements) ?? {};
}

export function trailCall(e: TimelineEvent, service: string, actions: ReadonlySet<string>): boolean {
  return isTrail(e) && e.service === service && actions.has(e.action);
}

const ROLE_SESSION = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;

/** The role ARN behind an assumed-role session ARN (the role's path is not in the session ARN). */
export function roleOfSession(arn: string | null): string | null {
  const m = arn ? ROLE_SESSION.exec(arn) : null;
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : null;
}

/** The event's actor key (set by the normaliser; derived the same way for hand-built events). */
export const actorKeyOf = (e: TimelineEvent): string | null => e.actorKey ?? deriveActorKey(e);
export const userTypeOf = (e: TimelineEvent): string | null => e.userType ?? str(e.detail?.userIdentityType);
export const sessionIssuerOf = (e: TimelineEvent): string | null => e.sessionIssuer ?? roleOfSession(e.principal);
export const requestIdOf = (e: TimelineEvent): string | null => e.requestId ?? str(e.detail?.requestId);
/** Baseline: from a baseline item, or before the window start. */
export function isBaseline(e: TimelineEvent, ctx: Pick<RuleContext, 'window'>): boolean {
  return e.phase === 'baseline' || e.time < ctx.window.start;
}
export const inWindow = (e: TimelineEvent, ctx: Pick<RuleContext, 'window'>): boolean => !isBaseline(e, ctx) && e.time <= ctx.window.end;

/** Whether the organisation listed this actor or address as expected (CI runners, partners). */
export function isExpected(e: TimelineEvent, ctx: Pick<RuleContext, 'expected'>): boolean {
  if (e.sourceIp && ctx.expected.ips.has(e.sourceIp)) return true;
  return anyExpected(expectedListOf(ctx.expected.principals), [e.principal, e.accessKeyId, actorKeyOf(e), sessionIssuerOf(e)]);
}

/** Public, private, or unknown (no address / an AWS service name). */
export function ipClass(ip: string | null): 'public' | 'private' | 'unknown' {
  if (!ip || !/^[0-9a-f:.]+$/i.test(ip)) return 'unknown';
  return isPublicIp(ip) ? 'public' : 'private';
}

export function findingEvent(e: TimelineEvent): FindingEvent {
  return { time: e.time, action: e.action, actor: e.actor, target: e.target, outcome: e.outcome, sourceIp: e.sourceIp, ref: e.evidenceRef };
}

/**
 * Evidence records as numbers (an index into the distinct paths, the line, the record), not objects: a finding may
 * keep up to MAX_OMITTED_TRACKED of them, and a parsed ref object with its own copy of the path costs ten times more.
 */
export class RefLog implements EventRefs {
  private readonly paths: string[] = [];
  private readonly pathIds = new Map<string, number>();
  private lastPath: string | null = null;
  private lastId = -1;
  private readonly at: number[] = [];
  private readonly lines: number[] = [];
  private readonly records: number[] = [];

  get length(): number {
    return this.at.length;
  }

  add(r: EvidenceRef): void {
    if (r.path !== this.lastPath) {
      let id = this.pathIds.get(r.path);
      if (id === undefined) {
        id = this.paths.push(r.path) - 1;
        this.pathIds.set(r.path, id);
      }
      this.lastPath = r.path;
      this.lastId = id;
    }
    this.at.push(this.lastId);
    this.lines.push(r.line ?? -1);
    this.records.push(r.record ?? -1);
  }

  refs(): EvidenceRef[] {
    return this.at.map((id, i) => {
      const ref: EvidenceRef = { path: this.paths[id]! };
      if (this.lines[i]! >= 0) ref.line = this.lines[i]!;
      if (this.records[i]! >= 0) ref.record = this.records[i]!;
      return ref;
    });
  }

  static of(refs: Iterable<EvidenceRef>): RefLog {
    const log = new RefLog();
    for (const r of refs) log.add(r);
    return log;
  }
}

/**
 * Evidence records of a finding, each once: the first MAX_FINDING_EVIDENCE listed, the distinct rest kept compactly
 * (up to MAX_OMITTED_TRACKED) and counted; past that the count is a lower bound (`overflow`).
 */
export class EvidenceSet {
  readonly listed: EvidenceRef[] = [];
  readonly more = new RefLog();
  private readonly seen = new Set<string>();
  overflow = false;
  add(r: EvidenceRef): void {
    const k = refLabel(r);
    if (this.seen.has(k)) return;
    if (this.seen.size >= MAX_FINDING_EVIDENCE + MAX_OMITTED_TRACKED) {
      this.overflow = true;
      return;
    }
    this.seen.add(k);
    if (this.listed.length < MAX_FINDING_EVIDENCE) this.listed.push(r);
    else this.more.add(r);
  }
  addAll(refs: Iterable<EvidenceRef>): this {
    for (const r of refs) this.add(r);
    return this;
  }
  get size(): number {
    return this.seen.size;
  }
}

type EvidenceOf = Pick<Finding, 'evidence' | 'evidenceOmitted' | 'tally' | 'lowerBounds'>;
/** How many distinct evidence records a finding says it has (its list and the count beside it). */
const evidenceTotalOf = (f: EvidenceOf): number => f.evidence.length + (f.evidenceOmitted ?? 0);
/** The finding knows every evidence record it counted (so a union with it counts exactly). */
const evidenceKnown = (f: EvidenceOf): boolean =>
  !f.lowerBounds?.includes('evidenceOmitted') && (f.tally?.moreEvidence?.length ?? 0) >= (f.evidenceOmitted ?? 0);

/**
 * The evidence of one or more findings of one step, and of extra records: each record once (however many findings
 * cite it), the first MAX_FINDING_EVIDENCE listed, `evidenceOmitted` the distinct records left out. Exact while
 * every finding knows the records it counted; otherwise the largest known lower bound, and `atLeast` is set.
 */
export function mergeEvidence(
  findings: readonly EvidenceOf[],
  extra: EvidenceSet | null = null,
): Pick<Finding, 'evidence' | 'evidenceOmitted'> & { more: RefLog; atLeast: boolean } {
  const set = new EvidenceSet();
  for (const f of findings) set.addAll(f.evidence);
  if (extra) set.addAll(extra.listed);
  for (const f of findings) set.addAll(f.tally?.moreEvidence?.refs() ?? []);
  if (extra) set.addAll(extra.more.refs());
  const total = Math.max(set.size, extra?.size ?? 0, ...findings.map(evidenceTotalOf));
  const atLeast = set.overflow || !!extra?.overflow || findings.some((f) => !evidenceKnown(f));
  return { evidence: set.listed, evidenceOmitted: total - set.listed.length, more: set.more, atLeast };
}

/** The lower-bound flags of a finding, in LOWER_BOUNDS order, or undefined when every count is exact. */
export function lowerBoundsOf(flags: Partial<Record<LowerBound, boolean>>): LowerBound[] | undefined {
  const out = LOWER_BOUNDS.filter((k) => flags[k]);
  return out.length ? out : undefined;
}

/**
 * The evidence of one finding as it streams by: the first events, the count, the keys and IPs used, and (bounded)
 * every distinct key and event behind the capped lists, so that a merge of two findings counts exactly.
 */
export class EventSample {
  readonly events: FindingEvent[] = [];
  readonly accessKeys = new Set<string>();
  /** Distinct keys beyond MAX_FINDING_KEYS (bounded by MAX_OMITTED_TRACKED). */
  readonly keysOmitted = new Set<string>();
  /** A distinct key came after keysOmitted was full: accessKeyIdsOmitted is a lower bound. */
  keysOverflow = false;
  /** The first record of each event beyond MAX_FINDING_EVENTS (bounded by MAX_OMITTED_TRACKED). */
  readonly moreEvents = new RefLog();
  readonly ips = new Set<string>();
  count = 0;
  first: TimelineEvent | null = null;
  last: TimelineEvent | null = null;

  add(e: TimelineEvent): this {
    this.count++;
    this.first ??= e;
    this.last = e;
    if (this.events.length < MAX_FINDING_EVENTS) this.events.push(findingEvent(e));
    else if (this.moreEvents.length < MAX_OMITTED_TRACKED) this.moreEvents.add(e.evidenceRef);
    if (e.accessKeyId && !this.accessKeys.has(e.accessKeyId)) {
      if (this.accessKeys.size < MAX_FINDING_KEYS) this.accessKeys.add(e.accessKeyId);
      else if (this.keysOmitted.size < MAX_OMITTED_TRACKED) this.keysOmitted.add(e.accessKeyId);
      else if (!this.keysOmitted.has(e.accessKeyId)) this.keysOverflow = true;
    }
    if (e.sourceIp && this.ips.size < MAX_FINDING_KEYS) this.ips.add(e.sourceIp);
    return this;
  }
  static of(...events: TimelineEvent[]): EventSample {
    const s = new EventSample();
    for (const e of events) s.add(e);
    return s;
  }
}

/** Fills {name} placeholders of a message template. */
export function say(template: string | undefined, values: Record<string, string | number | null | undefined>): string {
  return (template ?? '').replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = values[k];
    return v === null || v === undefined ? '?' : String(v);
  });
}

export interface FindingOptions {
  severity?: Severity;
  target?: string | null;
  actor?: string | null;
  actorKey?: string | null;
  evidence?: EvidenceRef[];
  actions?: ResponseAction[];
  time?: string;
}

/** A finding about the sampled events (the first is the headline). */
export function finding(
  meta: RuleMeta<unknown>,
  sample: EventSample | readonly TimelineEvent[],
  summary: string,
  over: FindingOptions = {},
): Finding {
  const s = sample instanceof EventSample ? sample : EventSample.of(...sample);
  const first = s.first;
  const actorKey = over.actorKey !== undefined ? over.actorKey : first ? actorKeyOf(first) : null;
  return {
    ruleId: meta.id,
    title: meta.title,
    severity: over.severity ?? meta.severity,
    element: meta.element,
    techniques: [...meta.techniques],
    time: over.time ?? first?.time ?? '',
    summary,
    account: first?.account ?? null,
    region: first?.region ?? null,
    actor: over.actor !== undefined ? over.actor : (first?.actor ?? null),
    actorKey,
    accessKeyIds: [...s.accessKeys].sort(),
    accessKeyIdsOmitted: s.keysOmitted.size,
    target: over.target !== undefined ? over.target : (first?.target ?? null),
    events: s.events,
    eventCount: s.count,
    evidence: over.evidence ?? [],
    actions: over.actions ?? (first ? credentialActions(first) : []),
    ...(s.keysOverflow ? { lowerBounds: ['accessKeyIdsOmitted' as const] } : {}),
    tally: { accessKeyIds: [...s.accessKeys, ...s.keysOmitted], moreEvents: s.moreEvents },
  };
}

/** Containment for the credential behind an event: deactivate a long-term key, revoke a role's sessions, or root. */
export function credentialActions(e: TimelineEvent): ResponseAction[] {
  const out: ResponseAction[] = [];
  // An invocation-log or access-log event names no key; its actor key is the one CloudTrail showed the principal using.
  const key = e.accessKeyId ?? (e.actorKey?.startsWith('AKIA') ? e.actorKey : null);
  const type = userTypeOf(e);
  if (type === 'Root') {
    out.push({
      kind: 'review',
      target: e.principal ?? `root of ${e.account ?? '?'}`,
      text: `Secure the root user of account ${e.account ?? '?'}: change its password, delete its access keys, require MFA`,
    });
  }
  if (key?.startsWith('AKIA'))
    out.push({ kind: 'deactivate-access-key', target: key, text: `Deactivate access key ${key}${e.principal ? ` of ${e.principal}` : ''}` });
  const role = sessionIssuerOf(e);
  if (role && (key?.startsWith('ASIA') || roleOfSession(e.principal))) {
    out.push({ kind: 'revoke-role-sessions', target: role, text: `Revoke active sessions of role ${role} (deny tokens issued before now)` });
  }
  return out;
}

/** Remembers the last ~2×capacity request ids: a request seen twice close together counts once. */
export class RecentIds {
  private current = new Set<string>();
  private previous = new Set<string>();
  constructor(private readonly capacity = 50_000) {}
  /** True the first time an id is seen (and for null ids: unknown requests are all counted). */
  firstSighting(id: string | null): boolean {
    if (!id) return true;
    if (this.current.has(id) || this.previous.has(id)) return false;
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(id);
    return true;
  }
}

/**
 * Per-key bursts of distinct requests: at least `threshold` within `spanMs`. A burst grows while the sliding window
 * ending at each new request still holds `threshold` requests; when it holds fewer the burst ends, and that request
 * starts a fresh window. So a trickle below the rate never bursts however long it lasts, and a burst followed by a
 * trickle ends with the burst. Memory per key: the last `threshold` requests.
 */
export class BurstTracker {
  private readonly recent = new Map<string, TimelineEvent[]>();
  private readonly open = new Map<string, EventSample>();
  private readonly seen = new RecentIds();
  readonly closed: { key: string; sample: EventSample }[] = [];
  constructor(
    private readonly threshold: number,
    private readonly spanMs: number,
  ) {}

  add(key: string, e: TimelineEvent): void {
    if (!this.seen.firstSighting(requestIdOf(e))) return;
    const list = this.recent.get(key) ?? [];
    list.push(e);
    if (list.length > this.threshold) list.shift();
    this.recent.set(key, list);
    const full = list.length >= this.threshold && Date.parse(e.time) - Date.parse(list[0]!.time) <= this.spanMs;
    const burst = this.open.get(key);
    if (full) {
      if (burst) burst.add(e);
      else this.open.set(key, EventSample.of(...list));
      return;
    }
    if (burst) {
      this.closed.push({ key, sample: burst });
      this.open.delete(key);
      this.recent.set(key, [e]);
    }
  }

  /** Every burst, open or closed. */
  finish(): { key: string; sample: EventSample }[] {
    for (const [key, sample] of this.open) this.closed.push({ key, sample });
    this.open.clear();
    return this.closed;
  }
}

/** "a, b, c and N more" with at most n items; `total` when the items are a bounded sample of more. */
export function listSome(items: Iterable<string>, n = 8, total?: number): string {
  const all = [...items];
  const shown = all.slice(0, n);
  const rest = Math.max(total ?? all.length, all.length) - shown.length;
  return `${shown.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
}

/** A rule that judges each event on its own: the visitor collects what `judge` returns. */
export function perEvent<P>(
  judge: (e: TimelineEvent, ctx: RuleContext<P>) => Finding | null,
): (ctx: RuleContext<P>) => { event(e: TimelineEvent): void; finish(): { findings: Finding[]; notAssessed: null } } {
  return (ctx) => {
    const findings: Finding[] = [];
    return {
      event(e) {
        const f = judge(e, ctx);
        if (f) findings.push(f);
      },
      finish: () => ({ findings, notAssessed: null }),
    };
  };
}

const DENIED =
  /^(?:AccessDenied|AccessDeniedException|Client\.UnauthorizedOperation|UnauthorizedOperation|UnauthorizedAccess|Unauthorized|Forbidden|AuthorizationError|NotAuthorized)/i;

/** An authorisation failure (AccessDenied, UnauthorizedOperation, an S3 403). */
export const isDenied = (e: TimelineEvent): boolean =>
  e.source !== 'flow-log' && e.outcome !== 'success' && (DENIED.test(e.outcome) || (e.source === 's3-access-log' && e.detail?.httpStatus === '403'));
/** Done, or tried and denied: both are signals of intent (other errors, e.g. a wrong name, are not judged). */
export const doneOrDenied = (e: TimelineEvent): boolean => e.outcome === 'success' || isDenied(e);
/** A denied attempt reads as such in the summary. */
export const attempted = (e: TimelineEvent): string => (e.outcome === 'success' ? '' : ` (attempt denied: ${e.outcome})`);
/** One step down the severity ladder (failed attempts are still signals, but weaker ones). */
export function lower(s: Severity): Severity {
  return s === 'critical' ? 'high' : s === 'high' ? 'medium' : 'low';
}

/** Who did what in the baseline, by activity class: "is this actor usual for this?" (actor key, role or principal). */
export class UsualActors {
  private readonly seen = new Set<string>();
  private readonly classes = new Set<string>();
  constructor(private readonly capacity = 200_000) {}
  private ids(e: TimelineEvent): string[] {
    return [actorKeyOf(e), sessionIssuerOf(e), e.principal].filter((x): x is string => !!x);
  }
  learn(activity: string, e: TimelineEvent): void {
    this.classes.add(activity);
    for (const id of this.ids(e)) if (this.seen.size < this.capacity) this.seen.add(`${activity}|${id}`);
  }
  /** true: did it in the baseline; false: did not; null: nobody did this in the baseline and there is none to ask. */
  isUsual(activity: string, e: TimelineEvent, haveBaseline: boolean): boolean | null {
    if (this.ids(e).some((id) => this.seen.has(`${activity}|${id}`))) return true;
    return haveBaseline || this.classes.has(activity) ? false : null;
  }
}

/** A configuration change judged on its own: what it did, how bad, and the step that puts it back. */
export interface ChangeVerdict {
  what: string;
  severity: Severity;
  restore: string;
}

/**
 * A rule of configuration changes in the window (defence evasion): each CloudTrail call done or denied that `prepare`'s
 * judge names gives one finding; a denied attempt is one step lower and has no restore step. The meta's `change`
 * message gets {what}, {target} (when `what` does not already name it), {actor} and {attempt}.
 */
export function changeRule<P>(
  meta: RuleMeta<P>,
  restoreKind: ResponseActionKind,
  prepare: (ctx: RuleContext<P>) => (e: TimelineEvent) => ChangeVerdict | null,
): (ctx: RuleContext<P>) => RuleVisitor {
  return (ctx) => {
    const judge = prepare(ctx);
    return perEvent<P>((e): Finding | null => {
      if (!isTrail(e) || !doneOrDenied(e) || e.time < ctx.window.start || e.time > ctx.window.end) return null;
      const v = judge(e);
      if (!v) return null;
      const target = e.target && !v.what.includes(e.target) ? ` (${e.target})` : '';
      return finding(meta, [e], say(meta.messages.change, { what: v.what, target, actor: e.actor, attempt: attempted(e) }), {
        severity: isSuccess(e) ? v.severity : lower(v.severity),
        actions: [...credentialActions(e), ...(isSuccess(e) ? [{ kind: restoreKind, target: e.target ?? e.action, text: v.restore }] : [])],
      });
    })(ctx);
  };
}

// ---- policy documents (IAM trust policies, resource policies): strings (raw or URL-encoded) or objects ----------

/** A policy document as CloudTrail records it: an object, a JSON string, or a URL-encoded JSON string. */
export function parsePolicy(raw: unknown): Record<string, unknown> | null {
  if (obj(raw)) return raw as Record<string, unknown>;
  if (typeof raw !== 'string' || raw.length > 1_000_000) return null;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // not URL-encoded
  }
  for (const text of [raw, decoded]) {
    try {
      return obj(JSON.parse(text));
    } catch {
      // try the next form
    }
  }
  return null;
}

/** The statements of a parsed policy (a single statement object counts as a list of one). */
export function policyStatements(policy: Record<string, unknown> | null): Record<string, unknown>[] {
  const st = policy?.Statement;
  return (Array.isArray(st) ? st : [st]).map(obj).filter((s): s is Record<string, unknown> => !!s);
}

const ACCOUNT_IN_ARN = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/;

/** An AWS principal as an account id or '*' ("123456789012", an IAM/STS ARN, "*"); null for anything else. */
export function principalAccount(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  if (v === '*' || /^\d{12}$/.test(v)) return v;
  return ACCOUNT_IN_ARN.exec(v)?.[1] ?? null;
}

/** The AWS-principal part of a statement's Principal as account ids or '*' (services and federated are not accounts). */
export function statementAccounts(s: Record<string, unknown>): string[] {
  const principal = s.Principal === '*' ? { AWS: '*' } : obj(s.Principal);
  const aws = principal?.AWS;
  const list = Array.isArray(aws) ? aws : aws !== undefined ? [aws] : [];
  return list.map(principalAccount).filter((a): a is string => !!a);
}

/** Condition keys that confine a statement to an Organization, a network or named accounts (then "*" is not public). */
const CONFINING =
  /^aws:(?:PrincipalOrgID|PrincipalOrgPaths|ResourceOrgID|ResourceOrgPaths|SourceOrgID|SourceOrgPaths|SourceVpce|SourceVpc|PrincipalAccount|SourceAccount|SourceArn|PrincipalArn|SourceOwner)$/i;
const NAMING_ACCOUNTS = /^aws:(?:PrincipalAccount|SourceAccount|SourceOwner|PrincipalArn|SourceArn)$/i;

/** The condition keys of a statement, each with its values (as strings). */
function conditionValues(s: Record<string, unknown>): { key: string; values: string[] }[] {
  const out: { key: string; values: string[] }[] = [];
  for (const block of Object.values(obj(s.Condition) ?? {})) {
    for (const [key, v] of Object.entries(obj(block) ?? {}))
      out.push({ key, values: (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string') });
  }
  return out;
}

/**
 * Whom the Allow statements of a resource policy open the resource to: account ids and '*' (anyone). A "*" confined
 * by an Organization, VPC or account condition is not '*'; a condition naming accounts grants those accounts.
 */
export function policyGrantees(doc: unknown): string[] {
  const out = new Set<string>();
  for (const s of policyStatements(parsePolicy(doc))) {
    if (s.Effect !== 'Allow') continue;
    const accounts = statementAccounts(s);
    if (!accounts.length) continue;
    const conditions = conditionValues(s);
    const named = conditions.filter((c) => NAMING_ACCOUNTS.test(c.key)).flatMap((c) => c.values.map(principalAccount));
    const confined = conditions.some((c) => CONFINING.test(c.key));
    for (const a of accounts) {
      if (a !== '*') out.add(a);
      else if (!confined) out.add('*');
    }
    if (accounts.includes('*')) for (const a of named) if (a && a !== '*') out.add(a);
  }
  return [...out].sort();
}

/** Accounts (or '*') outside the event's account and the collected scope. */
export function externalOf(
  accounts: Iterable<string>,
  e: TimelineEvent,
  ctx: Pick<RuleContext, 'knownAccounts'>,
  trusted: readonly string[] = [],
): string[] {
  return [...new Set(accounts)].filter((a) => a === '*' || (a !== e.account && !ctx.knownAccounts.has(a) && !trusted.includes(a))).sort();
}

/** The `trustedAccounts` parameter of the sharing rules: outside accounts that may receive shares. */
export const TRUSTED_ACCOUNTS_DESCRIPTION =
  'Accounts outside the Organization trusted to receive shares or policy access (partners, AWS service accounts such as the Elastic Load Balancing log-delivery accounts).';

/** "everyone (public)" and/or "account(s) … outside the Organization", for externalOf's answer. */
export function outsideWhom(outside: readonly string[]): string {
  const accounts = outside.filter((a) => a !== '*');
  return [outside.includes('*') ? 'everyone (public)' : '', accounts.length ? `account(s) ${accounts.join(', ')} outside the Organization` : '']
    .filter(Boolean)
    .join(' and ');
}
