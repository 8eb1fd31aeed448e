import { describe, expect, it } from 'vitest';
import { synthesizeScan, syntheticCatalogue, syntheticFrameworks } from '../../bench/reports.js';
import { buildClientData, decodeEvidence, decodeText, GAP_WIDTH, RESULT_WIDTH, TEMPLATE_MARK, type ClientData } from '../../reports/html-data.js';
import { renderHtml } from '../../reports/html.js';
import { buildReportModel, type GapRef } from '../../reports/model.js';
import type { CheckResult } from '../../src/model/scan.js';
import { fakeCatalogue, fakeFrameworks, HOSTILE_IMG, hostileScan, makeScan, result } from './fixtures.js';

const A = '111111111111';
const B = '222222222222';

/** Every result as the page rebuilds it from the data block. */
function decodedResults(d: ClientData): Array<Pick<CheckResult, 'accountId' | 'region' | 'resourceArn' | 'reason'> & { evidence: unknown }> {
  const out = [];
  for (let o = 0; o < d.r.length; o += RESULT_WIDTH) {
    const accountId = d.s[d.accounts[d.r[o + 1]!]![0]]!;
    const evidence = decodeEvidence(d, d.r[o + 7]!, accountId);
    out.push({
      accountId,
      region: d.s[d.r[o + 2]!]!,
      resourceArn: decodeText(d, d.r[o + 3]!, accountId),
      reason: decodeText(d, d.r[o + 6]!, accountId),
      evidence: evidence === null ? {} : JSON.parse(JSON.stringify(evidence)),
    });
  }
  return out;
}

function decodedGaps(d: ClientData, flat: number[]): Array<GapRef & { why?: string }> {
  const out = [];
  for (let o = 0; o < flat.length; o += GAP_WIDTH) {
    const accountId = d.s[flat[o + 1]!]!;
    out.push({
      checkId: d.s[flat[o]!]!,
      accountId,
      accountName: d.s[flat[o + 2]!]!,
      resourceArn: decodeText(d, flat[o + 4]!, accountId),
      region: d.s[flat[o + 3]!]!,
      severity: (['critical', 'high', 'medium', 'low'] as const)[flat[o + 5]!]!,
      ...(flat[o + 6]! >= 0 ? { why: d.s[flat[o + 6]!]! } : {}),
    });
  }
  return out;
}

const tricky: CheckResult[] = [
  result('s3-ai-bucket-access-logging', A, 'FAIL', {
    resourceArn: `arn:aws:s3:::logs-${A}`,
    reason: `Bucket logs-${A} of ${A} has no access logging`,
    evidence: { resource: `arn:aws:s3:::logs-${A}`, observed: { owner: A, targets: [`logs-${A}`, null, 3] }, region: 'us-east-1' },
  }),
  result('s3-ai-bucket-access-logging', B, 'FAIL', {
    resourceArn: `arn:aws:s3:::logs-${B}`,
    reason: `Bucket logs-${B} of ${B} has no access logging`,
    evidence: { resource: `arn:aws:s3:::logs-${B}`, observed: { owner: B, targets: [`logs-${B}`, null, 3] }, region: 'us-east-1' },
  }),
  // A text that already holds the template mark is stored as it is.
  result('guardduty-enabled', A, 'FAIL', {
    resourceArn: `arn:aws:guardduty:us-east-1:${A}:detector/x${TEMPLATE_MARK}y`,
    reason: `${TEMPLATE_MARK}${A}`,
  }),
  // A hostile key that would set the prototype of a plain object, and a value that is JSON-looking text.
  result('guardduty-enabled', B, 'FAIL', {
    evidence: JSON.parse(`{"__proto__": {"polluted": "${B}"}, "text": "{\\"a\\":1}", "n": 0, "f": false}`) as Record<string, unknown>,
  }),
  // An account id too short to template, and an empty one.
  result('guardduty-enabled', '7', 'FAIL', { resourceArn: 'arn:aws:iam::7:root', reason: '7 of 77' }),
  result('guardduty-enabled', '', 'NOT_ASSESSED', { resourceArn: 'arn:aws:iam:::root', reason: '' }),
];

describe('HTML data block', () => {
  it('decodes back to every result exactly, hostile and odd texts included', () => {
    for (const scan of [
      hostileScan(),
      makeScan({
        accounts: [
          { accountId: A, name: 'a' },
          { accountId: B, name: 'b' },
        ],
        results: tricky,
      }),
    ]) {
      const model = buildReportModel(scan, { catalogue: fakeCatalogue(), frameworks: fakeFrameworks() });
      const expected = model.results.map((r) => ({
        accountId: r.accountId,
        region: r.region,
        resourceArn: r.resourceArn,
        reason: r.reason,
        evidence: JSON.parse(JSON.stringify(r.evidence ?? {})),
      }));
      expect(decodedResults(buildClientData(model))).toEqual(expected);
    }
  });

  it('stores a text that differs between accounts only by the account id once, as a template', () => {
    const model = buildReportModel(
      makeScan({
        accounts: [
          { accountId: A, name: 'a' },
          { accountId: B, name: 'b' },
        ],
        results: tricky,
      }),
      {
        catalogue: fakeCatalogue(),
        frameworks: fakeFrameworks(),
      },
    );
    const d = buildClientData(model);
    expect(d.s).toContain(`arn:aws:s3:::logs-${TEMPLATE_MARK}`);
    expect(d.s).toContain(`Bucket logs-${TEMPLATE_MARK} of ${TEMPLATE_MARK} has no access logging`);
    expect(d.s.filter((s) => s.includes(`logs-${A}`) || s.includes(`logs-${B}`))).toEqual([]);
    // The two evidence objects are one entry; the short id is not templated.
    const ev = (o: number) => d.r[o * RESULT_WIDTH + 7];
    expect(ev(0)).toBe(ev(1));
    expect(d.s).toContain('7 of 77');
  });

  it('carries the trend gaps, which the page lists a page at a time', () => {
    const prev = makeScan({
      scanId: 'q3',
      accounts: [
        { accountId: A, name: 'old' },
        { accountId: '999999999999', name: 'gone' },
      ],
      results: [
        result('guardduty-enabled', A, 'FAIL'),
        result('cloudtrail-multi-region-trail', '999999999999', 'FAIL', { resourceArn: 'arn:aws:iam::999999999999:root' }),
        result('s3-ai-bucket-access-logging', A, 'FAIL', { resourceArn: `arn:aws:s3:::${HOSTILE_IMG}` }),
      ],
    });
    const model = buildReportModel(hostileScan(), { catalogue: fakeCatalogue(), frameworks: fakeFrameworks(), previous: [prev] });
    const t = model.trend!;
    expect(t.newGaps.length).toBeGreaterThan(0);
    expect(t.fixedGaps.length).toBeGreaterThan(0);
    expect(t.unconfirmedGaps.length).toBeGreaterThan(0);
    const d = buildClientData(model);
    expect(decodedGaps(d, d.g.n)).toEqual(t.newGaps);
    expect(decodedGaps(d, d.g.f)).toEqual(t.fixedGaps);
    expect(decodedGaps(d, d.g.u)).toEqual(t.unconfirmedGaps);
    const html = renderHtml(model);
    for (const id of ['gaps-new', 'gaps-fixed', 'gaps-unconfirmed']) expect(html).toContain(`<tbody id="${id}-body"></tbody>`);
    expect(buildClientData(buildReportModel(hostileScan(), { catalogue: fakeCatalogue(), frameworks: fakeFrameworks() })).g).toEqual({
      n: [],
      f: [],
      u: [],
    });
  });

  it('keeps a 5,000-account report with a previous scan under 15 MB', () => {
    const scan = synthesizeScan(5000, 42, { scanId: 'now' });
    const prev = synthesizeScan(5000, 7, { scanId: 'before', startedAt: '2025-07-01T08:00:00.000Z' });
    const model = buildReportModel(scan, { catalogue: syntheticCatalogue(), frameworks: syntheticFrameworks(), previous: [prev] });
    expect(model.trend!.newGaps.length + model.trend!.fixedGaps.length).toBeGreaterThan(10_000);
    expect(Buffer.byteLength(renderHtml(model))).toBeLessThan(15 * 1024 * 1024);
  }, 120_000);
});
