// Actors: the storyline of each credential, aggregated while the correlated timeline streams by. An actor is the
// event's actorKey (long-term key; role session for temporary keys; principal; IP) with its principal, keys, IPs
// and user agents; what it did (actions by count with errors), what it read and wrote (distinct objects, bytes),
// what it created or changed, and whether it is new against the baseline. Memory per actor is bounded.
import { anyExpected, expectedList, type ExpectedList } from './expected.js';
import { MAX_OMITTED_TRACKED, SEVERITY_ORDER, type AiNetworkInterface, type Severity } from './rules/types.js';
import type { EvidenceRef, TimelineEvent } from './event.js';
import { isIpAddress, isPublicIp } from './ip.js';
import { bucketOf } from '../model/s3-location.js';

export type ActorKind = 'access-key' | 'role-session' | 'principal' | 'ip' | 'aws-service';
export type ActorClass = 'aws-service' | 'own-application' | 'credential';

export interface ActorAction {
  service: string | null;
  action: string;
  count: number;
  errors: number;
}

export interface ActorChange {
  time: string;
  action: string;
  target: string | null;
  ref: EvidenceRef;
}

export interface ActorNetwork {
  /** Flow-log records whose remote address is one of the actor's IPs. */
  flows: number;
  bytesOut: number;
  bytesIn: number;
  /** AI workloads (SageMaker endpoints, notebooks, training jobs) whose ENIs carried those flows. */
  workloads: string[];
  interfaces: string[];
  interfacesOmitted: number;
}

export interface ActorSide {
  objects: number;
  objectsCapped: boolean;
  bytes: number;
  buckets: string[];
  bucketsOmitted: number;
}

export interface ActorSummary {
  key: string;
  kind: ActorKind;
  /** aws-service: AWS acting on the account's behalf; own-application: a principal the config names as expected. */
  class: ActorClass;
  /** Plain words on what this actor is, for the report. */
  note: string;
  principal: string | null;
  accessKeyIds: string[];
  /** Distinct values left out of the list beside it (the lists are bounded; the count is exact up to MAX_OMITTED_TRACKED). */
  accessKeyIdsOmitted: number;
  sessionIssuer: string | null;
  sourceIdentity: string | null;
  userTypes: string[];
  accounts: string[];
  accountsOmitted: number;
  regions: string[];
  regionsOmitted: number;
  sourceIps: { ip: string; count: number; new: boolean | null }[];
  sourceIpsOmitted: number;
  userAgents: string[];
  userAgentsOmitted: number;
  firstSeen: string;
  lastSeen: string;
  /** Requests in the incident window / in the baseline lookback. */
  events: number;
  baselineEvents: number;
  errors: number;
  actions: ActorAction[];
  /** Distinct actions (service and name) left out of `actions`. */
  actionsOmitted: number;
  read: ActorSide;
  written: ActorSide;
  changed: ActorChange[];
  changedCount: number;
  /** Creations and changes left out of `changed` (changedCount - changed.length). */
  changedOmitted: number;
  sensitiveActions: number;
  /** Not seen in the baseline (null: no baseline to tell). */
  new: boolean | null;
  network: ActorNetwork | null;
  findings: string[];
  /** Requests per slice of the incident window (ACTIVITY_BINS slices; events outside the window are not counted). */
  activity: number[];
  /** Higher is more suspicious; actors are listed by it. */
  score: number;
  firstRef: EvidenceRef;
}

export type AiNetworkEntry = AiNetworkInterface;

export interface ActorOptions {
  /** Principals, role ARNs or key ids (or prefixes ending in '*') of the organisation's own applications, CI runners. */
  expectedPrincipals?: readonly string[];
  /** Source addresses of the organisation's own applications (CI runners, NAT gateways). */
  expectedIps?: readonly string[];
  /** AI workload ENIs: eni id -> workload. */
  aiNetwork?: ReadonlyMap<string, AiNetworkEntry>;
  /** A baseline was collected (else "new" cannot be told). */
  hasBaseline: boolean;
  /** The incident window: activity is counted in ACTIVITY_BINS equal slices of it. */
  window?: { start: string; end: string };
}

export const ACTIVITY_BINS = 48;

/** How many of each list an actor summary shows; what is left out is counted beside the list. */
export const ACTOR_CAPS = {
  actions: 200,
  changed: 100,
  sourceIps: 50,
  userAgents: 10,
  accessKeyIds: 20,
  accounts: 50,
  regions: 50,
  buckets: 50,
  interfaces: 50,
} as const;
const MAX_OBJECTS = 100_000;
const MAX_ACTORS = 200_000;
const MAX_FLOW_IPS = 200_000;

const READ_OPS = /^(?:GetObject|REST\.GET\.OBJECT|SelectObjectContent|RestoreObject)$/;
const WRITE_OPS =
  /^(?:PutObject|CopyObject|CompleteMultipartUpload|UploadPart|REST\.PUT\.OBJECT|REST\.COPY\.OBJECT|REST\.POST\.UPLOAD|REST\.PUT\.PART)$/;
const CHANGE =
  /^(?:Create|Put|Update|Delete|Attach|Detach|Add|Remove|Modify|Stop|Start|Disable|Enable|Set|Register|Deregister|Associate|Disassociate|Replace|Reset|Revoke|Authorize|Tag|Untag)/;
/** Calls a responder asks about first: identity and logging changes, secrets, model access, presigned access. */
const SENSITIVE_SERVICES = new Set([
  'iam.amazonaws.com',
  'cloudtrail.amazonaws.com',
  'guardduty.amazonaws.com',
  'config.amazonaws.com',
  'organizations.amazonaws.com',
  'kms.amazonaws.com',
  'logs.amazonaws.com',
  'bedrock.amazonaws.com',
  'bedrock-agentcore.amazonaws.com',
  'sagemaker.amazonaws.com',
  'rolesanywhere.amazonaws.com',
  'securityhub.amazonaws.com',
  'access-analyzer.amazonaws.com',
  'macie2.amazonaws.com',
  'backup.amazonaws.com',
]);
/** Calls that are sensitive whatever their verb: secrets and credentials handed out, commands and keys pushed into instances. */
const SENSITIVE_CALLS =
  /^(?:GetSecretValue|BatchGetSecretValue|GetParametersByPath|GetPasswordData|GetResourceApiKey|GetResourceOauth2Token|SendCommand|StartSession|SendSSHPublicKey|SendSerialConsoleSSHPublicKey|CreatePresignedNotebookInstanceUrl|CreatePresignedDomainUrl|GetFoundationModelAvailability|ListFoundationModels|GetUseCaseForModelAccess|GetCallerIdentity|GetSessionToken|GetFederationToken|AssumeRole)$/;

/** At equal scores a credential is listed before the organisation's applications, and those before AWS services. */
const CLASS_ORDER: Record<ActorClass, number> = { credential: 0, 'own-application': 1, 'aws-service': 2 };

const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 100, high: 40, medium: 10, low: 3 };

export const isServicePrincipal = (s: string | null): boolean => !!s && /^[a-z0-9.-]+\.amazonaws\.com$/.test(s);

function kindOf(e: TimelineEvent, key: string): ActorKind {
  if (e.userType === 'AWSService' || isServicePrincipal(key)) return 'aws-service';
  // The key may come from CloudTrail while this event (an invocation-log record) names only the principal.
  if (key === e.accessKeyId || /^A[KS]IA[A-Z0-9]{16}$/.test(key)) return 'access-key';
  if (/^arn:[a-z-]+:sts::\d{12}:assumed-role\//.test(key)) return 'role-session';
  if (isIpAddress(key)) return 'ip';
  return 'principal';
}

const isChange = (e: TimelineEvent): boolean =>
  e.outcome === 'success' &&
  e.source !== 'flow-log' &&
  e.source !== 's3-access-log' &&
  e.detail?.readOnly !== true &&
  CHANGE.test(e.action) &&
  !READ_OPS.test(e.action) &&
  !WRITE_OPS.test(e.action);
/** `change`: isChange(e), passed in where the caller has judged it already. */
const sensitiveGiven = (e: TimelineEvent, change: boolean): boolean =>
  SENSITIVE_CALLS.test(e.action) || (change && SENSITIVE_SERVICES.has(e.service ?? ''));
export const isSensitive = (e: TimelineEvent): boolean => sensitiveGiven(e, isChange(e));

/** The distinct values a bounded list left out, counted exactly (up to MAX_OMITTED_TRACKED). */
class Omitted {
  private readonly values = new Set<string>();
  add(v: string): void {
    if (this.values.size < MAX_OMITTED_TRACKED) this.values.add(v);
  }
  get count(): number {
    return this.values.size;
  }
}

function bump<K>(m: Map<K, number>, k: K, cap: number, by = 1): boolean {
  const v = m.get(k);
  if (v !== undefined) m.set(k, v + by);
  else if (m.size < cap) m.set(k, by);
  else return false;
  return true;
}

function addCapped<T>(s: Set<T>, v: T, cap: number): boolean {
  if (s.has(v)) return true;
  if (s.size >= cap) return false;
  s.add(v);
  return true;
}

/** A bounded list of distinct strings with the count of those left out. */
class CappedList {
  readonly shown = new Set<string>();
  readonly omitted = new Omitted();
  constructor(private readonly cap: number) {}
  add(v: string): void {
    if (!addCapped(this.shown, v, this.cap)) this.omitted.add(v);
  }
}

interface Side {
  objects: Set<string>;
  capped: boolean;
  bytes: number;
  buckets: CappedList;
}
const side = (): Side => ({ objects: new Set(), capped: false, bytes: 0, buckets: new CappedList(ACTOR_CAPS.buckets) });

class ActorState {
  kind: ActorKind;
  principal: string | null = null;
  keys = new CappedList(ACTOR_CAPS.accessKeyIds);
  sessionIssuer: string | null = null;
  sourceIdentity: string | null = null;
  userTypes = new Set<string>();
  accounts = new CappedList(ACTOR_CAPS.accounts);
  regions = new CappedList(ACTOR_CAPS.regions);
  ips = new Map<string, number>();
  ipsOmitted = new Omitted();
  baselineIps = new Set<string>();
  agents = new CappedList(ACTOR_CAPS.userAgents);
  first = '';
  last = '';
  events = 0;
  baselineEvents = 0;
  errors = 0;
  /** In first-seen order; looked up by service, then action (no joined key string built per event). */
  actions: ActorAction[] = [];
  private readonly actionOf = new Map<string | null, Map<string, ActorAction>>();
  actionsOmitted = new Omitted();
  read = side();
  written = side();
  changed: ActorChange[] = [];
  changedCount = 0;
  sensitive = 0;
  firstRef: EvidenceRef | null = null;
  activity: number[] = new Array<number>(ACTIVITY_BINS).fill(0);

  constructor(
    readonly key: string,
    e: TimelineEvent,
  ) {
    this.kind = kindOf(e, key);
  }

  add(e: TimelineEvent, bin: number): void {
    if (bin >= 0) this.activity[bin]!++;
    if (e.principal) this.principal ??= e.principal;
    if (e.accessKeyId) this.keys.add(e.accessKeyId);
    if (e.sessionIssuer) this.sessionIssuer ??= e.sessionIssuer;
    if (e.sourceIdentity) this.sourceIdentity ??= e.sourceIdentity;
    if (e.userType) addCapped(this.userTypes, e.userType, 20); // more than every userIdentity type
    if (e.account) this.accounts.add(e.account);
    if (e.region) this.regions.add(e.region);
    if (e.userAgent) this.agents.add(e.userAgent.slice(0, 300));
    if (e.phase === 'baseline') {
      this.baselineEvents++;
      if (e.sourceIp) addCapped(this.baselineIps, e.sourceIp, 1000);
      return;
    }
    this.events++;
    this.first ||= e.time;
    this.firstRef ??= e.evidenceRef;
    this.last = e.time;
    if (e.sourceIp && !bump(this.ips, e.sourceIp, ACTOR_CAPS.sourceIps)) this.ipsOmitted.add(e.sourceIp);
    const failed = e.outcome !== 'success';
    if (failed) this.errors++;
    this.count(e, failed);
    if (!failed) this.data(e);
    const change = isChange(e);
    if (sensitiveGiven(e, change)) this.sensitive++;
    if (change) {
      this.changedCount++;
      if (this.changed.length < ACTOR_CAPS.changed) this.changed.push({ time: e.time, action: e.action, target: e.target, ref: e.evidenceRef });
    }
  }

  /** One more request of the event's action (by service: the same name in two services is two actions). */
  private count(e: TimelineEvent, failed: boolean): void {
    // An empty service and none are one, as in the `service|action` ids counted when the list is full.
    const service = e.service ?? '';
    let byAction = this.actionOf.get(service);
    if (!byAction) this.actionOf.set(service, (byAction = new Map<string, ActorAction>()));
    const a = byAction.get(e.action);
    if (a) {
      a.count++;
      if (failed) a.errors++;
    } else if (this.actions.length < ACTOR_CAPS.actions) {
      const added = { service: e.service, action: e.action, count: 1, errors: failed ? 1 : 0 };
      byAction.set(e.action, added);
      this.actions.push(added);
    } else this.actionsOmitted.add(`${service}|${e.action}`);
  }

  private data(e: TimelineEvent): void {
    const which = READ_OPS.test(e.action) ? this.read : WRITE_OPS.test(e.action) ? this.written : null;
    if (!which || !e.target) return;
    if (!addCapped(which.objects, e.target, MAX_OBJECTS)) which.capped = true;
    which.bytes += (which === this.read ? e.bytesOut : e.bytesIn) ?? 0;
    const b = bucketOf(e.target);
    if (b) which.buckets.add(b);
  }
}

interface FlowState {
  flows: number;
  bytesOut: number;
  bytesIn: number;
  interfaces: CappedList;
}

export interface FindingRef {
  id: string;
  severity: Severity;
  actorKey?: string | null;
  actor: string | null;
  events?: { actor: string | null }[];
}

/** Streaming actor aggregation: add() every correlated event in timeline order, then summaries(). */
export class ActorIndex {
  private readonly actors = new Map<string, ActorState>();
  private readonly flows = new Map<string, FlowState>();
  /** principal / key / IP -> actor keys, to attach findings that name an actor another way. */
  private readonly aliases = new Map<string, string>();
  droppedActors = 0;
  private readonly span: { start: number; end: number } | null;
  private readonly expected: ExpectedList;
  private readonly expectedIps: ReadonlySet<string>;

  constructor(private readonly options: ActorOptions) {
    this.expected = expectedList(options.expectedPrincipals ?? []);
    this.expectedIps = new Set(options.expectedIps ?? []);
    this.span = options.window ? { start: Date.parse(options.window.start), end: Date.parse(options.window.end) } : null;
  }

  add(e: TimelineEvent): void {
    if (e.source === 'flow-log') return this.addFlow(e);
    const key = e.actorKey;
    if (!key) return;
    let a = this.actors.get(key);
    if (!a) {
      if (this.actors.size >= MAX_ACTORS) {
        this.droppedActors++;
        return;
      }
      a = new ActorState(key, e);
      this.actors.set(key, a);
    }
    a.add(e, this.binOf(e));
    for (const alias of [e.principal, e.accessKeyId, e.actor]) if (alias && !this.aliases.has(alias)) this.aliases.set(alias, key);
  }

  private binOf(e: TimelineEvent): number {
    if (!this.span || e.phase === 'baseline') return -1;
    const t = Date.parse(e.time);
    if (!(t >= this.span.start && t <= this.span.end)) return -1;
    return Math.min(ACTIVITY_BINS - 1, Math.floor(((t - this.span.start) / Math.max(1, this.span.end - this.span.start)) * ACTIVITY_BINS));
  }

  private addFlow(e: TimelineEvent): void {
    const ip = e.actorKey;
    if (!ip || e.phase === 'baseline' || !isPublicIp(ip)) return;
    let f = this.flows.get(ip);
    if (!f) {
      if (this.flows.size >= MAX_FLOW_IPS) return;
      f = { flows: 0, bytesOut: 0, bytesIn: 0, interfaces: new CappedList(ACTOR_CAPS.interfaces) };
      this.flows.set(ip, f);
    }
    f.flows++;
    f.bytesOut += e.bytesOut ?? 0;
    f.bytesIn += e.bytesIn ?? 0;
    const eni = e.detail?.interfaceId;
    if (typeof eni === 'string') f.interfaces.add(eni);
  }

  /** The actor a KEY|ARN|IP names: its key, its principal, one of its access keys, or an IP it used. */
  resolve(query: string): string | null {
    if (this.actors.has(query)) return query;
    return this.aliases.get(query) ?? null;
  }

  /** Every actor, the most suspicious first. */
  summaries(findings: readonly FindingRef[] = []): ActorSummary[] {
    const byActor = new Map<string, FindingRef[]>();
    for (const f of findings) {
      const keys = new Set<string>();
      for (const name of [f.actorKey, f.actor, ...(f.events ?? []).map((e) => e.actor)]) {
        const k = name ? this.resolve(name) : null;
        if (k) keys.add(k);
      }
      for (const k of keys) byActor.set(k, [...(byActor.get(k) ?? []), f]);
    }
    const out: ActorSummary[] = [];
    for (const a of this.actors.values()) if (a.events > 0) out.push(this.summary(a, byActor.get(a.key) ?? []));
    return out.sort((x, y) => y.score - x.score || CLASS_ORDER[x.class] - CLASS_ORDER[y.class] || y.events - x.events || (x.key < y.key ? -1 : 1));
  }

  private classify(a: ActorState): { class: ActorClass; note: string } {
    if (a.kind === 'aws-service' || [...a.userTypes].includes('AWSService'))
      return {
        class: 'aws-service',
        note: `AWS service ${a.principal ?? a.key} acting on the account's behalf (not a person or a stolen credential).`,
      };
    if (a.principal && /:assumed-role\/AWSServiceRoleFor/.test(a.principal))
      return { class: 'aws-service', note: `A service-linked role session: AWS acting through ${a.principal}.` };
    const byIdentity = anyExpected(this.expected, [a.principal, a.sessionIssuer, a.key, ...a.keys.shown]);
    // An actor that only ever acted from the organisation's expected addresses (its CI runners, its NAT) is its own.
    const ips = a.kind === 'ip' ? [a.key] : [...a.ips.keys()];
    const byAddress = ips.length > 0 && ips.every((ip) => this.expectedIps.has(ip));
    if (byIdentity || byAddress)
      return { class: 'own-application', note: "The organisation's own application or pipeline (named as expected in the configuration)." };
    return { class: 'credential', note: '' };
  }

  private network(a: ActorState): ActorNetwork | null {
    let net: ActorNetwork | null = null;
    const ips = a.kind === 'ip' ? [a.key] : [...a.ips.keys()];
    const workloads = new Set<string>();
    const interfaces = new Set<string>();
    let interfacesOmitted = 0;
    for (const ip of ips) {
      const f = this.flows.get(ip);
      if (!f) continue;
      net ??= { flows: 0, bytesOut: 0, bytesIn: 0, workloads: [], interfaces: [], interfacesOmitted: 0 };
      net.flows += f.flows;
      net.bytesOut += f.bytesOut;
      net.bytesIn += f.bytesIn;
      interfacesOmitted += f.interfaces.omitted.count;
      for (const eni of f.interfaces.shown) {
        interfaces.add(eni);
        const w = this.options.aiNetwork?.get(eni);
        if (w) workloads.add(w.workloadArn);
      }
    }
    if (net) {
      net.workloads = [...workloads].sort();
      net.interfaces = [...interfaces].sort();
      net.interfacesOmitted = interfacesOmitted;
    }
    return net;
  }

  private summary(a: ActorState, findings: FindingRef[]): ActorSummary {
    const { hasBaseline } = this.options;
    const cls = this.classify(a);
    const isNew = hasBaseline ? a.baselineEvents === 0 : null;
    const sourceIps = [...a.ips].sort((x, y) => y[1] - x[1]).map(([ip, count]) => ({ ip, count, new: hasBaseline ? !a.baselineIps.has(ip) : null }));
    const network = this.network(a);
    const findingWeight = findings.reduce((n, f) => n + SEVERITY_WEIGHT[f.severity], 0);
    // AWS services and the organisation's own applications rank by their findings only, and far lower.
    let score = cls.class === 'credential' ? findingWeight + Math.min(a.sensitive, 20) * 5 : Math.round(findingWeight / 10);
    if (cls.class === 'credential') {
      if (isNew) score += 20;
      score += Math.min(sourceIps.filter((s) => s.new && isPublicIp(s.ip)).length, 5) * 4;
      if (a.events > 0) score += Math.round((10 * a.errors) / a.events);
      if (network?.workloads.length) score += 15;
    }
    const worst = findings.map((f) => f.severity).sort((x, y) => SEVERITY_ORDER[x] - SEVERITY_ORDER[y])[0];
    const note = cls.note || this.credentialNote(a, isNew, worst);
    const side = (s: Side): ActorSide => ({
      objects: s.objects.size,
      objectsCapped: s.capped,
      bytes: s.bytes,
      buckets: [...s.buckets.shown].sort(),
      bucketsOmitted: s.buckets.omitted.count,
    });
    return {
      key: a.key,
      kind: a.kind,
      class: cls.class,
      note,
      principal: a.principal,
      accessKeyIds: [...a.keys.shown].sort(),
      accessKeyIdsOmitted: a.keys.omitted.count,
      sessionIssuer: a.sessionIssuer,
      sourceIdentity: a.sourceIdentity,
      userTypes: [...a.userTypes].sort(),
      accounts: [...a.accounts.shown].sort(),
      accountsOmitted: a.accounts.omitted.count,
      regions: [...a.regions.shown].sort(),
      regionsOmitted: a.regions.omitted.count,
      sourceIps,
      sourceIpsOmitted: a.ipsOmitted.count,
      userAgents: [...a.agents.shown],
      userAgentsOmitted: a.agents.omitted.count,
      firstSeen: a.first,
      lastSeen: a.last,
      events: a.events,
      baselineEvents: a.baselineEvents,
      errors: a.errors,
      actions: [...a.actions].sort((x, y) => y.count - x.count || (x.action < y.action ? -1 : 1)),
      actionsOmitted: a.actionsOmitted.count,
      read: side(a.read),
      written: side(a.written),
      changed: a.changed,
      changedCount: a.changedCount,
      changedOmitted: a.changedCount - a.changed.length,
      sensitiveActions: a.sensitive,
      new: isNew,
      network,
      findings: findings.map((f) => f.id),
      activity: a.activity,
      score,
      firstRef: a.firstRef!,
    };
  }

  private credentialNote(a: ActorState, isNew: boolean | null, worst: Severity | undefined): string {
    const what =
      a.kind === 'access-key'
        ? `Access key ${a.key}${a.principal ? ` of ${a.principal}` : ''}`
        : a.kind === 'role-session'
          ? `Role session ${a.key}${a.sourceIdentity ? ` (source identity ${a.sourceIdentity})` : ''}`
          : a.kind === 'ip'
            ? `Requests from ${a.key} with no credential recorded`
            : `Principal ${a.key}`;
    const seen =
      isNew === null
        ? 'no baseline to tell whether it is usual'
        : isNew
          ? 'not seen in the baseline'
          : `seen in the baseline (${a.baselineEvents} requests)`;
    return `${what}: ${seen}${worst ? `; part of ${worst} findings` : ''}.`;
  }
}
