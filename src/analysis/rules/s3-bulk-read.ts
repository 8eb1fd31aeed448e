// Training-data and model exfiltration: one actor reading many distinct objects or many bytes from AI buckets
// within a sliding window. Counts requests (one per request, however many logs saw it), never log lines.
import type { TimelineEvent } from '../event.js';
import { objectReadBucket, inAiScope } from './s3-external-read.js';
import { actorKeyOf, EventSample, finding, inWindow, ipClass, isExpected, listSome, RecentIds, requestIdOf, say } from './support.js';
import { countParam, defineRule, type Finding, type RuleMeta } from './types.js';

interface Params {
  objectThreshold: number;
  byteThreshold: number;
  windowMinutes: number;
}

const meta: RuleMeta<Params> = {
  id: 's3-ai-bulk-read',
  title: 'Bulk read of AI data buckets by one actor',
  severity: 'medium',
  element: 'data-store-changes',
  techniques: ['T1530', 'AML.T0025'],
  rationale:
    'Copying out training data or model artifacts means reading many distinct objects, or many bytes, in a short time. Counted per actor over a sliding window from CloudTrail data events and S3 access logs (one request counts once). From a public or unknown address it is high; from a private one medium (a compromised workload inside the VPC can exfiltrate too).',
  messages: { bulk: '{actor} read {objects} distinct object(s), {bytes} from {buckets} between {from} and {to}, from {ips}' },
  params: {
    objectThreshold: countParam(100, 'Distinct objects read by one actor within windowMinutes that make a bulk read.'),
    byteThreshold: countParam(1_073_741_824, 'Bytes read by one actor within windowMinutes that make a bulk read.'),
    windowMinutes: countParam(60, 'Sliding window, minutes.'),
  },
  needsBaseline: false,
  response: {
    containment: ['Deactivate the credential used for the reads; restrict the bucket policy to expected networks and principals'],
    recovery: ['Treat the objects read as disclosed: list them from the evidence; rotate secrets in them; assess model/data theft'],
  },
};

const MAX_DISTINCT = 100_000;

type Burst = {
  since: string;
  sample: EventSample;
  objects: Set<string>;
  bytes: number;
  buckets: Set<string>;
  worstIp: 'public' | 'private' | 'unknown';
};

interface Reader {
  /** Object -> [last read ms, bytes, requests] in order of last read, so the oldest is first. */
  recent: Map<string, [number, number, number]>;
  recentBytes: number;
  open: Burst | null;
}

/** Bursts tracked per actor (bounded memory): an actor bursting more often than this is reported by its first ones. */
const MAX_BURSTS_PER_ACTOR = 20;

export function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i ? v.toFixed(1) : v} ${units[i]}`;
}

const worse = (a: Burst, ip: string | null) => {
  const c = ipClass(ip);
  if (c === 'public' || (c === 'unknown' && a.worstIp === 'private')) a.worstIp = c;
};

export const s3BulkRead = defineRule<Params>({
  meta,
  create(ctx) {
    const p = ctx.params;
    const span = p.windowMinutes * 60_000;
    const seen = new RecentIds();
    const readers = new Map<string, Reader>();
    const bursts: { key: string; burst: Burst }[] = [];
    const burstsOf = new Map<string, number>();
    return {
      event(e: TimelineEvent) {
        const bucket = objectReadBucket(e);
        if (
          !bucket ||
          e.outcome !== 'success' ||
          !inWindow(e, ctx) ||
          !inAiScope(bucket, ctx) ||
          isExpected(e, ctx) ||
          !seen.firstSighting(requestIdOf(e))
        )
          return;
        const key = actorKeyOf(e) ?? '(unknown actor)';
        const object = e.target ?? `s3://${bucket}/?`;
        const bytes = e.bytesOut ?? 0;
        const t = Date.parse(e.time);
        let r = readers.get(key);
        if (!r) {
          if (readers.size >= MAX_DISTINCT) return;
          r = { recent: new Map(), recentBytes: 0, open: null };
          readers.set(key, r);
        }
        const prev = r.recent.get(object);
        r.recent.delete(object);
        r.recent.set(object, [t, (prev?.[1] ?? 0) + bytes, (prev?.[2] ?? 0) + 1]);
        r.recentBytes += bytes;
        for (const [k, [at, b]] of r.recent) {
          if (t - at <= span) break;
          r.recent.delete(k);
          r.recentBytes -= b;
        }
        // A burst grows while the window ending at this read still holds a bulk read; when it does not, the burst
        // ended and this read starts a fresh window (a slow trickle never becomes, nor prolongs, a burst).
        const full = r.recent.size >= p.objectThreshold || r.recentBytes >= p.byteThreshold;
        if (r.open && full) {
          r.open.sample.add(e);
          if (r.open.objects.size < MAX_DISTINCT) r.open.objects.add(object);
          r.open.bytes += bytes;
          if (r.open.buckets.size < 20) r.open.buckets.add(bucket);
          worse(r.open, e.sourceIp);
          return;
        }
        if (r.open) {
          bursts.push({ key, burst: r.open });
          r.open = null;
          r.recent = new Map([[object, [t, bytes, 1]]]);
          r.recentBytes = bytes;
          return;
        }
        if (full && (burstsOf.get(key) ?? 0) < MAX_BURSTS_PER_ACTOR) {
          burstsOf.set(key, (burstsOf.get(key) ?? 0) + 1);
          const since = new Date([...r.recent.values()][0]![0]).toISOString();
          r.open = {
            since,
            sample: new EventSample().add(e),
            objects: new Set(r.recent.keys()),
            bytes: r.recentBytes,
            buckets: new Set([...r.recent.keys()].slice(0, 1000).map((o) => o.slice(5).split('/')[0]!)),
            worstIp: ipClass(e.sourceIp),
          };
          // Every request of the window counts; only the one that crossed the threshold (and later ones) are kept as evidence.
          r.open.sample.count = [...r.recent.values()].reduce((n, [, , k]) => n + k, 0);
        }
      },
      finish() {
        for (const [key, r] of readers) if (r.open) bursts.push({ key, burst: r.open });
        const findings: Finding[] = [];
        for (const { key, burst: o } of bursts) {
          const s = o.sample;
          findings.push(
            finding(
              meta,
              s,
              say(meta.messages.bulk, {
                actor: s.first?.actor ?? key,
                objects: o.objects.size >= MAX_DISTINCT ? `≥${MAX_DISTINCT}` : o.objects.size,
                bytes: humanBytes(o.bytes),
                buckets: listSome(
                  [...o.buckets].map((b) => `s3://${b}`),
                  3,
                ),
                from: o.since,
                to: s.last?.time,
                ips: listSome(s.ips, 5) || 'an unknown address',
              }),
              {
                actorKey: key,
                time: o.since,
                target: `s3://${[...o.buckets][0]}`,
                severity: o.worstIp === 'private' ? 'medium' : 'high',
              },
            ),
          );
        }
        return { findings, notAssessed: null };
      },
    };
  },
});
