import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/model/scan.js';
import { coverageLoss, evaluateGate, gateSentences, INACTIVE_ACCOUNT_CODE, type GateOptions } from '../../src/scan/gate.js';
import { makeScan, result } from '../reports/fixtures.js';

const A = '111122223333';
const B = '222233334444';
const C = '333344445555';
const accepted = { reason: 'r', owner: 'o', expires: '2099-01-01', source: 'f#1' };
const throttled = (checkId: string, accountId: string, severity: CheckResult['severity']): CheckResult =>
  result(checkId, accountId, 'NOT_ASSESSED', { severity, reason: 'Throttled after 3 attempts', reasonCode: 'not-readable' });
const inactive = (accountId: string): CheckResult =>
  result('cloudtrail-multi-region-trail', accountId, 'NOT_ASSESSED', {
    severity: 'critical',
    reason: 'Account is SUSPENDED',
    reasonCode: INACTIVE_ACCOUNT_CODE,
  });

function doc(results: CheckResult[], coverage: Record<string, number> = {}) {
  return makeScan({ accounts: [A, B, C].map((id) => ({ accountId: id, name: id, coverage: coverage[id] ?? 1 })), results });
}

describe('the CI gate', () => {
  it.each<[string, CheckResult[], GateOptions, string[]]>([
    ['passes with only passes', [pass(A), pass(B)], { failOn: 'high' }, []],
    ['fails on a FAIL at the threshold', [result('x', A, 'FAIL', { severity: 'high' })], { failOn: 'high' }, ['findings']],
    ['ignores a FAIL below the threshold', [result('x', A, 'FAIL', { severity: 'medium' })], { failOn: 'high' }, []],
    ['ignores an accepted FAIL', [result('x', A, 'FAIL', { severity: 'critical', accepted })], { failOn: 'high' }, []],
    [
      'fails when results at or above it could not be assessed',
      [pass(A), throttled('guardduty-enabled', B, 'high')],
      { failOn: 'high' },
      ['not-assessed'],
    ],
    ['ignores unassessed results below it', [pass(A), throttled('guardduty-enabled', B, 'medium')], { failOn: 'high' }, []],
    ['leaves suspended and closed accounts out', [pass(A), inactive(C)], { failOn: 'low' }, []],
    [
      'says both when both failed',
      [result('x', A, 'FAIL', { severity: 'critical' }), throttled('y', B, 'critical')],
      { failOn: 'high' },
      ['findings', 'not-assessed'],
    ],
  ])('%s', (_name, results, options, failedBy) => {
    const gate = evaluateGate(doc(results), options);
    expect(gate.failedBy).toEqual(failedBy);
    expect(gate.passed).toBe(failedBy.length === 0);
  });

  it('--min-coverage: unseen results are acceptable while coverage holds, per account and overall', () => {
    const results = [
      ...Array.from({ length: 9 }, () => pass(A)),
      throttled('guardduty-enabled', A, 'high'),
      ...Array.from({ length: 10 }, () => pass(B)),
    ];
    expect(evaluateGate(doc(results, { [A]: 0.9 }), { failOn: 'high', minCoverage: 0.9 }).failedBy).toEqual([]);
    const strict = evaluateGate(doc(results, { [A]: 0.9 }), { failOn: 'high', minCoverage: 0.95 });
    expect(strict.failedBy).toEqual(['coverage']);
    expect(strict.accountsUnderCoverage).toEqual([A]);
    expect(strict.coverage).toBe(0.95);
    expect(gateSentences(strict).join(' ')).toMatch(/Gate failed on coverage: 95% assessed overall, minimum 0.95; under it: 111122223333/);
  });

  it('--min-coverage leaves inactive accounts out of the per-account check', () => {
    const gate = evaluateGate(doc([pass(A), inactive(C)], { [C]: 0 }), { failOn: 'high', minCoverage: 0.9 });
    expect(gate.failedBy).toEqual([]);
  });

  it('the summary sentences say which of the two failed', () => {
    const findings = gateSentences(evaluateGate(doc([result('x', A, 'FAIL', { severity: 'high' })]), { failOn: 'high' }));
    expect(findings).toEqual([expect.stringMatching(/^Gate failed on findings: 1 FAIL/)]);
    const unseen = gateSentences(evaluateGate(doc([throttled('y', B, 'high')]), { failOn: 'high' }));
    expect(unseen).toEqual([expect.stringMatching(/^Gate failed on coverage: 1 result\(s\) at or above high could not be assessed/)]);
  });
});

describe('coverage loss', () => {
  it('names each account that lost coverage, why, and how many results, worst first', () => {
    const loss = coverageLoss(
      doc([pass(A), throttled('guardduty-enabled', B, 'high'), throttled('config-recorder-ai', B, 'medium'), inactive(C)], { [B]: 0.5, [C]: 0 }),
    );
    expect(loss.map((l) => [l.accountId, l.notAssessed, l.inactive])).toEqual([
      [C, 1, true],
      [B, 2, false],
    ]);
    expect(loss[1]!.causes).toEqual([{ reasonCode: 'not-readable', count: 2, example: 'Throttled after 3 attempts' }]);
  });
});

function pass(id: string): CheckResult {
  return result('cloudtrail-multi-region-trail', id, 'PASS', { severity: 'critical' });
}
