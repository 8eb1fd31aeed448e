// bedrock-invocation-logging-s3: an S3 destination (durable, lockable) is configured for invocation logs and
// the bucket exists. Per region, medium. "Exists": the bucket was collected and read; a bucket whose lookup
// failed with NoSuchBucket FAILs; owned outside the scanned accounts or not collected -> NOT_ASSESSED.
import type { Check } from './types.js';
import { BEDROCK_LOGGING_TERRAFORM, perBedrockRegion } from './lib/bedrock.js';

const NO_SUCH_BUCKET = /NoSuchBucket|does not exist/i;

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
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-9' },
      { framework: 'nist-800-53-r5', control: 'AU-11' },
      { framework: 'eu-ai-act', control: 'Art. 19' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
    ],
  },
  evaluate(ctx) {
    const { inventory } = ctx;
    return perBedrockRegion(
      ctx,
      (cfg, r) => {
        if (!cfg) return { status: 'FAIL', reason: `Bedrock model invocation logging is not configured in ${r.region}` };
        if (!cfg.s3) return { status: 'FAIL', reason: `Bedrock invocation logging in ${r.region} has no S3 destination`, evidence: { logGroup: cfg.cloudWatch?.logGroupName ?? null } };
        const name = cfg.s3.bucketName;
        const info = inventory.buckets[name];
        const ev = { bucket: name, keyPrefix: cfg.s3.keyPrefix };
        if (!info) return { status: 'NOT_ASSESSED', reason: `Invocation-log bucket ${name} was not collected, so its existence could not be confirmed`, evidence: ev };
        if (!info.region.ok && (NO_SUCH_BUCKET.test(info.region.reason) || info.region.errorCode === 'NoSuchBucket'))
          return { status: 'FAIL', reason: `Invocation-log bucket ${name} configured in ${r.region} does not exist`, evidence: ev };
        if (info.ownerAccountId === null)
          return { status: 'NOT_ASSESSED', reason: `Invocation-log bucket ${name} is owned outside the scanned accounts, so its existence could not be confirmed`, evidence: ev };
        return { status: 'PASS', reason: `Bedrock invocation logs in ${r.region} are delivered to S3 bucket ${name} (owner ${info.ownerAccountId})`, evidence: { ...ev, owner: info.ownerAccountId } };
      },
      'medium',
    );
  },
};
