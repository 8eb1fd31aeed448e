// Bedrock model invocation logging removed or reduced (or the attempt): prompts and responses stop being kept.
import { isSuccess, type TimelineEvent } from '../event.js';
import { attempted, doneOrDenied, credentialActions, finding, lower, obj, perEvent, requestParameters, say, trailCall } from './support.js';
import { defineRule, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'bedrock-logging-disabled',
  title: 'Bedrock model invocation logging disabled or reduced',
  severity: 'high',
  element: 'ai-changes',
  techniques: ['T1562.008'],
  rationale:
    'Invocation logs are the only record of prompts and model outputs; they are off by default and an attacker who turns them off hides prompt injection and data extraction (LLMjacking campaigns check and disable them first). The CIRT methodology names tampering with generative-AI logging as an AI change to look for.',
  messages: {
    deleted: 'Model invocation logging was deleted in {region} by {actor}{attempt}',
    reduced: 'Model invocation logging was reconfigured in {region} by {actor}: {why}{attempt}',
  },
  params: {},
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate the credential that changed logging',
      'Restore the model invocation logging configuration (S3/CloudWatch destination, text delivery on)',
    ],
    recovery: ['Treat model use after the change as unrecorded; compare CloudTrail invocation events for the gap'],
  },
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

function message(e: TimelineEvent): string | null {
  const values = { region: e.region ?? 'a region', actor: e.actor, attempt: attempted(e) };
  if (e.action === 'DeleteModelInvocationLoggingConfiguration') return say(meta.messages.deleted, values);
  const why = loggingReduced(requestParameters(e));
  return why ? say(meta.messages.reduced, { ...values, why }) : null;
}

export const bedrockLoggingDisabled = defineRule({
  meta,
  create: perEvent((e) => {
    if (!trailCall(e, 'bedrock.amazonaws.com', ACTIONS) || !doneOrDenied(e)) return null;
    const summary = message(e);
    if (!summary) return null;
    const region = e.region ?? '?';
    return finding(meta, [e], summary, {
      severity: isSuccess(e) ? meta.severity : lower(meta.severity),
      target: `bedrock-logging:${region}`,
      actions: [
        ...credentialActions(e),
        ...(isSuccess(e)
          ? [
              {
                kind: 'restore-logging' as const,
                target: `bedrock-logging:${region}`,
                text: `Restore Bedrock model invocation logging in ${e.account ?? '?'}/${region} (PutModelInvocationLoggingConfiguration with text delivery)`,
              },
            ]
          : []),
      ],
    });
  }),
});
