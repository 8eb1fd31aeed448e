// CloudTrail stopped, deleted, redirected or told to record less, including attempts that were denied.
import { isSuccess, type TimelineEvent } from '../event.js';
import { attempted, doneOrDenied, credentialActions, finding, lower, obj, perEvent, requestParameters, say, trailCall } from './support.js';
import { defineRule, type Finding, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'cloudtrail-tampering',
  title: 'CloudTrail logging stopped, deleted or reduced',
  severity: 'critical',
  element: 'infrastructure-changes',
  techniques: ['T1562.008'],
  rationale:
    'An attacker who stops or deletes a trail, or narrows its event selectors, blinds the investigation from that point on. Successful StopLogging and DeleteTrail always matter; UpdateTrail can move delivery elsewhere; PutEventSelectors and PutAdvancedEventSelectors matter when management events are no longer all recorded. A denied attempt is still a signal that someone tried.',
  messages: {
    stopped: 'Logging of {trail} was stopped by {actor}{attempt}',
    deleted: 'Trail {trail} was deleted by {actor}{attempt}',
    updated: 'Trail {trail} was updated by {actor} ({changed}){attempt}: check where it now delivers and what it covers',
    selectors: 'Event selectors of {trail} changed by {actor}: {why}{attempt}',
    advanced: 'Advanced event selectors of {trail} changed by {actor}: {why}{attempt}',
  },
  params: {},
  needsBaseline: false,
  response: {
    containment: ['Deactivate the credential that made the change', 'Restart logging (StartLogging) and restore the event selectors'],
    recovery: ['Compare the trail configuration with the approved one', 'Treat the gap between the change and the restore as unrecorded'],
  },
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

function judge(e: TimelineEvent): { message: string; why?: string; severity?: Finding['severity'] } | null {
  const params = requestParameters(e);
  switch (e.action) {
    case 'StopLogging':
      return { message: 'stopped' };
    case 'DeleteTrail':
      return { message: 'deleted' };
    case 'UpdateTrail':
      return { message: 'updated', severity: 'high' };
    case 'PutEventSelectors': {
      const why = classicSelectorsReduce(params);
      return why ? { message: 'selectors', why } : null;
    }
    case 'PutAdvancedEventSelectors': {
      const why = advancedSelectorsReduce(params);
      return why ? { message: 'advanced', why } : null;
    }
    default:
      return null;
  }
}

export const cloudtrailTampering = defineRule({
  meta,
  create: perEvent((e) => {
    if (!trailCall(e, 'cloudtrail.amazonaws.com', ACTIONS) || !doneOrDenied(e)) return null;
    const verdict = judge(e);
    if (!verdict) return null;
    const trail = e.target ?? 'a trail';
    const changed = Object.keys(requestParameters(e))
      .filter((k) => k !== 'name')
      .sort();
    const summary = say(meta.messages[verdict.message], {
      trail,
      actor: e.actor,
      why: verdict.why,
      changed: changed.length ? changed.join(', ') : 'no parameters recorded',
      attempt: attempted(e),
    });
    const severity = verdict.severity ?? meta.severity;
    return finding(meta, [e], summary, {
      severity: isSuccess(e) ? severity : lower(severity),
      actions: [
        ...credentialActions(e),
        ...(isSuccess(e)
          ? [
              {
                kind: 'restore-logging' as const,
                target: trail,
                text: `Restore logging of trail ${trail} in ${e.region ?? '?'} (StartLogging, event selectors)`,
              },
            ]
          : []),
      ],
    });
  }),
});
