import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { esc, html, jsonForScript, raw } from '../../reports/escape.js';
import { renderHtml } from '../../reports/html.js';
import { buildReportModel } from '../../reports/model.js';
import { fakeCatalogue, fakeFrameworks, HOSTILE_IMG, HOSTILE_SCRIPT, hostileScan, makeScan, result } from './fixtures.js';

describe('escaping helpers', () => {
  it('escapes the HTML metacharacters', () => {
    expect(esc(`<a href="x" onclick='y'>&\``)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;');
    expect(html`<td>${HOSTILE_SCRIPT}</td>`.value).toBe('<td>&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;</td>');
    expect(html`<p>${[HOSTILE_IMG, raw('<b>ok</b>')]}</p>`.value).toBe(
      '<p>&lt;img src=x onerror=&quot;window.__pwned=2;alert(2)&quot;&gt;<b>ok</b></p>',
    );
  });

  it('makes JSON safe inside a script element', () => {
    const s = jsonForScript({ a: '</script><script>alert(1)</script>', b: '<!--', c: '\u2028' });
    expect(s).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(s)).toEqual({ a: '</script><script>alert(1)</script>', b: '<!--', c: '\u2028' });
  });
});

describe('renderHtml', () => {
  const model = buildReportModel(hostileScan(), { catalogue: fakeCatalogue(), frameworks: fakeFrameworks() });
  const out = renderHtml(model);

  it('never emits a hostile string raw', () => {
    expect(out).not.toContain(HOSTILE_SCRIPT);
    expect(out).not.toContain(HOSTILE_IMG);
    expect(out).not.toContain('<script>window.__pwned');
    expect(out).not.toMatch(/<img\b/i);
    // Escaped copies are present (server-rendered summary, not-assessed, charts).
    expect(out).toContain('&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=&quot;window.__pwned=2;alert(2)&quot;&gt;');
  });

  it('has exactly one data block and one script, the data block round-trips', () => {
    expect(out.match(/<script\b/g)).toHaveLength(2);
    const m = /<script type="application\/json" id="fs-data">([^]*?)<\/script>/.exec(out);
    expect(m).not.toBeNull();
    const data = JSON.parse(m![1]!) as { s: string[]; r: number[] };
    expect(data.s).toContain(HOSTILE_SCRIPT);
    expect(data.s).toContain(HOSTILE_IMG);
    expect(data.r.length).toBe(model.results.length * 8);
  });

  it('has a strict CSP whose hashes match the inline script and style', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(out)![1]!.replace(/&#39;/g, "'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('http');
    const script = /<script>([^]*?)<\/script>/.exec(out)![1]!;
    const style = /<style>([^]*?)<\/style>/.exec(out)![1]!;
    const h = (s: string) => createHash('sha256').update(s).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${h(script)}'`);
    expect(csp).toContain(`style-src 'sha256-${h(style)}'`);
    // The CSP meta comes before any script or style.
    expect(out.indexOf('Content-Security-Policy')).toBeLessThan(out.indexOf('<style>'));
  });

  it('loads nothing from the network', () => {
    expect(out).not.toMatch(/<(?:link|iframe|object|embed|img|audio|video|source)\b/i);
    expect(out).not.toMatch(/\bsrc\s*=\s*["']?https?:/i);
    expect(out).not.toMatch(/url\(/i);
  });

  it('renders server-side summaries and charts', () => {
    expect(out).toContain('id="org-score">68<');
    expect(out).toContain('In 2 of 3 accounts we could not tell, in at least one region, which prompts were sent to Bedrock or what it answered.');
    expect(out).toContain('aria-label="Score per account"');
    expect(out).toContain('aria-label="Results by severity"');
    expect(out).toContain('AccessDenied: role forensight-readonly could not be assumed');
  });

  it('draws the trend line when previous scans are given and escapes their names', () => {
    const prev = makeScan({
      scanId: 'q3',
      startedAt: '2025-07-01T00:00:00Z',
      accounts: [{ accountId: '111111111111', name: '<b onmouseover=alert(9)>old</b>', score: 10 }],
      results: [result('guardduty-enabled', '111111111111', 'FAIL')],
      orgScore: 10,
    });
    const m = buildReportModel(hostileScan(), { catalogue: fakeCatalogue(), frameworks: fakeFrameworks(), previous: [prev] });
    const h = renderHtml(m);
    expect(h).toContain('aria-label="Organization score over time"');
    expect(h).toContain('<polyline');
    expect(h).not.toContain('<b onmouseover');
    expect(h).toContain('&lt;b onmouseover=alert(9)&gt;old&lt;/b&gt;');
  });
});
