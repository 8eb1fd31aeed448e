import { describe, expect, it } from 'vitest';
import { AnalysisConfigError, validateAnalysisConfig } from '../../../src/analysis/rules/config.js';

describe('analyze --config', () => {
  it('accepts expected actors and rule params', () => {
    const c = validateAnalysisConfig(
      {
        expectedIps: ['192.0.2.10'],
        expectedPrincipals: ['arn:aws:iam::111122223333:role/ci'],
        rules: { 's3-ai-bulk-read': { objectThreshold: 500 } },
      },
      'a.yaml',
    );
    expect(c).toEqual({
      expected: { ips: ['192.0.2.10'], principals: ['arn:aws:iam::111122223333:role/ci'], ownApplications: [] },
      ruleParams: { 's3-ai-bulk-read': { objectThreshold: 500 } },
    });
  });
  it("takes the organisation's own applications", () => {
    expect(validateAnalysisConfig({ ownApplications: ['arn:aws:iam::111122223333:role/app-*'] }, 'a.yaml').expected.ownApplications).toEqual([
      'arn:aws:iam::111122223333:role/app-*',
    ]);
  });
  it.each([
    [{ rules: { 'no-such-rule': {} } }, /unknown setting "rules\.no-such-rule"/],
    [{ rules: { 's3-ai-bulk-read': { objectTreshold: 5 } } }, /unknown setting "rules\.s3-ai-bulk-read\.objectTreshold"/],
    [{ rules: { 's3-ai-bulk-read': { objectThreshold: 0 } } }, /rules\.s3-ai-bulk-read\.objectThreshold must be >= 1/],
    [{ rules: { 'invocation-prompt-injection': { patterns: ['bad=('] } } }, /not a valid regular expression/],
    [{ expectedIps: 'x' }, /expectedIps must be array/],
    [{ ownApplication: ['arn:aws:iam::111122223333:role/app'] }, /unknown setting "ownApplication" \(did you mean "ownApplications"\?\)/],
    [{ rules: { 's3-ai-bulk-read': { objectTreshold: 5 } } }, /did you mean "objectThreshold"/],
  ])('rejects %j naming the bad value', (data, message) => {
    expect(() => validateAnalysisConfig(data, 'a.yaml')).toThrow(AnalysisConfigError);
    expect(() => validateAnalysisConfig(data, 'a.yaml')).toThrow(message);
  });
});
