// sagemaker-model-artifact-versioning: each bucket holding model artifacts or training output (SageMaker
// ModelDataUrl, training output / model artifacts, Bedrock customization output, tag model-artifacts) has
// versioning Enabled. One result per bucket, in the owning account.
import type { Check } from './types.js';
import { isModelArtifactBucket, MODEL_ARTIFACT_BUCKET_ROLES } from './lib/buckets.js';
import { BUCKET_CHECK_CODES, runBucketCheck } from './lib/bucket-check.js';
import { COMMON_CODES, type Verdict } from './lib/results.js';

export const check: Check = {
  meta: {
    id: 'sagemaker-model-artifact-versioning',
    title: 'Model-artifact buckets have versioning enabled',
    severity: 'medium',
    scope: 'bucket',
    service: 's3',
    rationale:
      'A tampered or backdoored model is usually a replaced object in S3. Versioning keeps every previous version, so investigators can compare the deployed artifact with what was trained and restore the good one.',
    risk: 'An overwritten or deleted model artifact is gone: tampering cannot be proven or undone.',
    remediation: {
      summary:
        'Enable versioning on every bucket that stores model artifacts or training output (and add lifecycle rules for noncurrent versions if cost matters).',
      cli: 'aws s3api put-bucket-versioning --bucket MODEL_BUCKET --versioning-configuration Status=Enabled',
      iac: {
        kind: 'terraform',
        snippet: [
          'resource "aws_s3_bucket_versioning" "models" {',
          '  bucket = aws_s3_bucket.models.id',
          '  versioning_configuration { status = "Enabled" }',
          '}',
        ].join('\n'),
      },
      docs: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html'],
    },
    parameters: ['bucketRoleTagKey'],
    reasonCodes: {
      'versioning-on': 'Versioning is enabled.',
      'versioning-off': 'Versioning was never enabled.',
      'versioning-suspended': 'Versioning is suspended: new overwrites destroy the previous object.',
      ...BUCKET_CHECK_CODES,
      ...COMMON_CODES,
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'CM-8' },
      { framework: 'nist-800-53-r5', control: 'IR-4' },
      { framework: 'iso-27001-2022', control: 'A.5.28' },
    ],
  },
  evaluate(ctx) {
    return runBucketCheck(ctx, {
      noun: 'model-artifact bucket',
      roles: MODEL_ARTIFACT_BUCKET_ROLES,
      filter: isModelArtifactBucket,
      judge: (b, info): Verdict => {
        if (info.versioning === undefined)
          return {
            status: 'NOT_ASSESSED',
            code: 'not-collected',
            reason: `Versioning of bucket ${b.name} was not collected`,
            evidence: { bucket: b.name },
          };
        if (!info.versioning.ok)
          return {
            status: 'NOT_ASSESSED',
            code: 'not-readable',
            reason: `Versioning of bucket ${b.name} could not be read: ${info.versioning.reason}`,
            evidence: { bucket: b.name },
          };
        const v = info.versioning.value;
        const ev = { bucket: b.name, versioning: v.status, mfaDelete: v.mfaDelete };
        if (v.status === 'Enabled') return { status: 'PASS', code: 'versioning-on', reason: `Bucket ${b.name} has versioning enabled`, evidence: ev };
        return {
          status: 'FAIL',
          code: v.status === 'Suspended' ? 'versioning-suspended' : 'versioning-off',
          reason: `Bucket ${b.name} holds model artifacts but versioning is ${v.status === 'Suspended' ? 'suspended' : 'not enabled'}`,
          evidence: ev,
        };
      },
    });
  },
};
