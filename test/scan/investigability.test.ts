import { describe, expect, it } from 'vitest';
import type { CheckResult, ResultStatus } from '../../src/model/scan.js';
import { assessInvestigability, assessScenario, SCENARIOS } from '../../src/scan/investigability.js';

const res = (checkId: string, status: ResultStatus, resource = 'arn:aws:iam::111111111111:root', region = 'global'): CheckResult => ({
  checkId, accountId: '111111111111', region, resourceArn: resource, status, severity: 'high', reason: 'r', evidence: {},
});
const scenario = (id: string) => SCENARIOS.find((s) => s.id === id)!;
const bucketA = 'arn:aws:s3:::train-a';
const bucketB = 'arn:aws:s3:::train-b';

describe('investigability scenarios', () => {
  it.each([
    ['READY when every requirement is met', 'logging-tampering',
      [res('cloudtrail-multi-region-trail', 'PASS'), res('cloudtrail-bucket-immutable', 'PASS', 't1'), res('cloudtrail-log-file-validation', 'PASS', 't1')], 'READY'],
    ['PARTIAL when some requirements fail', 'logging-tampering',
      [res('cloudtrail-multi-region-trail', 'PASS'), res('cloudtrail-bucket-immutable', 'FAIL', 't1'), res('cloudtrail-log-file-validation', 'PASS', 't1')], 'PARTIAL'],
    ['BLIND when nothing is met', 'logging-tampering',
      [res('cloudtrail-multi-region-trail', 'FAIL'), res('cloudtrail-bucket-immutable', 'FAIL', 't1'), res('cloudtrail-log-file-validation', 'FAIL', 't1')], 'BLIND'],
    ['BLIND for logging tampering without any trail (always applicable)', 'logging-tampering',
      [res('cloudtrail-multi-region-trail', 'FAIL')], 'BLIND'],
    ['UNKNOWN when a requirement could not be assessed', 'logging-tampering',
      [res('cloudtrail-multi-region-trail', 'PASS'), res('cloudtrail-bucket-immutable', 'NOT_ASSESSED', 't1'), res('cloudtrail-log-file-validation', 'PASS', 't1')], 'UNKNOWN'],
    ['NOT_APPLICABLE when the scenario has no resources (no training buckets, no AI VPCs)', 'training-data-exfiltration',
      [res('cloudtrail-multi-region-trail', 'PASS'), res('s3-ai-bucket-access-logging', 'NOT_APPLICABLE'), res('vpc-flow-logs-ai', 'NOT_APPLICABLE')], 'NOT_APPLICABLE'],
    ['alternatives: access logs on A and data events on B make the bucket requirement met', 'training-data-exfiltration',
      [res('cloudtrail-multi-region-trail', 'PASS'), res('s3-ai-bucket-access-logging', 'PASS', bucketA), res('s3-ai-bucket-access-logging', 'FAIL', bucketB),
        res('cloudtrail-ai-bucket-data-events', 'FAIL', bucketA), res('cloudtrail-ai-bucket-data-events', 'PASS', bucketB)], 'READY'],
    ['alternatives: a bucket covered by neither makes it PARTIAL', 'training-data-exfiltration',
      [res('cloudtrail-multi-region-trail', 'PASS'), res('s3-ai-bucket-access-logging', 'PASS', bucketA), res('s3-ai-bucket-access-logging', 'FAIL', bucketB),
        res('cloudtrail-ai-bucket-data-events', 'FAIL', bucketB)], 'PARTIAL'],
  ] as const)('%s', (_name, id, results, expected) => {
    expect(assessScenario(scenario(id), results)).toBe(expected);
  });

  it('answers UNKNOWN for every scenario and CIRT element of an account that could not be accessed', () => {
    const answers = assessInvestigability([res('forensic-role-access', 'FAIL')], false);
    expect(Object.keys(answers)).toEqual(SCENARIOS.map((s) => s.id));
    expect(new Set(Object.values(answers))).toEqual(new Set(['UNKNOWN']));
  });

  it('covers the four scenarios and the seven CIRT elements', () => {
    expect(SCENARIOS.map((s) => s.id)).toEqual([
      'unauthorized-model-access', 'training-data-exfiltration', 'model-tampering', 'logging-tampering',
      'cirt:access', 'cirt:infrastructure-changes', 'cirt:ai-changes', 'cirt:data-store-changes', 'cirt:invocation', 'cirt:private-data', 'cirt:agency',
    ]);
  });
});
