import { describe, expect, it } from 'vitest';
import { check } from '../../checks/config-recorder-ai.js';
import type { ConfigRecorderInfo, Observed } from '../../src/model/inventory.js';
import { inventory, loggingConfig, MGMT, only, recorder, run, seen, unseen, type RegionBuilder } from '../support/inventory-builder.js';
import { testCheck } from '../support/check-tester.js';

const ARN = `arn:aws:config:us-east-1:${MGMT}:configuration-recorder`;
const ai = (r: RegionBuilder) => r.withSageMaker();

describe('config-recorder-ai', () => {
  it.each<[string, (r: RegionBuilder) => unknown, Observed<ConfigRecorderInfo[]>, string, string]>([
    ['PASS all supported', ai, seen([recorder()]), 'PASS', 'AWS Config recorder default is recording in us-east-1, including SageMaker resources'],
    [
      'PASS inclusion list naming the SageMaker model type (Config has no endpoint-config type to name)',
      ai,
      seen([recorder({ allSupported: false, resourceTypes: ['AWS::SageMaker::Model'] })]),
      'PASS',
      'including SageMaker',
    ],
    [
      'FAIL explicit list without SageMaker',
      ai,
      seen([recorder({ allSupported: false, resourceTypes: ['AWS::EC2::Instance'] })]),
      'FAIL',
      'does not record AWS::SageMaker::Model',
    ],
    ['FAIL SageMaker excluded', ai, seen([recorder({ exclusionTypes: ['AWS::SageMaker::Model'] })]), 'FAIL', 'does not record AWS::SageMaker::Model'],
    ['FAIL stopped', ai, seen([recorder({ recording: false })]), 'FAIL', 'recorder default is not recording'],
    ['FAIL no recorder', ai, seen([]), 'FAIL', 'AWS Config has no configuration recorder in us-east-1'],
    ['NOT_APPLICABLE without footprint', () => undefined, seen([]), 'NOT_APPLICABLE', 'No AI workloads in us-east-1'],
    [
      'NOT_ASSESSED recorders unreadable',
      ai,
      unseen('AccessDenied: DescribeConfigurationRecorders'),
      'NOT_ASSESSED',
      'could not be read: AccessDenied: DescribeConfigurationRecorders',
    ],
    [
      'NOT_ASSESSED recording status unknown',
      ai,
      seen([recorder({ recording: null })]),
      'NOT_ASSESSED',
      'recording status of recorder default in us-east-1 could not be read',
    ],
  ])('%s', (_n, fp, cfg, status, fragment) => {
    const f = only(
      run(
        check,
        inventory().region('us-east-1', (r) => {
          fp(r);
          r.config(cfg);
        }),
      ),
    );
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe(ARN);
    expect(f.region).toBe('us-east-1');
    expect(f.reason).toContain(fragment);
  });

  it('unknown footprint is evaluated and flagged in the reason', () => {
    const f = only(
      run(
        check,
        inventory().region('us-east-1', (r) => r.footprintUnreadable('Throttling').config([recorder()])),
      ),
    );
    expect(f.status).toBe('PASS');
    expect(f.reason).toContain('evaluated as if present');
  });
});

testCheck(check, [
  {
    name: 'PASS all supported, continuous',
    inventory: inventory().region('us-east-1', (r) => r.withSageMaker().config([recorder()])),
    status: 'PASS',
    code: 'recording-sagemaker',
  },
  {
    name: 'PASS exclusion strategy that does not exclude SageMaker',
    inventory: inventory().region('us-east-1', (r) =>
      r.withSageMaker().config([recorder({ allSupported: false, strategy: 'EXCLUSION_BY_RESOURCE_TYPES', exclusionTypes: ['AWS::EC2::Volume'] })]),
    ),
    status: 'PASS',
    code: 'recording-sagemaker',
  },
  {
    name: 'FAIL exclusion strategy that excludes the SageMaker model',
    inventory: inventory().region('us-east-1', (r) =>
      r
        .withSageMaker()
        .config([recorder({ allSupported: false, strategy: 'EXCLUSION_BY_RESOURCE_TYPES', exclusionTypes: ['AWS::SageMaker::Model'] })]),
    ),
    status: 'FAIL',
    code: 'sagemaker-not-recorded',
    reason: 'does not record AWS::SageMaker::Model',
  },
  {
    name: 'PASS inclusion list of SageMaker types AWS Config can record: it has no endpoint-config type, so none is required',
    inventory: inventory().region('us-east-1', (r) =>
      r
        .withSageMaker()
        .config([
          recorder({ allSupported: false, strategy: 'INCLUSION_BY_RESOURCE_TYPES', resourceTypes: ['AWS::SageMaker::Model', 'AWS::S3::Bucket'] }),
        ]),
    ),
    status: 'PASS',
    code: 'recording-sagemaker',
  },
  {
    name: 'FAIL inclusion list without SageMaker',
    inventory: inventory().region('us-east-1', (r) =>
      r.withSageMaker().config([recorder({ allSupported: false, strategy: 'INCLUSION_BY_RESOURCE_TYPES', resourceTypes: ['AWS::EC2::Instance'] })]),
    ),
    status: 'FAIL',
    code: 'sagemaker-not-recorded',
  },
  {
    name: 'FAIL daily recording says what it loses',
    inventory: inventory().region('us-east-1', (r) => r.withSageMaker().config([recorder({ recordingFrequency: 'DAILY' })])),
    status: 'FAIL',
    code: 'daily-recording',
    reason: 'a change reverted within the day',
  },
  {
    name: 'PASS daily default with a continuous override for SageMaker',
    inventory: inventory().region('us-east-1', (r) =>
      r.withSageMaker().config([
        recorder({
          recordingFrequency: 'DAILY',
          frequencyOverrides: [{ resourceTypes: ['AWS::SageMaker::Model'], frequency: 'CONTINUOUS' }],
        }),
      ]),
    ),
    status: 'PASS',
    code: 'recording-sagemaker',
  },
  {
    name: 'FAIL continuous default with a daily override for the SageMaker model',
    inventory: inventory().region('us-east-1', (r) =>
      r.withSageMaker().config([recorder({ frequencyOverrides: [{ resourceTypes: ['AWS::SageMaker::Model'], frequency: 'DAILY' }] })]),
    ),
    status: 'FAIL',
    code: 'daily-recording',
    reason: 'AWS::SageMaker::Model daily only',
  },
  { name: 'FAIL no recorder', inventory: inventory().region('us-east-1', (r) => r.withSageMaker().config([])), status: 'FAIL', code: 'no-recorder' },
  {
    name: 'FAIL stopped',
    inventory: inventory().region('us-east-1', (r) => r.withSageMaker().config([recorder({ recording: false })])),
    status: 'FAIL',
    code: 'recorder-stopped',
  },
  {
    name: 'NOT_APPLICABLE no AI footprint',
    inventory: inventory().region('us-east-1', (r) => r.config([])),
    status: 'NOT_APPLICABLE',
    code: 'no-ai-footprint',
  },
  {
    name: 'Bedrock used on demand (invocation logging only) counts as AI footprint',
    inventory: inventory().region('us-east-1', (r) => r.logging(loggingConfig()).config([])),
    status: 'FAIL',
    code: 'no-recorder',
  },
  {
    name: 'NOT_ASSESSED footprint unknown: a missing recorder is not a FAIL',
    inventory: inventory().region('us-east-1', (r) => r.footprintUnreadable('ExpiredToken').config([])),
    status: 'NOT_ASSESSED',
    code: 'footprint-unknown',
    reason: 'ExpiredToken',
  },
  {
    name: 'NOT_ASSESSED unreadable',
    inventory: inventory().region('us-east-1', (r) => r.withSageMaker().config(unseen('AccessDenied'))),
    status: 'NOT_ASSESSED',
    code: 'not-readable',
  },
  { name: 'NOT_ASSESSED no region scanned', inventory: inventory().account(MGMT), status: 'NOT_ASSESSED', code: 'no-region-scanned' },
]);
