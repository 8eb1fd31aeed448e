import { describe, expect, it } from 'vitest';
import { check } from '../../checks/sagemaker-endpoint-data-capture.js';
import type { CheckParameters } from '../../checks/types.js';
import type { BucketInfo, SageMakerEndpoint } from '../../src/model/inventory.js';
import { bucket, capture, endpoint, forResource, inventory, MGMT, run, seen, unseen } from '../support/inventory-builder.js';
import { testCheck, type CheckCase } from '../support/check-tester.js';

const EP = `arn:aws:sagemaker:us-east-1:${MGMT}:endpoint/fraud-detector`;
const captureBucket = bucket('capture-bucket');

const withEndpoint = (p: Partial<SageMakerEndpoint> = {}, buckets: BucketInfo[] = [captureBucket]) => {
  const inv = inventory().region('us-east-1', (r) => r.endpoints([endpoint('fraud-detector', p)]));
  for (const b of buckets) inv.bucket(b);
  return inv;
};
const c = (
  name: string,
  p: Partial<SageMakerEndpoint>,
  status: CheckCase['status'],
  code: string,
  reason: string,
  params: Partial<CheckParameters> = {},
  buckets?: BucketInfo[],
): CheckCase => ({
  name,
  inventory: withEndpoint(p, buckets),
  params,
  resource: EP,
  status,
  code,
  reason,
});

testCheck(check, [
  c('PASS', {}, 'PASS', 'capturing', 'captures Input and Output at 100% to s3://capture-bucket/ep/'),
  c('PASS Updating still serves and is judged', { status: 'Updating' }, 'PASS', 'capturing', 'endpoint is Updating and still serving'),
  c(
    'FAIL SystemUpdating without capture is judged like InService',
    { status: 'SystemUpdating', dataCapture: seen(null) },
    'FAIL',
    'capture-off',
    'does not capture data',
  ),
  c('FAIL RollingBack without capture', { status: 'RollingBack', dataCapture: seen(null) }, 'FAIL', 'capture-off', 'does not capture data'),
  c(
    'FAIL UpdateRollbackFailed still serves',
    { status: 'UpdateRollbackFailed', dataCapture: seen(capture({ enabled: false })) },
    'FAIL',
    'capture-off',
    'does not capture data',
  ),
  c(
    'FAIL input only at 20%',
    { dataCapture: seen(capture({ captureModes: ['Input'], initialSamplingPercentage: 20 })) },
    'FAIL',
    'capture-incomplete',
    'Endpoint fraud-detector captures Input only at 20% (required: Input and Output at >= 100%)',
  ),
  c(
    'FAIL sampling too low',
    { dataCapture: seen(capture({ initialSamplingPercentage: 50 })) },
    'FAIL',
    'capture-incomplete',
    'captures Input and Output at 50%',
  ),
  c(
    'current sampling wins over initial',
    { dataCapture: seen(capture({ initialSamplingPercentage: 100, currentSamplingPercentage: 10 })) },
    'FAIL',
    'capture-incomplete',
    'at 10%',
  ),
  c('lower threshold passes', { dataCapture: seen(capture({ initialSamplingPercentage: 50 })) }, 'PASS', 'capturing', 'at 50%', {
    minSamplingPercent: 50,
  }),
  c('only Input required', { dataCapture: seen(capture({ captureModes: ['Input'] })) }, 'PASS', 'capturing', 'captures Input at 100%', {
    requireCaptureModes: ['Input'],
  }),
  c('FAIL no destination', { dataCapture: seen(capture({ destinationS3Uri: null })) }, 'FAIL', 'capture-incomplete', 'has no S3 destination'),
  c('FAIL disabled', { dataCapture: seen(capture({ enabled: false })) }, 'FAIL', 'capture-off', 'does not capture data'),
  c('FAIL no config', { dataCapture: seen(null) }, 'FAIL', 'capture-off', 'does not capture data'),
  c(
    'FAIL capture configured but Stopped',
    { dataCapture: seen(capture({ captureStatus: 'Stopped' })) },
    'FAIL',
    'capture-stopped',
    'capture status is Stopped',
  ),
  c(
    'FAIL serverless: says what to do instead',
    { serverless: true, dataCapture: seen(null) },
    'FAIL',
    'serverless-no-capture',
    'in the calling application (or serve it from a provisioned endpoint with data capture), since CloudTrail does not record InvokeEndpoint or InvokeEndpointAsync at all',
  ),
  c('FAIL capture bucket was deleted', {}, 'FAIL', 'destination-missing', 'Data-capture bucket capture-bucket does not exist', {}, [
    bucket('capture-bucket', { region: unseen('Bucket capture-bucket does not exist', 'NoSuchBucket') }, null),
  ]),
  c(
    'NOT_ASSESSED capture bucket owned outside the scan and unreadable',
    {},
    'NOT_ASSESSED',
    'owned-outside-scan',
    'owned outside the scanned accounts',
    {},
    [bucket('capture-bucket', { region: unseen('AccessDenied') }, null)],
  ),
  c(
    'NOT_APPLICABLE Creating serves nothing',
    { status: 'Creating' },
    'NOT_APPLICABLE',
    'not-serving',
    'Endpoint fraud-detector is Creating, so it serves no traffic',
  ),
  c('NOT_APPLICABLE OutOfService', { status: 'OutOfService' }, 'NOT_APPLICABLE', 'not-serving', 'OutOfService'),
  c(
    'NOT_ASSESSED config unreadable',
    { dataCapture: unseen('AccessDenied: DescribeEndpointConfig') },
    'NOT_ASSESSED',
    'not-readable',
    'could not be read (endpoint config fraud-detector-config): AccessDenied: DescribeEndpointConfig',
  ),
  {
    name: 'NOT_APPLICABLE at account level without endpoints',
    inventory: inventory().region('us-east-1'),
    status: 'NOT_APPLICABLE',
    code: 'no-endpoints',
    resource: `arn:aws:iam::${MGMT}:root`,
    reason: 'has no SageMaker endpoints',
  },
  { name: 'NOT_ASSESSED no region scanned', inventory: inventory().account(MGMT), status: 'NOT_ASSESSED', code: 'no-region-scanned' },
]);

describe('sagemaker-endpoint-data-capture regions', () => {
  it('NOT_ASSESSED for a region whose endpoints cannot be listed, next to results of other regions', () => {
    const fs = run(
      check,
      withEndpoint().region('eu-west-1', (r) => r.endpoints(unseen('AccessDenied: ListEndpoints'))),
    );
    expect(forResource(fs, EP).status).toBe('PASS');
    const na = forResource(fs, `arn:aws:sagemaker:eu-west-1:${MGMT}:endpoint/*`);
    expect(na.status).toBe('NOT_ASSESSED');
    expect(na.reason).toContain('SageMaker endpoints in eu-west-1 could not be listed: AccessDenied: ListEndpoints');
  });
});
