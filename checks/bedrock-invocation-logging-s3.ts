// bedrock-invocation-logging-s3: an S3 destination (durable, lockable) is configured for invocation logs and
// the bucket exists in the same account and Region (Bedrock delivers nowhere else). Per region, medium. A bucket
// that exists nowhere, is another account's or is in another Region FAILs; unreadable -> NOT_ASSESSED.
import type { Check } from './types.js';
import { BEDROCK_DESTINATION_RULE, BEDROCK_LOGGING_TERRAFORM, perBedrockRegion } from './lib/bedrock.js';
import { bucketDestinationProblem, DESTINATION_CODES } from './lib/destinations.js';
import { COMMON_CODES, type Verdict } from './lib/results.js';

export const check: Check = {
  meta: {
    id: 'bedrock-invocation-logging-s3',
    title: 'Bedrock invocation logs are delivered to an existing S3 bucket',
    severity: 'medium',
    scope: 'region',
    service: 'bedrock',
    rationale:
      'CloudWatch Logs alone is easy to expire or delete and does not support Object Lock. An S3 destination can be versioned, locked and replicated, so invocation logs survive as evidence; and it must exist, or delivery silently fails.',
    risk: 'Invocation logs kept only in CloudWatch, or sent to a missing bucket, can be lost before an investigation needs them.',
    remediation: {
      summary: 'Add an S3 destination to the model invocation logging configuration, pointing at an existing, locked log bucket.',
      cli: `aws bedrock put-model-invocation-logging-configuration --logging-config '{"s3Config":{"bucketName":"INVOCATION_LOG_BUCKET","keyPrefix":"bedrock/"},"textDataDeliveryEnabled":true}'`,
      iac: {
        kind: 'terraform',
        snippet: BEDROCK_LOGGING_TERRAFORM,
      },
      docs: ['https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html'],
    },
    parameters: [],
    reasonCodes: {
      'logging-off': 'Model invocation logging is not configured in the region.',
      'no-s3-destination': 'Invocation logging has no S3 destination (CloudWatch Logs only).',
      delivering: 'The S3 destination exists in the same account and Region.',
      ...DESTINATION_CODES,
      ...COMMON_CODES,
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-9' },
      { framework: 'nist-800-53-r5', control: 'AU-11' },
      { framework: 'eu-ai-act', control: 'Art. 19' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
    ],
  },
  evaluate(ctx) {
    return perBedrockRegion(
      ctx,
      (cfg, r): Verdict => {
        if (!cfg) return { status: 'FAIL', code: 'logging-off', reason: `Bedrock model invocation logging is not configured in ${r.region}` };
        if (!cfg.s3)
          return {
            status: 'FAIL',
            code: 'no-s3-destination',
            reason: `Bedrock invocation logging in ${r.region} has no S3 destination`,
            evidence: { logGroup: cfg.cloudWatch?.logGroupName ?? null },
          };
        const name = cfg.s3.bucketName;
        const ev = { bucket: name, keyPrefix: cfg.s3.keyPrefix };
        const problem = bucketDestinationProblem(ctx.inventory, name, {
          what: 'Invocation-log bucket',
          sameAccountAs: ctx.account,
          sameRegion: r.region,
          rule: BEDROCK_DESTINATION_RULE,
        });
        if (problem) return { ...problem, evidence: { ...ev, ...problem.evidence } };
        return {
          status: 'PASS',
          code: 'delivering',
          reason: `Bedrock invocation logs in ${r.region} are delivered to S3 bucket ${name} of the same account and Region`,
          evidence: ev,
        };
      },
      'medium',
    );
  },
};
