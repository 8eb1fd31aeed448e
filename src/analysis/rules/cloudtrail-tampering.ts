// CloudTrail stopped, deleted, redirected or told to record less.
import { isSuccess, type TimelineEvent } from '../event.js';
import { finding, obj, requestParameters, trailCall, type Finding, type Rule, type RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'cloudtrail-tampering',
  title: 'CloudTrail logging stopped, deleted or reduced',
  severity: 'critical',
  element: 'infrastructure-changes',
  rationale:
    'An attacker who stops or deletes a trail, or narrows its event selectors, blinds the investigation from that point on. Successful StopLogging and DeleteTrail always matter; UpdateTrail can move delivery elsewhere; PutEventSelectors and PutAdvancedEventSelectors matter when management events are no longer all recorded.',
};

const ACTIONS = new Set(['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutAdvancedEventSelectors']);

/** Classic selectors: something was removed unless one selector still records all management events (read and write). */
export function classicSelectorsReduce(params: Record<string, unknown>): string | null {
  const selectors = params.eventSelectors;
  if (!Array.isArray(selectors)) return null; // unknown shape (advanced selectors passed here, or redacted): cannot judge
  if (selectors.length === 0) return 'the trail has no event selectors left';
  const full = selectors.some((s) => {
    const o = obj(s);
    return o && o.includeManagementEvents !== false && (o.readWriteType === undefined || o.readWriteType === 'All');
  });
  if (full) return null;
  const some = selectors.some((s) => obj(s)?.includeManagementEvents !== false);
  return some ? 'management events are now recorded for reads or writes only' : 'management events are no longer recorded';
}

/** Advanced selectors: management events gone, or limited to reads or writes. */
export function advancedSelectorsReduce(params: Record<string, unknown>): string | null {
  const selectors = params.advancedEventSelectors;
  if (!Array.isArray(selectors)) return null;
  if (selectors.length === 0) return 'the trail has no event selectors left';
  let management = false;
  let limited = false;
  for (const s of selectors) {
    const fields = obj(s)?.fieldSelectors;
    if (!Array.isArray(fields)) continue;
    const field = (name: string) => fields.map(obj).find((f) => f?.field === name);
    const category = field('eventCategory');
    if (Array.isArray(category?.equals) && category.equals.includes('Management')) {
      management = true;
      const ro = field('readOnly');
      if (ro && Array.isArray(ro.equals) && ro.equals.length === 1) limited = true;
    }
  }
  if (!management) return 'management events are no longer recorded';
  return limited ? 'management events are now recorded for reads or writes only' : null;
}

function judge(e: TimelineEvent): { summary: string; severity?: Finding['severity'] } | null {
  const trail = e.target ?? 'a trail';
  const params = requestParameters(e);
  switch (e.action) {
    case 'StopLogging':
      return { summary: `Logging of ${trail} was stopped` };
    case 'DeleteTrail':
      return { summary: `Trail ${trail} was deleted` };
    case 'UpdateTrail': {
      const changed = Object.keys(params).filter((k) => k !== 'name').sort();
      return { summary: `Trail ${trail} was updated (${changed.length ? changed.join(', ') : 'no parameters recorded'}): check where it now delivers and what it covers`, severity: 'high' };
    }
    case 'PutEventSelectors': {
      const why = classicSelectorsReduce(params);
      return why ? { summary: `Event selectors of ${trail} changed: ${why}` } : null;
    }
    case 'PutAdvancedEventSelectors': {
      const why = advancedSelectorsReduce(params);
      return why ? { summary: `Advanced event selectors of ${trail} changed: ${why}` } : null;
    }
    default:
      return null;
  }
}

export const cloudtrailTampering: Rule = {
  meta,
  wants: (e) => trailCall(e, 'cloudtrail.amazonaws.com', ACTIONS),
  match(events) {
    const out: Finding[] = [];
    for (const e of events) {
      if (!trailCall(e, 'cloudtrail.amazonaws.com', ACTIONS) || !isSuccess(e)) continue;
      const verdict = judge(e);
      if (verdict) out.push(finding(meta, [e], verdict.summary, verdict.severity ? { severity: verdict.severity } : {}));
    }
    return out;
  },
};
