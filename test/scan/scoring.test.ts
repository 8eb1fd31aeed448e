import { describe, expect, it } from 'vitest';
import type { CheckResult, ResultStatus, Severity } from '../../src/model/scan.js';
import { scoreResults } from '../../src/scan/scoring.js';

const r = (status: ResultStatus, severity: Severity = 'medium'): CheckResult => ({
  checkId: 'x',
  accountId: '111111111111',
  region: 'global',
  resourceArn: 'arn:aws:iam::111111111111:root',
  status,
  severity,
  reason: 'r',
  reasonCode: 'r',
  evidence: {},
});

describe('scoreResults', () => {
  it.each([
    ['all pass', [r('PASS'), r('PASS')], 100, 1],
    ['all fail', [r('FAIL'), r('FAIL')], 0, 1],
    ['severity weighted: critical pass (10) vs low fail (1)', [r('PASS', 'critical'), r('FAIL', 'low')], 90.9, 1],
    ['severity weighted: high fail (5) vs medium pass (3)', [r('FAIL', 'high'), r('PASS', 'medium')], 37.5, 1],
    ['NOT_ASSESSED excluded from score, lowers coverage', [r('PASS'), r('NOT_ASSESSED'), r('NOT_ASSESSED'), r('FAIL')], 50, 0.5],
    ['NOT_APPLICABLE ignored entirely', [r('PASS'), r('NOT_APPLICABLE'), r('NOT_APPLICABLE')], 100, 1],
  ] as const)('%s', (_name, results, score, coverage) => {
    expect(scoreResults(results)).toEqual({ score, coverage });
  });

  it('has no score (null), not 0 or 100, when nothing could be assessed', () => {
    expect(scoreResults([r('NOT_ASSESSED'), r('NOT_ASSESSED', 'critical')])).toEqual({ score: null, coverage: 0 });
  });

  it('reports full coverage and no score for an empty result set', () => {
    expect(scoreResults([])).toEqual({ score: null, coverage: 1 });
  });
});
