// Bedrock agents, their action groups (tools) and knowledge bases changed: what the AI application can do or read.
import { isSuccess } from '../event.js';
import { finding, inWindow, isTrail, perEvent, say } from './support.js';
import { defineRule, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'bedrock-agent-changed',
  title: 'Bedrock agent, action group or knowledge base changed',
  severity: 'medium',
  element: 'agency',
  techniques: ['T1098'],
  rationale:
    "Action groups decide which functions an agent may call on a user's behalf, and knowledge bases what data it can retrieve. Adding a tool or a data source during an incident widens what a prompt-injected agent can do (excessive agency) or read.",
  messages: { changed: '{action}{target} by {actor}' },
  params: {},
  needsBaseline: false,
  response: {
    containment: ['Disable or roll back the changed agent alias to its last approved version'],
    recovery: ['Review the action group Lambda functions and knowledge-base data sources added in the window'],
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

export const bedrockAgentChanged = defineRule({
  meta,
  create: perEvent((e, ctx) => {
    if (!isTrail(e) || !(e.service ?? '').startsWith('bedrock') || !ACTIONS.has(e.action) || !isSuccess(e) || !inWindow(e, ctx)) return null;
    return finding(meta, [e], say(meta.messages.changed, { action: e.action, target: e.target ? ` on ${e.target}` : '', actor: e.actor }), {
      severity: /ActionGroup|DataSource/.test(e.action) ? 'high' : meta.severity,
    });
  }),
});
