// Renders real PDFs with pdfmake and reads them back with poppler's pdftotext.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReportModel } from '../../reports/model.js';
import { buildPdfDefinition, countPdfPages, renderPdf } from '../../reports/pdf.js';
import type { CheckResult } from '../../src/model/scan.js';
import { fakeCatalogue, fakeFrameworks, HOSTILE_SCRIPT, hostileScan, makeScan, result } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'forensight-pdf-'));

function pdfText(pdf: Buffer, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, pdf);
  // Zero-width spaces let ARNs wrap in cells; drop them (and join the wrapped lines) for matching.
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).replace(/\u200b/g, '');
}

beforeAll(() => {
  const found = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].some((p) => existsSync(p));
  if (!found)
    throw new Error('pdftotext (poppler-utils) is required for the PDF tests: apt-get install poppler-utils. These tests are never skipped.');
});

describe('renderPdf', () => {
  let text = '';
  let pages = 0;
  const previous = makeScan({
    scanId: 'scan-2025q3',
    startedAt: '2025-07-01T09:00:00.000Z',
    accounts: [
      { accountId: '111111111111', name: 'ml-prod-legacy', score: 20 },
      { accountId: '999999999999', name: 'retired-account', score: 50 },
    ],
    results: [
      result('cloudtrail-multi-region-trail', '111111111111', 'FAIL', { region: 'global' }),
      result('guardduty-enabled', '111111111111', 'FAIL'),
    ],
    orgScore: 35,
  });

  beforeAll(async () => {
    const model = buildReportModel(hostileScan(), { catalogue: fakeCatalogue(), frameworks: fakeFrameworks(), previous: [previous] });
    const pdf = await renderPdf(model);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    pages = countPdfPages(pdf);
    text = pdfText(pdf, 'small.pdf');
  }, 60_000);

  it('has a sane number of pages, page numbers, a header and a table of contents', () => {
    expect(pages).toBeGreaterThanOrEqual(8);
    expect(pages).toBeLessThan(40);
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text).toContain('Scan scan-2025q4');
    expect(text).toContain('2025-10-01');
    expect(text).toContain('Contents');
    expect(text).toMatch(/Top gaps\s+\d+/);
    // form feeds separate pages in pdftotext output
    expect(text.split('\f').filter((p) => p.trim()).length).toBe(pages);
  });

  it('puts score, grade, coverage, sentences, investigability and top gaps on the leadership pages', () => {
    const leadership = text.slice(
      0,
      text.indexOf('Security team: results per account\n') > 0 ? text.lastIndexOf('Security team: results per account') : undefined,
    );
    expect(leadership).toMatch(/Score\s+Grade\s+Coverage/);
    expect(leadership).toMatch(/68\s+D\s+75%/);
    expect(leadership.replace(/\s+/g, ' ')).toContain(
      'In 2 of 3 accounts we could not tell, in at least one region, which prompts were sent to Bedrock or what it answered.',
    );
    expect(leadership).toContain('Could we investigate it?');
    expect(leadership).toContain('Bedrock prompts and answers not kept');
    expect(leadership).toContain('No complete audit trail');
    expect(leadership).toContain('AccessDenied: role forensight-readonly could not be assumed');
  });

  it('shows account names as text, hostile ones included', () => {
    for (const name of ['prod-ml', 'sandbox']) expect(text).toContain(name);
    expect(text.replace(/\s+/g, '')).toContain(HOSTILE_SCRIPT.replace(/\s+/g, ''));
  });

  it('reports changes since the previous scan', () => {
    expect(text).toContain('Changes since the previous scan');
    expect(text).toContain('Compared with scan scan-2025q3');
    expect(text).toMatch(/1 gaps fixed/);
    expect(text).toContain('Accounts no longer in the scan (1)');
    expect(text).toContain('retired-account');
    expect(text).toContain('ml-prod-legacy renamed to prod-ml');
  });

  it('carries the security-team detail: remediation CLI, IaC and the compliance view', () => {
    expect(text).toContain('aws example fix-cloudtrail-multi-region-trail --enable');
    expect(text).toContain('CloudFormation');
    expect(text).toContain('Type: AWS::Example::cloudtrailmultiregiontrail');
    expect(text).toContain('Compliance view');
    expect(text).toContain('NIST SP 800-53 Rev. 5');
    expect(text).toContain('Audit Record Generation');
  });
});

describe('renderPdf bounds', () => {
  it('lists at most maxFailuresPerCheckInPdf failures per check, then says what was left out', async () => {
    const results: CheckResult[] = [];
    for (let i = 0; i < 40; i++) {
      results.push(
        result('s3-ai-bucket-access-logging', '111111111111', 'FAIL', { resourceArn: `arn:aws:s3:::bucket-${String(i).padStart(3, '0')}` }),
      );
    }
    results.push(result('cloudtrail-multi-region-trail', '111111111111', 'FAIL', { region: 'global' }));
    const scan = makeScan({ accounts: [{ accountId: '111111111111', name: 'bulk', score: 10 }], results });
    const model = buildReportModel(scan, { catalogue: fakeCatalogue(), frameworks: fakeFrameworks(), maxFailuresPerCheckInPdf: 25 });
    const text = pdfText(await renderPdf(model), 'bounded.pdf');
    expect(text).toContain('arn:aws:s3:::bucket-024');
    expect(text).not.toContain('arn:aws:s3:::bucket-025');
    expect(text).toContain('15 more failing results of s3-ai-bucket-access-logging are not shown here (25 of 40 shown).');
    expect(text).toContain('The HTML report and scan.json carry every result.');
    // The check under the limit gets no such note.
    expect(text).not.toContain('more failing results of cloudtrail-multi-region-trail');
  }, 60_000);

  it('lists the accounts with the most failing results when the per-account tables would be too long, and says what the rest hold', () => {
    const model = buildReportModel(hostileScan(), { catalogue: fakeCatalogue(), frameworks: fakeFrameworks() });
    const def = buildPdfDefinition(model, { maxAccountRows: 2 }) as { content: Array<{ table?: { body: unknown[][] }; text?: unknown }> };
    const accountTable = def.content.find((c) => JSON.stringify(c.table?.body[0] ?? []).includes('Not assessed'))!;
    // prod-ml has three FAILs, the hostile-named 222222222222 two; 333333333333 (one FAIL) and the unassessed sandbox are left out.
    expect(accountTable.table!.body.slice(1).map((row) => row[0])).toEqual(['111111111111', '222222222222']);
    const notes = def.content.filter((c) => typeof c.text === 'string' && c.text.startsWith('2 more accounts are in the HTML report'));
    expect(notes).toHaveLength(2); // under the accounts table and under the account × check matrix
    expect(notes[0]!.text).toContain('(1 of them with failing results, 1 with results not assessed)');
    // When every account fits, they keep the scan's order and no note is added.
    const all = buildPdfDefinition(model) as typeof def;
    expect(all.content.some((c) => typeof c.text === 'string' && c.text.includes('more accounts are in the HTML report'))).toBe(false);
  });

  it('does not fetch remote resources or read files outside the font directory', async () => {
    const model = buildReportModel(hostileScan(), { catalogue: fakeCatalogue(), frameworks: fakeFrameworks() });
    // Our own definitions reference no images or URLs at all.
    const def = JSON.stringify(buildPdfDefinition(model));
    expect(def).not.toMatch(/"image"|"images"|"url"|"svg"/);
    // A scan string that looks like a URL or path stays text.
    const scan = hostileScan();
    scan.accounts[0]!.name = 'https://attacker.example/x.png';
    scan.accounts[1]!.name = '/etc/passwd';
    const text = pdfText(await renderPdf(buildReportModel(scan, { catalogue: fakeCatalogue(), frameworks: fakeFrameworks() })), 'urls.pdf');
    expect(text).toContain('https://attacker.example/x.png');
    expect(text).toContain('/etc/passwd');
  }, 60_000);
});
