// Plain-language phrases for leadership: what an investigation cannot answer when a check fails.
// Each phrase completes the sentence "In N of M accounts we ...". Written in our own words.

export interface CheckPhrase {
  /** Completes "In 3 of 12 accounts we ..." */
  lost: string;
  /** A short label for the gap, e.g. in a top-gaps table. */
  short: string;
}

export const CHECK_PHRASES: Readonly<Record<string, CheckPhrase>> = {
  'forensic-role-access': {
    lost: 'could not get into the account to investigate, because the forensic role cannot be assumed',
    short: 'Investigators cannot get in',
  },
  'cloudtrail-multi-region-trail': {
    lost: 'would not have a reliable record of who changed what, in every region',
    short: 'No complete audit trail',
  },
  'cloudtrail-log-file-validation': {
    lost: 'could not prove that the audit logs were not edited after the fact',
    short: 'Audit logs cannot be proven untouched',
  },
  'cloudtrail-ai-data-events': {
    lost: 'could not tell who called the AI agents, knowledge bases or model endpoints',
    short: 'No record of who used AI endpoints',
  },
  'cloudtrail-ai-bucket-data-events': {
    lost: 'could not tell who read or changed training data and model files',
    short: 'No record of access to AI data',
  },
  'cloudtrail-bucket-immutable': {
    lost: 'could not rule out that an intruder deleted the audit logs',
    short: 'Audit logs can be deleted',
  },
  'bedrock-invocation-logging': {
    lost: 'would have no record of calls to Bedrock models in at least one region',
    short: 'Bedrock calls not logged',
  },
  'bedrock-invocation-logging-text': {
    lost: 'could not tell, in at least one region, which prompts were sent to Bedrock or what it answered',
    short: 'Bedrock prompts and answers not kept',
  },
  'bedrock-invocation-logging-s3': {
    lost: 'would keep Bedrock call logs, in at least one region, only in a place that is not durable',
    short: 'Bedrock logs not stored durably',
  },
  'sagemaker-endpoint-data-capture': {
    lost: 'could not see what was sent to or returned by SageMaker model endpoints',
    short: 'SageMaker endpoint traffic not captured',
  },
  'sagemaker-model-artifact-versioning': {
    lost: 'could not recover the earlier version of a model file that was overwritten',
    short: 'Model files can be silently overwritten',
  },
  's3-ai-bucket-access-logging': {
    lost: 'would lack a second, independent record of requests to AI data buckets',
    short: 'No access logs on AI data buckets',
  },
  's3-log-bucket-object-lock': {
    lost: 'could not rule out that stored logs were deleted or altered',
    short: 'Log buckets are not tamper-proof',
  },
  'vpc-flow-logs-ai': {
    lost: 'could not tell where network traffic from AI workloads went',
    short: 'No network record for AI workloads',
  },
  'logs-ai-retention': {
    lost: 'would find that relevant logs had already expired',
    short: 'AI logs expire too soon',
  },
  'guardduty-enabled': {
    lost: 'would have no automatic threat detection where AI workloads run',
    short: 'No threat detection',
  },
  'config-recorder-ai': {
    lost: 'could not reconstruct how AI resources were configured at a point in time',
    short: 'No configuration history for AI resources',
  },
};

export function phraseFor(checkId: string, title?: string): CheckPhrase {
  const known = CHECK_PHRASES[checkId];
  if (known) return known;
  const t = title ?? checkId;
  return { lost: `failed the check "${t}"`, short: t };
}

/** What a BLIND scenario means, to complete "In N of M accounts we would be blind to ...". */
export const SCENARIO_PHRASES: Readonly<Record<string, string>> = {
  'unauthorized-model-access': 'someone using our AI models without permission',
  'training-data-exfiltration': 'training data being copied out',
  'model-tampering': 'a model being tampered with',
  'logging-tampering': 'someone tampering with the logs themselves',
};
