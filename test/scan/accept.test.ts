import { describe, expect, it } from 'vitest';
import { applyAcceptedRisks, isExpired, patternMatches, validateAcceptFile, type AcceptFile } from '../../src/scan/accept.js';
import { applyScanPolicy } from '../../src/scan/policy.js';
import { scoreResults } from '../../src/scan/scoring.js';
import { makeScan, result } from '../reports/fixtures.js';

const CHECKS = ['bedrock-invocation-logging-text', 'cloudtrail-multi-region-trail'];
const NOW = new Date('2026-06-15T12:00:00Z');

const file = (entries: unknown[]): AcceptFile => validateAcceptFile({ acceptedRisks: entries }, 'accepted.yaml', CHECKS);
const privacy = {
  check: 'bedrock-invocation-logging-text',
  accounts: ['1111*'],
  reason: 'Prompts are not logged: legal decision 2026-03',
  owner: 'ciso@example.com',
  expires: '2026-12-31',
};

describe('accept file validation (exit 2, naming the bad value)', () => {
  it.each([
    [{}, /needs "acceptedRisks"/],
    [{ acceptedRisks: [{ ...privacy, owner: undefined }] }, /acceptedRisks\[0\] needs "owner"/],
    [{ acceptedRisks: [{ ...privacy, expires: '31/12/2026' }] }, /acceptedRisks\[0\]\.expires must be a date written YYYY-MM-DD/],
    [{ acceptedRisks: [{ ...privacy, expires: '2026-02-30' }] }, /"2026-02-30" is not a calendar date/],
    [{ acceptedRisks: [{ ...privacy, check: 'no-such-check' }] }, /"no-such-check" is not a check id/],
    [{ acceptedRisks: [{ ...privacy, accounts: ['12-34'] }] }, /acceptedRisks\[0\]\.accounts\[0\] must be a 12-digit account id/],
    [{ acceptedRisks: [{ ...privacy, ownr: 'x' }] }, /unknown setting "acceptedRisks\[0\]\.ownr"/],
  ])('%j', (data, message) => {
    expect(() => validateAcceptFile(data, 'accepted.yaml', CHECKS)).toThrow(message);
    try {
      validateAcceptFile(data, 'accepted.yaml', CHECKS);
    } catch (error) {
      expect((error as { exitCode?: number }).exitCode).toBe(2);
    }
  });

  it('defaults accounts and resources to every one, and names each entry by file and position', () => {
    const f = file([{ ...privacy, accounts: undefined }]);
    expect(f.risks[0]).toMatchObject({ accounts: ['*'], resources: ['*'], source: 'accepted.yaml#1' });
  });
});

describe('patterns and expiry', () => {
  it.each([
    ['*', 'anything', true],
    ['1111*', '111122223333', true],
    ['1111*', '211122223333', false],
    ['arn:aws:bedrock:*:model-invocation-logging', 'arn:aws:bedrock:us-east-1:111122223333:model-invocation-logging', true],
    ['arn:aws:bedrock:*:model-invocation-logging', 'arn:aws:bedrock:us-east-1:111122223333:other', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['ab*ba', 'aba', false],
    ['exact', 'exact', true],
    ['ex.ct', 'exact', false],
  ])('%s ~ %s = %s', (p, v, want) => expect(patternMatches(p, v)).toBe(want));

  it('holds through its expiry day (UTC) and not after', () => {
    expect(isExpired('2026-06-15', new Date('2026-06-15T23:59:59Z'))).toBe(false);
    expect(isExpired('2026-06-15', new Date('2026-06-16T00:00:00Z'))).toBe(true);
  });
});

describe('applying accepted risks', () => {
  const results = [
    result('bedrock-invocation-logging-text', '111122223333', 'FAIL', { severity: 'high' }),
    result('bedrock-invocation-logging-text', '222233334444', 'FAIL', { severity: 'high' }),
    result('bedrock-invocation-logging-text', '111122223333', 'PASS', {
      resourceArn: 'arn:aws:bedrock:eu-west-1:111122223333:model-invocation-logging',
    }),
    result('cloudtrail-multi-region-trail', '111122223333', 'FAIL', { severity: 'critical' }),
  ];

  it('a matching FAIL keeps its status and gains accepted; others are untouched', () => {
    const { results: out, entries } = applyAcceptedRisks(results, file([privacy]), NOW);
    expect(out.map((r) => [r.status, r.accepted?.owner ?? null])).toEqual([
      ['FAIL', 'ciso@example.com'],
      ['FAIL', null],
      ['PASS', null],
      ['FAIL', null],
    ]);
    expect(out[0]!.accepted).toEqual({ reason: privacy.reason, owner: privacy.owner, expires: '2026-12-31', source: 'accepted.yaml#1' });
    expect(entries).toEqual([expect.objectContaining({ status: 'active', matched: 1 })]);
    expect(results[0]!.accepted).toBeUndefined();
  });

  it('an expired acceptance no longer applies and says so', () => {
    const { results: out, entries } = applyAcceptedRisks(results, file([{ ...privacy, expires: '2026-06-14' }]), NOW);
    expect(out.every((r) => r.accepted === undefined)).toBe(true);
    expect(entries).toEqual([expect.objectContaining({ status: 'expired', matched: 1, expires: '2026-06-14' })]);
  });

  it('the score is reported with and without accepted risks', () => {
    const scan = makeScan({
      accounts: [
        { accountId: '111122223333', name: 'a' },
        { accountId: '222233334444', name: 'b' },
      ],
      results,
    });
    const { document } = applyScanPolicy(scan, { accept: file([privacy]), now: NOW });
    expect(document.score.organization).toBe(scan.score.organization);
    const without = scoreResults(document.results, { excludeAccepted: true }).score;
    expect(document.score.organizationExcludingAccepted).toBe(without);
    expect(without).toBeGreaterThan(scoreResults(document.results).score!);
    expect(document.acceptedRisks).toEqual({ file: 'accepted.yaml', entries: [expect.objectContaining({ checkId: privacy.check, matched: 1 })] });
  });
});
