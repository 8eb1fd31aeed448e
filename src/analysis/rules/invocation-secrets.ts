// Secrets (AWS keys, private keys, tokens) in prompts or model responses. Names the type, never the secret.
import { secretTypes } from '../../model/secrets.js';
import { invocationText } from './invocation-text.js';
import { perActorInvocations } from './per-actor.js';
import { finding, listSome, say } from './support.js';
import { defineRule, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'invocation-secrets',
  title: 'Secrets in model prompts or responses',
  severity: 'high',
  element: 'private-data',
  techniques: ['T1552', 'AML.T0057'],
  rationale:
    'Credentials pasted into prompts are now in the invocation logs and possibly the provider context; credentials in responses mean the model or its retrieval sources leaked them (sensitive information disclosure, OWASP LLM02). The finding names the type of secret and where, never the value.',
  messages: { found: '{count} invocation(s) by {actor} carried secrets: {types}' },
  params: {},
  needsBaseline: false,
  response: {
    containment: ['Rotate every credential of the named types that appears in the listed invocations'],
    recovery: ['Restrict who can read the invocation logs; add a guardrail sensitive-information filter'],
  },
};

export const invocationSecrets = defineRule({
  meta,
  create(ctx) {
    return perActorInvocations(
      ctx,
      (e) => {
        const text = invocationText(e);
        const labels = text
          ? [...secretTypes(text.prompt).map((t) => `${t} in a prompt`), ...secretTypes(text.response).map((t) => `${t} in a response`)]
          : [];
        return labels.length ? labels : null;
      },
      (key, g) =>
        finding(meta, g.sample, say(meta.messages.found, { count: g.sample.count, actor: g.sample.first?.actor ?? key, types: listSome(g.labels) }), {
          actorKey: key,
          severity: [...g.labels].some((l) => l.endsWith('in a response')) ? 'critical' : 'high',
        }),
    );
  },
});
