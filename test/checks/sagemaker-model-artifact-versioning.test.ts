import { describe, expect, it } from 'vitest';
import { check } from '../../checks/sagemaker-model-artifact-versioning.js';
import type { BucketInfo } from '../../src/model/inventory.js';
import {
  bucket,
  customizationJob,
  inventory,
  MGMT,
  model,
  only,
  run,
  seen,
  trainingJob,
  unseen,
  versioned,
  type RegionBuilder,
} from '../support/inventory-builder.js';
import { testCheck } from '../support/check-tester.js';

const ARN = 'arn:aws:s3:::model-artifacts';
const withModel = () =>
  inventory().region('us-east-1', (r) => r.models([model('churn', { modelDataUrls: ['s3://model-artifacts/churn/model.tar.gz'] })]));

describe('sagemaker-model-artifact-versioning', () => {
  it.each<[string, Partial<BucketInfo>, string, string]>([
    ['PASS', { versioning: versioned('Enabled') }, 'PASS', 'Bucket model-artifacts has versioning enabled'],
    ['FAIL suspended', { versioning: versioned('Suspended') }, 'FAIL', 'holds model artifacts but versioning is suspended'],
    ['FAIL never enabled', { versioning: versioned('Disabled') }, 'FAIL', 'versioning is not enabled'],
    [
      'NOT_ASSESSED unreadable',
      { versioning: unseen('AccessDenied: GetBucketVersioning') },
      'NOT_ASSESSED',
      'could not be read: AccessDenied: GetBucketVersioning',
    ],
    ['NOT_ASSESSED not collected', {}, 'NOT_ASSESSED', 'Versioning of bucket model-artifacts was not collected'],
  ])('%s', (_n, p, status, fragment) => {
    const f = only(run(check, withModel().bucket(bucket('model-artifacts', p))));
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe(ARN);
    expect(f.region).toBe('us-east-1');
    expect(f.reason).toContain(fragment);
  });

  it.each([
    ['training job output', (r: RegionBuilder) => r.trainingJobs([trainingJob('j', { outputS3Path: 's3://model-artifacts/out/' })])],
    [
      'Bedrock customization output',
      (r: RegionBuilder) => r.customizationJobs([customizationJob('c', { outputDataS3Uri: 's3://model-artifacts/custom/' })]),
    ],
  ])('%s makes a bucket a model-artifact bucket', (_n, setup) => {
    const f = only(
      run(
        check,
        inventory()
          .region('us-east-1', setup)
          .bucket(bucket('model-artifacts', { versioning: versioned('Suspended') })),
      ),
    );
    expect(f.status).toBe('FAIL');
    expect(f.resourceArn).toBe(ARN);
    expect(f.reason).toContain('versioning is suspended');
  });

  it('training input (training data) is not a model-artifact bucket -> NOT_APPLICABLE', () => {
    const inv = inventory()
      .region('us-east-1', (r) => r.trainingJobs([trainingJob('j', { inputS3Uris: ['s3://train-in/'] })]))
      .bucket(bucket('train-in'));
    const f = only(run(check, inv));
    expect(f.status).toBe('NOT_APPLICABLE');
    expect(f.resourceArn).toBe(`arn:aws:iam::${MGMT}:root`);
    expect(f.reason).toContain('has no model-artifact buckets');
  });

  it('bucket tagged model-artifacts counts', () => {
    const inv = inventory()
      .account(MGMT)
      .bucket(bucket('tagged', { tags: seen({ 'forensight:role': 'model-artifacts' }), versioning: versioned('Enabled') }));
    const f = only(run(check, inv));
    expect(f.status).toBe('PASS');
    expect(f.resourceArn).toBe('arn:aws:s3:::tagged');
    expect(f.reason).toContain('versioning enabled');
  });

  it('NOT_ASSESSED at account level when models cannot be listed', () => {
    const f = only(
      run(
        check,
        inventory().region('us-east-1', (r) => r.models(unseen('AccessDenied: ListModels'))),
      ),
    );
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.resourceArn).toBe(`arn:aws:iam::${MGMT}:root`);
    expect(f.reason).toContain('SageMaker models in us-east-1: AccessDenied: ListModels');
  });
});

testCheck(check, [
  {
    name: 'PASS enabled',
    inventory: withModel().bucket(bucket('model-artifacts', { versioning: versioned('Enabled') })),
    resource: ARN,
    status: 'PASS',
    code: 'versioning-on',
  },
  {
    name: 'FAIL suspended',
    inventory: withModel().bucket(bucket('model-artifacts', { versioning: versioned('Suspended') })),
    resource: ARN,
    status: 'FAIL',
    code: 'versioning-suspended',
  },
  {
    name: 'FAIL never enabled',
    inventory: withModel().bucket(bucket('model-artifacts', { versioning: versioned('Disabled') })),
    resource: ARN,
    status: 'FAIL',
    code: 'versioning-off',
  },
  {
    name: 'NOT_ASSESSED unreadable',
    inventory: withModel().bucket(
      bucket('model-artifacts', { versioning: unseen('MalformedResponse: GetBucketVersioning answered 200 with an empty body') }),
    ),
    resource: ARN,
    status: 'NOT_ASSESSED',
    code: 'not-readable',
    reason: 'empty body',
  },
  { name: 'NOT_APPLICABLE no model-artifact buckets', inventory: inventory().region('us-east-1'), status: 'NOT_APPLICABLE', code: 'no-buckets' },
]);
