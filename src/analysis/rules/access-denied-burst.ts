// Many authorisation failures by one principal in a short time: enumeration with stolen credentials.
import type { TimelineEvent } from '../event.js';
import { finding, type Finding, type Rule, type RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'access-denied-burst',
  title: 'Burst of access-denied errors by one principal',
  severity: 'medium',
  element: 'access',
  rationale:
    'Someone probing what stolen credentials can do produces a run of AccessDenied / UnauthorizedOperation errors in a few minutes. Counted per actor (principal ARN, else access key, else IP) over a sliding window.',
};

const DENIED = /^(?:AccessDenied|AccessDeniedException|Client\.UnauthorizedOperation|UnauthorizedOperation|UnauthorizedAccess|Unauthorized|Forbidden|AuthorizationError|NotAuthorized)/i;

export const isDenied = (e: TimelineEvent): boolean => e.source !== 'flow-log' && e.outcome !== 'success' && (DENIED.test(e.outcome) || (e.source === 's3-access-log' && e.detail?.httpStatus === '403'));

export const accessDeniedBurst: Rule = {
  meta,
  wants: isDenied,
  match(events, ctx) {
    const byActor = new Map<string, TimelineEvent[]>();
    for (const e of events) {
      if (!isDenied(e) || !e.actor) continue;
      const list = byActor.get(e.actor) ?? [];
      list.push(e);
      byActor.set(e.actor, list);
    }
    const span = ctx.params.burstWindowMinutes * 60_000;
    const out: Finding[] = [];
    for (const [actor, list] of byActor) {
      // list is in timeline order; find maximal runs where threshold errors fit in the window.
      let i = 0;
      while (i < list.length) {
        let j = i;
        while (j + 1 < list.length && Date.parse(list[j + 1]!.time) - Date.parse(list[i]!.time) <= span) j++;
        const count = j - i + 1;
        if (count >= ctx.params.accessDeniedThreshold) {
          // Extend the burst while errors keep coming within the window of the previous one.
          while (j + 1 < list.length && Date.parse(list[j + 1]!.time) - Date.parse(list[j]!.time) <= span) j++;
          const burst = list.slice(i, j + 1);
          const actions = [...new Set(burst.map((b) => b.action))];
          out.push(
            finding(meta, burst, `${actor} was denied ${burst.length} times between ${burst[0]!.time} and ${burst.at(-1)!.time} (${actions.slice(0, 8).join(', ')}${actions.length > 8 ? ', …' : ''})`, { actor, target: null }),
          );
          i = j + 1;
        } else i++;
      }
    }
    return out;
  },
};
