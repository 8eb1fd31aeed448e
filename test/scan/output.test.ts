// scan.json streamed in chunks must be byte-identical to the JSON.stringify(document, null, 2) it replaces.
import { describe, expect, it } from 'vitest';
import { jsonLines, prettyJsonChunks, scanJsonChunks } from '../../src/scan/output.js';
import type { CheckResult, ScanDocument } from '../../src/model/scan.js';

const result = (i: number): CheckResult => ({
  checkId: 'cloudtrail-management-events',
  accountId: String(200_000_000_000 + i),
  region: i % 2 ? 'eu-west-1' : 'us-east-1',
  resourceArn: `arn:aws:cloudtrail:us-east-1:${200_000_000_000 + i}:trail/t`,
  status: i % 3 ? 'PASS' : 'FAIL',
  severity: 'high',
  reason: `line one\nline "two" \u2028 ${'\u001b[31m'} </script> ${i}`,
  reasonCode: 'ok',
  evidence: { nested: { list: [1, 'two', null, { deep: [] }], empty: {} }, n: i / 3 },
});

function document(results: number): ScanDocument {
  return {
    schemaVersion: 1,
    tool: { name: 'forensight', version: '0.1.0' },
    scanId: 'scan-1',
    startedAt: '2026-12-02T00:00:00.000Z',
    finishedAt: '2026-12-02T00:10:00.000Z',
    organization: null,
    parameters: { bucketRoleTagKey: 'forensight:role', nothing: undefined },
    accounts: [],
    results: Array.from({ length: results }, (_, i) => result(i)),
    score: { organization: null, coverage: 0.5, organizationExcludingAccepted: undefined },
    gate: undefined,
    stats: { apiCalls: 3, durationMs: 10, errors: 0 },
  };
}

const joined = (chunks: Iterable<string>): string => [...chunks].join('');

describe('streamed scan.json', () => {
  it.each([0, 1, 7])('is byte-identical to JSON.stringify(document, null, 2) with %i results', (n) => {
    const doc = document(n);
    expect(joined(scanJsonChunks(doc))).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    expect(JSON.parse(joined(scanJsonChunks(doc)))).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('yields each result as its own chunk, so no chunk grows with the number of results', () => {
    const chunks = [...scanJsonChunks(document(500))];
    const largest = Math.max(...chunks.map((c) => c.length));
    expect(chunks.length).toBeGreaterThan(500);
    expect(largest).toBeLessThan(JSON.stringify(result(499), null, 2).length * 2);
  });

  it.each([
    ['an empty object', {}],
    ['keys without a JSON form', { a: undefined, b: () => 1, c: 1 }],
    ['only keys without a JSON form', { a: undefined }],
    ['a streamed array holding values without a JSON form', { results: [1, undefined, () => 2, { x: [] }] }],
    ['a streamed key that is not an array', { results: { x: 1 }, accounts: 'none' }],
    ['an empty streamed array', { accounts: [], results: [] }],
  ])('matches JSON.stringify for %s', (_name, value) => {
    expect(joined(prettyJsonChunks(value as Record<string, unknown>))).toBe(`${JSON.stringify(value, null, 2)}\n`);
  });
});

describe('json lines', () => {
  it('writes one JSON document per line, and nothing for no items', () => {
    const calls = [
      { service: 's3', action: 'ListBuckets' },
      { service: 'sts', action: 'AssumeRole', note: 'a\nb' },
    ];
    expect(joined(jsonLines(calls))).toBe(`${calls.map((c) => JSON.stringify(c)).join('\n')}\n`);
    expect(joined(jsonLines([]))).toBe('');
  });
});
