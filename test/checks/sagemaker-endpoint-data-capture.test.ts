import { describe, expect, it } from 'vitest';
import { check } from '../../checks/sagemaker-endpoint-data-capture.js';
import type { CheckParameters } from '../../checks/types.js';
import type { SageMakerEndpoint } from '../../src/model/inventory.js';
import { capture, endpoint, forResource, inventory, MGMT, only, run, seen, unseen } from '../support/inventory-builder.js';

const EP = `arn:aws:sagemaker:us-east-1:${MGMT}:endpoint/fraud-detector`;

describe('sagemaker-endpoint-data-capture', () => {
  it.each<[string, Partial<SageMakerEndpoint>, Partial<CheckParameters>, string, string]>([
    ['PASS', {}, {}, 'PASS', 'captures Input and Output at 100% to s3://capture-bucket/ep/'],
    ['FAIL input only at 20%', { dataCapture: seen(capture({ captureModes: ['Input'], initialSamplingPercentage: 20 })) }, {}, 'FAIL', 'Endpoint fraud-detector captures Input only at 20% (required: Input and Output at >= 100%)'],
    ['FAIL sampling too low', { dataCapture: seen(capture({ initialSamplingPercentage: 50 })) }, {}, 'FAIL', 'captures Input and Output at 50%'],
    ['current sampling wins over initial', { dataCapture: seen(capture({ initialSamplingPercentage: 100, currentSamplingPercentage: 10 })) }, {}, 'FAIL', 'at 10%'],
    ['lower threshold passes', { dataCapture: seen(capture({ initialSamplingPercentage: 50 })) }, { minSamplingPercent: 50 }, 'PASS', 'at 50%'],
    ['only Input required', { dataCapture: seen(capture({ captureModes: ['Input'] })) }, { requireCaptureModes: ['Input'] }, 'PASS', 'captures Input at 100%'],
    ['FAIL no destination', { dataCapture: seen(capture({ destinationS3Uri: null })) }, {}, 'FAIL', 'has no S3 destination'],
    ['FAIL disabled', { dataCapture: seen(capture({ enabled: false })) }, {}, 'FAIL', 'does not capture data'],
    ['FAIL no config', { dataCapture: seen(null) }, {}, 'FAIL', 'does not capture data'],
    ['NOT_APPLICABLE not in service', { status: 'Creating' }, {}, 'NOT_APPLICABLE', 'Endpoint fraud-detector is Creating, not InService'],
    ['NOT_ASSESSED config unreadable', { dataCapture: unseen('AccessDenied: DescribeEndpointConfig') }, {}, 'NOT_ASSESSED', 'could not be read (endpoint config fraud-detector-config): AccessDenied: DescribeEndpointConfig'],
  ])('%s', (_n, p, params, status, fragment) => {
    const f = only(run(check, inventory().region('us-east-1', (r) => r.endpoints([endpoint('fraud-detector', p)])), undefined, params));
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe(EP);
    expect(f.region).toBe('us-east-1');
    expect(f.reason).toContain(fragment);
  });

  it('NOT_APPLICABLE at account level without endpoints', () => {
    const f = only(run(check, inventory().region('us-east-1')));
    expect(f.status).toBe('NOT_APPLICABLE');
    expect(f.resourceArn).toBe(`arn:aws:iam::${MGMT}:root`);
    expect(f.reason).toContain('has no SageMaker endpoints');
  });

  it('NOT_ASSESSED for a region whose endpoints cannot be listed, next to results of other regions', () => {
    const fs = run(check, inventory().region('us-east-1', (r) => r.endpoints([endpoint('fraud-detector')])).region('eu-west-1', (r) => r.endpoints(unseen('AccessDenied: ListEndpoints'))));
    expect(forResource(fs, EP).status).toBe('PASS');
    const na = forResource(fs, `arn:aws:sagemaker:eu-west-1:${MGMT}:endpoint/*`);
    expect(na.status).toBe('NOT_ASSESSED');
    expect(na.reason).toContain('SageMaker endpoints in eu-west-1 could not be listed: AccessDenied: ListEndpoints');
  });
});
