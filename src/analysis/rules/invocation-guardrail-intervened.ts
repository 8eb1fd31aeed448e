// Invocations where a Bedrock guardrail stepped in: someone sent what the guardrail exists to stop.
import { guardrailIntervened } from './invocation-text.js';
import { perActorInvocations } from './per-actor.js';
import { finding, listSome, say } from './support.js';
import { countParam, defineRule, type RuleMeta } from './types.js';

interface Params {
  highAt: number;
}

const meta: RuleMeta<Params> = {
  id: 'invocation-guardrail-intervened',
  title: 'Bedrock guardrail interventions',
  severity: 'low',
  element: 'invocation',
  techniques: ['AML.T0054'],
  rationale:
    'A guardrail intervention (stopReason guardrail_intervened, guardrail action INTERVENED) means a prompt or a response hit a content, denied-topic, word or sensitive-information policy. A few are normal; many by one actor are probing or abuse.',
  messages: { found: '{count} invocation(s) by {actor} were stopped by a guardrail (models: {targets})' },
  params: { highAt: countParam(10, 'Interventions by one actor that make the finding high.') },
  needsBaseline: false,
  response: {
    containment: ['If the actor is not a known application user: deactivate its credential'],
    recovery: ['Read the blocked prompts in the invocation logs to learn what was attempted'],
  },
};

export const invocationGuardrailIntervened = defineRule<Params>({
  meta,
  create(ctx) {
    return perActorInvocations(
      ctx,
      (e) => (guardrailIntervened(e) ? [] : null),
      (key, g) =>
        finding(
          meta,
          g.sample,
          say(meta.messages.found, { count: g.sample.count, actor: g.sample.first?.actor ?? key, targets: listSome(g.targets, 3) || '?' }),
          { actorKey: key, severity: g.sample.count >= ctx.params.highAt ? 'high' : g.sample.count >= 3 ? 'medium' : 'low' },
        ),
    );
  },
});
