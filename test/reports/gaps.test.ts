import { describe, expect, it } from 'vitest';
import { rankGaps } from '../../reports/gaps.js';
import { buildReportModel } from '../../reports/model.js';
import { fakeCatalogue, fakeFrameworks, makeScan, result } from './fixtures.js';

const ids = ['111111111111', '222222222222', '333333333333', '444444444444'];
const accepted = { reason: 'privacy decision', owner: 'dpo@example.com', expires: '2099-01-01', source: 'a.yaml#1' };

describe('rankGaps: a FAIL counts with the severity it carries', () => {
  it('splits a check failing at two severities and ranks by weight × accounts', () => {
    const gaps = rankGaps([
      result('bedrock-invocation-logging-text', ids[0]!, 'FAIL', { severity: 'high' }),
      ...ids.slice(1).map((a) => result('bedrock-invocation-logging-text', a, 'FAIL', { severity: 'low' })),
      result('s3-ai-bucket-access-logging', ids[0]!, 'FAIL', { severity: 'medium' }),
      result('s3-ai-bucket-access-logging', ids[1]!, 'FAIL', { severity: 'medium' }),
    ]);
    expect(gaps.map((g) => [g.checkId, g.severity, g.accountIds.length, g.weight * g.accountIds.length])).toEqual([
      ['s3-ai-bucket-access-logging', 'medium', 2, 6],
      ['bedrock-invocation-logging-text', 'high', 1, 5],
      ['bedrock-invocation-logging-text', 'low', 3, 3],
    ]);
  });

  it('accepted FAILs, passes and unassessed results are not gaps', () => {
    expect(
      rankGaps([
        result('guardduty-enabled', ids[0]!, 'FAIL', { accepted }),
        result('guardduty-enabled', ids[1]!, 'PASS'),
        result('guardduty-enabled', ids[2]!, 'NOT_ASSESSED'),
      ]),
    ).toEqual([]);
  });
});

describe('leadership sentences say what the scan says', () => {
  it('a low FAIL in accounts without Bedrock is not "we could not tell which prompts were sent"', () => {
    const scan = makeScan({
      accounts: ids.map((accountId) => ({ accountId, name: accountId })),
      results: [
        result('bedrock-invocation-logging-text', ids[0]!, 'FAIL', { severity: 'high' }),
        ...ids.slice(1).map((a) => result('bedrock-invocation-logging-text', a, 'FAIL', { severity: 'low' })),
      ],
    });
    const m = buildReportModel(scan, { catalogue: fakeCatalogue(), frameworks: fakeFrameworks() });
    const prompts = m.sentences.filter((s) => /prompts/.test(s));
    expect(prompts).toEqual([expect.stringMatching(/^In 1 of 4 accounts we could not tell/)]);
    expect(m.topGaps.map((g) => [g.severity, g.accountsAffected])).toEqual([
      ['high', 1],
      ['low', 3],
    ]);
  });
});
