// Self-contained incident report: one HTML file, inline CSS pinned by hash in a strict CSP, no script, no
// network. Every string from the evidence is attacker-controlled and only reaches the page through html``.
import { html, type SafeHtml } from '../../reports/escape.js';
import { renderPage } from '../../reports/page.js';
import { refLabel, type TimelineEvent } from './event.js';
import type { Analysis } from './model.js';
import { CIRT_ELEMENTS, SEVERITY_ORDER, type Severity, ELEMENT_LABEL } from './rules/types.js';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1b1f24;background:#fafafa}
header,section{padding:12px 28px}header{background:#14213d;color:#fff}header .muted{color:#c9d1e0}
h1{font-size:22px;margin:4px 0}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px}
.muted{color:#5b6470}.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:120px}
.big{font-size:24px;font-weight:600}table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0 14px}
th,td{border:1px solid #e1e4e8;padding:4px 6px;text-align:left;vertical-align:top;font-size:13px}th{background:#f0f2f5}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;word-break:break-all}
.sev{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}
.sev-critical{background:#8b0000}.sev-high{background:#c0392b}.sev-medium{background:#d68910}.sev-low{background:#5d6d7e}
.finding{background:#fff;border:1px solid #ddd;border-left:5px solid #999;border-radius:4px;padding:8px 12px;margin:10px 0}
.finding.critical{border-left-color:#8b0000}.finding.high{border-left-color:#c0392b}.finding.medium{border-left-color:#d68910}.finding.low{border-left-color:#5d6d7e}
`;

const sev = (s: Severity): SafeHtml => html`<span class="sev sev-${s}">${s}</span>`;

export function renderIncidentReport(a: Analysis, keyEvents: readonly TimelineEvent[], keyEventsTotal: number): string {
  const d = a.derivedFrom;
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of a.findings) counts[f.severity]++;
  const perElement = CIRT_ELEMENTS.map((el) => ({
    el,
    findings: a.findings.filter((f) => f.element === el),
    rules: a.rules.filter((r) => r.element === el),
  }));
  const sources = Object.entries(a.stats.bySource).sort(([x], [y]) => x.localeCompare(y));

  const body = html`<header><h1>Incident ${d.incident}: timeline and findings</h1>
<div class="muted">Bundle <b>${d.bundleId}</b> · window ${d.window.start} → ${d.window.end} · analysed ${a.generatedAt} with forensight ${a.tool.version}</div>
<div class="muted">Derived from <span class="mono">${d.path}</span>, manifest.json sha256 <span class="mono">${d.manifestSha256}</span> (the bundle verified before analysis)</div></header>
<section id="summary"><h2>Summary</h2>
<div class="cards">
<div class="card"><div class="muted">Findings</div><div class="big">${a.findings.length}</div><div class="muted">${counts.critical} critical · ${counts.high} high · ${counts.medium} medium · ${counts.low} low</div></div>
<div class="card"><div class="muted">Timeline events</div><div class="big">${a.stats.events}</div><div class="muted">${a.stats.eventsInWindow} in the window · ${a.stats.filesRead} files read</div></div>
<div class="card"><div class="muted">Unreadable records</div><div class="big">${a.stats.problems}</div></div>
<div class="card"><div class="muted">Collection gaps</div><div class="big">${a.collectionGaps.length}</div></div>
</div>
<table><thead><tr><th>Source</th><th>Events</th></tr></thead><tbody>${sources.map(([s, n]) => html`<tr><td>${s}</td><td>${n}</td></tr>`)}</tbody></table>
</section>
<section id="cirt"><h2>AWS CIRT elements</h2>
<table><thead><tr><th>Element</th><th>Findings</th><th>Rules</th><th>Not assessable</th></tr></thead><tbody>
${perElement.map(
  (p) => html`<tr><td>${ELEMENT_LABEL[p.el]}</td><td>${p.findings.length ? p.findings.map((f) => html`<a href="#${f.id}">${f.id}</a> `) : html`<span class="muted">none</span>`}</td><td>${p.rules.map((r) => r.id).join(', ') || '—'}</td><td>${p.rules.filter((r) => r.notAssessed).map((r) => html`<div>${r.id}: ${r.notAssessed}</div>`)}</td></tr>`,
)}
</tbody></table></section>
<section id="findings"><h2>Findings</h2>
${a.findings.length === 0 ? html`<p>No rule fired on this bundle. That is not proof of absence: check the collection gaps below.</p>` : ''}
${[...a.findings]
  .sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity])
  .map(
    (f) => html`<div class="finding ${f.severity}" id="${f.id}"><div>${sev(f.severity)} <b>${f.id}</b> ${f.title} <span class="muted">(${f.ruleId}, ${ELEMENT_LABEL[f.element]})</span></div>
<p>${f.summary}</p>
<div class="muted">${f.time} · account ${f.account ?? '—'} · region ${f.region ?? '—'} · actor <span class="mono">${f.actor ?? '—'}</span> · target <span class="mono">${f.target ?? '—'}</span></div>
${
  f.events.length
    ? html`<table><thead><tr><th>Time</th><th>Action</th><th>Actor</th><th>IP</th><th>Target</th><th>Outcome</th><th>Evidence</th></tr></thead><tbody>${f.events.map(
        (e) => html`<tr><td>${e.time}</td><td>${e.action}</td><td class="mono">${e.actor ?? ''}</td><td>${e.sourceIp ?? ''}</td><td class="mono">${e.target ?? ''}</td><td>${e.outcome}</td><td class="mono">${refLabel(e.ref)}</td></tr>`,
      )}</tbody></table>${f.eventCount > f.events.length ? html`<div class="muted">${f.eventCount - f.events.length} more events in findings.json / timeline.jsonl</div>` : ''}`
    : ''
}
${f.evidence.length ? html`<div>Evidence: ${f.evidence.map((r) => html`<code>${refLabel(r)}</code> `)}</div>` : ''}
</div>`,
  )}
</section>
<section id="gaps"><h2>Collection gaps</h2>
${
  a.collectionGaps.length
    ? html`<table><thead><tr><th>Account</th><th>Region</th><th>Source</th><th>Target</th><th>Reason</th></tr></thead><tbody>${a.collectionGaps.map(
        (g) => html`<tr><td>${g.accountId}</td><td>${g.region}</td><td>${g.source}</td><td class="mono">${g.target ?? ''}</td><td>${g.reason}</td></tr>`,
      )}</tbody></table>`
    : html`<p>None recorded.</p>`
}</section>
<section id="events"><h2>Key events</h2>
<p class="muted">Events the rules examined (${keyEventsTotal}${keyEventsTotal > keyEvents.length ? `, first ${keyEvents.length} shown` : ''}); the full timeline of ${a.stats.events} events is in timeline.jsonl.</p>
<table><thead><tr><th>Time</th><th>Source</th><th>Account</th><th>Region</th><th>Actor</th><th>Action</th><th>Target</th><th>Outcome</th><th>Evidence</th></tr></thead><tbody>
${keyEvents.map(
  (e) => html`<tr><td>${e.time}</td><td>${e.source}</td><td>${e.account ?? ''}</td><td>${e.region ?? ''}</td><td class="mono">${e.actor ?? ''}</td><td>${e.action}</td><td class="mono">${e.target ?? ''}</td><td>${e.outcome}</td><td class="mono">${refLabel(e.evidenceRef)}</td></tr>`,
)}
</tbody></table></section>
${
  a.problems.length
    ? html`<section id="problems"><h2>Unreadable records</h2><table><thead><tr><th>File</th><th>Where</th><th>Problem</th></tr></thead><tbody>${a.problems.map(
        (p) => html`<tr><td class="mono">${p.path}</td><td>${p.line !== undefined ? `line ${p.line}` : p.record !== undefined ? `record ${p.record}` : ''}</td><td>${p.message}</td></tr>`,
      )}</tbody></table></section>`
    : ''
}
`;
  return renderPage({ title: `forensight incident report ${d.incident}`, css: CSS, body });
}
