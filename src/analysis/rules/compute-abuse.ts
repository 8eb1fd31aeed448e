// Compute abuse: GPU / accelerator instances, or large SageMaker jobs and endpoints, launched by an actor that did
// not launch such capacity in the baseline (crypto-mining and model-training on stolen accounts).
import { isSuccess, type TimelineEvent } from '../event.js';
import { attempted, finding, inWindow, isBaseline, isDenied, isExpected, isTrail, obj, requestParameters, say, UsualActors } from './support.js';
import { countParam, defineRule, listParam, type Finding, type RuleMeta, type Severity } from './types.js';

interface Params {
  instanceTypePatterns: readonly string[];
  largeInstanceCount: number;
}

const meta: RuleMeta<Params> = {
  id: 'compute-abuse',
  title: 'GPU or large compute launched by an unusual actor',
  severity: 'high',
  element: 'infrastructure-changes',
  techniques: ['T1496', 'T1578.002'],
  rationale:
    'Stolen cloud credentials are monetised by launching GPU instances or big training jobs (crypto-mining, unauthorised model training). EC2 RunInstances / fleets and SageMaker training, processing, tuning jobs and endpoints with accelerator instance types (p*, g*, trn*, inf*, dl*) or many instances are reported when the actor did not launch such capacity in the baseline.',
  messages: { launch: '{actor} launched {what} ({types}{count}){usual}{attempt}' },
  params: {
    instanceTypePatterns: listParam(
      ['^(?:ml\\.)?(?:p\\d|g\\d|trn\\d|inf\\d|dl\\d|gr\\d|vt\\d|f\\d)', '\\.(?:24|32|48)xlarge$'],
      'Regexes of instance types that count as GPU / accelerator / very large.',
    ),
    largeInstanceCount: countParam(10, 'Instances in one launch that count as large whatever the type.'),
  },
  needsBaseline: false,
  response: {
    containment: [
      'Terminate the instances / stop the jobs if not expected; deactivate the credential',
      'Set service quotas for accelerator instances to what the organisation uses',
    ],
    recovery: ['Check the bill and every region for capacity the same actor launched'],
  },
};

const LAUNCH: Record<string, string> = {
  RunInstances: 'EC2 instances',
  CreateFleet: 'an EC2 fleet',
  RequestSpotInstances: 'EC2 spot instances',
  RequestSpotFleet: 'an EC2 spot fleet',
  CreateTrainingJob: 'a SageMaker training job',
  CreateProcessingJob: 'a SageMaker processing job',
  CreateHyperParameterTuningJob: 'a SageMaker tuning job',
  CreateEndpointConfig: 'a SageMaker endpoint configuration',
  CreateNotebookInstance: 'a SageMaker notebook',
  CreateComputeQuota: 'SageMaker HyperPod capacity',
  CreateCluster: 'a SageMaker HyperPod cluster',
};

/** Instance types and counts named anywhere in the request (instanceType, InstanceType, ResourceConfig ...). */
export function capacityOf(params: unknown): { types: Set<string>; count: number } {
  const types = new Set<string>();
  let count = 0;
  const walk = (v: unknown, depth: number): void => {
    if (depth > 8) return;
    if (Array.isArray(v)) return v.slice(0, 100).forEach((x) => walk(x, depth + 1));
    const o = obj(v);
    if (!o) return;
    for (const [k, x] of Object.entries(o)) {
      if (/^instanceType$/i.test(k) && typeof x === 'string') types.add(x);
      else if (/^(?:instanceCount|maxCount|minCount|initialInstanceCount|targetCapacity|totalTargetCapacity)$/i.test(k) && typeof x === 'number')
        count = Math.max(count, x);
      else walk(x, depth + 1);
    }
  };
  walk(params, 0);
  return { types, count };
}

export const computeAbuse = defineRule<Params>({
  meta,
  create(ctx) {
    const patterns = ctx.params.instanceTypePatterns.map((p) => new RegExp(p, 'i'));
    const usual = new UsualActors();
    const findings: Finding[] = [];
    const big = (e: TimelineEvent): { types: Set<string>; count: number } | null => {
      const c = capacityOf(requestParameters(e));
      return [...c.types].some((t) => patterns.some((re) => re.test(t))) || c.count >= ctx.params.largeInstanceCount ? c : null;
    };
    return {
      event(e) {
        if (!isTrail(e) || !Object.hasOwn(LAUNCH, e.action)) return;
        const c = big(e);
        if (!c) return;
        if (isBaseline(e, ctx)) {
          if (isSuccess(e)) usual.learn('big-compute', e);
          return;
        }
        if (!inWindow(e, ctx) || isExpected(e, ctx) || !(isSuccess(e) || isDenied(e))) return;
        const u = usual.isUsual('big-compute', e, ctx.baseline !== null);
        if (u) return;
        let severity: Severity = u === false ? 'high' : 'medium';
        if (!isSuccess(e)) severity = 'low';
        const note = u === false ? ', not launched by this actor in the baseline' : ' (no baseline to tell whether this actor usually does this)';
        findings.push(
          finding(
            meta,
            [e],
            say(meta.messages.launch, {
              actor: e.actor,
              what: LAUNCH[e.action],
              types: [...c.types].join(', ') || 'type not recorded',
              count: c.count ? `, ${c.count} instance(s)` : '',
              usual: note,
              attempt: attempted(e),
            }),
            { severity },
          ),
        );
      },
      finish: () => ({ findings, notAssessed: null }),
    };
  },
});
