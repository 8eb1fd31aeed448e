// SageMaker endpoints and models created or changed inside the incident window.
import { isSuccess } from '../event.js';
import { finding, trailCall, type Finding, type Rule, type RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'sagemaker-model-changed',
  title: 'SageMaker endpoint or model changed during the window',
  severity: 'medium',
  element: 'ai-changes',
  rationale:
    'Pointing an endpoint at a new endpoint configuration or model is how a poisoned or backdoored model reaches production. Each change in the window should be matched to an approved deployment.',
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

export const sagemakerModelChanged: Rule = {
  meta,
  wants: (e) => trailCall(e, 'sagemaker.amazonaws.com', NAMES),
  match(events, ctx) {
    const out: Finding[] = [];
    for (const e of events) {
      if (!trailCall(e, 'sagemaker.amazonaws.com', NAMES) || !isSuccess(e)) continue;
      if (e.time < ctx.window.start || e.time > ctx.window.end) continue;
      out.push(finding(meta, [e], `${ACTIONS[e.action]}${e.target ? `: ${e.target}` : ''}`, { severity: e.action === 'UpdateEndpoint' ? 'high' : meta.severity }));
    }
    return out;
  },
};
