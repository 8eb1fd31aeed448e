// S3 ransomware's own marks: objects rewritten under a customer-provided key (SSE-C: AWS keeps no copy of the key,
// so the owner cannot read the data back) and ransom notes dropped in the bucket. Deletions are s3-mass-deletion's;
// re-encryption under another account's KMS key is s3-copy-outside-org's.
import { isSuccess, type TimelineEvent } from '../event.js';
import { PerActor } from './per-actor.js';
import {
  actorKeyOf,
  credentialActions,
  doneOrDenied,
  finding,
  inWindow,
  isBaseline,
  isExpected,
  isTrail,
  listSome,
  lower,
  RecentIds,
  requestIdOf,
  requestParameters,
  responseElements,
  say,
  str,
  UsualActors,
} from './support.js';
import { countParam, defineRule, listParam, type Finding, type RuleMeta, type Severity } from './types.js';

interface Params {
  sseCObjectThreshold: number;
  ransomNotePatterns: readonly string[];
}

const meta: RuleMeta<Params> = {
  id: 's3-ransomware',
  title: 'S3 ransomware: objects re-encrypted with a customer-provided key, ransom notes',
  severity: 'critical',
  element: 'data-store-changes',
  techniques: ['T1486', 'T1485'],
  rationale:
    'S3 ransomware needs no malware: the attacker copies each object onto itself (or uploads it again) with SSE-C, a key only the attacker holds, and S3 keeps no copy of it, so the owner can no longer read the data; then a note in the bucket asks for payment. One in-place copy under SSE-C is reported (a copy of an object onto itself with a new key is rarely legitimate); SSE-C uploads from an actor that did not write SSE-C in the baseline are reported from a threshold of distinct objects; a note whose name matches one of the patterns is critical. Denied attempts are one step lower.',
  messages: { ransom: '{what} by {actor}' },
  params: {
    sseCObjectThreshold: countParam(10, 'Distinct objects written with SSE-C by one actor that make a bulk re-encryption (critical).'),
    ransomNotePatterns: listParam(
      [
        '(?:decrypt|ransom|restore[_-]?files|how[_-]?to[_-]?(?:get|recover|restore|decrypt))[^/]*\\.(?:txt|html?|md|rtf)$',
        '(?:files?|data)[_-]?(?:were[_-]?|are[_-]?|have[_-]?been[_-]?)?(?:deleted|encrypted|stolen|backed[_-]?up)[^/]*\\.(?:txt|html?|md|rtf)$',
        '(?:recover|your)[_-]?(?:files|data)[^/]*\\.(?:txt|html?|md|rtf)$',
      ],
      'Regexes (case-insensitive) of object names (the last part of the key) that are ransom notes.',
    ),
  },
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate the credential that wrote the objects; deny s3:PutObject with the SSE-C header in the bucket policy (s3:x-amz-server-side-encryption-customer-algorithm)',
    ],
    recovery: [
      'Restore the previous object versions (versioning) or the replica / backup copies; SSE-C data cannot be decrypted without the attacker’s key',
    ],
  },
};

const SSE_C = 'x-amz-server-side-encryption-customer-algorithm';
const WRITES = new Set(['PutObject', 'CopyObject', 'CreateMultipartUpload', 'CompleteMultipartUpload']);

interface Tally {
  objects: Set<string>;
  inPlace: number;
  notes: Set<string>;
  denied: number;
}

function objectOf(e: TimelineEvent): { bucket: string; key: string } | null {
  const p = requestParameters(e);
  const bucket = str(p.bucketName);
  const key = str(p.key);
  return bucket && key ? { bucket, key } : null;
}

/**
 * A copy whose source is the object itself (x-amz-copy-source "bucket/key", maybe URL-encoded, maybe with a leading
 * /), or whose source was not recorded.
 */
function copiesOntoItself(p: Record<string, unknown>, o: { bucket: string; key: string }): boolean {
  const src = str(p['x-amz-copy-source']);
  if (!src) return true;
  let s = src;
  try {
    s = decodeURIComponent(src);
  } catch {
    // not URL-encoded
  }
  return s.replace(/^\//, '').split('?')[0] === `${o.bucket}/${o.key}`;
}

function summarise(t: Tally, threshold: number): { what: string; severity: Severity } | null {
  const parts: string[] = [];
  let severity: Severity | null = null;
  if (t.notes.size) {
    parts.push(`ransom note(s) uploaded: ${listSome(t.notes, 3)}`);
    severity = 'critical';
  }
  if (t.objects.size >= threshold) {
    parts.push(`${t.objects.size} objects rewritten with a customer-provided key (SSE-C)`);
    severity = 'critical';
  } else if (t.inPlace) {
    parts.push(`${t.inPlace} object(s) copied onto themselves with a customer-provided key (SSE-C)`);
    severity ??= 'medium';
  }
  if (!severity) return null;
  // All denied: an attempt, one step lower.
  return { what: parts.join('; '), severity: t.denied && t.denied >= t.objects.size + t.notes.size ? lower(severity) : severity };
}

export const s3Ransomware = defineRule<Params>({
  meta,
  create(ctx) {
    const notes = ctx.params.ransomNotePatterns.map((r) => new RegExp(r, 'i'));
    const usual = new UsualActors();
    const seen = new RecentIds();
    const actors = new PerActor();
    const tallies = new Map<string, Tally>();
    return {
      event(e) {
        if (!isTrail(e) || e.service !== 's3.amazonaws.com' || !WRITES.has(e.action) || !doneOrDenied(e)) return;
        const o = objectOf(e);
        if (!o || isExpected(e, ctx)) return;
        const p = requestParameters(e);
        const sseC = str(p[SSE_C]) !== null || str(responseElements(e)[SSE_C]) !== null;
        const name = o.key.split('/').pop() ?? '';
        const isNote = e.action !== 'CreateMultipartUpload' && notes.some((r) => r.test(name));
        if (isBaseline(e, ctx)) {
          if (sseC && isSuccess(e)) usual.learn('sse-c', e);
          return;
        }
        if (!inWindow(e, ctx) || !(sseC || isNote) || !seen.firstSighting(requestIdOf(e))) return;
        if (sseC && !isNote && usual.isUsual('sse-c', e, ctx.baseline !== null)) return;
        const key = actorKeyOf(e) ?? '(unknown actor)';
        const t = tallies.get(key) ?? { objects: new Set<string>(), inPlace: 0, notes: new Set<string>(), denied: 0 };
        tallies.set(key, t);
        if (sseC && t.objects.size < 100_000) t.objects.add(`${o.bucket}/${o.key}`);
        if (sseC && e.action === 'CopyObject' && copiesOntoItself(p, o)) t.inPlace++;
        if (isNote && t.notes.size < 20) t.notes.add(`s3://${o.bucket}/${o.key}`);
        if (!isSuccess(e)) t.denied++;
        actors.add(e, [o.bucket]);
      },
      finish() {
        const findings: Finding[] = [];
        for (const [key, g] of actors.groups) {
          const s = summarise(tallies.get(key)!, ctx.params.sseCObjectThreshold);
          if (!s) continue;
          const first = g.sample.first!;
          const what = `${s.what} in ${listSome(g.labels, 3)}`;
          findings.push(
            finding(meta, g.sample, say(meta.messages.ransom, { what, actor: first.actor }), {
              severity: s.severity,
              target: `s3://${[...g.labels][0] ?? '?'}`,
              actions: [
                ...credentialActions(first),
                {
                  kind: 'review',
                  target: `s3://${[...g.labels][0] ?? '?'}`,
                  text: 'Restore the previous versions of the objects rewritten (ListObjectVersions)',
                },
              ],
            }),
          );
        }
        return { findings, notAssessed: null };
      },
    };
  },
});
