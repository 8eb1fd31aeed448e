// Objects read from AI data buckets by a public IP with no earlier access to that bucket.
import type { TimelineEvent } from '../event.js';
import { isPublicIp } from '../normalize.js';
import { finding, isTrail, requestParameters, type Finding, type Rule, type RuleMeta, type RuleContext } from './types.js';

const meta: RuleMeta = {
  id: 's3-ai-bucket-external-read',
  title: 'AI data bucket read from an unexpected external IP',
  severity: 'high',
  element: 'data-store-changes',
  rationale:
    'Training data, model artifacts and invocation logs read from a public address that never read the bucket before the window (and is not on the expected list) suggest exfiltration. Private addresses and AWS service principals are not flagged.',
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

const inScope = (bucket: string, ctx: RuleContext): boolean => ctx.aiBuckets === null || ctx.aiBuckets.has(bucket);

export const s3ExternalRead: Rule = {
  meta,
  wants: (e) => objectReadBucket(e) !== null,
  match(events, ctx) {
    const seenBefore = new Set<string>();
    for (const e of events) {
      const b = objectReadBucket(e);
      if (b && e.sourceIp && e.time < ctx.window.start && e.outcome === 'success') seenBefore.add(`${b}|${e.sourceIp}`);
    }
    const expected = new Set(ctx.params.expectedIps);
    const groups = new Map<string, TimelineEvent[]>();
    for (const e of events) {
      const b = objectReadBucket(e);
      if (!b || e.outcome !== 'success' || e.time < ctx.window.start || e.time > ctx.window.end) continue;
      if (!inScope(b, ctx) || !isPublicIp(e.sourceIp) || expected.has(e.sourceIp!) || seenBefore.has(`${b}|${e.sourceIp}`)) continue;
      const key = `${b}|${e.sourceIp}`;
      const list = groups.get(key) ?? [];
      list.push(e);
      groups.set(key, list);
    }
    const out: Finding[] = [];
    for (const [key, list] of groups) {
      const [bucket, ip] = key.split('|') as [string, string];
      out.push(finding(meta, list, `${list.length} object read(s) from s3://${bucket} by external IP ${ip}${list[0]!.principal ? ` as ${list[0]!.principal}` : ''}`, { target: `s3://${bucket}` }));
    }
    return out;
  },
};
