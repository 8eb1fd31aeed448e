// Failed root console sign-ins in a burst: password guessing against the most powerful identity.
import { BurstTracker, finding, listSome, obj, isTrail, say, userTypeOf, inWindow } from './support.js';
import { countParam, defineRule, type RuleMeta } from './types.js';

interface Params {
  threshold: number;
  windowMinutes: number;
}

const meta: RuleMeta<Params> = {
  id: 'root-login-failures',
  title: 'Burst of failed root console sign-ins',
  severity: 'high',
  element: 'access',
  techniques: ['T1110.001', 'T1078.004'],
  rationale:
    'Several failed root sign-ins within minutes is someone guessing or replaying the root password; it is its own signal even when no sign-in succeeds, and it precedes the successful one when it does.',
  messages: { burst: '{count} failed root console sign-ins to account {account} between {from} and {to} from {ips}' },
  params: {
    threshold: countParam(3, 'Failed root sign-ins to one account within windowMinutes that make a burst.'),
    windowMinutes: countParam(15, 'Sliding window, minutes.'),
  },
  needsBaseline: false,
  response: {
    containment: ['Change the root password and require MFA on root; check for a successful sign-in after the failures'],
    recovery: ['Use root only with MFA from a break-glass process; alert on every root sign-in'],
  },
};

export const rootLoginFailures = defineRule<Params>({
  meta,
  create(ctx) {
    const bursts = new BurstTracker(ctx.params.threshold, ctx.params.windowMinutes * 60_000);
    return {
      event(e) {
        if (!isTrail(e) || e.action !== 'ConsoleLogin' || userTypeOf(e) !== 'Root' || !inWindow(e, ctx)) return;
        if (e.outcome === 'success' && obj(e.detail?.responseElements)?.ConsoleLogin !== 'Failure') return;
        bursts.add(e.account ?? '?', e);
      },
      finish() {
        const findings = bursts.finish().map(({ key, sample }) =>
          finding(
            meta,
            sample,
            say(meta.messages.burst, {
              count: sample.count,
              account: key,
              from: sample.first?.time,
              to: sample.last?.time,
              ips: listSome(sample.ips, 5) || '?',
            }),
            {
              actorKey: `root:${key}`,
              target: key,
              actions: [{ kind: 'review', target: `root of ${key}`, text: `Change the root password of account ${key} and require MFA on root` }],
            },
          ),
        );
        return { findings, notAssessed: null };
      },
    };
  },
});
