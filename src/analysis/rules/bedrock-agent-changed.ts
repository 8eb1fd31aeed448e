// Bedrock agents, their action groups (tools) and knowledge bases changed: what the AI application can do or read,
// and the guardrail and prompt steps that stand between a user's input and the agent's actions.
import { isSuccess, type TimelineEvent } from '../event.js';
import {
  attempted,
  doneOrDenied,
  finding,
  inWindow,
  isTrail,
  lower,
  obj,
  perEvent,
  requestParameters,
  responseElements,
  say,
  str,
} from './support.js';
import { defineRule, type RuleMeta, type Severity } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'bedrock-agent-changed',
  title: 'Bedrock agent, action group or knowledge base changed, or an agent’s guardrail or prompt steps removed',
  severity: 'medium',
  element: 'agency',
  techniques: ['T1098', 'T1562.001'],
  rationale:
    "Action groups decide which functions an agent may call on a user's behalf, and knowledge bases what data it can retrieve. Adding a tool or a data source during an incident widens what a prompt-injected agent can do (excessive agency) or read. UpdateAgent replaces the agent's configuration: one without the guardrail the agent had (seen on an earlier CreateAgent or UpdateAgent) detaches it, and one that disables the pre- or post-processing prompt or installs a prompt parser Lambda (which sees every prompt and response) removes a check on input and output. A denied attempt is one step lower.",
  messages: {
    changed: '{action}{target} by {actor}{detail}{attempt}',
  },
  params: {},
  needsBaseline: false,
  response: {
    containment: [
      'Disable or roll back the changed agent alias to its last approved version',
      'Attach the approved guardrail to the agent again (UpdateAgent guardrailConfiguration) and prepare the agent',
    ],
    recovery: [
      'Review the action group Lambda functions and knowledge-base data sources added in the window',
      'Review invocation logs since the change for content the guardrail or prompt steps would have stopped',
    ],
  },
};

const ACTIONS = new Set([
  'CreateAgent',
  'UpdateAgent',
  'CreateAgentActionGroup',
  'UpdateAgentActionGroup',
  'DeleteAgentActionGroup',
  'AssociateAgentKnowledgeBase',
  'UpdateAgentAlias',
  'CreateAgentAlias',
  'CreateKnowledgeBase',
  'UpdateKnowledgeBase',
  'CreateDataSource',
  'UpdateDataSource',
  'DeleteDataSource',
  'DeleteKnowledgeBase',
]);

/** The guarding parts of an agent's configuration as a request or response gives them. */
export interface AgentGuards {
  /** guardrailIdentifier:version, or null when the configuration has none. */
  guardrail: string | null;
  /** promptType -> ENABLED / DISABLED, as far as the override says. */
  prompts: Map<string, string>;
  parserLambda: string | null;
}

export function agentGuards(config: Record<string, unknown>): AgentGuards {
  const g = obj(config.guardrailConfiguration);
  const id = str(g?.guardrailIdentifier);
  const override = obj(config.promptOverrideConfiguration);
  const prompts = new Map<string, string>();
  const list = override?.promptConfigurations;
  for (const p of (Array.isArray(list) ? list.slice(0, 20) : []).map(obj)) {
    const type = str(p?.promptType);
    const state = str(p?.promptState);
    if (type && state) prompts.set(type, state);
  }
  return { guardrail: id ? `${id}:${str(g?.guardrailVersion) ?? 'DRAFT'}` : null, prompts, parserLambda: str(override?.overrideLambda) };
}

/** What an UpdateAgent took away compared with what the agent had; the severity of the worst of it. */
export function guardsRemoved(before: AgentGuards | undefined, after: AgentGuards): { parts: string[]; severity: Severity } | null {
  const parts: string[] = [];
  let severity: Severity = 'medium';
  if (before?.guardrail && !after.guardrail) {
    parts.push(`guardrail ${before.guardrail} detached`);
    severity = 'high';
  } else if (before?.guardrail && after.guardrail && before.guardrail.split(':')[0] !== after.guardrail.split(':')[0]) {
    parts.push(`guardrail ${before.guardrail} replaced by ${after.guardrail}`);
  } else if (!before && !after.guardrail) {
    parts.push('no guardrail in the new configuration (any guardrail the agent had is detached)');
  }
  for (const type of ['PRE_PROCESSING', 'POST_PROCESSING']) {
    if (after.prompts.get(type) === 'DISABLED' && before?.prompts.get(type) === 'ENABLED') {
      parts.push(`${type} prompt disabled`);
      severity = 'high';
    }
  }
  if (after.parserLambda && after.parserLambda !== before?.parserLambda) {
    parts.push(`prompt parser Lambda ${after.parserLambda} installed (it sees every prompt and response)`);
    severity = 'high';
  }
  return parts.length ? { parts, severity } : null;
}

const MAX_AGENTS = 100_000;
const agentIdOf = (e: TimelineEvent): string | null =>
  str(requestParameters(e).agentId) ?? str(obj(responseElements(e).agent)?.agentId) ?? (e.action === 'CreateAgent' ? null : e.target);

export const bedrockAgentChanged = defineRule({
  meta,
  create(ctx) {
    const known = new Map<string, AgentGuards>();
    return perEvent<Record<string, never>>((e) => {
      if (!isTrail(e) || !(e.service ?? '').startsWith('bedrock') || !ACTIONS.has(e.action) || !doneOrDenied(e)) return null;
      const isAgent = e.action === 'CreateAgent' || e.action === 'UpdateAgent';
      const id = isAgent ? agentIdOf(e) : null;
      const after = isAgent ? agentGuards(requestParameters(e)) : null;
      const removed = e.action === 'UpdateAgent' && after ? guardsRemoved(id ? known.get(id) : undefined, after) : null;
      if (id && after && isSuccess(e) && (known.size < MAX_AGENTS || known.has(id))) known.set(id, after);
      if (!inWindow(e, ctx)) return null;
      let severity: Severity = removed ? removed.severity : /ActionGroup|DataSource/.test(e.action) ? 'high' : meta.severity;
      if (!isSuccess(e)) severity = lower(severity);
      return finding(
        meta,
        [e],
        say(meta.messages.changed, {
          action: e.action,
          target: e.target ? ` on ${e.target}` : '',
          actor: e.actor,
          detail: removed ? `: ${removed.parts.join('; ')}` : '',
          attempt: attempted(e),
        }),
        { severity },
      );
    })(ctx);
  },
});
