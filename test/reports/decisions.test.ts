import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../reports/html.js';
import { buildReportModel } from '../../reports/model.js';
import { buildPdfDefinition } from '../../reports/pdf.js';
import { applyScanPolicy } from '../../src/scan/policy.js';
import { validateAcceptFile } from '../../src/scan/accept.js';
import { fakeCatalogue, fakeFrameworks, makeScan, result } from './fixtures.js';

const A = '111111111111';
const B = '222222222222';

function scan() {
  const base = makeScan({
    accounts: [
      { accountId: A, name: 'prod' },
      { accountId: B, name: 'dev', coverage: 0.5 },
    ],
    results: [
      result('bedrock-invocation-logging-text', A, 'FAIL', { severity: 'high' }),
      result('guardduty-enabled', B, 'NOT_ASSESSED', { severity: 'high', reason: 'Throttled <b>after</b> retries', reasonCode: 'not-readable' }),
    ],
  });
  const accept = validateAcceptFile(
    {
      acceptedRisks: [
        { check: 'bedrock-invocation-logging-text', reason: 'privacy', owner: '<img src=x onerror=alert(1)>', expires: '2030-01-31' },
        { check: 'guardduty-enabled', reason: 'old', owner: 'sec', expires: '2020-01-01' },
      ],
    },
    'risks.yaml',
    ['bedrock-invocation-logging-text', 'guardduty-enabled'],
  );
  return applyScanPolicy(base, { accept, gate: { failOn: 'high' }, now: new Date('2026-01-01T00:00:00Z') }).document;
}

describe('reports show accepted risks, coverage loss and the gate', () => {
  const m = buildReportModel(scan(), { catalogue: fakeCatalogue(), frameworks: fakeFrameworks() });

  it('the model carries them', () => {
    expect(m.decisions.acceptedRisks?.results.map((r) => r.checkId)).toEqual(['bedrock-invocation-logging-text']);
    expect(m.decisions.coverageLoss.map((l) => l.accountId)).toEqual([B]);
    expect(m.decisions.gate).toMatchObject({ passed: false, failedBy: ['not-assessed'] });
    expect(m.topGaps).toEqual([]);
  });

  it('HTML: their own section with owner and expiry, escaped', () => {
    const page = renderHtml(m);
    expect(page).toContain('<section id="coverage"><h2>Coverage and accepted risks</h2>');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('2030-01-31');
    expect(page).toContain('expired: no longer applies');
    expect(page).toContain('Throttled &lt;b&gt;after&lt;/b&gt; retries');
    expect(page).toMatch(/CI gate \(--fail-on high\): failed on not-assessed/);
  });

  it('PDF: the same section', () => {
    const text = JSON.stringify(buildPdfDefinition(m));
    expect(text).toContain('Coverage and accepted risks');
    expect(text).toContain('2030-01-31');
    expect(text).toContain('expired: no longer applies');
  });
});
