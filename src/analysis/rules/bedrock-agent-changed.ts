// Bedrock agents, their action groups (tools) and knowledge bases changed: what the AI application can do or read.
import { isSuccess } from '../event.js';
import { finding, isTrail, type Finding, type Rule, type RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'bedrock-agent-changed',
  title: 'Bedrock agent, action group or knowledge base changed',
  severity: 'medium',
  element: 'agency',
  rationale:
    'Action groups decide which functions an agent may call on a user\'s behalf, and knowledge bases what data it can retrieve. Adding a tool or a data source during an incident widens what a prompt-injected agent can do (excessive agency) or read.',
};

const ACTIONS = new Set([
  'CreateAgent', 'UpdateAgent', 'CreateAgentActionGroup', 'UpdateAgentActionGroup', 'DeleteAgentActionGroup', 'AssociateAgentKnowledgeBase',
  'UpdateAgentAlias', 'CreateAgentAlias', 'CreateKnowledgeBase', 'UpdateKnowledgeBase', 'CreateDataSource', 'UpdateDataSource', 'DeleteDataSource', 'DeleteKnowledgeBase',
]);

export const bedrockAgentChanged: Rule = {
  meta,
  wants: (e) => isTrail(e) && (e.service ?? '').startsWith('bedrock') && ACTIONS.has(e.action),
  match(events, ctx) {
    const out: Finding[] = [];
    for (const e of events) {
      if (!isTrail(e) || !(e.service ?? '').startsWith('bedrock') || !ACTIONS.has(e.action) || !isSuccess(e)) continue;
      if (e.time < ctx.window.start || e.time > ctx.window.end) continue;
      out.push(finding(meta, [e], `${e.action}${e.target ? ` on ${e.target}` : ''} by ${e.actor ?? '?'}`, { severity: /ActionGroup|DataSource/.test(e.action) ? 'high' : meta.severity }));
    }
    return out;
  },
};
