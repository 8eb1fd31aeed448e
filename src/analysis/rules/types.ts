// Detection rules are data plus one pure function: metadata (id, title, severity, CIRT element, rationale),
// a cheap predicate saying which timeline events the rule needs kept in memory, and match().
import type { EvidenceRef, TimelineEvent } from '../event.js';

import { SEVERITIES, type Severity } from '../../model/scan.js';

export type { Severity };
/** Sort key, most severe first: the same severities as the readiness scan. */
export const SEVERITY_ORDER = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

/** The seven elements of the AWS CIRT methodology for generative-AI incidents. */
export const CIRT_ELEMENTS = ['access', 'infrastructure-changes', 'ai-changes', 'data-store-changes', 'invocation', 'private-data', 'agency'] as const;
export type CirtElement = (typeof CIRT_ELEMENTS)[number];

/** How the seven CIRT elements read in reports. */
export const ELEMENT_LABEL: Record<CirtElement, string> = {
  access: 'Access',
  'infrastructure-changes': 'Infrastructure changes',
  'ai-changes': 'AI changes',
  'data-store-changes': 'Data store changes',
  invocation: 'Invocation',
  'private-data': 'Private data',
  agency: 'Agency',
};

export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  element: CirtElement;
  rationale: string;
}

export interface ModelArtifactsReport {
  /** Bundle path of analysis/model-artifacts.json. */
  path: string;
  baseline: string | null;
  tampered: { uri: string; versionId: string | null; sha256: string; expectedSha256: string; knownGoodVersionId: string | null }[];
  missing: { uri: string; sha256: string; versionId?: string }[];
  /** Bundle paths of the collected object copies, by `uri` and `uri?versionId=`. */
  copies: Record<string, string>;
}

export interface RuleParams {
  /** AccessDenied-type errors by one actor within burstWindowMinutes that make a burst. */
  accessDeniedThreshold: number;
  burstWindowMinutes: number;
  /** Public IPs expected to read AI buckets (CI runners, partners). */
  expectedIps: string[];
}

export const DEFAULT_PARAMS: RuleParams = { accessDeniedThreshold: 10, burstWindowMinutes: 10, expectedIps: [] };

export interface RuleContext {
  window: { start: string; end: string };
  /** Accounts of the collection scope (Organization members): trust to them is not "external". */
  knownAccounts: ReadonlySet<string>;
  /** Buckets the bundle identifies as AI data buckets; null = unknown, every bucket is in scope. */
  aiBuckets: ReadonlySet<string> | null;
  modelArtifacts: ModelArtifactsReport | null;
  params: RuleParams;
}

export interface FindingEvent {
  time: string;
  action: string;
  actor: string | null;
  target: string | null;
  outcome: string;
  sourceIp: string | null;
  ref: EvidenceRef;
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  element: CirtElement;
  /** When it happened: the first evidence event (or the analysis window start for non-event findings). */
  time: string;
  summary: string;
  account: string | null;
  region: string | null;
  actor: string | null;
  target: string | null;
  /** Every event that supports the finding (capped at MAX_FINDING_EVENTS; eventCount has the full number). */
  events: FindingEvent[];
  eventCount: number;
  /** Evidence files that are not timeline events (the baseline comparison, object copies). */
  evidence: EvidenceRef[];
}

export interface Rule {
  meta: RuleMeta;
  /** Which events match() needs; the engine keeps only those in memory. */
  wants(event: TimelineEvent): boolean;
  match(events: readonly TimelineEvent[], ctx: RuleContext): Finding[];
  /** Why the rule could not be evaluated on this data (null when it could). */
  coverage?(events: readonly TimelineEvent[], ctx: RuleContext): string | null;
}

export const MAX_FINDING_EVENTS = 50;

export function findingEvent(e: TimelineEvent): FindingEvent {
  return { time: e.time, action: e.action, actor: e.actor, target: e.target, outcome: e.outcome, sourceIp: e.sourceIp, ref: e.evidenceRef };
}

/** A finding about one or more events (the first is the headline). */
export function finding(meta: RuleMeta, events: readonly TimelineEvent[], summary: string, over: Partial<Pick<Finding, 'severity' | 'target' | 'actor' | 'evidence'>> = {}): Finding {
  const first = events[0];
  return {
    ruleId: meta.id,
    title: meta.title,
    severity: over.severity ?? meta.severity,
    element: meta.element,
    time: first?.time ?? '',
    summary,
    account: first?.account ?? null,
    region: first?.region ?? null,
    actor: over.actor !== undefined ? over.actor : (first?.actor ?? null),
    target: over.target !== undefined ? over.target : (first?.target ?? null),
    events: events.slice(0, MAX_FINDING_EVENTS).map(findingEvent),
    eventCount: events.length,
    evidence: over.evidence ?? [],
  };
}

/** CloudTrail-sourced event (trail file or LookupEvents). */
export const isTrail = (e: TimelineEvent): boolean => e.source === 'cloudtrail' || e.source === 'cloudtrail-lookup';

export const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

export function requestParameters(e: TimelineEvent): Record<string, unknown> {
  return obj(e.detail?.requestParameters) ?? {};
}

export function trailCall(e: TimelineEvent, service: string, actions: ReadonlySet<string>): boolean {
  return isTrail(e) && e.service === service && actions.has(e.action);
}
