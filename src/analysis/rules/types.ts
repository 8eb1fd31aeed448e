// Detection rules, ESLint-style: typed metadata plus create(ctx) returning a streaming visitor. Events arrive in
// timeline order (baseline first); a rule keeps counters and sliding windows, never every event, and finishes
// with findings or NOT_ASSESSED and the reason.
import type { EvidenceRef, TimelineEvent } from '../event.js';

import type { CirtElement } from '../../model/cirt.js';
import type { Severity } from '../../model/severity.js';

export type { Severity };
// The one severity order and CIRT list (src/model), under the names the analysis modules use.
export { SEVERITY_RANK as SEVERITY_ORDER } from '../../model/severity.js';
export { CIRT_ELEMENTS, CIRT_ELEMENT_LABEL as ELEMENT_LABEL, type CirtElement } from '../../model/cirt.js';

// ---- parameters -------------------------------------------------------------------------------------------

export type ParamValue = number | boolean | string | readonly string[];

/** One tunable of a rule: default, JSON-Schema fragment (the config loader validates `analyze --config` with it). */
export interface ParamSpec<T extends ParamValue = ParamValue> {
  default: T;
  description: string;
  schema: Record<string, unknown>;
}
export type ParamSpecs<P> = { readonly [K in keyof P]: ParamSpec<P[K] & ParamValue> };
export type AnyParams = Record<string, ParamValue>;

export const countParam = (def: number, description: string, minimum = 1): ParamSpec<number> => ({
  default: def,
  description,
  schema: { type: 'integer', minimum },
});
export const numberParam = (def: number, description: string, minimum = 0): ParamSpec<number> => ({
  default: def,
  description,
  schema: { type: 'number', minimum },
});
export const listParam = (def: readonly string[], description: string): ParamSpec<readonly string[]> => ({
  default: def,
  description,
  schema: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
});

// ---- metadata ----------------------------------------------------------------------------------------------

export interface RuleMeta<P = AnyParams> {
  id: string;
  title: string;
  severity: Severity;
  element: CirtElement;
  /** MITRE ATT&CK technique ids (T1078.004, ...). */
  techniques: readonly string[];
  rationale: string;
  /** Message id -> template with {placeholders}; findings are rendered from these. */
  messages: Readonly<Record<string, string>>;
  params: ParamSpecs<P>;
  /** The rule compares against normal: NOT_ASSESSED when no baseline lookback was collected. */
  needsBaseline: boolean;
  response: { containment: readonly string[]; recovery: readonly string[] };
}

// ---- context -----------------------------------------------------------------------------------------------

export interface ModelArtifactsReport {
  /** Bundle path of analysis/model-artifacts.json. */
  path: string;
  baseline: string | null;
  tampered: { uri: string; versionId: string | null; sha256: string; expectedSha256: string; knownGoodVersionId: string | null }[];
  missing: { uri: string; sha256: string; versionId?: string }[];
  /** Bundle paths of the collected object copies, by `uri` and `uri?versionId=`. */
  copies: Record<string, string>;
}

/** One entry of the collected ListObjectVersions history of a model-artifact object. */
export interface ArtifactVersion {
  bucket: string;
  key: string;
  versionId: string | null;
  isLatest: boolean;
  lastModified: string;
  size: number | null;
  etag: string | null;
}

/** An elastic network interface of an AI workload (SageMaker endpoint, notebook, training job ...). */
export interface AiNetworkInterface {
  workloadArn: string;
  kind: string;
}

/** Actors and addresses the organisation expects (CI runners, partners): `analyze --config` expectedIps / expectedPrincipals. */
export interface ExpectedActors {
  ips: ReadonlySet<string>;
  /** Principal ARNs, role ARNs (any session of the role) or access key ids. */
  principals: ReadonlySet<string>;
}

/** What analysis-core knows about the bundle; the engine adds each rule's own params. */
export interface AnalysisContext {
  window: { start: string; end: string };
  /** The lookback collected before the window; null when none was collected. */
  baseline: { start: string; end: string } | null;
  /** Accounts of the collection scope (Organization members): trust to them is not "external". */
  knownAccounts: ReadonlySet<string>;
  /** Buckets the bundle identifies as AI data buckets; null = unknown, every bucket is in scope. */
  aiBuckets: ReadonlySet<string> | null;
  modelArtifacts: ModelArtifactsReport | null;
  artifactVersions: readonly ArtifactVersion[];
  aiNetwork: ReadonlyMap<string, AiNetworkInterface>;
  expected: ExpectedActors;
}

export interface RuleContext<P = AnyParams> extends AnalysisContext {
  params: P;
}

// ---- findings ----------------------------------------------------------------------------------------------

export interface FindingEvent {
  time: string;
  action: string;
  actor: string | null;
  target: string | null;
  outcome: string;
  sourceIp: string | null;
  ref: EvidenceRef;
}

export const RESPONSE_ACTION_KINDS = [
  'deactivate-access-key',
  'revoke-role-sessions',
  'delete-login-profile',
  'delete-service-credential',
  'restore-logging',
  'rollback-artifact-version',
  'detach-policy',
  'restore-trust-policy',
  'review',
] as const;
export type ResponseActionKind = (typeof RESPONSE_ACTION_KINDS)[number];

/** A concrete step: "Deactivate access key AKIA…", "Restore version X of s3://b/k". */
export interface ResponseAction {
  kind: ResponseActionKind;
  target: string;
  text: string;
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  element: CirtElement;
  techniques: string[];
  /** When it happened: the first evidence event (or the analysis window start for non-event findings). */
  time: string;
  summary: string;
  account: string | null;
  region: string | null;
  /** Display name of whoever acted (principal ARN, else key, else IP). */
  actor: string | null;
  /** The actor key of the contract (long-term key, role session ARN, principal, IP). */
  actorKey: string | null;
  /** Access key ids seen on the finding's events (at most MAX_FINDING_KEYS). */
  accessKeyIds: string[];
  /** Distinct access key ids left out of accessKeyIds. */
  accessKeyIdsOmitted?: number;
  target: string | null;
  /** Every event that supports the finding (capped at MAX_FINDING_EVENTS; eventCount has the full number). */
  events: FindingEvent[];
  eventCount: number;
  /** eventCount - events.length: the supporting events not listed (the engine sets it). */
  eventsOmitted?: number;
  /** Evidence files that are not timeline events (the baseline comparison, object copies). */
  evidence: EvidenceRef[];
  /** Distinct evidence records left out of `evidence` (at most MAX_FINDING_EVIDENCE are listed). */
  evidenceOmitted?: number;
  /**
   * Counts of this finding that passed the MAX_OMITTED_TRACKED tracking limit (or merge findings that did) and are
   * lower bounds: the report says "at least N". Absent when every count is exact.
   */
  lowerBounds?: LowerBound[];
  actions: ResponseAction[];
  /** Rules whose findings of this same step were merged into this one (src/analysis/rules/overlaps.ts). */
  mergedFrom?: string[];
  /** What a merge needs to count exactly; the engine drops it, it is never written out. */
  tally?: FindingTally;
}

/**
 * The distinct values behind a finding's capped lists, so that two findings of one step merge into exact counts
 * (rules/overlaps.ts): merging before capping. Each list is bounded by MAX_OMITTED_TRACKED; beyond that a count is
 * a lower bound.
 */
export interface FindingTally {
  /** Every distinct access key id of the events, in first-seen order. */
  accessKeyIds: readonly string[];
  /** The records of the supporting events not listed in `events` (the first record of each event). */
  moreEvents: EventRefs;
  /** The distinct evidence records not listed in `evidence`. */
  moreEvidence?: EventRefs;
}

/** A count of a finding that may be a lower bound (findings.json `lowerBounds`). */
export const LOWER_BOUNDS = ['eventCount', 'accessKeyIdsOmitted', 'evidenceOmitted'] as const;
export type LowerBound = (typeof LOWER_BOUNDS)[number];

/** Evidence records kept compactly (many per finding): how many, and the records themselves on demand. */
export interface EventRefs {
  readonly length: number;
  refs(): EvidenceRef[];
}

/** What a rule concludes: findings, or NOT_ASSESSED with why (findings may still be given for what it could see). */
export interface RuleOutcome {
  findings: Finding[];
  notAssessed: string | null;
}

export interface RuleVisitor {
  event(e: TimelineEvent): void;
  finish(): RuleOutcome;
}

export interface Rule<P = AnyParams> {
  meta: RuleMeta<P>;
  create(ctx: RuleContext<P>): RuleVisitor;
}

/** Typed at definition, stored untyped in the registry. */
export const defineRule = <P>(rule: Rule<P>): Rule => rule as unknown as Rule;

export const assessed = (findings: Finding[]): RuleOutcome => ({ findings, notAssessed: null });
export const notAssessed = (reason: string, findings: Finding[] = []): RuleOutcome => ({ findings, notAssessed: reason });

export const MAX_FINDING_EVENTS = 50;
export const MAX_FINDING_KEYS = 20;
/** Evidence records (not timeline events) listed per finding; the distinct rest are counted in evidenceOmitted. */
export const MAX_FINDING_EVIDENCE = 50;
/** Distinct left-out values remembered per list to count them exactly; beyond this the count is a lower bound. */
export const MAX_OMITTED_TRACKED = 100_000;
