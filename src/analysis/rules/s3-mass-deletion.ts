// Destruction (and the wiping half of a ransom): one actor deleting many objects within a sliding window. Counts
// objects, not log lines: a DeleteObject seen by CloudTrail and the access log is one object; the keys of a
// DeleteObjects request come from the access log's BATCH.DELETE.OBJECT lines (CloudTrail does not record them,
// so such a request counts as one object until its keys are seen). Deleting versions, or bypassing Object Lock, rates higher.
// The pattern responders look for when only CloudTrail saw it: a listing of the bucket (ListObjects(V2),
// ListObjectVersions) then multi-object deletes (or deletes of versions) by the same actor: reported with the number
// of requests, the object count as a lower bound, and whether versions were targeted.
import type { TimelineEvent } from '../event.js';
import {
  actorKeyOf,
  EventSample,
  finding,
  headerIsTrue,
  inWindow,
  isExpected,
  isTrail,
  listSome,
  requestIdOf,
  requestParameters,
  say,
  str,
} from './support.js';
import { countParam, defineRule, type Finding, type RuleMeta, type Severity } from './types.js';

interface Params {
  objectThreshold: number;
  versionThreshold: number;
  sweepRequestThreshold: number;
  windowMinutes: number;
}

const meta: RuleMeta<Params> = {
  id: 's3-mass-deletion',
  title: 'Mass deletion of S3 objects by one actor',
  severity: 'medium',
  element: 'data-store-changes',
  techniques: ['T1485', 'T1490'],
  rationale:
    'Wiping training data, model artifacts or logs, or deleting them after copying them out to demand a ransom, means deleting many objects in a short time. Counted per actor over a sliding window from CloudTrail data events (DeleteObject, DeleteObjects) and the S3 access log (REST.DELETE.OBJECT, BATCH.DELETE.OBJECT), one object once however many logs saw it. CloudTrail does not name the keys of a DeleteObjects request (its record carries the bucket, the request id that joins it to the access log’s BATCH.DELETE.OBJECT lines, and the Object Lock bypass header; the S3 user guide’s logging comparison says object keys of batch deletes are not in CloudTrail): without the access log such a request counts as one object (so the count is a lower bound). Listing a bucket (ListObjects, ListObjectsV2, ListObjectVersions) and then sending sweepRequestThreshold or more multi-object deletes (or deletes of versions) to it within windowMinutes is reported even below the object threshold: a bulk deletion, with the number of requests, at least how many objects, and whether versions were targeted (listed with ListObjectVersions or deleted by version id: a permanent loss) or only current objects (delete markers, recoverable). Object versions are deleted for good, so fewer of them (versionThreshold) make a mass deletion. High on AI data buckets, medium elsewhere; one step higher when object versions were deleted (permanent, no delete marker to remove) or Object Lock governance retention was bypassed.',
  messages: {
    deletion: '{actor} deleted {objects} object(s){versions} from {buckets} between {from} and {to}, from {ips}{lowerBound}',
    sweep:
      '{actor} bulk-deleted objects from s3://{bucket} after listing it ({listing}): {requests} delete request(s) ({batches} DeleteObjects, {versionDeletes} deletes of an object version) between {from} and {to}, from {ips}; at least {objects} object(s) deleted{keys}; {versions}',
  },
  params: {
    objectThreshold: countParam(100, 'Distinct objects deleted by one actor within windowMinutes that make a mass deletion.'),
    versionThreshold: countParam(20, 'Object versions deleted (permanently) by one actor within windowMinutes that make a mass deletion.'),
    sweepRequestThreshold: countParam(
      3,
      'Multi-object deletes (DeleteObjects) or deletes of object versions by one actor on one bucket, within windowMinutes of that actor listing the bucket, that make a bulk deletion.',
    ),
    windowMinutes: countParam(60, 'Sliding window, minutes.'),
  },
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate the credential; deny s3:DeleteObject* on the buckets to everyone but the break-glass role; turn on Object Lock or MFA delete where possible',
    ],
    recovery: [
      'Remove the delete markers to restore the previous versions (versioned buckets); restore permanently deleted versions from replicas or AWS Backup',
    ],
  },
};

const MAX_TRACKED = 100_000;
const MAX_BURSTS_PER_ACTOR = 20;
const PLACEHOLDER = 'req:';

interface Burst {
  since: string;
  sample: EventSample;
  objects: Set<string>;
  versions: number;
  /** Deletions that bypassed Object Lock governance retention. */
  bypassed: number;
  buckets: Set<string>;
}
interface Deleter {
  /** Object id -> [last deletion ms, versioned, bucket, bypassed governance], in order of last deletion. */
  recent: Map<string, [number, boolean, string, boolean]>;
  /** Versioned entries of `recent`. */
  recentVersions: number;
  open: Burst | null;
}

function drop(r: Deleter, id: string): void {
  if (r.recent.get(id)?.[1]) r.recentVersions--;
  r.recent.delete(id);
}
function put(r: Deleter, id: string, entry: [number, boolean, string, boolean]): void {
  drop(r, id);
  r.recent.set(id, entry);
  if (entry[1]) r.recentVersions++;
}

const bucketOf = (target: string | null): string | null => /^s3:\/\/([^/]+)/.exec(target ?? '')?.[1] ?? null;

/** The objects one deletion event names: id (target + version) and whether a version was deleted; null: not a deletion. */
function deleted(e: TimelineEvent): { id: string; bucket: string; versioned: boolean; keyed: boolean; bypass: boolean } | null {
  if (e.outcome !== 'success' || e.service !== 's3.amazonaws.com') return null;
  const bucket = bucketOf(e.target) ?? str(requestParameters(e).bucketName);
  if (!bucket) return null;
  const version = str(requestParameters(e).versionId) ?? str(e.detail?.versionId);
  const bypass = headerIsTrue(requestParameters(e)['x-amz-bypass-governance-retention']);
  const one = (id: string) => ({ id: version ? `${id}?versionId=${version}` : id, bucket, versioned: !!version, keyed: true, bypass });
  if (isTrail(e) && e.action === 'DeleteObject') return e.target?.includes('/', 5) ? one(e.target) : null;
  if (e.source === 's3-access-log' && (e.action === 'REST.DELETE.OBJECT' || e.action === 'BATCH.DELETE.OBJECT'))
    return e.target?.includes('/', 5) ? one(e.target) : null;
  if ((isTrail(e) && e.action === 'DeleteObjects') || (e.source === 's3-access-log' && e.action === 'REST.POST.MULTI_OBJECT_DELETE'))
    return {
      id: `${PLACEHOLDER}${requestIdOf(e) ?? `${e.evidenceRef.path}:${e.evidenceRef.line ?? e.evidenceRef.record}`}`,
      bucket,
      versioned: false,
      keyed: false,
      bypass,
    };
  return null;
}

const LISTINGS = new Set(['ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'REST.GET.BUCKET', 'REST.GET.BUCKETVERSIONS']);
const VERSION_LISTINGS = new Set(['ListObjectVersions', 'REST.GET.BUCKETVERSIONS']);
const MAX_SWEEPS = 10_000;

/** One actor's listing of one bucket and the deletes that followed it within the window. */
interface Sweep {
  key: string;
  bucket: string;
  listedAt: number;
  listing: TimelineEvent;
  listings: Set<string>;
  versionsListed: boolean;
  sample: EventSample | null;
  since: string;
  /** Multi-object delete requests; those whose keys the access log named. */
  batches: Set<string>;
  keyedBatches: Set<string>;
  /** Objects named by BATCH.DELETE.OBJECT lines of those requests, and deletes of a version (by version id). */
  batchKeys: Set<string>;
  versionDeletes: Set<string>;
  bypassed: boolean;
}

/** A listing of a bucket by an actor: the actor's sweep of it starts (or restarts its clock). */
function listed(sweeps: Map<string, Sweep>, key: string, e: TimelineEvent): void {
  const bucket = bucketOf(e.target) ?? str(requestParameters(e).bucketName);
  if (!bucket || e.outcome !== 'success') return;
  const id = `${key}\n${bucket}`;
  let w = sweeps.get(id);
  if (!w) {
    if (sweeps.size >= MAX_SWEEPS) return;
    w = {
      key,
      bucket,
      listedAt: 0,
      listing: e,
      listings: new Set(),
      versionsListed: false,
      sample: null,
      since: '',
      batches: new Set(),
      keyedBatches: new Set(),
      batchKeys: new Set(),
      versionDeletes: new Set(),
      bypassed: false,
    };
    sweeps.set(id, w);
  }
  w.listedAt = Date.parse(e.time);
  if (!w.sample) w.listing = e;
  w.listings.add(e.action.startsWith('REST.') ? (VERSION_LISTINGS.has(e.action) ? 'ListObjectVersions' : 'ListObjects') : e.action);
  if (VERSION_LISTINGS.has(e.action)) w.versionsListed = true;
}

/** A deletion within the span after the actor listed the bucket: a request of the sweep (or the keys of one). */
function swept(w: Sweep | undefined, d: NonNullable<ReturnType<typeof deleted>>, e: TimelineEvent, span: number): void {
  if (!w || Date.parse(e.time) - w.listedAt > span || Date.parse(e.time) < w.listedAt) return;
  const rid = requestIdOf(e) ?? d.id;
  const request = !d.keyed ? 'batch' : e.action === 'BATCH.DELETE.OBJECT' ? 'keys' : d.versioned ? 'version' : null;
  if (!request) return;
  if (request === 'keys') {
    if (w.batchKeys.size < MAX_TRACKED) w.batchKeys.add(d.id);
    if (w.keyedBatches.size < MAX_TRACKED) w.keyedBatches.add(rid);
    return;
  }
  if (!w.sample) {
    w.sample = new EventSample().add(w.listing);
    w.since = w.listing.time;
  }
  if (request === 'batch' ? w.batches.has(rid) : w.versionDeletes.has(d.id)) return;
  w.sample.add(e);
  if (request === 'batch' && w.batches.size < MAX_TRACKED) w.batches.add(rid);
  if (request === 'version' && w.versionDeletes.size < MAX_TRACKED) w.versionDeletes.add(d.id);
  if (d.bypass) w.bypassed = true;
}

function renderSweep(w: Sweep, ai: boolean): Finding {
  const s = w.sample!;
  const unkeyed = [...w.batches].filter((r) => !w.keyedBatches.has(r)).length;
  const versions = w.versionDeletes.size
    ? 'object versions were deleted by version id: a permanent loss, with no delete marker to remove'
    : w.versionsListed
      ? 'the versions were listed first (ListObjectVersions), so the requests likely named version ids: a permanent loss (CloudTrail does not record which; list the versions left)'
      : 'only current objects were listed: on a versioned bucket the deletes most likely left delete markers (recoverable by removing them)';
  const permanent = w.versionDeletes.size > 0 || w.bypassed;
  const severity: Severity = permanent ? (ai ? 'critical' : 'high') : ai ? 'high' : 'medium';
  return finding(
    meta,
    s,
    say(meta.messages.sweep, {
      actor: s.first?.actor ?? w.key,
      bucket: w.bucket,
      listing: [...w.listings].join(', '),
      requests: w.batches.size + w.versionDeletes.size,
      batches: w.batches.size,
      versionDeletes: w.versionDeletes.size,
      from: w.since,
      to: s.last?.time,
      ips: listSome(s.ips, 5) || 'an unknown address',
      objects: unkeyed + w.batchKeys.size + w.versionDeletes.size,
      keys: unkeyed
        ? ` (CloudTrail does not record the keys of DeleteObjects, up to 1,000 per request: ${unkeyed} request(s) counted as one object each, no BATCH.DELETE.OBJECT access-log line named theirs)`
        : '',
      versions: `${versions}${w.bypassed ? '; Object Lock governance retention bypassed' : ''}`,
    }),
    { actorKey: w.key, time: w.since, target: `s3://${w.bucket}`, severity },
  );
}

function render(key: string, o: Burst, severity: Severity): Finding {
  const s = o.sample;
  return finding(
    meta,
    s,
    say(meta.messages.deletion, {
      actor: s.first?.actor ?? key,
      objects: o.objects.size >= MAX_TRACKED ? `≥${MAX_TRACKED}` : o.objects.size,
      versions: `${o.versions ? ` (${o.versions} of them object versions, deleted permanently)` : ''}${o.bypassed ? `, ${o.bypassed} bypassing Object Lock governance retention` : ''}`,
      buckets: listSome(
        [...o.buckets].map((b) => `s3://${b}`),
        3,
      ),
      from: o.since,
      to: s.last?.time,
      ips: listSome(s.ips, 5) || 'an unknown address',
      lowerBound: [...o.objects].some((i) => i.startsWith(PLACEHOLDER))
        ? '; at least: CloudTrail does not name the keys of DeleteObjects, and no access-log line did'
        : '',
    }),
    { actorKey: key, time: o.since, target: `s3://${[...o.buckets][0]}`, severity },
  );
}

export const s3MassDeletion = defineRule<Params>({
  meta,
  create(ctx) {
    const span = ctx.params.windowMinutes * 60_000;
    const deleters = new Map<string, Deleter>();
    const keyedRequests = new Set<string>();
    const bursts: { key: string; burst: Burst }[] = [];
    const burstsOf = new Map<string, number>();
    const severityOf = (o: Burst): Severity => {
      const ai = ctx.aiBuckets === null || [...o.buckets].some((b) => ctx.aiBuckets!.has(b));
      return o.versions || o.bypassed ? (ai ? 'critical' : 'high') : ai ? 'high' : 'medium';
    };
    const sweeps = new Map<string, Sweep>();
    return {
      event(e: TimelineEvent) {
        if (LISTINGS.has(e.action) && e.service === 's3.amazonaws.com' && !isExpected(e, ctx))
          return listed(sweeps, actorKeyOf(e) ?? '(unknown actor)', e);
        const d = deleted(e);
        if (!d || !inWindow(e, ctx) || isExpected(e, ctx)) return;
        const key = actorKeyOf(e) ?? '(unknown actor)';
        swept(sweeps.get(`${key}\n${d.bucket}`), d, e, span);
        let r = deleters.get(key);
        if (!r) {
          if (deleters.size >= MAX_TRACKED) return;
          r = { recent: new Map(), recentVersions: 0, open: null };
          deleters.set(key, r);
        }
        const rid = requestIdOf(e);
        if (d.keyed && rid && e.action === 'BATCH.DELETE.OBJECT') {
          // The request's keys are known now: its placeholder is not an object.
          if (keyedRequests.size < MAX_TRACKED) keyedRequests.add(rid);
          drop(r, `${PLACEHOLDER}${rid}`);
          r.open?.objects.delete(`${PLACEHOLDER}${rid}`);
        } else if (!d.keyed && rid && keyedRequests.has(rid)) return;
        const t = Date.parse(e.time);
        put(r, d.id, [t, d.versioned, d.bucket, d.bypass]);
        for (const [id, [at]] of r.recent) {
          if (t - at <= span) break;
          drop(r, id);
        }
        const full = r.recent.size >= ctx.params.objectThreshold || r.recentVersions >= ctx.params.versionThreshold;
        const o = r.open;
        if (o && full) {
          o.sample.add(e);
          if (o.objects.size < MAX_TRACKED && !o.objects.has(d.id)) {
            o.objects.add(d.id);
            if (d.versioned) o.versions++;
            if (d.bypass) o.bypassed++;
          }
          if (o.buckets.size < 20) o.buckets.add(d.bucket);
          return;
        }
        if (o) {
          bursts.push({ key, burst: o });
          r.open = null;
          r.recent = new Map();
          r.recentVersions = 0;
          put(r, d.id, [t, d.versioned, d.bucket, d.bypass]);
          return;
        }
        if (!full || (burstsOf.get(key) ?? 0) >= MAX_BURSTS_PER_ACTOR) return;
        burstsOf.set(key, (burstsOf.get(key) ?? 0) + 1);
        const ids = [...r.recent.keys()];
        const entries = [...r.recent.values()];
        r.open = {
          since: new Date(entries[0]![0]).toISOString(),
          sample: new EventSample().add(e),
          objects: new Set(ids),
          versions: entries.filter(([, v]) => v).length,
          bypassed: entries.filter(([, , , b]) => b).length,
          buckets: new Set(entries.slice(0, 1000).map(([, , b]) => b)),
        };
        // Every deletion of the window counts; the one that crossed the threshold and later ones are the evidence.
        r.open.sample.count = ids.length;
      },
      finish() {
        for (const [key, r] of deleters) if (r.open) bursts.push({ key, burst: r.open });
        const findings = bursts.map(({ key, burst }) => render(key, burst, severityOf(burst)));
        for (const w of sweeps.values()) {
          if (!w.sample || w.batches.size + w.versionDeletes.size < ctx.params.sweepRequestThreshold) continue;
          const sweep = renderSweep(w, ctx.aiBuckets === null || ctx.aiBuckets.has(w.bucket));
          // The same deletions already make a mass deletion of this actor: one finding, which says how it was done.
          const i = bursts.findIndex(({ key, burst }) => key === w.key && burst.buckets.has(w.bucket));
          if (i < 0) findings.push(sweep);
          else findings[i] = { ...findings[i]!, summary: `${findings[i]!.summary}. How: ${sweep.summary}` };
        }
        return { findings, notAssessed: null };
      },
    };
  },
});
