// bedrock-invocation-logging-text: invocation logging delivers text data, so prompts and responses are kept.
// Per region; severity high with Bedrock footprint (or unknown), low without; see lib/bedrock.ts.
import type { Check } from './types.js';
import { invocationLogDestinations, noWorkingDestination, perBedrockRegion } from './lib/bedrock.js';
import { DESTINATION_CODES } from './lib/destinations.js';
import { COMMON_CODES, listText, type Verdict } from './lib/results.js';

export const check: Check = {
  meta: {
    id: 'bedrock-invocation-logging-text',
    title: 'Bedrock invocation logging keeps prompt and response text',
    severity: 'high',
    scope: 'region',
    service: 'bedrock',
    rationale:
      'Without text data delivery, invocation logs hold metadata only. The prompts and completions are the evidence of prompt injection, jailbreaks and sensitive data sent to or returned by a model.',
    risk: 'Investigators can see that a model was called but not what it was told or what it disclosed.',
    remediation: {
      summary:
        'Turn on text data delivery in the model invocation logging configuration (consider the privacy impact and protect the destination accordingly).',
      cli: `aws bedrock put-model-invocation-logging-configuration --logging-config '{"s3Config":{"bucketName":"INVOCATION_LOG_BUCKET"},"textDataDeliveryEnabled":true}'`,
      iac: {
        kind: 'terraform',
        snippet: [
          'resource "aws_bedrock_model_invocation_logging_configuration" "this" {',
          '  logging_config {',
          '    text_data_delivery_enabled = true',
          '    s3_config { bucket_name = aws_s3_bucket.invocation_logs.id }',
          '  }',
          '}',
        ].join('\n'),
      },
      docs: ['https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html'],
    },
    parameters: [],
    reasonCodes: {
      'logging-off': 'Model invocation logging is not configured in the region.',
      'no-destination': 'Invocation logging is configured without any destination.',
      'text-delivery-off': 'Text data delivery is off: only metadata is logged, no prompts or responses.',
      'large-data-not-kept': 'Text goes to CloudWatch Logs only without largeDataDeliveryS3Config: bodies over 100 KB are dropped.',
      'text-kept': 'Text data is delivered to a destination that exists where Bedrock delivers.',
      ...DESTINATION_CODES,
      ...COMMON_CODES,
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-3' },
      { framework: 'eu-ai-act', control: 'Art. 12' },
      { framework: 'iso-42001', control: 'A.6.2.8' },
    ],
  },
  evaluate(ctx) {
    return perBedrockRegion(ctx, (cfg, r): Verdict => {
      if (!cfg)
        return {
          status: 'FAIL',
          code: 'logging-off',
          reason: `Bedrock model invocation logging is not configured in ${r.region}, so no prompts or responses are kept`,
        };
      const ev = {
        textDataDelivery: cfg.textDataDelivery,
        hasDestination: Boolean(cfg.s3 || cfg.cloudWatch),
        largeDataS3: cfg.cloudWatch?.largeDataS3?.bucketName ?? null,
      };
      if (!cfg.s3 && !cfg.cloudWatch)
        return { status: 'FAIL', code: 'no-destination', reason: `Bedrock model invocation logging in ${r.region} has no destination`, evidence: ev };
      if (!cfg.textDataDelivery)
        return {
          status: 'FAIL',
          code: 'text-delivery-off',
          reason: `Bedrock invocation logging in ${r.region} does not deliver text data, so prompts and responses are not kept`,
          evidence: ev,
        };
      const d = invocationLogDestinations(ctx, cfg, r);
      if (d.working.length === 0) {
        const v = noWorkingDestination(d, r.region);
        return { ...v, reason: `Text data delivery is on, but ${v.reason}`, evidence: { ...ev, ...v.evidence } };
      }
      if (!d.working.some((w) => w.startsWith('S3 ')) && !cfg.cloudWatch?.largeDataS3)
        return {
          status: 'FAIL',
          code: 'large-data-not-kept',
          reason: `Bedrock invocation logging in ${r.region} keeps text in CloudWatch Logs only, without large-data S3 delivery, so request and response bodies over 100 KB (and binary data) are not kept`,
          evidence: { ...ev, working: d.working },
        };
      return {
        status: 'PASS',
        code: 'text-kept',
        reason: `Bedrock invocation logging in ${r.region} keeps prompt and response text in ${listText(d.working)}`,
        evidence: { ...ev, working: d.working },
      };
    });
  },
};
