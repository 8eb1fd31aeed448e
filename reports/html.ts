// Self-contained HTML report for the security team: one file, inline CSS/JS/SVG, no network, strict CSP.
// Summary sections are rendered here with escaping; the large tables (accounts, investigability, results) are
// rendered in the page from one compact JSON block, using textContent only.
import type { Severity } from '../src/model/scan.js';
import { SEVERITIES, SEVERITY_WEIGHT } from '../src/model/scan.js';
import { UNSAFE_IN_OUTPUT } from '../src/model/unsafe-text.js';
import { esc, html, jsonForScript, raw, type SafeHtml } from './escape.js';
import { buildClientData, CLIENT_DECODERS, GAP_WIDTH, RESULT_WIDTH } from './html-data.js';
import { GRADE_THRESHOLDS, type HistoryPoint, type ReportModel } from './model.js';
import { renderPage } from './page.js';

// ---------------------------------------------------------------------------------------------------------------
// Charts (inline SVG, presentation attributes only, so the CSP needs no 'unsafe-inline' for styles)

const COLOR = {
  pass: '#2e7d32',
  fail: '#c62828',
  na: '#9e9e9e',
  notAssessed: '#6a1b9a',
  bar: '#1565c0',
  grid: '#e0e0e0',
  text: '#212121',
};

function scoreColor(score: number): string {
  if (score >= 80) return COLOR.pass;
  if (score >= 60) return '#f9a825';
  return COLOR.fail;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function scoreBarChart(m: ReportModel, limit = 40): SafeHtml {
  const scored = m.accounts.filter((a) => a.score !== null).sort((a, b) => a.score! - b.score! || a.accountId.localeCompare(b.accountId));
  if (scored.length === 0) return html`<p class="muted">No account was assessed, so there are no scores to chart.</p>`;
  const shown = scored.slice(0, limit);
  const rowH = 18;
  const labelW = 230;
  const barW = 400;
  const h = shown.length * rowH + 24;
  const rows = shown.map((a, i) => {
    const y = i * rowH + 4;
    const w = Math.max(1, (a.score! / 100) * barW);
    return html`<g><title>${a.name} (${a.accountId}): ${a.score}</title><text x="${labelW - 6}" y="${y + 12}" text-anchor="end" font-size="11" fill="${COLOR.text}">${truncate(a.name, 34)}</text><rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 5}" fill="${scoreColor(a.score!)}"></rect><text x="${labelW + w + 4}" y="${y + 12}" font-size="11" fill="${COLOR.text}">${a.score}</text></g>`;
  });
  const ticks = [0, 25, 50, 75, 100].map(
    (t) =>
      html`<line x1="${labelW + (t / 100) * barW}" x2="${labelW + (t / 100) * barW}" y1="0" y2="${h - 18}" stroke="${COLOR.grid}"></line><text x="${labelW + (t / 100) * barW}" y="${h - 4}" font-size="10" text-anchor="middle" fill="${COLOR.text}">${t}</text>`,
  );
  const note =
    scored.length > shown.length
      ? html`<p class="muted">The ${shown.length} lowest-scoring of ${scored.length} assessed accounts; the accounts table below lists every account.</p>`
      : raw('');
  return html`<svg class="chart" role="img" aria-label="Score per account" viewBox="0 0 ${labelW + barW + 50} ${h}" width="${labelW + barW + 50}" height="${h}">${ticks}${rows}</svg>${note}`;
}

function severityChart(m: ReportModel): SafeHtml {
  const rowH = 26;
  const labelW = 80;
  const barW = 460;
  const max = Math.max(1, ...SEVERITIES.map((s) => m.bySeverity[s].PASS + m.bySeverity[s].FAIL + m.bySeverity[s].NOT_ASSESSED));
  const rows = SEVERITIES.map((s, i) => {
    const c = m.bySeverity[s];
    const y = i * rowH + 4;
    let x = labelW;
    const segs: SafeHtml[] = [];
    for (const [k, color, label] of [
      ['FAIL', COLOR.fail, 'fail'],
      ['PASS', COLOR.pass, 'pass'],
      ['NOT_ASSESSED', COLOR.notAssessed, 'not assessed'],
    ] as const) {
      const n = c[k];
      if (n <= 0) continue;
      const w = (n / max) * barW;
      segs.push(
        html`<rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(1, w).toFixed(1)}" height="${rowH - 8}" fill="${color}"><title>${s}: ${n} ${label}</title></rect>`,
      );
      x += w;
    }
    return html`<text x="${labelW - 6}" y="${y + 13}" text-anchor="end" font-size="11" fill="${COLOR.text}">${s}</text>${segs}<text x="${x + 4}" y="${y + 13}" font-size="11" fill="${COLOR.text}">${c.FAIL} fail / ${c.PASS} pass${c.NOT_ASSESSED ? ` / ${c.NOT_ASSESSED} not assessed` : ''}</text>`;
  });
  const h = SEVERITIES.length * rowH + 8;
  return html`<svg class="chart" role="img" aria-label="Results by severity" viewBox="0 0 ${labelW + barW + 220} ${h}" width="${labelW + barW + 220}" height="${h}">${rows}</svg>`;
}

function trendChart(history: HistoryPoint[]): SafeHtml {
  const pts = history.filter((p) => p.score !== null);
  if (pts.length < 2) return html`<p class="muted">No earlier scan was given, so there is no trend yet. Pass --previous to compare.</p>`;
  const w = 560;
  const h = 200;
  const pad = { l: 40, r: 20, t: 14, b: 40 };
  const xs = (i: number): number => pad.l + (pts.length === 1 ? 0 : (i / (pts.length - 1)) * (w - pad.l - pad.r));
  const ys = (v: number): number => pad.t + (1 - v / 100) * (h - pad.t - pad.b);
  const line = pts.map((p, i) => `${xs(i).toFixed(1)},${ys(p.score!).toFixed(1)}`).join(' ');
  const grid = [0, 50, 100].map(
    (v) =>
      html`<line x1="${pad.l}" x2="${w - pad.r}" y1="${ys(v)}" y2="${ys(v)}" stroke="${COLOR.grid}"></line><text x="${pad.l - 6}" y="${ys(v) + 4}" text-anchor="end" font-size="10" fill="${COLOR.text}">${v}</text>`,
  );
  const dots = pts.map(
    (p, i) =>
      html`<circle cx="${xs(i).toFixed(1)}" cy="${ys(p.score!).toFixed(1)}" r="4" fill="${COLOR.bar}"><title>${p.date.slice(0, 10)}: ${p.score} (${p.scanId})</title></circle><text x="${xs(i).toFixed(1)}" y="${ys(p.score!) - 8}" text-anchor="middle" font-size="10" fill="${COLOR.text}">${p.score}</text><text x="${xs(i).toFixed(1)}" y="${h - pad.b + 16}" text-anchor="middle" font-size="10" fill="${COLOR.text}">${p.date.slice(0, 10)}</text>`,
  );
  return html`<svg class="chart" role="img" aria-label="Organization score over time" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${grid}<polyline points="${line}" fill="none" stroke="${COLOR.bar}" stroke-width="2"></polyline>${dots}</svg>`;
}

// ---------------------------------------------------------------------------------------------------------------

const CSS = `
:root{--pass:#2e7d32;--fail:#c62828;--na:#9e9e9e;--nas:#6a1b9a;--partial:#f9a825;--ink:#212121;--muted:#616161;--line:#e0e0e0}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;padding:0 24px 48px;line-height:1.4;font-size:14px}
header{border-bottom:3px solid #1565c0;padding:16px 0 8px;margin-bottom:16px}
h1{margin:0 0 4px;font-size:24px}h2{margin-top:32px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{margin-bottom:6px}
.muted{color:var(--muted)}
.cards{display:flex;gap:16px;flex-wrap:wrap}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 18px;min-width:150px}
.card .big{font-size:32px;font-weight:700}
.grade-A,.grade-B{color:var(--pass)}.grade-C,.grade-D{color:#e65100}.grade-F{color:var(--fail)}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f5f5f5;position:sticky;top:0}
td.num,th.num{text-align:right}
.wrap{word-break:break-all}
.st-PASS{color:var(--pass);font-weight:600}.st-FAIL{color:var(--fail);font-weight:600}.st-NOT_APPLICABLE{color:var(--na)}.st-NOT_ASSESSED{color:var(--nas);font-weight:600}
.sev-critical{color:#fff;background:#b71c1c;padding:0 4px;border-radius:3px}.sev-high{color:#fff;background:#e64a19;padding:0 4px;border-radius:3px}
.sev-medium{background:#ffe082;padding:0 4px;border-radius:3px}.sev-low{background:#e0e0e0;padding:0 4px;border-radius:3px}
.rd{text-align:center;font-size:11px;font-weight:600;white-space:nowrap}
.rd-R{background:#c8e6c9;color:#1b5e20}.rd-P{background:#fff3c4;color:#7a5d00}.rd-B{background:#ffcdd2;color:#b71c1c}.rd-N{background:#f5f5f5;color:#757575}.rd-U{background:#e1bee7;color:#4a148c}
.filters{display:flex;gap:12px;flex-wrap:wrap;align-items:end;position:sticky;top:0;background:#fff;padding:8px 0;z-index:2;border-bottom:1px solid var(--line)}
.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
.filters select,.filters input{font-size:14px;padding:3px;max-width:320px}
pre{background:#f5f5f5;padding:8px;overflow:auto;white-space:pre-wrap;word-break:break-all;font-size:12px}
details>summary{cursor:pointer}
.check{border:1px solid var(--line);border-radius:8px;padding:8px 14px;margin:10px 0}
.up{color:var(--pass)}.down{color:var(--fail)}
button{font-size:13px;padding:4px 10px;margin:6px 0}
.chart{max-width:100%;height:auto}
nav a{margin-right:12px}
`;

const CLIENT_JS = String.raw`(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('fs-data').textContent);
  var S = D.s, W = ${RESULT_WIDTH}, GW = ${GAP_WIDTH}, PAGE = 500;
${CLIENT_DECODERS}
  var STATUS = ['PASS', 'FAIL', 'NOT_APPLICABLE', 'NOT_ASSESSED'];
  var SEV = ['critical', 'high', 'medium', 'low'];
  var RD = { R: 'READY', P: 'PARTIAL', B: 'BLIND', N: 'N/A', U: 'UNKNOWN' };
  var N = Math.floor(D.r.length / W);
  function $(id) { return document.getElementById(id); }
  var UNSAFE = new RegExp('${UNSAFE_IN_OUTPUT.source}', 'g');
  function visible(t) {
    return String(t).replace(UNSAFE, function (c) {
      var h = c.charCodeAt(0).toString(16);
      return c.charCodeAt(0) < 256 ? '\\x' + ('0' + h).slice(-2) : '\\u' + ('000' + h).slice(-4);
    });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = visible(text);
    return e;
  }
  function td(tr, text, cls) { var c = el('td', cls, text); tr.appendChild(c); return c; }
  var fAcc = $('f-account'), fSev = $('f-severity'), fSt = $('f-status'), fChk = $('f-check'), fTxt = $('f-text');
  D.accounts.forEach(function (a, i) { fAcc.appendChild(new Option(visible(S[a[1]] + ' (' + S[a[0]] + ')'), String(i))); });
  D.checks.forEach(function (c, i) { fChk.appendChild(new Option(S[c[0]], String(i))); });
  SEV.forEach(function (s, i) { fSev.appendChild(new Option(s, String(i))); });
  STATUS.forEach(function (s, i) { fSt.appendChild(new Option(s, String(i))); });
  var state = { acc: -1, sev: -1, st: -1, chk: -1, txt: '' };
  var shown = { res: PAGE, acc: PAGE };
  function num(v) { return v === '' ? -1 : Number(v); }
  function readFilters() {
    state.acc = num(fAcc.value); state.sev = num(fSev.value); state.st = num(fSt.value); state.chk = num(fChk.value);
    state.txt = fTxt.value.trim().toLowerCase();
  }
  function accountMatches(i) {
    if (state.acc >= 0 && state.acc !== i) return false;
    if (state.txt) {
      var a = D.accounts[i];
      if ((S[a[0]] + ' ' + S[a[1]]).toLowerCase().indexOf(state.txt) < 0) return false;
    }
    return true;
  }
  function renderAccounts() {
    var body = $('accounts-body'), inv = $('inv-body');
    body.textContent = ''; inv.textContent = '';
    var match = [];
    for (var i = 0; i < D.accounts.length; i++) if (accountMatches(i)) match.push(i);
    var lim = Math.min(match.length, shown.acc);
    var f1 = document.createDocumentFragment(), f2 = document.createDocumentFragment();
    for (var j = 0; j < lim; j++) {
      var i2 = match[j], a = D.accounts[i2];
      var tr = el('tr'); tr.setAttribute('data-account', String(i2));
      td(tr, S[a[0]]); td(tr, S[a[1]]);
      td(tr, a[2] ? 'NOT_ASSESSED' : 'ASSESSED', a[2] ? 'st-NOT_ASSESSED' : '');
      td(tr, a[3] === null ? '-' : a[3], 'num'); td(tr, S[a[6]], 'num grade-' + S[a[6]]);
      td(tr, Math.round(a[4] * 100) + '%', 'num'); td(tr, S[a[5]]);
      f1.appendChild(tr);
      var tr2 = el('tr'); tr2.setAttribute('data-account', String(i2));
      td(tr2, S[a[1]]); td(tr2, S[a[0]]);
      var codes = D.inv[i2] || '';
      for (var k = 0; k < D.cols.length; k++) { var ch = codes.charAt(k) || 'U'; td(tr2, RD[ch], 'rd rd-' + ch); }
      f2.appendChild(tr2);
    }
    body.appendChild(f1); inv.appendChild(f2);
    $('accounts-count').textContent = 'Showing ' + lim + ' of ' + match.length + ' matching accounts (' + D.accounts.length + ' in total).';
    $('accounts-more').hidden = lim >= match.length;
  }
  function resultMatches(o) {
    var d = D.r;
    if (state.acc >= 0 && d[o + 1] !== state.acc) return false;
    if (state.chk >= 0 && d[o] !== state.chk) return false;
    if (state.st >= 0 && d[o + 4] !== state.st) return false;
    if (state.sev >= 0 && d[o + 5] !== state.sev) return false;
    if (state.txt) {
      var a = D.accounts[d[o + 1]], id = S[a[0]];
      var hay = (id + ' ' + S[a[1]] + ' ' + txt(d[o + 3], id) + ' ' + txt(d[o + 6], id) + ' ' + S[D.checks[d[o]][0]]).toLowerCase();
      if (hay.indexOf(state.txt) < 0) return false;
    }
    return true;
  }
  function renderResults() {
    var body = $('results-body'); body.textContent = '';
    var d = D.r, count = 0, frag = document.createDocumentFragment();
    for (var n = 0; n < N; n++) {
      var o = n * W;
      if (!resultMatches(o)) continue;
      count++;
      if (count > shown.res) continue;
      var a = D.accounts[d[o + 1]];
      var tr = el('tr', 'result');
      tr.setAttribute('data-severity', SEV[d[o + 5]]); tr.setAttribute('data-status', STATUS[d[o + 4]]);
      td(tr, S[a[1]] + ' (' + S[a[0]] + ')');
      td(tr, S[D.checks[d[o]][0]]);
      td(tr).appendChild(el('span', 'sev-' + SEV[d[o + 5]], SEV[d[o + 5]]));
      td(tr, STATUS[d[o + 4]], 'st-' + STATUS[d[o + 4]]);
      td(tr, S[d[o + 2]]);
      td(tr, txt(d[o + 3], S[a[0]]), 'wrap');
      var rc = td(tr, txt(d[o + 6], S[a[0]]));
      var ev = evidence(d[o + 7], S[a[0]]);
      if (ev) {
        var det = el('details'); det.appendChild(el('summary', '', 'evidence'));
        var pre = el('pre', '', ev); det.appendChild(pre); rc.appendChild(det);
      }
      frag.appendChild(tr);
    }
    body.appendChild(frag);
    var lim = Math.min(count, shown.res);
    $('results-count').textContent = 'Showing ' + lim + ' of ' + count + ' matching results (' + N + ' in total).';
    $('results-more').hidden = lim >= count;
  }
  function all() { readFilters(); shown.res = PAGE; shown.acc = PAGE; renderAccounts(); renderResults(); }
  [fAcc, fSev, fSt, fChk].forEach(function (x) { x.addEventListener('change', all); });
  var t = null;
  fTxt.addEventListener('input', function () { clearTimeout(t); t = setTimeout(all, 200); });
  $('f-reset').addEventListener('click', function () { fAcc.value = ''; fSev.value = ''; fSt.value = ''; fChk.value = ''; fTxt.value = ''; all(); });
  $('results-more').addEventListener('click', function () { shown.res += PAGE; renderResults(); });
  $('accounts-more').addEventListener('click', function () { shown.acc += PAGE; renderAccounts(); });
  // Trend gaps (new, fixed, not confirmed fixed): a page at a time, like the results.
  [['n', 'gaps-new'], ['f', 'gaps-fixed'], ['u', 'gaps-unconfirmed']].forEach(function (g) {
    var list = D.g[g[0]], body = $(g[1] + '-body'), more = $(g[1] + '-more');
    if (!body) return;
    var total = Math.floor(list.length / GW), done = 0;
    function page() {
      var frag = document.createDocumentFragment(), end = Math.min(total, done + PAGE);
      for (; done < end; done++) {
        var o = done * GW, id = S[list[o + 1]], tr = el('tr');
        td(tr, S[list[o + 2]] + ' (' + id + ')'); td(tr, S[list[o]]);
        td(tr).appendChild(el('span', 'sev-' + SEV[list[o + 5]], SEV[list[o + 5]]));
        if (list[o + 6] < 0) td(tr, S[list[o + 3]]);
        td(tr, txt(list[o + 4], id), 'wrap');
        if (list[o + 6] >= 0) td(tr, S[list[o + 6]]);
        frag.appendChild(tr);
      }
      body.appendChild(frag);
      more.hidden = done >= total;
    }
    more.addEventListener('click', page);
    page();
  });
  all();
  document.documentElement.setAttribute('data-ready', '1');
})();`;

function pct(v: number | null): string {
  return v === null ? 'n/a' : `${Math.round(v * 100)}%`;
}

function delta(d: number | null | undefined): SafeHtml {
  if (d === null || d === undefined) return html`<span class="muted">n/a</span>`;
  if (d > 0) return html`<span class="up">+${d}</span>`;
  if (d < 0) return html`<span class="down">${d}</span>`;
  return html`<span class="muted">0</span>`;
}

function sev(s: Severity): SafeHtml {
  return html`<span class="sev-${s}">${s}</span>`;
}

function trendSection(m: ReportModel): SafeHtml {
  const t = m.trend;
  if (!t) return html`<p class="muted">No previous scan was given.</p>`;
  const changed = t.accounts.filter((a) => a.delta !== 0 || a.renamed).sort((a, b) => (a.delta ?? 0) - (b.delta ?? 0));
  const gapTable = (id: string, title: string, count: number, head: SafeHtml, open: boolean): SafeHtml =>
    html`<details${open ? raw(' open') : ''}><summary>${title} (${count})</summary><table><thead>${head}</thead><tbody id="${id}-body"></tbody></table><button id="${id}-more" type="button" hidden>Show more</button></details>`;
  const gapHead = html`<tr><th>Account</th><th>Check</th><th>Severity</th><th>Region</th><th>Resource</th></tr>`;
  const unconfirmedHead = html`<tr><th>Account</th><th>Check</th><th>Severity</th><th>Resource</th><th>Why</th></tr>`;
  return html`
<p>Compared with scan <b>${t.baselineScanId}</b> of ${t.baselineDate.slice(0, 10)}: organization score ${t.previousOrgScore ?? 'n/a'} → ${t.orgScore ?? 'n/a'} (${delta(t.orgScoreDelta)}),
coverage change ${t.coverageDelta >= 0 ? '+' : ''}${Math.round(t.coverageDelta * 100)} points.
${t.fixedGaps.length} gaps fixed, ${t.newGaps.length} new, ${t.unconfirmedGaps.length} no longer observed but not confirmed fixed.</p>
${t.addedAccounts.length ? html`<h3>Accounts added (${t.addedAccounts.length})</h3><ul>${t.addedAccounts.map((a) => html`<li>${a.name} (${a.accountId})</li>`)}</ul>` : ''}
${t.removedAccounts.length ? html`<h3>Accounts no longer in the scan (${t.removedAccounts.length})</h3><ul>${t.removedAccounts.map((a) => html`<li>${a.name} (${a.accountId})</li>`)}</ul>` : ''}
${t.renamedAccounts.length ? html`<h3>Accounts renamed (${t.renamedAccounts.length})</h3><ul>${t.renamedAccounts.map((a) => html`<li>${a.accountId}: ${a.previousName} → ${a.name}</li>`)}</ul>` : ''}
<h3>Score change per account (${changed.length} changed of ${t.accounts.length} in both scans)</h3>
<table><thead><tr><th>Account</th><th>ID</th><th class="num">Before</th><th class="num">Now</th><th class="num">Change</th></tr></thead><tbody>
${changed.map((a) => html`<tr><td>${a.name}${a.renamed ? html` <span class="muted">(was ${a.previousName})</span>` : ''}</td><td>${a.accountId}</td><td class="num">${a.previousScore ?? '-'}</td><td class="num">${a.score ?? '-'}</td><td class="num">${delta(a.delta)}</td></tr>`)}
</tbody></table>
${gapTable('gaps-new', 'New gaps', t.newGaps.length, gapHead, t.newGaps.length <= 50)}
${gapTable('gaps-fixed', 'Fixed gaps', t.fixedGaps.length, gapHead, t.fixedGaps.length <= 50)}
${gapTable('gaps-unconfirmed', 'Gaps no longer observed, not confirmed fixed', t.unconfirmedGaps.length, unconfirmedHead, false)}`;
}

function decisionsSection(m: ReportModel): SafeHtml {
  const d = m.decisions;
  const gate = d.gate
    ? html`<p><b>CI gate (--fail-on ${d.gate.failOn}${d.gate.minCoverage === null ? '' : `, --min-coverage ${d.gate.minCoverage}`}): ${d.gate.passed ? 'passed' : `failed on ${d.gate.failedBy.join(' and ')}`}</b> · ${d.gate.findings} unaccepted FAIL and ${d.gate.notAssessed} unassessed result(s) at or above ${d.gate.failOn}.</p>`
    : '';
  const loss = d.coverageLoss.length
    ? html`<h3>Accounts that lost coverage</h3><table><thead><tr><th>Account</th><th>ID</th><th class="num">Coverage</th><th class="num">Not assessed</th><th>Why (most frequent first)</th></tr></thead><tbody>
${d.coverageLoss.map((l) => html`<tr><td>${l.name}</td><td>${l.accountId}</td><td class="num">${pct(l.coverage)}</td><td class="num">${l.notAssessed}</td><td>${l.causes.map((c) => html`<div><code>${c.reasonCode}</code> × ${c.count}: ${c.example}</div>`)}</td></tr>`)}</tbody></table>`
    : html`<p>Every assessed account was fully read.</p>`;
  const a = d.acceptedRisks;
  const accepted = a
    ? html`<h3>Accepted risks (${a.results.length} FAIL result(s); score without them ${d.scoreExcludingAccepted ?? 'n/a'})</h3>
<p class="muted">From ${a.file}. Accepted FAILs keep their status and stay in the score above; the CI gate ignores them.</p>
<table><thead><tr><th>Entry</th><th>Check</th><th>Owner</th><th>Expires</th><th>Status</th><th class="num">FAILs matched</th><th>Reason</th></tr></thead><tbody>
${a.entries.map((e) => html`<tr><td>${e.source}</td><td>${e.checkId}</td><td>${e.owner}</td><td>${e.expires}</td><td>${e.status === 'expired' ? html`<b>expired: no longer applies</b>` : 'active'}</td><td class="num">${e.matched}</td><td>${e.reason}</td></tr>`)}</tbody></table>
${a.results.length ? html`<table><thead><tr><th>Account</th><th>Check</th><th>Resource</th><th>Owner</th><th>Expires</th></tr></thead><tbody>${a.results.map((r) => html`<tr><td>${r.accountId}</td><td>${r.checkId}</td><td><code>${r.resourceArn}</code></td><td>${r.accepted?.owner}</td><td>${r.accepted?.expires}</td></tr>`)}</tbody></table>` : ''}`
    : '';
  return html`${gate}${loss}${accepted}`;
}

function checksSection(m: ReportModel): SafeHtml {
  return html`${m.checks.map((c) => {
    const rem = c.remediation;
    return html`<div class="check" id="check-${c.checkId}">
<h3>${c.title} <span class="muted">(${c.checkId})</span> ${sev(c.severity)}</h3>
<p>${c.counts.FAIL} failing, ${c.counts.PASS} passing, ${c.counts.NOT_ASSESSED} not assessed, ${c.counts.NOT_APPLICABLE} not applicable; failing in ${c.accountsFailing} accounts.</p>
${c.rationale ? html`<p><b>Why it matters:</b> ${c.rationale}</p>` : ''}
${c.risk ? html`<p><b>What an investigation loses:</b> ${c.risk}</p>` : ''}
${
  rem
    ? html`<details><summary>Remediation</summary><p>${rem.summary}</p><p><b>CLI</b></p><pre>${rem.cli}</pre><p><b>${rem.iac.kind === 'terraform' ? 'Terraform' : 'CloudFormation'}</b></p><pre>${rem.iac.snippet}</pre>
${rem.docs.length ? html`<ul>${rem.docs.map((d) => (/^https:\/\//.test(d) ? html`<li><a href="${d}" rel="noopener noreferrer">${d}</a></li>` : html`<li>${d}</li>`))}</ul>` : ''}</details>`
    : html`<p class="muted">This check is not in the catalogue of this forensight version; no remediation text.</p>`
}
${c.frameworks.length ? html`<p class="muted">Supports: ${c.frameworks.map((f) => `${f.framework} ${f.control}`).join(', ')}</p>` : ''}
</div>`;
  })}`;
}

function complianceSection(m: ReportModel): SafeHtml {
  if (m.compliance.length === 0) return html`<p class="muted">No framework catalogue was given.</p>`;
  return html`${m.compliance.map(
    (fw) => html`<h3>${fw.name} <span class="muted">(pass share ${pct(fw.passShare)})</span></h3>
<table><thead><tr><th>Control</th><th>Title</th><th>Checks</th><th class="num">Pass</th><th class="num">Fail</th><th class="num">Pass share</th></tr></thead><tbody>
${fw.controls.map((c) => html`<tr><td>${c.id}</td><td>${c.title}</td><td>${c.checkIds.length ? c.checkIds.join(', ') : html`<span class="muted">none</span>`}</td><td class="num">${c.pass}</td><td class="num">${c.fail}</td><td class="num">${pct(c.passShare)}</td></tr>`)}
</tbody></table>`,
  )}`;
}

export interface HtmlOptions {
  /** Generated-at stamp shown in the footer (default: the scan's finishedAt, so output is reproducible). */
  generatedAt?: string;
}

export function renderHtml(m: ReportModel, opts: HtmlOptions = {}): string {
  const org = m.organization ? `${m.organization.id} (management account ${m.organization.managementAccountId})` : 'single account';
  const gradeNote = GRADE_THRESHOLDS.map((t) => `${t.grade} ≥ ${t.min}`).join(', ') + ', F below';

  const body = html`<header><h1>Forensic readiness of AI workloads</h1>
<div class="muted">Scan <b>${m.scanId}</b> · ${m.startedAt} → ${m.finishedAt} · organization ${org} · forensight ${m.toolVersion}</div>
<nav><a href="#summary">Summary</a><a href="#gaps">Top gaps</a><a href="#trend">Changes</a><a href="#coverage">Coverage and accepted risks</a><a href="#not-assessed">Not assessed</a><a href="#investigability">Investigability</a><a href="#explore">Results</a><a href="#checks">Checks</a><a href="#compliance">Compliance</a></nav></header>
<noscript><p><b>Turn on JavaScript to see the account, investigability and result tables; the summary below works without it.</b></p></noscript>
<section id="summary"><h2>Summary</h2>
<div class="cards">
<div class="card"><div class="muted">Organization score</div><div class="big" id="org-score">${m.score ?? 'n/a'}</div></div>
<div class="card"><div class="muted">Grade</div><div class="big grade-${m.grade}">${m.grade}</div><div class="muted">${gradeNote}</div></div>
<div class="card"><div class="muted">Coverage</div><div class="big">${pct(m.coverage)}</div><div class="muted">share of checks that could be evaluated</div></div>
<div class="card"><div class="muted">Accounts assessed</div><div class="big">${m.accountsAssessed} / ${m.accountsTotal}</div></div>
<div class="card"><div class="muted">Results</div><div class="big">${m.counts.FAIL} <span class="muted">fail</span></div><div class="muted">${m.counts.PASS} pass · ${m.counts.NOT_ASSESSED} not assessed · ${m.counts.NOT_APPLICABLE} n/a</div></div>
</div>
<ul class="sentences">${m.sentences.map((s) => html`<li>${s}</li>`)}</ul>
<h3>Score per account</h3>${scoreBarChart(m)}
<h3>Results by severity</h3>${severityChart(m)}
<h3>Score over time</h3>${trendChart(m.history)}
</section>
<section id="gaps"><h2>Top gaps</h2>
<p class="muted">Ranked by severity weight (critical ${SEVERITY_WEIGHT.critical}, high ${SEVERITY_WEIGHT.high}, medium ${SEVERITY_WEIGHT.medium}, low ${SEVERITY_WEIGHT.low}) × accounts affected.</p>
${
  m.topGaps.length
    ? html`<table><thead><tr><th>#</th><th>Gap</th><th>Check</th><th>Severity</th><th class="num">Accounts</th><th class="num">Resources</th></tr></thead><tbody>
${m.topGaps.map((g) => html`<tr><td>${g.rank}</td><td>${g.plain}</td><td><a href="#check-${g.checkId}">${g.checkId}</a></td><td>${sev(g.severity)}</td><td class="num">${g.accountsAffected} of ${g.accountsConsidered}</td><td class="num">${g.failingResources}</td></tr>`)}
</tbody></table>`
    : html`<p>No failing checks.</p>`
}</section>
<section id="trend"><h2>Changes since the previous scan</h2>${trendSection(m)}</section>
<section id="coverage"><h2>Coverage and accepted risks</h2>${decisionsSection(m)}</section>
<section id="not-assessed"><h2>Accounts not assessed (${m.notAssessed.length})</h2>
${
  m.notAssessed.length
    ? html`<p>These accounts are left out of the score; nothing about them should be read as passing.</p><table><thead><tr><th>Account</th><th>ID</th><th>Reason</th></tr></thead><tbody>
${m.notAssessed.map((a) => html`<tr><td>${a.name}</td><td>${a.accountId}</td><td>${a.reason}</td></tr>`)}</tbody></table>`
    : html`<p>Every account was assessed.</p>`
}</section>
<section id="explore"><h2>Explore</h2>
<div class="filters">
<label>Account<select id="f-account"><option value="">All accounts</option></select></label>
<label>Severity<select id="f-severity"><option value="">All severities</option></select></label>
<label>Status<select id="f-status"><option value="">All statuses</option></select></label>
<label>Check<select id="f-check"><option value="">All checks</option></select></label>
<label>Text<input id="f-text" type="search" placeholder="account, ARN, reason"></label>
<button id="f-reset" type="button">Reset</button>
</div>
<h3 id="investigability">Investigability</h3>
<p class="muted">Could we investigate it? READY, PARTIAL, BLIND, N/A (not applicable), UNKNOWN (not assessed). Columns prefixed by the AWS CIRT elements follow the four scenarios.</p>
<table id="inv-table"><thead><tr><th>Account</th><th>ID</th>${m.investigability.columns.map((c) => html`<th class="rd" title="${c.key}">${c.label}</th>`)}</tr></thead><tbody id="inv-body"></tbody></table>
<h3>Accounts</h3>
<p id="accounts-count" class="muted"></p>
<table id="accounts-table"><thead><tr><th>ID</th><th>Name</th><th>Status</th><th class="num">Score</th><th class="num">Grade</th><th class="num">Coverage</th><th>Reason</th></tr></thead><tbody id="accounts-body"></tbody></table>
<button id="accounts-more" type="button" hidden>Show more accounts</button>
<h3>Results</h3>
<p id="results-count" class="muted"></p>
<table id="results-table"><thead><tr><th>Account</th><th>Check</th><th>Severity</th><th>Status</th><th>Region</th><th>Resource</th><th>Reason</th></tr></thead><tbody id="results-body"></tbody></table>
<button id="results-more" type="button" hidden>Show more results</button>
</section>
<section id="checks"><h2>Checks and remediation</h2>${checksSection(m)}</section>
<section id="compliance"><h2>Compliance view</h2>
<p class="muted">Pass share of the results of the checks that support each control. A passing check supports a control; it does not by itself show the control is met.</p>
${complianceSection(m)}</section>
<footer class="muted"><p>Generated by forensight ${m.toolVersion} from scan ${m.scanId}${opts.generatedAt ? ` at ${opts.generatedAt}` : ''}. This file is self-contained and makes no network requests.</p></footer>
`;
  return renderPage({
    title: `forensight readiness report ${m.scanId}`,
    css: CSS,
    body,
    script: CLIENT_JS,
    data: { id: 'fs-data', json: jsonForScript(buildClientData(m)) },
    images: 'data',
  });
}

export { esc };
