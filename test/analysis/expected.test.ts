// One matcher of the organisation's expected principals: exact ids and '*' prefixes, the same for the actors
// table and for every rule (isExpected).
import { describe, expect, it } from 'vitest';
import { anyExpected, expectedList } from '../../src/analysis/expected.js';
import { isExpected } from '../../src/analysis/rules/support.js';
import { testEvent } from './helpers.js';

const CI = 'arn:aws:iam::111122223333:role/ci-*';
const APP = 'arn:aws:iam::111122223333:role/app';

describe('expected principals', () => {
  it.each<[string, (string | null)[], boolean]>([
    ['an exact role ARN', [APP], true],
    ['under a prefix', ['arn:aws:iam::111122223333:role/ci-runner'], true],
    ['the prefix itself without its star is not an entry', ['arn:aws:iam::111122223333:role/ci'], false],
    ['a longer ARN that only starts like an exact entry', [`${APP}-admin`], false],
    ['nothing to match', [null, ''], false],
  ])('%s', (_name, ids, want) => {
    expect(anyExpected(expectedList([CI, APP]), ids)).toBe(want);
  });

  it('rules honour prefixes as the actors table does: a session of a ci-* role from anywhere is expected', () => {
    const e = testEvent({
      time: '2026-11-01T10:00:00.000Z',
      principal: 'arn:aws:sts::111122223333:assumed-role/ci-runner/build-7',
      sessionIssuer: 'arn:aws:iam::111122223333:role/ci-runner',
      sourceIp: '198.51.100.1',
    });
    expect(isExpected(e, { expected: { ips: new Set(), principals: new Set([CI]) } })).toBe(true);
    expect(isExpected(e, { expected: { ips: new Set(), principals: new Set([APP]) } })).toBe(false);
    expect(isExpected(e, { expected: { ips: new Set(['198.51.100.1']), principals: new Set() } })).toBe(true);
  });
});
