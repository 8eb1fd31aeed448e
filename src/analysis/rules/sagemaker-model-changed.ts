// SageMaker endpoints and models created or changed inside the incident window.
import { isSuccess } from '../event.js';
import { finding, inWindow, perEvent, say, trailCall } from './support.js';
import { defineRule, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'sagemaker-model-changed',
  title: 'SageMaker endpoint or model changed during the window',
  severity: 'medium',
  element: 'ai-changes',
  techniques: ['T1565.001'],
  rationale:
    'Pointing an endpoint at a new endpoint configuration or model is how a poisoned or backdoored model reaches production. Each change in the window should be matched to an approved deployment.',
  messages: { changed: '{what}{target} by {actor}' },
  params: {},
  needsBaseline: false,
  response: {
    containment: ['Point the endpoint back at the last approved endpoint configuration (UpdateEndpoint)'],
    recovery: ['Check the model data of every model created in the window against the approved artifacts'],
  },
};

const ACTIONS: Record<string, string> = {
  UpdateEndpoint: 'Endpoint switched to another endpoint configuration',
  UpdateEndpointWeightsAndCapacities: 'Endpoint traffic weights changed',
  CreateEndpoint: 'Endpoint created',
  CreateEndpointConfig: 'Endpoint configuration created',
  CreateModel: 'Model created',
  DeleteModel: 'Model deleted',
  DeleteEndpoint: 'Endpoint deleted',
};
const NAMES = new Set(Object.keys(ACTIONS));

export const sagemakerModelChanged = defineRule({
  meta,
  create: perEvent((e, ctx) => {
    if (!trailCall(e, 'sagemaker.amazonaws.com', NAMES) || !isSuccess(e) || !inWindow(e, ctx)) return null;
    return finding(meta, [e], say(meta.messages.changed, { what: ACTIONS[e.action], target: e.target ? `: ${e.target}` : '', actor: e.actor }), {
      severity: e.action === 'UpdateEndpoint' ? 'high' : meta.severity,
    });
  }),
});
