// SageMaker actions that hand out interactive access or run code: presigned notebook / Studio URLs, notebook
// and lifecycle-configuration changes, and training or processing jobs started by an unusual actor.
import { isSuccess, type TimelineEvent } from '../event.js';
import { finding, inWindow, isBaseline, isDenied, isExpected, perEvent, say, trailCall, UsualActors, attempted } from './support.js';
import { defineRule, type Finding, type RuleMeta, type Severity } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'sagemaker-high-risk',
  title: 'High-risk SageMaker action: notebook access, lifecycle code, or unusual jobs',
  severity: 'high',
  element: 'ai-changes',
  techniques: ['T1059', 'T1078.004', 'T1098'],
  rationale:
    'A presigned notebook or Studio URL is a browser session with the notebook’s execution role; lifecycle configurations run shell code as root on every start (a persistence favourite); notebooks and training or processing jobs run arbitrary containers with an execution role. Presigned URLs and lifecycle changes always matter; notebooks and jobs matter when the actor did not do the same in the baseline.',
  messages: { action: '{what}{target} by {actor}{usual}{attempt}' },
  params: {},
  needsBaseline: false,
  response: {
    containment: [
      'Stop the notebook instance / job if it is not expected; deactivate the credential that made the call',
      'Delete lifecycle configurations that were added or changed and review their scripts',
    ],
    recovery: ['Review the execution role’s activity since the call (its own actor storyline)'],
  },
};

const ALWAYS: Record<string, [string, Severity]> = {
  CreatePresignedNotebookInstanceUrl: ['Presigned notebook URL created', 'high'],
  CreatePresignedDomainUrl: ['Presigned SageMaker Studio URL created', 'high'],
  CreateNotebookInstanceLifecycleConfig: ['Notebook lifecycle configuration (start-up code) created', 'high'],
  UpdateNotebookInstanceLifecycleConfig: ['Notebook lifecycle configuration (start-up code) changed', 'high'],
  CreateStudioLifecycleConfig: ['Studio lifecycle configuration (start-up code) created', 'high'],
};
const UNUSUAL: Record<string, [string, string]> = {
  CreateNotebookInstance: ['Notebook instance created', 'notebook'],
  UpdateNotebookInstance: ['Notebook instance changed', 'notebook'],
  StartNotebookInstance: ['Notebook instance started', 'notebook'],
  UpdateDomain: ['Studio domain changed', 'domain'],
  UpdateUserProfile: ['Studio user profile changed', 'domain'],
  CreateTrainingJob: ['Training job started', 'job'],
  CreateProcessingJob: ['Processing job started', 'job'],
  CreateHyperParameterTuningJob: ['Tuning job started', 'job'],
};
const ACTIONS = new Set([...Object.keys(ALWAYS), ...Object.keys(UNUSUAL)]);

export const sagemakerHighRisk = defineRule({
  meta,
  create(ctx) {
    const usual = new UsualActors();
    const judge = perEvent<Record<string, never>>((e: TimelineEvent): Finding | null => {
      if (!trailCall(e, 'sagemaker.amazonaws.com', ACTIONS)) return null;
      const cls = UNUSUAL[e.action];
      if (isBaseline(e, ctx)) {
        if (cls && isSuccess(e)) usual.learn(cls[1], e);
        return null;
      }
      if (!inWindow(e, ctx) || isExpected(e, ctx) || !(isSuccess(e) || isDenied(e))) return null;
      const always = ALWAYS[e.action];
      let severity: Severity;
      let note = '';
      if (always) severity = always[1];
      else {
        const u = usual.isUsual(cls![1], e, ctx.baseline !== null);
        if (u) return null;
        severity = u === false ? 'medium' : 'low';
        note = u === false ? ', which did not do this in the baseline' : ' (no baseline to tell whether this actor usually does this)';
      }
      if (!isSuccess(e)) severity = severity === 'high' ? 'medium' : 'low';
      return finding(
        meta,
        [e],
        say(meta.messages.action, {
          what: (always ?? cls)![0],
          target: e.target ? `: ${e.target}` : '',
          actor: e.actor,
          usual: note,
          attempt: attempted(e),
        }),
        { severity },
      );
    })(ctx);
    return judge;
  },
});
