// Prompts carrying prompt-injection or jailbreak patterns (OWASP LLM01), in Bedrock invocation logs and
// SageMaker data capture.
import { invocationText } from './invocation-text.js';
import { perActorInvocations } from './per-actor.js';
import { finding, listSome, say } from './support.js';
import { countParam, defineRule, listParam, type RuleMeta } from './types.js';

interface Params {
  patterns: readonly string[];
  /** Invocations with a pattern, by one actor, that make the finding high. */
  highAt: number;
}

/** name=regex (case-insensitive). Starting points from OWASP LLM01 (direct injection, jailbreak personas, prompt leaking). */
export const DEFAULT_INJECTION_PATTERNS: readonly string[] = [
  'ignore-instructions=\\b(?:ignore|disregard|forget|override)\\b.{0,40}\\b(?:previous|prior|above|earlier|all|your|system)\\b.{0,30}\\b(?:instructions?|prompts?|rules|guidelines|directions)',
  'new-instructions=\\b(?:new|updated|real)\\s+(?:system\\s+)?instructions?\\s*:',
  'persona-jailbreak=\\b(?:you are now|act as|pretend (?:to be|you are)|roleplay as)\\b.{0,40}\\b(?:DAN|unrestricted|unfiltered|jailbroken|evil|no (?:rules|restrictions|limits))',
  'do-anything-now=\\bdo anything now\\b|\\bDAN mode\\b',
  'developer-mode=\\b(?:developer|god|debug|admin) mode\\b.{0,30}\\b(?:enabled|on|activated)',
  'prompt-leak=\\b(?:reveal|print|show|repeat|output|tell me)\\b.{0,30}\\b(?:system prompt|initial instructions|hidden instructions|your instructions)',
  'chat-template-injection=<\\|im_start\\|>\\s*system|\\[INST\\]\\s*<<SYS>>|^\\s*#{2,}\\s*system\\s*:',
  'safety-bypass=\\b(?:bypass|disable|ignore)\\b.{0,20}\\b(?:safety|content|guardrails?|filters?|moderation)\\b',
];

const meta: RuleMeta<Params> = {
  id: 'invocation-prompt-injection',
  title: 'Prompt-injection or jailbreak patterns in model prompts',
  severity: 'medium',
  element: 'invocation',
  techniques: ['AML.T0051', 'AML.T0054'],
  rationale:
    'Direct prompt injection and jailbreak prompts (OWASP LLM01) try to make a model ignore its instructions, leak its system prompt or drop its safety behaviour. Matched in prompt text reassembled from every invocation format; the pattern list is a parameter. MITRE ATLAS ids: there is no ATT&CK technique for this.',
  messages: { found: '{count} invocation(s) by {actor} carried prompt-injection patterns ({patterns}) against {targets}' },
  params: {
    patterns: listParam(DEFAULT_INJECTION_PATTERNS, 'name=regex pairs (case-insensitive) matched against prompt text.'),
    highAt: countParam(5, 'Invocations with a pattern by one actor that make the finding high.'),
  },
  needsBaseline: false,
  response: {
    containment: ['If the invoker is not a known tester: deactivate its credential', 'Check the responses for disclosed instructions or data'],
    recovery: ['Enable a Bedrock guardrail with the prompt-attack filter on the application'],
  },
};

export function compilePatterns(list: readonly string[]): { name: string; re: RegExp }[] {
  return list.map((p, i) => {
    const eq = p.indexOf('=');
    const named = eq > 0 && /^[\w-]+$/.test(p.slice(0, eq));
    return { name: named ? p.slice(0, eq) : `pattern-${i + 1}`, re: new RegExp(named ? p.slice(eq + 1) : p, 'im') };
  });
}

export const invocationPromptInjection = defineRule<Params>({
  meta,
  create(ctx) {
    const patterns = compilePatterns(ctx.params.patterns);
    return perActorInvocations(
      ctx,
      (e) => {
        const prompt = invocationText(e)?.prompt;
        const hits = prompt ? patterns.filter((p) => p.re.test(prompt)).map((p) => p.name) : [];
        return hits.length ? hits : null;
      },
      (key, g) =>
        finding(
          meta,
          g.sample,
          say(meta.messages.found, {
            count: g.sample.count,
            actor: g.sample.first?.actor ?? key,
            patterns: listSome(g.labels),
            targets: listSome(g.targets, 3) || 'a model',
          }),
          { actorKey: key, severity: g.sample.count >= ctx.params.highAt ? 'high' : meta.severity },
        ),
    );
  },
});
