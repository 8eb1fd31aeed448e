// Bedrock model invocation logging removed or reduced: prompts and responses stop being kept.
import { isSuccess, type TimelineEvent } from '../event.js';
import { finding, obj, requestParameters, trailCall, type Finding, type Rule, type RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'bedrock-logging-disabled',
  title: 'Bedrock model invocation logging disabled or reduced',
  severity: 'high',
  element: 'ai-changes',
  rationale:
    'Invocation logs are the only record of prompts and model outputs; they are off by default and an attacker who turns them off hides prompt injection and data extraction. The CIRT methodology names tampering with generative-AI logging as an AI change to look for.',
};

const ACTIONS = new Set(['DeleteModelInvocationLoggingConfiguration', 'PutModelInvocationLoggingConfiguration']);

/** What a new logging configuration no longer keeps; null if it still has a destination and text delivery. */
export function loggingReduced(params: Record<string, unknown>): string | null {
  const config = obj(params.loggingConfig);
  if (!config) return null; // parameters not recorded: cannot judge
  if (!obj(config.s3Config) && !obj(config.cloudWatchConfig)) return 'no S3 or CloudWatch destination is configured';
  if (config.textDataDeliveryEnabled === false) return 'text data delivery (prompts and responses) is off';
  return null;
}

function judge(e: TimelineEvent): string | null {
  if (e.action === 'DeleteModelInvocationLoggingConfiguration') return `Model invocation logging was deleted in ${e.region ?? 'a region'}`;
  const why = loggingReduced(requestParameters(e));
  return why ? `Model invocation logging was reconfigured in ${e.region ?? 'a region'}: ${why}` : null;
}

export const bedrockLoggingDisabled: Rule = {
  meta,
  wants: (e) => trailCall(e, 'bedrock.amazonaws.com', ACTIONS),
  match(events) {
    const out: Finding[] = [];
    for (const e of events) {
      if (!trailCall(e, 'bedrock.amazonaws.com', ACTIONS) || !isSuccess(e)) continue;
      const summary = judge(e);
      if (summary) out.push(finding(meta, [e], summary));
    }
    return out;
  },
};
