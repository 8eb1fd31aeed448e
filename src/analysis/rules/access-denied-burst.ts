// Many authorisation failures by one actor in a short time: enumeration with stolen credentials.
import { actorKeyOf, BurstTracker, finding, isDenied, listSome, say } from './support.js';

export { isDenied };
import { countParam, defineRule, type RuleMeta } from './types.js';

interface Params {
  threshold: number;
  windowMinutes: number;
}

const meta: RuleMeta<Params> = {
  id: 'access-denied-burst',
  title: 'Burst of access-denied errors by one principal',
  severity: 'medium',
  element: 'access',
  techniques: ['T1580', 'T1087.004'],
  rationale:
    'Someone probing what stolen credentials can do produces a run of AccessDenied / UnauthorizedOperation errors in a few minutes. Counted per actor (access key or role session, else principal, else IP) over a sliding window.',
  messages: { burst: '{actor} was denied {count} times between {from} and {to} ({actions})' },
  params: {
    threshold: countParam(10, 'Access-denied errors by one actor within windowMinutes that make a burst.'),
    windowMinutes: countParam(10, 'Sliding window of the burst, minutes.'),
  },
  needsBaseline: false,
  response: {
    containment: ['Deactivate the credential if its owner did not cause the errors'],
    recovery: ['Review which of the probed actions succeeded for the same credential'],
  },
};

export const accessDeniedBurst = defineRule<Params>({
  meta,
  create(ctx) {
    const bursts = new BurstTracker(ctx.params.threshold, ctx.params.windowMinutes * 60_000);
    return {
      event(e) {
        const key = actorKeyOf(e);
        if (key && isDenied(e)) bursts.add(key, e);
      },
      finish() {
        const findings = bursts.finish().map(({ key, sample }) => {
          const actions = new Set(sample.events.map((x) => x.action));
          return finding(
            meta,
            sample,
            say(meta.messages.burst, {
              actor: sample.first?.actor ?? key,
              count: sample.count,
              from: sample.first?.time,
              to: sample.last?.time,
              actions: listSome(actions),
            }),
            { actorKey: key, target: null },
          );
        });
        return { findings, notAssessed: null };
      },
    };
  },
});
