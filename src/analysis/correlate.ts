// One event per real request. The timeline arrives in time order; a request seen by several sources (a CloudTrail
// S3 data event and the access-log line of the same GET, a CloudTrail InvokeModel and its invocation-log record, a
// trail file and LookupEvents, two trails delivering the same event) is merged into one event that keeps every
// evidence reference. Joined on the request id (or CloudTrail eventID), else on operation + target + requester
// within a few seconds. Memory holds only the events of the last few seconds.
import type { EventSource, TimelineEvent } from './event.js';
import { bucketOf } from '../model/s3-location.js';

export interface CorrelateOptions {
  /** How far apart (ms) two records of one request may be stamped. */
  windowMs: number;
}

export const DEFAULT_CORRELATE: CorrelateOptions = { windowMs: 5_000 };

type Family = 'trail' | 'access-log' | 'invocation' | 'other';

const FAMILY: Record<EventSource, Family> = {
  cloudtrail: 'trail',
  'cloudtrail-lookup': 'trail',
  'bedrock-invocation': 'invocation',
  's3-access-log': 'access-log',
  'sagemaker-endpoint-log': 'other',
  'sagemaker-data-capture': 'other',
  'flow-log': 'other',
};

/** The source whose fields lead a merged event: CloudTrail has the identity, the others add bytes and content. */
const PRIMACY: Record<Family, number> = { trail: 0, invocation: 1, 'access-log': 2, other: 3 };

/** Access-log operations as the CloudTrail eventName of the same request. */
const ACCESS_LOG_OPERATION: Record<string, string> = {
  'REST.GET.OBJECT': 'GetObject',
  'REST.HEAD.OBJECT': 'HeadObject',
  'REST.PUT.OBJECT': 'PutObject',
  'REST.COPY.OBJECT': 'CopyObject',
  'REST.COPY.OBJECT_GET': 'CopyObject',
  'REST.DELETE.OBJECT': 'DeleteObject',
  'REST.POST.MULTI_OBJECT_DELETE': 'DeleteObjects',
  'REST.POST.UPLOADS': 'CreateMultipartUpload',
  'REST.PUT.PART': 'UploadPart',
  'REST.POST.UPLOAD': 'CompleteMultipartUpload',
  'REST.DELETE.UPLOAD': 'AbortMultipartUpload',
  'REST.GET.BUCKET': 'ListObjects',
  'REST.GET.OBJECT_TAGGING': 'GetObjectTagging',
  'REST.PUT.OBJECT_TAGGING': 'PutObjectTagging',
  'REST.GET.ACL': 'GetObjectAcl',
  'REST.PUT.ACL': 'PutObjectAcl',
  'REST.GET.VERSIONING': 'GetBucketVersioning',
  'REST.GET.LOGGING_STATUS': 'GetBucketLogging',
  'REST.GET.BUCKETPOLICY': 'GetBucketPolicy',
  'REST.PUT.BUCKETPOLICY': 'PutBucketPolicy',
};

/** The operation of an event in CloudTrail's vocabulary (ListObjectsV2 and ListObjects are one listing). */
export function canonicalOperation(e: Pick<TimelineEvent, 'source' | 'action'>): string {
  const op = e.source === 's3-access-log' ? (ACCESS_LOG_OPERATION[e.action] ?? e.action) : e.action;
  return op === 'ListObjectsV2' ? 'ListObjects' : op;
}

/** A finished event, with the JSON line it was read from while no other record has been merged into it. */
export interface Correlated {
  event: TimelineEvent;
  line: string | null;
}

interface Pending extends Correlated {
  at: number;
  /** Source families already merged in: one record per family per request. */
  families: Set<Family>;
  keys: string[];
}

function joinKeys(e: TimelineEvent): string[] {
  const keys: string[] = [];
  const eventId = e.detail?.eventID;
  if (typeof eventId === 'string' && eventId) keys.push(`eid:${eventId}`);
  if (e.requestId) keys.push(`rid:${e.requestId}|${bucketOf(e.target) ?? ''}`);
  return keys;
}

function fallbackKey(e: TimelineEvent): string | null {
  const requester = e.principal ?? e.sourceIp;
  if (!e.target || !requester) return null;
  return `fb:${canonicalOperation(e)}|${e.target}|${requester}`;
}

/** Merges `b` into `a` (same request): the primary's fields lead, the other fills what it lacks. */
export function mergeEvents(a: TimelineEvent, b: TimelineEvent): TimelineEvent {
  const [p, s] = PRIMACY[FAMILY[b.source]] < PRIMACY[FAMILY[a.source]] ? [b, a] : [a, b];
  const evidence = [
    ...p.evidence,
    ...s.evidence.filter((r) => !p.evidence.some((q) => q.path === r.path && q.line === r.line && q.record === r.record)),
  ];
  const sources = [...new Set([...(p.sources ?? [p.source]), ...(s.sources ?? [s.source])])];
  const fill = <K extends keyof TimelineEvent>(k: K): TimelineEvent[K] => p[k] ?? s[k];
  return {
    ...p,
    time: a.time < b.time ? a.time : b.time,
    account: fill('account'),
    region: fill('region'),
    principal: fill('principal'),
    accessKeyId: fill('accessKeyId'),
    sourceIp: fill('sourceIp'),
    requestId: fill('requestId'),
    userAgent: fill('userAgent'),
    sessionIssuer: fill('sessionIssuer'),
    sourceIdentity: fill('sourceIdentity'),
    userType: fill('userType'),
    bytesOut: fill('bytesOut'),
    bytesIn: fill('bytesIn'),
    phase: a.phase === 'incident' || b.phase === 'incident' ? 'incident' : 'baseline',
    evidenceRef: evidence[0]!,
    evidence,
    sources,
    ...(p.detail || s.detail ? { detail: mergedDetail(s.detail, p.detail) } : {}),
  };
}

/**
 * { ...under, ...over }, built into a fresh object: the same keys in the same order and the same values, at a
 * tenth of the CPU (V8 adds the second object's keys to a spread copy slowly: ~20 µs per merged S3 request).
 * `__proto__` (a key hostile JSON may hold) is defined as an own key, as a spread would, never set as the prototype.
 */
function mergedDetail(under: Record<string, unknown> | undefined, over: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const from of [under, over]) {
    if (!from) continue;
    for (const k of Object.keys(from)) {
      if (k === '__proto__') Object.defineProperty(out, k, { value: from[k], enumerable: true, writable: true, configurable: true });
      else out[k] = from[k];
    }
  }
  return out;
}

/**
 * Streaming correlator: push events in time order, get back the finished ones (in time order); flush at the end.
 * `merged` counts records folded into an earlier event (records - events).
 */
export class Correlator {
  private queue: Pending[] = [];
  private head = 0;
  private readonly index = new Map<string, Pending[]>();
  merged = 0;

  constructor(private readonly options: CorrelateOptions = DEFAULT_CORRELATE) {}

  push(e: TimelineEvent): TimelineEvent[] {
    return this.pushLine(e, null).map((c) => c.event);
  }

  flush(): TimelineEvent[] {
    return this.flushLines().map((c) => c.event);
  }

  /** push() for an event read from `line` (its JSON): the finished events come with their lines while unmerged. */
  pushLine(e: TimelineEvent, line: string | null): Correlated[] {
    const at = Date.parse(e.time);
    const done = this.evict(at - this.options.windowMs);
    const family = FAMILY[e.source];
    if (family === 'other') {
      this.queue.push({ event: e, line, at, families: new Set([family]), keys: [] });
      return done;
    }
    // Each key is built once per record: it is looked up, then indexed.
    const ids = joinKeys(e);
    const fb = fallbackKey(e);
    const match = this.find(ids, fb, e, family, at);
    if (match) {
      match.event = mergeEvents(match.event, e);
      match.line = null;
      match.families.add(family);
      this.addAll(ids, fb, match);
      this.merged++;
      return done;
    }
    const entry: Pending = { event: e, line, at, families: new Set([family]), keys: [] };
    this.queue.push(entry);
    this.addAll(ids, fb, entry);
    return done;
  }

  flushLines(): Correlated[] {
    return this.evict(Number.POSITIVE_INFINITY);
  }

  private addAll(ids: readonly string[], fb: string | null, p: Pending): void {
    for (const k of ids) this.add(k, p);
    if (fb) this.add(fb, p);
  }

  private find(ids: readonly string[], fb: string | null, e: TimelineEvent, family: Family, at: number): Pending | null {
    // The same CloudTrail event delivered twice (two trails, a trail file and LookupEvents): eventID.
    for (const k of ids) {
      for (const p of this.index.get(k) ?? []) {
        if (k.startsWith('eid:') ? FAMILY[p.event.source] === 'trail' : !p.families.has(family)) return p;
      }
    }
    if (!fb) return null;
    for (const p of this.index.get(fb) ?? []) {
      // Without ids, only a record of another family, unpaired, within the window; two alike requests stay two.
      if (
        !p.families.has(family) &&
        Math.abs(at - p.at) <= this.options.windowMs &&
        !(p.event.requestId && e.requestId && p.event.requestId !== e.requestId)
      )
        return p;
    }
    return null;
  }

  private add(key: string, p: Pending): void {
    const list = this.index.get(key);
    if (list) {
      if (!list.includes(p)) list.push(p);
    } else this.index.set(key, [p]);
    p.keys.push(key);
  }

  private evict(before: number): Correlated[] {
    const out: Correlated[] = [];
    while (this.head < this.queue.length && this.queue[this.head]!.at < before) {
      const p = this.queue[this.head++]!;
      for (const k of p.keys) {
        const list = this.index.get(k);
        if (!list) continue;
        // Most keys name one request: drop the list without building a filtered copy of it.
        const at = list.indexOf(p);
        if (at < 0) continue;
        if (list.length === 1) this.index.delete(k);
        else list.splice(at, 1);
      }
      out.push(p);
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return out;
  }
}
