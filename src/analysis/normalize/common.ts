// What every normaliser shares: the record's place in the bundle, the event skeleton, the actor key, and
// field access that tolerates the variants real exports carry. Every string copied is attacker-controlled data.
import type { EventPhase, EventSource, EvidenceRef, TimelineEvent } from '../event.js';

/** Where a record sits and what the manifest says about its file. */
export interface RecordContext {
  ref: EvidenceRef;
  /** Account and region of the manifest item (fallbacks when the record does not say). */
  account: string | null;
  region: string | null;
  /** The manifest item was collected for the baseline lookback. */
  baseline?: boolean;
  /** Start of the incident window (ISO): earlier events are baseline. */
  windowStart?: string | null;
}

export type Normalised = { ok: true; event: TimelineEvent } | { ok: false; reason: string };

export const fail = (reason: string): Normalised => ({ ok: false, reason });
export const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
export const obj = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
export const toIso = (t: Date): string | null => (Number.isNaN(t.getTime()) ? null : t.toISOString());

/** A non-negative integer from a number or a decimal string ('-' and junk are null). */
export function count(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.floor(v) : null;
  if (typeof v === 'string' && /^\d{1,15}$/.test(v)) return Number(v);
  return null;
}

/**
 * A field by name, exact first, else case-insensitively (exports and SIEM pipelines lower-case keys:
 * `accesskeyid`, `useridentity`, `requestid`).
 */
export function field(o: Record<string, unknown> | null | undefined, name: string): unknown {
  if (!o) return undefined;
  if (Object.hasOwn(o, name)) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

const SESSION_ARN = /^arn:[a-z-]+:sts::\d{12}:assumed-role\/[^/]+\/.+$/;

/**
 * The contract's actor key: a long-term access key; for a temporary key (ASIA...) the role session ARN so every
 * key of one session rolls up (else its principal); else the principal ARN; else the source IP.
 */
export function actorKeyOf(p: { accessKeyId: string | null; principal: string | null; sourceIp: string | null }): string | null {
  const { accessKeyId, principal, sourceIp } = p;
  if (accessKeyId && !accessKeyId.startsWith('ASIA')) return accessKeyId;
  if (accessKeyId) return principal && SESSION_ARN.test(principal) ? principal : (principal ?? accessKeyId);
  return principal ?? sourceIp;
}

export function phaseOf(ctx: RecordContext, time: string): EventPhase {
  if (ctx.baseline) return 'baseline';
  return ctx.windowStart && time < ctx.windowStart ? 'baseline' : 'incident';
}

type Required_ = Pick<TimelineEvent, 'time' | 'source' | 'service' | 'action' | 'target' | 'outcome'>;

/**
 * A normalised event of one record: account, region and evidence ref default to the manifest item's, the
 * who-fields to unknown, and the actor key is derived, so each source states only what its records carry.
 */
export function eventOf(ctx: RecordContext, fields: Required_ & Partial<TimelineEvent>): Normalised {
  const base: TimelineEvent = {
    account: ctx.account,
    region: ctx.region,
    actor: null,
    principal: null,
    accessKeyId: null,
    sourceIp: null,
    evidenceRef: ctx.ref,
    evidence: [ctx.ref],
    requestId: null,
    actorKey: null,
    userType: null,
    sessionIssuer: null,
    sourceIdentity: null,
    userAgent: null,
    phase: phaseOf(ctx, fields.time),
    bytesOut: null,
    bytesIn: null,
    ...fields,
  };
  if (fields.actorKey === undefined) base.actorKey = actorKeyOf(base);
  return { ok: true, event: base };
}

export type { EventSource };
