// Bedrock agents, their action groups (tools) and knowledge bases changed: what the AI application can do or read,
// and the guardrail and prompt steps that stand between a user's input and the agent's actions.
import { isSuccess, type TimelineEvent } from '../event.js';
import { accountOfArn } from './s3-copy-outside-org.js';
import {
  attempted,
  doneOrDenied,
  externalOf,
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
import { defineRule, type RuleContext, type RuleMeta, type Severity } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'bedrock-agent-changed',
  title: 'Bedrock agent, flow, action group or knowledge base changed, or a guardrail or prompt step removed from an agent or flow',
  severity: 'medium',
  element: 'agency',
  techniques: ['T1098', 'T1562.001'],
  rationale:
    "Action groups decide which functions an agent may call on a user's behalf, and knowledge bases what data it can retrieve. Adding a tool or a data source during an incident widens what a prompt-injected agent can do (excessive agency) or read. UpdateAgent is a PUT of the agent's configuration (its name, model and role are required on every call): one that sends an empty guardrail detaches the guardrail the agent had (seen on an earlier CreateAgent or UpdateAgent), and one that leaves the guardrail out probably does (the API reference does not say an omitted guardrailConfiguration is kept: the finding asks to confirm with GetAgent); one that disables the pre- or post-processing prompt or installs a prompt parser Lambda (which sees every prompt and response) removes a check on input and output; a flow update whose prompt or knowledge-base nodes no longer apply a guardrail of the flow's earlier definition does the same for flows. An action group Lambda, parser or collaborator agent in an account outside the Organization hands the agent's inputs and actions to that account (critical). Where CloudTrail did not record the configuration, nothing is claimed removed. A denied attempt is one step lower.",
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
  'AssociateAgentCollaborator',
  'CreateFlow',
  'UpdateFlow',
]);

/** The guarding parts of an agent's configuration as a request or response gives them. */
export interface AgentGuards {
  /** guardrailIdentifier:version, or null when the configuration has none. */
  guardrail: string | null;
  /** The request carried a guardrailConfiguration (possibly empty: an explicit "no guardrail"). */
  guardrailSent: boolean;
  /** promptType -> ENABLED / DISABLED, as far as the override says. */
  prompts: Map<string, string>;
  parserLambda: string | null;
}

/** null when CloudTrail did not record the configuration (no required field) or hid the guardrail part. */
export function agentGuards(config: Record<string, unknown>): AgentGuards | null {
  if (!('agentName' in config) && !('foundationModel' in config)) return null;
  if (config.guardrailConfiguration !== undefined && config.guardrailConfiguration !== null && !obj(config.guardrailConfiguration)) return null;
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
  return {
    guardrail: id ? `${id}:${str(g?.guardrailVersion) ?? 'DRAFT'}` : null,
    guardrailSent: g !== null,
    prompts,
    parserLambda: str(override?.overrideLambda),
  };
}

/**
 * What an UpdateAgent took away compared with what the agent had; the severity of the worst of it. The Bedrock
 * Agents API reference (API_agent_UpdateAgent: `PUT /agents/agentId/`, agentName, agentResourceRoleArn and
 * foundationModel required, guardrailConfiguration optional, "the unique Guardrail configuration assigned to the
 * agent when it is updated") does not say whether an omitted guardrailConfiguration keeps the agent's guardrail or
 * clears it: an explicitly empty one detaches it, an omitted one is reported as a probable detachment to confirm.
 */
export function guardsRemoved(before: AgentGuards | undefined, after: AgentGuards): { parts: string[]; severity: Severity } | null {
  const parts: string[] = [];
  let severity: Severity = 'medium';
  if (before?.guardrail && !after.guardrail) {
    parts.push(
      after.guardrailSent
        ? `guardrail ${before.guardrail} detached (the update sent an empty guardrailConfiguration)`
        : `guardrail ${before.guardrail} detached, probably (the update did not re-send it; confirm with GetAgent)`,
    );
    severity = 'high';
  } else if (before?.guardrail && after.guardrail && before.guardrail.split(':')[0] !== after.guardrail.split(':')[0]) {
    parts.push(`guardrail ${before.guardrail} replaced by ${after.guardrail}`);
  } else if (!before && !after.guardrail) {
    parts.push(
      after.guardrailSent
        ? 'no guardrail in the new configuration (an empty guardrailConfiguration: any guardrail the agent had is detached)'
        : 'no guardrail in the new configuration (if the agent had one, it is probably detached: confirm with GetAgent)',
    );
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

/** The guardrails a flow definition's prompt and knowledge-base nodes apply; null when the definition was not recorded. */
export function flowGuardrails(params: Record<string, unknown>): Set<string> | null {
  const nodes = obj(params.definition)?.nodes;
  if (!Array.isArray(nodes)) return null;
  const out = new Set<string>();
  for (const node of nodes.slice(0, 500).map(obj)) {
    const config = obj(node?.configuration);
    for (const part of Object.values(config ?? {}).map(obj)) {
      const id = str(obj(part?.guardrailConfiguration)?.guardrailIdentifier);
      if (id) out.add(id);
    }
  }
  return out;
}

const CODE_ARN = /^arn:aws[a-z-]*:(?:lambda:[a-z0-9-]+:\d{12}:function:|bedrock:[a-z0-9-]+:\d{12}:agent-alias\/)/;

/** Lambda functions and collaborator agents of accounts outside the Organization that the request makes the agent call. */
export function outsideCode(params: unknown, e: TimelineEvent, ctx: Pick<RuleContext, 'knownAccounts'>): string[] {
  const found: string[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 8 || found.length >= 20) return;
    if (typeof v === 'string') {
      const account = CODE_ARN.test(v) ? accountOfArn(v) : null;
      if (account && externalOf([account], e, ctx).length && !found.includes(v)) found.push(v);
    } else if (Array.isArray(v)) v.slice(0, 100).forEach((x) => walk(x, depth + 1));
    else for (const x of Object.values(obj(v) ?? {})) walk(x, depth + 1);
  };
  walk(params, 0);
  return found.map((arn) => `calls ${arn} of account ${accountOfArn(arn)!}, outside the Organization`);
}

const MAX_AGENTS = 100_000;
const agentIdOf = (e: TimelineEvent): string | null =>
  str(requestParameters(e).agentId) ?? str(obj(responseElements(e).agent)?.agentId) ?? (e.action === 'CreateAgent' ? null : e.target);

const flowIdOf = (e: TimelineEvent): string | null => str(requestParameters(e).flowIdentifier) ?? str(responseElements(e).id) ?? e.target;

/** Guardrails a flow update drops from the nodes, compared with the flow's last recorded definition. */
function flowRemoved(before: Set<string> | undefined, after: Set<string> | null): { parts: string[]; severity: Severity } | null {
  if (!before || !after) return null;
  const gone = [...before].filter((g) => !after.has(g));
  return gone.length ? { parts: [`guardrail(s) ${gone.join(', ')} removed from the flow's nodes`], severity: 'high' } : null;
}

export const bedrockAgentChanged = defineRule({
  meta,
  create(ctx) {
    const known = new Map<string, AgentGuards>();
    const flows = new Map<string, Set<string>>();
    const keep = <T>(m: Map<string, T>, id: string | null, v: T | null, e: TimelineEvent): void => {
      if (id && v && isSuccess(e) && (m.size < MAX_AGENTS || m.has(id))) m.set(id, v);
    };
    return perEvent<Record<string, never>>((e) => {
      if (!isTrail(e) || !(e.service ?? '').startsWith('bedrock') || !ACTIONS.has(e.action) || !doneOrDenied(e)) return null;
      const p = requestParameters(e);
      let removed: { parts: string[]; severity: Severity } | null = null;
      if (e.action === 'CreateAgent' || e.action === 'UpdateAgent') {
        const id = agentIdOf(e);
        const after = agentGuards(p);
        if (e.action === 'UpdateAgent' && after) removed = guardsRemoved(id ? known.get(id) : undefined, after);
        keep(known, id, after, e);
      } else if (e.action === 'CreateFlow' || e.action === 'UpdateFlow') {
        const id = flowIdOf(e);
        const after = flowGuardrails(p);
        if (e.action === 'UpdateFlow') removed = flowRemoved(id ? flows.get(id) : undefined, after);
        keep(flows, id, after, e);
      }
      if (!inWindow(e, ctx)) return null;
      const outside = outsideCode(p, e, ctx);
      if (outside.length) removed = { parts: [...(removed?.parts ?? []), ...outside], severity: 'critical' };
      let severity: Severity = removed ? removed.severity : /ActionGroup|DataSource|Collaborator/.test(e.action) ? 'high' : meta.severity;
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
