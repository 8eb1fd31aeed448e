import { describe, expect, it } from 'vitest';
import { check } from '../../checks/guardduty-enabled.js';
import type { GuardDutyDetector, Observed } from '../../src/model/inventory.js';
import { testCheck } from '../support/check-tester.js';
import { detector, inventory, MGMT, only, run, seen, unseen, type RegionBuilder } from '../support/inventory-builder.js';

const ARN = `arn:aws:guardduty:us-east-1:${MGMT}:detector`;

describe('guardduty-enabled', () => {
  it.each<[string, (r: RegionBuilder) => unknown, Observed<GuardDutyDetector[]>, string, string]>([
    ['PASS', (r) => r.withSageMaker(), seen([detector('d1')]), 'PASS', 'GuardDuty detector d1 is enabled in us-east-1'],
    ['FAIL no detector', (r) => r.withBedrock(), seen([]), 'FAIL', 'GuardDuty has no detector in us-east-1'],
    ['FAIL suspended', (r) => r.withSageMaker(), seen([detector('d1', 'DISABLED')]), 'FAIL', 'GuardDuty detector d1 in us-east-1 is DISABLED'],
    ['NOT_APPLICABLE without AI footprint', () => undefined, seen([]), 'NOT_APPLICABLE', 'No AI workloads in us-east-1'],
    [
      'NOT_APPLICABLE in a region that offers neither Bedrock nor SageMaker',
      (r) => void (r.r.notOffered = ['bedrock', 'sagemaker']),
      seen([]),
      'NOT_APPLICABLE',
      'No AI workloads in us-east-1 (it does not offer Amazon Bedrock and Amazon SageMaker AI)',
    ],
    [
      'NOT_ASSESSED detectors unreadable',
      (r) => r.withSageMaker(),
      unseen('AccessDenied: ListDetectors'),
      'NOT_ASSESSED',
      'could not be read: AccessDenied: ListDetectors',
    ],
    [
      'NOT_ASSESSED detector status unreadable',
      (r) => r.withSageMaker(),
      seen([detector('d1', unseen('AccessDenied: GetDetector'))]),
      'NOT_ASSESSED',
      'Status of GuardDuty detector d1 in us-east-1 could not be read: AccessDenied: GetDetector',
    ],
    [
      'footprint unknown never turns into a FAIL',
      (r) => r.footprintUnreadable('AccessDenied: ListModels'),
      seen([]),
      'NOT_ASSESSED',
      'AI footprint unknown (Bedrock custom models in us-east-1: AccessDenied: ListModels',
    ],
    [
      'footprint unknown still passes what passes, and says so',
      (r) => r.footprintUnreadable('ExpiredToken'),
      seen([detector('d1')]),
      'PASS',
      'evaluated as if present',
    ],
  ])('%s', (_n, fp, gd, status, fragment) => {
    const f = only(
      run(
        check,
        inventory().region('us-east-1', (r) => {
          fp(r);
          r.guardDuty(gd);
        }),
      ),
    );
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe(ARN);
    expect(f.region).toBe('us-east-1');
    expect(f.reason).toContain(fragment);
  });
});

const region = (fp: (r: RegionBuilder) => unknown, gd: Observed<GuardDutyDetector[]>) =>
  inventory().region('us-east-1', (r) => {
    fp(r);
    r.guardDuty(gd);
  });
testCheck(check, [
  { name: 'PASS enabled detector', inventory: region((r) => r.withSageMaker(), seen([detector('d1')])), status: 'PASS', code: 'detector-enabled' },
  { name: 'FAIL no detector where Bedrock runs', inventory: region((r) => r.withBedrock(), seen([])), status: 'FAIL', code: 'no-detector' },
  {
    name: 'FAIL suspended detector',
    inventory: region((r) => r.withSageMaker(), seen([detector('d1', 'DISABLED')])),
    status: 'FAIL',
    code: 'detector-disabled',
  },
  { name: 'NOT_APPLICABLE no AI footprint', inventory: region(() => undefined, seen([])), status: 'NOT_APPLICABLE', code: 'no-ai-footprint' },
  {
    name: 'NOT_ASSESSED detectors unreadable',
    inventory: region((r) => r.withSageMaker(), unseen('AccessDenied: ListDetectors')),
    status: 'NOT_ASSESSED',
    code: 'not-readable',
  },
  {
    name: 'NOT_ASSESSED footprint unknown',
    inventory: region((r) => r.footprintUnreadable('AccessDenied: ListModels'), seen([])),
    status: 'NOT_ASSESSED',
    code: 'footprint-unknown',
  },
]);
