// Bedrock spend: provisioned throughput bought (a commitment cannot be cancelled), changed or deleted, and model
// customization, import, batch-inference and evaluation jobs started by an actor that did not start them in the
// baseline. Model-access enabling is bedrock-model-access's; on-demand invocations are bedrock-new-invoker's.
import { isSuccess, type TimelineEvent } from '../event.js';
import {
  attempted,
  doneOrDenied,
  finding,
  inWindow,
  isBaseline,
  isExpected,
  perEvent,
  requestParameters,
  say,
  trailCall,
  UsualActors,
  lower,
} from './support.js';
import { countParam, defineRule, type Finding, type RuleMeta, type Severity } from './types.js';

interface Params {
  largeModelUnits: number;
}

const meta: RuleMeta<Params> = {
  id: 'bedrock-cost-abuse',
  title: 'Bedrock capacity bought or costly Bedrock jobs started by an unusual actor',
  severity: 'high',
  element: 'invocation',
  techniques: ['T1496', 'AML.T0034'],
  rationale:
    'Stolen keys are monetised on Bedrock beyond on-demand calls: provisioned throughput is billed by the hour for each model unit, and a one- or six-month commitment cannot be cancelled; fine-tuning, model import, batch inference and evaluation jobs run up compute and token bills in one call. Deleting or re-pointing provisioned throughput takes capacity from production. A commitment or many model units is high; other calls count when the actor did not make them in the baseline. A denied attempt is one step lower.',
  messages: {
    bought: '{actor} bought provisioned throughput{name} for {model}: {units} model unit(s), {term}{usual}{attempt}',
    call: '{actor} {what}{name}{after}{usual}{attempt}',
  },
  params: {
    largeModelUnits: countParam(2, 'Model units in one provisioned-throughput purchase that count as large whatever the term.'),
  },
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate the credential; delete provisioned throughput without a commitment and stop the jobs it started',
      'Ask AWS Support about charges for a commitment bought with stolen credentials',
    ],
    recovery: [
      'Allow bedrock:CreateProvisionedModelThroughput and the job APIs only to administrators and pipelines (SCP); set AWS Budgets alerts on Bedrock',
    ],
  },
};

const ACTIONS: Record<string, [what: string, activity: string, after?: string]> = {
  CreateProvisionedModelThroughput: ['bought provisioned throughput', 'provisioned'],
  UpdateProvisionedModelThroughput: ['changed provisioned throughput', 'provisioned'],
  DeleteProvisionedModelThroughput: [
    'deleted provisioned throughput',
    'provisioned',
    ' (capacity production may rely on; a commitment is billed to its end)',
  ],
  CreateModelCustomizationJob: ['started a model customization (fine-tuning) job', 'customization'],
  CreateModelImportJob: ['started a model import job', 'customization'],
  CreateModelInvocationJob: ['started a batch inference job', 'batch'],
  CreateEvaluationJob: ['started a model evaluation job', 'evaluation'],
};
const NAMES = new Set(Object.keys(ACTIONS));
const NAME_KEYS = ['provisionedModelName', 'provisionedModelId', 'jobName', 'customModelName', 'importedModelName'];

function nameOf(e: TimelineEvent): string {
  const p = requestParameters(e);
  const key = NAME_KEYS.find((k) => typeof p[k] === 'string' && p[k] !== '');
  return key ? ` ${String(p[key])}` : e.target ? ` ${e.target}` : '';
}

export const bedrockCostAbuse = defineRule<Params>({
  meta,
  create(ctx) {
    const usual = new UsualActors();
    return perEvent<Params>((e): Finding | null => {
      if (!trailCall(e, 'bedrock.amazonaws.com', NAMES)) return null;
      const [what, cls, after] = ACTIONS[e.action]!;
      if (isBaseline(e, ctx)) {
        if (isSuccess(e)) usual.learn(cls, e);
        return null;
      }
      if (!inWindow(e, ctx) || isExpected(e, ctx) || !doneOrDenied(e)) return null;
      const p = requestParameters(e);
      const units = typeof p.modelUnits === 'number' ? p.modelUnits : null;
      const term = typeof p.commitmentDuration === 'string' && p.commitmentDuration !== '' ? p.commitmentDuration : null;
      const bought = e.action === 'CreateProvisionedModelThroughput';
      const large = bought && (term !== null || (units ?? 0) >= ctx.params.largeModelUnits);
      const u = usual.isUsual(cls, e, ctx.baseline !== null);
      if (u && !large) return null;
      let severity: Severity = large ? (u ? 'medium' : 'high') : u === false ? 'medium' : 'low';
      if (!isSuccess(e)) severity = lower(severity);
      const note = u
        ? ' (this actor did so in the baseline)'
        : u === false
          ? ', which it did not do in the baseline'
          : ' (no baseline to tell whether this actor usually does this)';
      const values = { actor: e.actor, name: nameOf(e), usual: note, attempt: attempted(e) };
      const summary = bought
        ? say(meta.messages.bought, {
            ...values,
            model: typeof p.modelId === 'string' ? p.modelId : '?',
            units: units ?? '?',
            term: term ? `committed for ${term}` : 'no commitment',
          })
        : say(meta.messages.call, { ...values, what, after: after ?? '' });
      return finding(meta, [e], summary, { severity });
    })(ctx);
  },
});
