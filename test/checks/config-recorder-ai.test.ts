import { describe, expect, it } from 'vitest';
import { check } from '../../checks/config-recorder-ai.js';
import type { ConfigRecorderInfo, Observed } from '../../src/model/inventory.js';
import { inventory, MGMT, only, recorder, run, seen, unseen, type RegionBuilder } from '../support/inventory-builder.js';

const ARN = `arn:aws:config:us-east-1:${MGMT}:configuration-recorder`;
const ai = (r: RegionBuilder) => r.withSageMaker();

describe('config-recorder-ai', () => {
  it.each<[string, (r: RegionBuilder) => unknown, Observed<ConfigRecorderInfo[]>, string, string]>([
    ['PASS all supported', ai, seen([recorder()]), 'PASS', 'AWS Config recorder default is recording in us-east-1, including SageMaker resources'],
    ['PASS explicit SageMaker types', ai, seen([recorder({ allSupported: false, resourceTypes: ['AWS::SageMaker::Model', 'AWS::SageMaker::EndpointConfig'] })]), 'PASS', 'including SageMaker'],
    ['FAIL explicit list without SageMaker', ai, seen([recorder({ allSupported: false, resourceTypes: ['AWS::EC2::Instance'] })]), 'FAIL', 'does not record AWS::SageMaker::Model, AWS::SageMaker::EndpointConfig'],
    ['FAIL SageMaker excluded', ai, seen([recorder({ exclusionTypes: ['AWS::SageMaker::Model'] })]), 'FAIL', 'does not record AWS::SageMaker::Model'],
    ['FAIL stopped', ai, seen([recorder({ recording: false })]), 'FAIL', 'recorder default is not recording'],
    ['FAIL no recorder', ai, seen([]), 'FAIL', 'AWS Config has no configuration recorder in us-east-1'],
    ['NOT_APPLICABLE without footprint', () => undefined, seen([]), 'NOT_APPLICABLE', 'No AI workloads in us-east-1'],
    ['NOT_ASSESSED recorders unreadable', ai, unseen('AccessDenied: DescribeConfigurationRecorders'), 'NOT_ASSESSED', 'could not be read: AccessDenied: DescribeConfigurationRecorders'],
    ['NOT_ASSESSED recording status unknown', ai, seen([recorder({ recording: null })]), 'NOT_ASSESSED', 'recording status of recorder default in us-east-1 could not be read'],
  ])('%s', (_n, fp, cfg, status, fragment) => {
    const f = only(run(check, inventory().region('us-east-1', (r) => { fp(r); r.config(cfg); })));
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe(ARN);
    expect(f.region).toBe('us-east-1');
    expect(f.reason).toContain(fragment);
  });

  it('unknown footprint is evaluated and flagged in the reason', () => {
    const f = only(run(check, inventory().region('us-east-1', (r) => r.footprintUnreadable('Throttling').config([recorder()]))));
    expect(f.status).toBe('PASS');
    expect(f.reason).toContain('evaluated as if present');
  });
});
