// Objects read from AI data buckets by a public IP with no earlier access to that bucket.
import type { TimelineEvent } from '../event.js';
import { isPublicIp } from '../normalize.js';
import { EventSample, finding, inWindow, isBaseline, isExpected, isTrail, RecentIds, requestIdOf, requestParameters, say } from './support.js';
import { defineRule, type RuleContext, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 's3-ai-bucket-external-read',
  title: 'AI data bucket read from an unexpected external IP',
  severity: 'high',
  element: 'data-store-changes',
  techniques: ['T1530'],
  rationale:
    'Training data, model artifacts and invocation logs read from a public address that never read the bucket before the window (and is not on the expected list) suggest exfiltration. Private addresses and AWS service principals are not flagged.',
  messages: { read: '{count} object read(s) from s3://{bucket} by external IP {ip}{as}' },
  params: {},
  needsBaseline: false,
  response: {
    containment: ['Deactivate the credential used for the reads; restrict the bucket policy to expected networks (aws:SourceVpce / aws:SourceIp)'],
    recovery: ['List the objects read and treat them as disclosed'],
  },
};

/** The bucket of an object read (CloudTrail data event or access-log line), or null if the event is not one. */
export function objectReadBucket(e: TimelineEvent): string | null {
  if (isTrail(e) && e.service === 's3.amazonaws.com' && e.action === 'GetObject') {
    const b = requestParameters(e).bucketName;
    return typeof b === 'string' ? b : null;
  }
  if (e.source === 's3-access-log' && e.action === 'REST.GET.OBJECT') {
    const m = /^s3:\/\/([^/]+)/.exec(e.target ?? '');
    return m ? m[1]! : null;
  }
  return null;
}

export const inAiScope = (bucket: string, ctx: Pick<RuleContext, 'aiBuckets'>): boolean => ctx.aiBuckets === null || ctx.aiBuckets.has(bucket);
const MAX_KNOWN = 100_000;

export const s3ExternalRead = defineRule({
  meta,
  create(ctx) {
    const seenBefore = new Set<string>();
    const seen = new RecentIds();
    const groups = new Map<string, EventSample>();
    return {
      event(e) {
        const b = objectReadBucket(e);
        if (!b || !e.sourceIp || e.outcome !== 'success' || !seen.firstSighting(requestIdOf(e))) return;
        const key = `${b}|${e.sourceIp}`;
        if (isBaseline(e, ctx)) {
          if (seenBefore.size < MAX_KNOWN) seenBefore.add(key);
          return;
        }
        if (!inWindow(e, ctx) || !inAiScope(b, ctx) || !isPublicIp(e.sourceIp) || isExpected(e, ctx) || seenBefore.has(key)) return;
        groups.set(key, (groups.get(key) ?? new EventSample()).add(e));
      },
      finish() {
        const findings = [...groups].map(([key, sample]) => {
          const [bucket, ip] = key.split('|') as [string, string];
          return finding(
            meta,
            sample,
            say(meta.messages.read, { count: sample.count, bucket, ip, as: sample.first!.principal ? ` as ${sample.first!.principal}` : '' }),
            { target: `s3://${bucket}` },
          );
        });
        return { findings, notAssessed: null };
      },
    };
  },
});
