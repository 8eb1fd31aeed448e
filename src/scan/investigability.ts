// "Could we investigate it?" per account: each scenario and CIRT element needs evidence sources, which
// are the check results. A requirement is met, partly met, unmet, unknown or not applicable.
import type { CheckResult, Readiness } from '../model/scan.js';

/** A requirement is satisfied for a resource when ANY of its checks passes for that resource. */
interface Requirement {
  label: string;
  checks: string[];
  /** For bucket checks: only buckets with one of these roles (from the result's evidence) count. */
  bucketRoles?: string[];
  /** Bedrock logging counts only where Bedrock is in use (DESIGN: "where Bedrock is used"). */
  whereBedrockUsed?: boolean;
  /** Only results on resources matching this (e.g. the Bedrock data-event types for agency). */
  resourcePattern?: RegExp;
  /** A foundation requirement (the trail) applies whenever the scenario does, but never makes it applicable. */
  foundation?: boolean;
}

export interface ScenarioDefinition {
  id: string;
  title: string;
  question: string;
  requirements: Requirement[];
  /** Applies to every account even when none of its specific evidence sources has a resource to check. */
  alwaysApplicable?: boolean;
}

const TRAINING = ['training-data', 'knowledge-base-data'];
const TRAIL: Requirement = { label: 'multi-region trail', checks: ['cloudtrail-multi-region-trail'], foundation: true };

export const SCENARIOS: ScenarioDefinition[] = [
  {
    id: 'unauthorized-model-access',
    title: 'Unauthorized model access',
    question: 'Who invoked which model or endpoint, with what prompts?',
    requirements: [
      TRAIL,
      { label: 'Bedrock invocation logging with text', checks: ['bedrock-invocation-logging-text'], whereBedrockUsed: true },
      { label: 'endpoint data capture', checks: ['sagemaker-endpoint-data-capture'] },
      { label: 'AI data events', checks: ['cloudtrail-ai-data-events'] },
    ],
  },
  {
    id: 'training-data-exfiltration',
    title: 'Training data exfiltration',
    question: 'Who read training data, and where did it go?',
    requirements: [
      TRAIL,
      {
        label: 'access logs or object-level events on training-data buckets',
        checks: ['s3-ai-bucket-access-logging', 'cloudtrail-ai-bucket-data-events'],
        bucketRoles: TRAINING,
      },
      { label: 'flow logs on AI VPCs', checks: ['vpc-flow-logs-ai'] },
    ],
  },
  {
    id: 'model-tampering',
    title: 'Model tampering',
    question: 'Was a model artifact or endpoint replaced, and by whom?',
    requirements: [
      TRAIL,
      { label: 'versioning on model-artifact buckets', checks: ['sagemaker-model-artifact-versioning'] },
      {
        label: 'object-level write events or access logs on them',
        checks: ['cloudtrail-ai-bucket-data-events', 's3-ai-bucket-access-logging'],
        bucketRoles: ['model-artifacts'],
      },
      { label: 'Config recording SageMaker', checks: ['config-recorder-ai'] },
    ],
  },
  {
    id: 'logging-tampering',
    title: 'Logging tampering',
    alwaysApplicable: true,
    question: 'Could someone have altered or deleted the audit trail unnoticed?',
    requirements: [
      TRAIL,
      { label: 'immutable trail bucket', checks: ['cloudtrail-bucket-immutable'] },
      { label: 'log-file validation', checks: ['cloudtrail-log-file-validation'] },
    ],
  },
  // The seven elements of the AWS CIRT methodology for generative-AI workloads.
  {
    id: 'access',
    title: 'CIRT: access',
    alwaysApplicable: true,
    question: 'Who or what had access to the AI workload and its control plane?',
    requirements: [TRAIL, { label: 'log-file validation', checks: ['cloudtrail-log-file-validation'] }],
  },
  {
    id: 'infrastructure-changes',
    title: 'CIRT: infrastructure changes',
    question: 'What changed in the network and compute around the workload?',
    requirements: [
      TRAIL,
      { label: 'Config recording', checks: ['config-recorder-ai'] },
      { label: 'flow logs on AI VPCs', checks: ['vpc-flow-logs-ai'] },
    ],
  },
  {
    id: 'ai-changes',
    title: 'CIRT: AI changes',
    question: 'Were models, endpoints, agents or guardrails changed?',
    requirements: [
      TRAIL,
      { label: 'Config recording SageMaker', checks: ['config-recorder-ai'] },
      { label: 'model artifact versioning', checks: ['sagemaker-model-artifact-versioning'] },
    ],
  },
  {
    id: 'data-store-changes',
    title: 'CIRT: data store changes',
    question: 'Was training or retrieval data read, added or altered?',
    requirements: [
      TRAIL,
      {
        label: 'object-level events or access logs on AI data buckets',
        checks: ['cloudtrail-ai-bucket-data-events', 's3-ai-bucket-access-logging'],
        bucketRoles: [...TRAINING, 'model-artifacts'],
      },
    ],
  },
  {
    id: 'invocation',
    title: 'CIRT: invocation',
    question: 'Which models, agents and endpoints were invoked, when and by whom?',
    requirements: [
      TRAIL,
      { label: 'Bedrock invocation logging', checks: ['bedrock-invocation-logging'], whereBedrockUsed: true },
      { label: 'AI data events', checks: ['cloudtrail-ai-data-events'] },
      { label: 'endpoint data capture', checks: ['sagemaker-endpoint-data-capture'] },
    ],
  },
  {
    id: 'private-data',
    title: 'CIRT: private data',
    question: 'Did prompts, responses or training data expose sensitive data?',
    requirements: [
      TRAIL,
      { label: 'prompt and response text', checks: ['bedrock-invocation-logging-text'], whereBedrockUsed: true },
      { label: 'endpoint data capture', checks: ['sagemaker-endpoint-data-capture'] },
      {
        label: 'access logs on AI data buckets',
        checks: ['s3-ai-bucket-access-logging'],
        bucketRoles: [...TRAINING, 'data-capture', 'invocation-logs'],
      },
    ],
  },
  {
    id: 'agency',
    title: 'CIRT: agency',
    question: 'What did agents do on their own, with which tools and permissions?',
    requirements: [
      TRAIL,
      {
        label: 'agent and knowledge-base data events',
        checks: ['cloudtrail-ai-data-events'],
        resourcePattern: /AWS::Bedrock::(AgentAlias|KnowledgeBase)$/,
      },
      { label: 'prompt and response text', checks: ['bedrock-invocation-logging-text'], whereBedrockUsed: true },
    ],
  },
];

function relevant(requirement: Requirement, r: CheckResult): boolean {
  const roles = r.evidence.roles;
  if (requirement.bucketRoles && Array.isArray(roles) && !roles.some((role) => requirement.bucketRoles!.includes(String(role)))) return false;
  if (requirement.whereBedrockUsed && r.evidence.bedrockFootprint === 'absent') return false;
  if (requirement.resourcePattern && !requirement.resourcePattern.test(r.resourceArn)) return false;
  return true;
}

type RequirementState = 'met' | 'partial' | 'unmet' | 'unknown' | 'na';

/** Per resource, the best status among the alternative checks; then combine resources. */
function requirementState(requirement: Requirement, results: readonly CheckResult[]): RequirementState {
  const rank = { PASS: 3, NOT_ASSESSED: 2, FAIL: 1, NOT_APPLICABLE: 0 } as const;
  const best = new Map<string, CheckResult['status']>();
  for (const r of results) {
    if (!requirement.checks.includes(r.checkId) || !relevant(requirement, r)) continue;
    const key = `${r.region}|${r.resourceArn}`;
    const prior = best.get(key);
    if (prior === undefined || rank[r.status] > rank[prior]) best.set(key, r.status);
  }
  const statuses = [...best.values()].filter((s) => s !== 'NOT_APPLICABLE');
  if (statuses.length === 0) return best.size === 0 && requirement.foundation ? 'unknown' : 'na';
  if (statuses.includes('NOT_ASSESSED')) return 'unknown';
  const passes = statuses.filter((s) => s === 'PASS').length;
  if (passes === statuses.length) return 'met';
  return passes === 0 ? 'unmet' : 'partial';
}

export function assessScenario(scenario: ScenarioDefinition, results: readonly CheckResult[]): Readiness {
  const states = scenario.requirements.map((req) => ({ req, state: requirementState(req, results) }));
  const specific = states.filter((s) => !s.req.foundation);
  if (!scenario.alwaysApplicable && specific.length > 0 && specific.every((s) => s.state === 'na')) return 'NOT_APPLICABLE';
  const applicable = states.filter((s) => s.state !== 'na');
  if (applicable.some((s) => s.state === 'unknown')) return 'UNKNOWN';
  if (applicable.every((s) => s.state === 'met')) return 'READY';
  if (applicable.every((s) => s.state === 'unmet')) return 'BLIND';
  return 'PARTIAL';
}

export function assessInvestigability(accountResults: readonly CheckResult[], accessible: boolean): Record<string, Readiness> {
  const out: Record<string, Readiness> = {};
  for (const scenario of SCENARIOS) out[scenario.id] = accessible ? assessScenario(scenario, accountResults) : 'UNKNOWN';
  return out;
}
