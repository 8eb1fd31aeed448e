// Destruction (and the wiping half of a ransom): one actor deleting many objects within a sliding window. Counts
// objects, not log lines: a DeleteObject seen by CloudTrail and the access log is one object; the keys of a
// DeleteObjects request come from the access log's BATCH.DELETE.OBJECT lines (CloudTrail does not record them,
// so such a request counts as one object until its keys are seen). Deleting versions, or bypassing Object Lock, rates higher.
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
  windowMinutes: number;
}

const meta: RuleMeta<Params> = {
  id: 's3-mass-deletion',
  title: 'Mass deletion of S3 objects by one actor',
  severity: 'medium',
  element: 'data-store-changes',
  techniques: ['T1485', 'T1490'],
  rationale:
    'Wiping training data, model artifacts or logs, or deleting them after copying them out to demand a ransom, means deleting many objects in a short time. Counted per actor over a sliding window from CloudTrail data events (DeleteObject, DeleteObjects) and the S3 access log (REST.DELETE.OBJECT, BATCH.DELETE.OBJECT), one object once however many logs saw it. CloudTrail does not name the keys of a DeleteObjects request: without the access log such a request counts as one object (so the count is a lower bound). Object versions are deleted for good, so fewer of them (versionThreshold) make a mass deletion. High on AI data buckets, medium elsewhere; one step higher when object versions were deleted (permanent, no delete marker to remove) or Object Lock governance retention was bypassed.',
  messages: {
    deletion: '{actor} deleted {objects} object(s){versions} from {buckets} between {from} and {to}, from {ips}{lowerBound}',
  },
  params: {
    objectThreshold: countParam(100, 'Distinct objects deleted by one actor within windowMinutes that make a mass deletion.'),
    versionThreshold: countParam(20, 'Object versions deleted (permanently) by one actor within windowMinutes that make a mass deletion.'),
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
    return {
      event(e: TimelineEvent) {
        const d = deleted(e);
        if (!d || !inWindow(e, ctx) || isExpected(e, ctx)) return;
        const key = actorKeyOf(e) ?? '(unknown actor)';
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
        return { findings: bursts.map(({ key, burst }) => render(key, burst, severityOf(burst))), notAssessed: null };
      },
    };
  },
});
