import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScan, loadScans, ScanLoadError } from '../../reports/load.js';
import { buildReportModel, gradeFor } from '../../reports/model.js';
import type { CheckResult } from '../../src/model/scan.js';
import { ALL_READY, fakeCatalogue, fakeFrameworks, HOSTILE_CONTROLS, HOSTILE_SCRIPT, hostileScan, makeScan, result } from './fixtures.js';

const opts = () => ({ catalogue: fakeCatalogue(), frameworks: fakeFrameworks() });

describe('buildReportModel', () => {
  it('grades scores with fixed thresholds', () => {
    expect([100, 90, 89.9, 80, 70, 60, 59.9, 0].map(gradeFor)).toEqual(['A', 'A', 'B', 'B', 'C', 'D', 'F', 'F']);
    expect(gradeFor(null)).toBe('N/A');
  });

  it('summarises score, coverage, counts and not-assessed accounts', () => {
    const m = buildReportModel(hostileScan(), opts());
    expect(m.score).toBe(68);
    expect(m.grade).toBe('D');
    expect(m.coverage).toBe(0.75);
    expect(m.accountsTotal).toBe(4);
    expect(m.accountsAssessed).toBe(3);
    expect(m.counts).toEqual({ PASS: 5, FAIL: 6, NOT_APPLICABLE: 1, NOT_ASSESSED: 1 });
    expect(m.notAssessed).toEqual([
      { accountId: '444444444444', name: 'sandbox', reason: `AccessDenied: role forensight-readonly could not be assumed ${HOSTILE_CONTROLS}` },
    ]);
    expect(m.bySeverity.critical).toEqual({ PASS: 2, FAIL: 1, NOT_APPLICABLE: 0, NOT_ASSESSED: 1 });
  });

  it('ranks top gaps by severity weight × accounts affected', () => {
    const m = buildReportModel(hostileScan(), opts());
    // Same weights as the score: multi-region trail critical(10) × 1 = 10 ties bedrock text high(5) × 2 = 10 and
    // the more severe gap ranks first; access logging medium 3 × 2 = 6; data capture high 5 × 1 = 5.
    expect(m.topGaps.map((g) => [g.checkId, g.weight * g.accountsAffected])).toEqual([
      ['cloudtrail-multi-region-trail', 10],
      ['bedrock-invocation-logging-text', 10],
      ['s3-ai-bucket-access-logging', 6],
      ['sagemaker-endpoint-data-capture', 5],
    ]);
    expect(m.topGaps[0]!.rank).toBe(1);
  });

  it('writes plain-language sentences from the phrase table', () => {
    const m = buildReportModel(hostileScan(), opts());
    expect(m.sentences).toContain(
      'In 2 of 3 accounts we could not tell, in at least one region, which prompts were sent to Bedrock or what it answered.',
    );
    expect(m.sentences).toContain('In 1 of 3 accounts we would be blind to someone using our AI models without permission.');
    expect(m.sentences.some((s) => s.startsWith('We could not assess 1 of 4 accounts'))).toBe(true);
  });

  it('counts a role-access failure in a not-assessed account against all accounts it concerns', () => {
    const scan = hostileScan();
    scan.results.push(result('forensic-role-access', '444444444444', 'FAIL', { region: 'global', severity: 'high' }));
    const m = buildReportModel(scan, opts());
    expect(m.sentences).toContain(
      'In 1 of 4 accounts we could not get into the account to investigate, because the forensic role cannot be assumed.',
    );
    expect(m.topGaps.find((g) => g.checkId === 'forensic-role-access')!.accountsConsidered).toBe(4);
  });

  it('builds the investigability matrix with scenarios first, then CIRT elements', () => {
    const m = buildReportModel(hostileScan(), opts());
    expect(m.investigability.columns.map((c) => c.key)).toEqual([
      'unauthorized-model-access',
      'training-data-exfiltration',
      'model-tampering',
      'logging-tampering',
      'access',
      'invocation',
    ]);
    expect(m.investigability.columns[4]!.label).toBe('Access');
    expect(m.investigability.rows[0]!.cells[0]).toBe('BLIND');
    expect(m.investigability.totals[0]).toEqual({ READY: 2, PARTIAL: 0, BLIND: 1, NOT_APPLICABLE: 0, UNKNOWN: 1 });
  });

  it('gives per-account, per-check status and the compliance view', () => {
    const m = buildReportModel(hostileScan(), opts());
    const prod = m.accounts.find((a) => a.accountId === '111111111111')!;
    const idx = m.checks.findIndex((c) => c.checkId === 'cloudtrail-multi-region-trail');
    expect(prod.checkStatus[idx]).toBe('FAIL');
    expect(prod.grade).toBe('F');
    const nist = m.compliance[0]!;
    const au2 = nist.controls.find((c) => c.id === 'AU-2')!;
    expect(au2.checkIds).toEqual(['cloudtrail-multi-region-trail', 's3-ai-bucket-access-logging']);
    expect(au2.pass).toBe(3);
    expect(au2.fail).toBe(3);
    expect(au2.passShare).toBe(0.5);
    expect(nist.controls.find((c) => c.id === 'IR-4')!.passShare).toBeNull();
  });

  it('bounds failures per check for the PDF and keeps the count', () => {
    const results: CheckResult[] = [];
    for (let i = 0; i < 30; i++)
      results.push(result('s3-ai-bucket-access-logging', '111111111111', 'FAIL', { resourceArn: `arn:aws:s3:::b-${String(i).padStart(2, '0')}` }));
    const scan = makeScan({ accounts: [{ accountId: '111111111111', name: 'a' }], results });
    const m = buildReportModel(scan, { ...opts(), maxFailuresPerCheckInPdf: 25 });
    const c = m.checks.find((x) => x.checkId === 's3-ai-bucket-access-logging')!;
    expect(c.failureCount).toBe(30);
    expect(c.pdfFailures).toHaveLength(25);
    expect(c.omittedInPdf).toBe(5);
    expect(c.pdfFailures[0]!.resourceArn).toBe('arn:aws:s3:::b-00');
    expect(m.results).toHaveLength(30);
  });

  it('handles checks missing from the catalogue and an empty scan', () => {
    const scan = makeScan({ accounts: [{ accountId: '1', name: 'x' }], results: [result('future-check', '1', 'FAIL')] });
    const m = buildReportModel(scan, opts());
    const c = m.checks.find((x) => x.checkId === 'future-check')!;
    expect(c.known).toBe(false);
    expect(c.remediation).toBeNull();
    expect(m.topGaps[0]!.checkId).toBe('future-check');
    const empty = buildReportModel(makeScan({ accounts: [], results: [], orgScore: null, coverage: 0 }), opts());
    expect(empty.grade).toBe('N/A');
    expect(empty.sentences[0]).toContain('No account could be assessed');
  });
});

describe('trend against previous scans', () => {
  const A = '111111111111';
  const B = '222222222222';
  const D = '444444444444';
  const E = '555555555555';
  const F = '666666666666';
  const previous = makeScan({
    scanId: 'scan-2025q3',
    startedAt: '2025-07-01T09:00:00.000Z',
    accounts: [
      { accountId: A, name: 'ml-prod-legacy', score: 30 },
      { accountId: B, name: HOSTILE_SCRIPT, score: 90 },
      { accountId: D, name: 'sandbox', score: 50 },
      { accountId: E, name: 'decommissioned', score: 20 },
    ],
    results: [
      result('cloudtrail-multi-region-trail', A, 'FAIL', { region: 'global' }), // fixed now
      result('s3-ai-bucket-access-logging', A, 'FAIL', { resourceArn: 'arn:aws:s3:::training-data-a' }), // still failing
      result('bedrock-invocation-logging-text', B, 'PASS', { resourceArn: `arn:aws:bedrock:us-east-1:${B}:logging` }), // new gap now
      result('s3-ai-bucket-access-logging', B, 'FAIL', { resourceArn: 'arn:aws:s3:::old-bucket' }), // resource gone
      result('guardduty-enabled', D, 'FAIL'), // account not assessed now
      result('guardduty-enabled', E, 'FAIL'), // account removed
    ],
  });
  const older = makeScan({
    scanId: 'scan-2025q2',
    startedAt: '2025-04-01T09:00:00.000Z',
    accounts: [{ accountId: A, name: 'ml-prod-legacy', score: 20 }],
    results: [],
  });
  const current = makeScan({
    scanId: 'scan-2025q4',
    accounts: [
      { accountId: A, name: 'prod-ml', score: 60 },
      { accountId: B, name: HOSTILE_SCRIPT, score: 75 },
      { accountId: D, name: 'sandbox', status: 'NOT_ASSESSED', reason: 'role missing' },
      { accountId: F, name: 'new-team', score: 100 },
    ],
    results: [
      result('cloudtrail-multi-region-trail', A, 'PASS', { region: 'global' }),
      result('s3-ai-bucket-access-logging', A, 'FAIL', { resourceArn: 'arn:aws:s3:::training-data-a' }),
      result('bedrock-invocation-logging-text', B, 'FAIL', { resourceArn: `arn:aws:bedrock:us-east-1:${B}:logging` }),
      result('guardduty-enabled', F, 'FAIL'),
    ],
  });

  const m = buildReportModel(current, { ...opts(), previous: [older, previous] });
  const t = m.trend!;

  it('compares with the newest previous scan', () => {
    expect(t.baselineScanId).toBe('scan-2025q3');
    expect(m.history.map((h) => h.scanId)).toEqual(['scan-2025q2', 'scan-2025q3', 'scan-2025q4']);
  });

  it('finds new and fixed gaps by checkId + accountId + resourceArn', () => {
    expect(t.newGaps.map((g) => `${g.checkId}@${g.accountId}`).sort()).toEqual([`bedrock-invocation-logging-text@${B}`, `guardduty-enabled@${F}`]);
    expect(t.fixedGaps.map((g) => `${g.checkId}@${g.accountId}`)).toEqual([`cloudtrail-multi-region-trail@${A}`]);
    expect(t.fixedGaps[0]!.accountName).toBe('prod-ml');
  });

  it('never counts a gap as fixed when it could not be seen again', () => {
    const why = Object.fromEntries(t.unconfirmedGaps.map((g) => [g.accountId, g.why]));
    expect(why).toEqual({ [B]: 'resource-gone', [D]: 'not-assessed', [E]: 'account-removed' });
  });

  it('matches renamed accounts by id and reports added and removed accounts', () => {
    expect(t.renamedAccounts).toEqual([{ accountId: A, name: 'prod-ml', previousName: 'ml-prod-legacy' }]);
    const a = t.accounts.find((x) => x.accountId === A)!;
    expect(a.delta).toBe(30);
    expect(a.renamed).toBe(true);
    expect(t.accounts.find((x) => x.accountId === D)!.delta).toBeNull();
    expect(t.addedAccounts).toEqual([{ accountId: F, name: 'new-team' }]);
    expect(t.removedAccounts).toEqual([{ accountId: E, name: 'decommissioned' }]);
    expect(m.accounts.find((x) => x.accountId === A)!.previousName).toBe('ml-prod-legacy');
    expect(t.orgScoreDelta).toBe((current.score.organization ?? 0) - (previous.score.organization ?? 0));
  });

  it('ignores the current scan if it is also passed as previous', () => {
    const again = buildReportModel(current, { ...opts(), previous: [previous, current] });
    expect(again.trend!.baselineScanId).toBe('scan-2025q3');
  });
});

describe('loadScan / loadScans', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forensight-load-'));
  const write = (name: string, doc: unknown): string => {
    const p = join(dir, name);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc));
    return p;
  };

  it('loads a valid scan', () => {
    const p = write('ok.json', hostileScan());
    const s = loadScan(p);
    expect(s.accounts).toHaveLength(4);
  });

  it('rejects schemaVersion 2 with a clear message naming the file and version', () => {
    const p = write('v2/scan.json', { ...hostileScan(), schemaVersion: 2 });
    let err: unknown;
    try {
      loadScan(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScanLoadError);
    const e = err as ScanLoadError;
    expect(e.code).toBe('UNSUPPORTED_SCHEMA_VERSION');
    expect(e.file).toBe(p);
    expect(e.message).toContain(p);
    expect(e.message).toContain('schemaVersion 2');
    expect(e.message).toContain('reads schemaVersion 1');
  });

  it('rejects broken JSON and wrong structure with the path of the bad field', () => {
    expect(() => loadScan(write('bad.json', '{"schemaVersion": 1,'))).toThrow(/bad\.json: not valid JSON/);
    const doc = hostileScan() as unknown as { results: Array<Record<string, unknown>> };
    doc.results[2]!.status = 'MAYBE';
    expect(() => loadScan(write('badstatus.json', doc))).toThrow(/results\[2\]\.status must be one of/);
    expect(() => loadScan(join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read/);
  });

  it('loads a directory of scans oldest first, including <subdir>/scan.json', () => {
    const d = join(dir, 'history');
    mkdirSync(join(d, '2025q2'), { recursive: true });
    writeFileSync(join(d, 'b.json'), JSON.stringify(makeScan({ scanId: 'q3', startedAt: '2025-07-01T00:00:00Z', accounts: [], results: [] })));
    writeFileSync(join(d, 'a.json'), JSON.stringify(makeScan({ scanId: 'q4', startedAt: '2025-10-01T00:00:00Z', accounts: [], results: [] })));
    writeFileSync(
      join(d, '2025q2', 'scan.json'),
      JSON.stringify(makeScan({ scanId: 'q2', startedAt: '2025-04-01T00:00:00Z', accounts: [], results: [] })),
    );
    expect(loadScans(d).map((s) => s.scanId)).toEqual(['q2', 'q3', 'q4']);
    expect(loadScans(join(d, 'a.json')).map((s) => s.scanId)).toEqual(['q4']);
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    expect(() => loadScans(empty)).toThrow(/no scan\.json files/);
  });

  it('a v2 file inside a --previous directory is an error too', () => {
    const d = join(dir, 'mixed');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'old.json'), JSON.stringify({ ...makeScan({ accounts: [], results: [] }), schemaVersion: 2 }));
    expect(() => loadScans(d)).toThrow(/old\.json: unsupported scan\.json schemaVersion 2/);
  });

  it('accepts investigability values only from the contract', () => {
    const doc = hostileScan() as unknown as { accounts: Array<{ investigability: Record<string, string> }> };
    doc.accounts[0]!.investigability = { ...ALL_READY, 'model-tampering': 'GREEN' };
    expect(() => loadScan(write('badinv.json', doc))).toThrow(/accounts\[0\]\.investigability\["model-tampering"\]/);
  });
});
