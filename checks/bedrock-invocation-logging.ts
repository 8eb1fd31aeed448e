// bedrock-invocation-logging: model invocation logging has a destination (S3 and/or CloudWatch Logs) that
// exists in the same account and Region (the only place Bedrock delivers), per region. Severity high with Bedrock footprint (or unknown footprint), low without; see lib/bedrock.ts.
import type { Check } from './types.js';
import { BEDROCK_LOGGING_TERRAFORM, invocationLogDestinations, noWorkingDestination, perBedrockRegion } from './lib/bedrock.js';
import { DESTINATION_CODES } from './lib/destinations.js';
import { COMMON_CODES, listText, type Verdict } from './lib/results.js';

export const check: Check = {
  meta: {
    id: 'bedrock-invocation-logging',
    title: 'Bedrock model invocation logging is enabled with a destination',
    severity: 'high',
    scope: 'region',
    service: 'bedrock',
    rationale:
      'CloudTrail shows that a model was invoked, not what was asked or answered. Model invocation logging records the request and response metadata (and, if enabled, the content) of every call, which is what an investigator needs to understand prompt injection, data leakage or abuse of a model.',
    risk: 'Bedrock invocations in the region leave only API-call records; what the model was asked and returned is lost.',
    remediation: {
      summary: 'Enable model invocation logging in every region where Bedrock is used, to S3 and/or CloudWatch Logs.',
      cli: `aws bedrock put-model-invocation-logging-configuration --logging-config '{"s3Config":{"bucketName":"INVOCATION_LOG_BUCKET","keyPrefix":"bedrock/"},"textDataDeliveryEnabled":true,"imageDataDeliveryEnabled":false,"embeddingDataDeliveryEnabled":false}'`,
      iac: {
        kind: 'terraform',
        snippet: BEDROCK_LOGGING_TERRAFORM,
      },
      docs: ['https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html'],
    },
    parameters: [],
    reasonCodes: {
      'logging-off': 'Model invocation logging is not configured in the region.',
      'no-destination': 'Invocation logging is configured without any destination.',
      delivering: 'At least one configured destination exists where Bedrock delivers (same account and Region).',
      ...DESTINATION_CODES,
      ...COMMON_CODES,
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-2' },
      { framework: 'nist-800-53-r5', control: 'AU-12' },
      { framework: 'eu-ai-act', control: 'Art. 12' },
      { framework: 'iso-42001', control: 'A.6.2.8' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
    ],
  },
  evaluate(ctx) {
    return perBedrockRegion(ctx, (cfg, r): Verdict => {
      if (!cfg) return { status: 'FAIL', code: 'logging-off', reason: `Bedrock model invocation logging is not configured in ${r.region}` };
      const ev = { s3Bucket: cfg.s3?.bucketName ?? null, logGroup: cfg.cloudWatch?.logGroupName ?? null };
      if (!cfg.s3 && !cfg.cloudWatch)
        return { status: 'FAIL', code: 'no-destination', reason: `Bedrock model invocation logging in ${r.region} has no destination`, evidence: ev };
      const d = invocationLogDestinations(ctx, cfg, r);
      if (d.working.length === 0) {
        const v = noWorkingDestination(d, r.region);
        return { ...v, evidence: { ...ev, ...v.evidence } };
      }
      const others = d.problems.length > 0 ? `; but ${d.problems.map((p) => p.reason).join('; ')}` : '';
      return {
        status: 'PASS',
        code: 'delivering',
        reason: `Bedrock model invocation logging in ${r.region} delivers to ${listText(d.working)}${others}`,
        evidence: { ...ev, working: d.working },
      };
    });
  },
};
