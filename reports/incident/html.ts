// Self-contained incident report: one HTML file in the shared page shell (inline CSS pinned by hash in a strict
// CSP, no script, no network). It opens with who acted (the actors table and a chart of each actor's activity
// with its findings marked), what to do now, the narrative per actor, findings by CIRT element, and what cannot
// be known. Every string from the evidence is attacker-controlled and only reaches the page through html``.
import { html, type SafeHtml } from '../escape.js';
import { renderPage } from '../page.js';
import { ACTIVITY_BINS, type ActorSummary } from '../../src/analysis/actors.js';
import { refLabel, type EvidenceRef, type TimelineEvent } from '../../src/analysis/event.js';
import type { Analysis } from '../../src/analysis/model.js';
import { CIRT_ELEMENTS, SEVERITY_ORDER, type Severity, ELEMENT_LABEL } from '../../src/analysis/rules/types.js';
import { ACTION_HEADING, actorNarrative, findingLeftOut, formatBytes, leftOut, objectCount, responseActions, unknowns } from './story.js';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1b1f24;background:#fafafa}
header,section{padding:12px 28px}header{background:#14213d;color:#fff}header .muted{color:#c9d1e0}
h1{font-size:22px;margin:4px 0}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:14px 0 4px}
.muted{color:#5b6470}.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:120px}
.big{font-size:24px;font-weight:600}table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0 14px}
th,td{border:1px solid #e1e4e8;padding:4px 6px;text-align:left;vertical-align:top;font-size:13px}th{background:#f0f2f5}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;word-break:break-all}
.sev{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}
.sev-critical{background:#8b0000}.sev-high{background:#c0392b}.sev-medium{background:#d68910}.sev-low{background:#5d6d7e}
.finding{background:#fff;border:1px solid #ddd;border-left:5px solid #999;border-radius:4px;padding:8px 12px;margin:10px 0}
.finding.critical{border-left-color:#8b0000}.finding.high{border-left-color:#c0392b}.finding.medium{border-left-color:#d68910}.finding.low{border-left-color:#5d6d7e}
.tag{display:inline-block;padding:0 6px;border-radius:8px;font-size:11px;background:#e8eaf0;margin-left:4px}.tag.new{background:#fde2e1;color:#8b0000}
svg.chart{background:#fff;border:1px solid #ddd;max-width:100%}ul.claims li{margin:3px 0}
`;

const SEV_COLOR: Record<Severity, string> = { critical: '#8b0000', high: '#c0392b', medium: '#d68910', low: '#5d6d7e' };
const sev = (s: Severity): SafeHtml => html`<span class="sev sev-${s}">${s}</span>`;
const refs = (list: readonly EvidenceRef[]): SafeHtml => html`${list.map((r) => html` <code>${refLabel(r)}</code>`)}`;
const CHART_ACTORS = 12;

function actorsTable(a: Analysis): SafeHtml {
  if (a.actors.length === 0) return html`<p>No actor: the bundle holds no attributable request.</p>`;
  return html`<table><thead><tr><th>#</th><th>Actor</th><th>What it is</th><th>Accounts / regions</th><th>Source IPs</th><th>First / last seen</th><th>Requests (errors)</th><th>Data read / written</th><th>Changes</th><th>Findings</th></tr></thead><tbody>
${a.actors.slice(0, 100).map(
  (
    x,
    i,
  ) => html`<tr><td>${i + 1}</td><td class="mono"><a href="#actor-${i + 1}">${x.key}</a>${x.new ? html`<span class="tag new">new</span>` : ''}${x.class !== 'credential' ? html`<span class="tag">${x.class}</span>` : ''}${x.principal && x.principal !== x.key ? html`<div class="muted">${x.principal}</div>` : ''}</td>
<td>${x.note}</td><td>${x.accounts.join(', ')}<div class="muted">${x.regions.join(', ')}</div></td>
<td class="mono">${x.sourceIps.slice(0, 4).map((s) => html`<div>${s.ip}${s.new ? html`<span class="tag new">new</span>` : ''}</div>`)}${leftOut(x.sourceIps, 4, x.sourceIpsOmitted) ? html`<div class="muted">… and ${leftOut(x.sourceIps, 4, x.sourceIpsOmitted)} more</div>` : ''}</td>
<td>${x.firstSeen}<div>${x.lastSeen}</div></td><td>${x.events} (${x.errors})</td>
<td>${objectCount(x.read)} obj, ${formatBytes(x.read.bytes)}<div>${objectCount(x.written)} obj, ${formatBytes(x.written.bytes)}</div></td>
<td>${x.changedCount}</td><td>${x.findings.map((id) => html`<a href="#${id}">${id}</a> `)}</td></tr>`,
)}</tbody></table>${a.stats.actors > 100 ? html`<p class="muted">${a.stats.actors - 100} more actors in findings.json.</p>` : ''}`;
}

/** Each actor's requests over the incident window as bars in its own row, its findings as marks at their time. */
export function timelineSvg(a: Analysis): SafeHtml {
  const actors = a.actors.slice(0, CHART_ACTORS);
  if (actors.length === 0) return html``;
  const start = Date.parse(a.derivedFrom.window.start);
  const span = Math.max(1, Date.parse(a.derivedFrom.window.end) - start);
  const left = 230;
  const width = 960;
  const plot = width - left - 10;
  const rowH = 26;
  const height = actors.length * rowH + 30;
  const byId = new Map(a.findings.map((f) => [f.id, f]));
  const binW = plot / ACTIVITY_BINS;
  const rows = actors.map((x, i) => {
    const y = i * rowH + 4;
    const max = Math.max(1, ...x.activity);
    const label = x.key.length > 34 ? `${x.key.slice(0, 33)}…` : x.key;
    const bars = x.activity.map((n, b) =>
      n
        ? html`<rect x="${(left + b * binW).toFixed(1)}" y="${(y + rowH - 6 - (n / max) * (rowH - 8)).toFixed(1)}" width="${Math.max(1, binW - 1).toFixed(1)}" height="${((n / max) * (rowH - 8)).toFixed(1)}" fill="#4a6fa5"><title>${n} request(s)</title></rect>`
        : '',
    );
    const marks = x.findings.map((id) => {
      const f = byId.get(id);
      const t = f ? Date.parse(f.time) : Number.NaN;
      if (!f || !(t >= start && t <= start + span)) return '';
      const cx = left + ((t - start) / span) * plot;
      return html`<a href="#${f.id}"><polygon points="${`${cx.toFixed(1)},${y + 2} ${(cx + 6).toFixed(1)},${y + 10} ${cx.toFixed(1)},${y + 18} ${(cx - 6).toFixed(1)},${y + 10}`}" fill="${SEV_COLOR[f.severity]}"><title>${f.id} ${f.severity}: ${f.title}</title></polygon></a>`;
    });
    return html`<text x="4" y="${y + 16}" font-size="11" font-family="monospace">${label}</text><line x1="${left}" y1="${y + rowH - 5}" x2="${width - 10}" y2="${y + rowH - 5}" stroke="#ddd"/>${bars}${marks}`;
  });
  const axisY = actors.length * rowH + 18;
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Requests of each actor over the incident window, findings marked">
${rows}<text x="${left}" y="${axisY}" font-size="11">${a.derivedFrom.window.start}</text><text x="${width - 10}" y="${axisY}" font-size="11" text-anchor="end">${a.derivedFrom.window.end}</text></svg>
<p class="muted">Bars: requests per 1/${ACTIVITY_BINS} of the window (each row scaled to its own peak). Diamonds: findings, coloured by severity.</p>`;
}

function whatToDo(a: Analysis): SafeHtml {
  const actions = responseActions(a);
  if (actions.length === 0) return html`<p>No finding asks for a containment or recovery action.</p>`;
  const kinds = [...new Set(actions.map((x) => x.kind))];
  return html`${kinds.map(
    (k) =>
      html`<h3>${ACTION_HEADING[k]}</h3><ul>${actions.filter((x) => x.kind === k).map((x) => html`<li>${sev(x.severity)} ${x.text} <span class="muted">(${x.findings.map((id) => html`<a href="#${id}">${id}</a> `)})</span></li>`)}</ul>`,
  )}`;
}

function narratives(a: Analysis): SafeHtml {
  const shown = a.actors.filter((x, i) => i < 10 && (x.findings.length || x.changedCount || x.new)).slice(0, 10);
  if (shown.length === 0) return html`<p>No actor made changes or raised findings.</p>`;
  return html`${shown.map((x) => {
    const i = a.actors.indexOf(x) + 1;
    return html`<h3 id="actor-${i}">${i}. <span class="mono">${x.key}</span></h3><ul class="claims">${actorNarrative(x, a).map((c) => html`<li>${c.text}${c.refs.length ? html` <span class="muted">evidence</span>${refs(c.refs)}` : ''}</li>`)}</ul>`;
  })}`;
}

function findingBlock(f: Analysis['findings'][number]): SafeHtml {
  return html`<div class="finding ${f.severity}" id="${f.id}"><div>${sev(f.severity)} <b>${f.id}</b> ${f.title} <span class="muted">(${f.ruleId}${f.techniques?.length ? `, ${f.techniques.join(', ')}` : ''})</span></div>
<p>${f.summary}</p>
<div class="muted">${f.time} · account ${f.account ?? '—'} · region ${f.region ?? '—'} · actor <span class="mono">${f.actorKey ?? f.actor ?? '—'}</span> · target <span class="mono">${f.target ?? '—'}</span></div>
${
  f.events.length
    ? html`<table><thead><tr><th>Time</th><th>Action</th><th>Actor</th><th>IP</th><th>Target</th><th>Outcome</th><th>Evidence</th></tr></thead><tbody>${f.events.map(
        (e) =>
          html`<tr><td>${e.time}</td><td>${e.action}</td><td class="mono">${e.actor ?? ''}</td><td>${e.sourceIp ?? ''}</td><td class="mono">${e.target ?? ''}</td><td>${e.outcome}</td><td class="mono">${refLabel(e.ref)}</td></tr>`,
      )}</tbody></table>${findingLeftOut(f, 'events') ? html`<div class="muted">${findingLeftOut(f, 'events')}</div>` : ''}`
    : ''
}
${f.evidence.length ? html`<div>Evidence:${refs(f.evidence)}</div>` : ''}${findingLeftOut(f, 'evidence') ? html`<div class="muted">${findingLeftOut(f, 'evidence')}</div>` : ''}</div>`;
}

function findingsByElement(a: Analysis): SafeHtml {
  if (a.findings.length === 0) return html`<p>No rule fired on this bundle. That is not proof of absence: see what cannot be known below.</p>`;
  return html`${CIRT_ELEMENTS.map((el) => {
    const list = a.findings.filter((f) => f.element === el).sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity]);
    return list.length ? html`<h3>${ELEMENT_LABEL[el]} (${list.length})</h3>${list.map(findingBlock)}` : '';
  })}`;
}

function cannotKnow(a: Analysis): SafeHtml {
  const list = unknowns(a);
  return list.length
    ? html`<table><thead><tr><th>What</th><th>Why</th></tr></thead><tbody>${list.map((u) => html`<tr><td>${u.what}</td><td>${u.why}</td></tr>`)}</tbody></table>`
    : html`<p>Every source was collected and read and every rule could be assessed.</p>`;
}

function keyEventsTable(a: Analysis, keyEvents: readonly TimelineEvent[], total: number): SafeHtml {
  return html`<p class="muted">Changes, failures and sign-ins (${total}${total > keyEvents.length ? `, first ${keyEvents.length} shown` : ''}); the full timeline of ${a.stats.events} events is in timeline.jsonl.</p>
<table><thead><tr><th>Time</th><th>Source</th><th>Account</th><th>Region</th><th>Actor</th><th>Action</th><th>Target</th><th>Outcome</th><th>Evidence</th></tr></thead><tbody>
${keyEvents.map(
  (e) =>
    html`<tr><td>${e.time}</td><td>${(e.sources ?? [e.source]).join(' + ')}</td><td>${e.account ?? ''}</td><td>${e.region ?? ''}</td><td class="mono">${e.actorKey ?? e.actor ?? ''}</td><td>${e.action}</td><td class="mono">${e.target ?? ''}</td><td>${e.outcome}</td><td class="mono">${e.evidence.map((r) => html`<div>${refLabel(r)}</div>`)}</td></tr>`,
)}</tbody></table>`;
}

export function renderIncidentReport(a: Analysis, keyEvents: readonly TimelineEvent[], keyEventsTotal: number): string {
  const d = a.derivedFrom;
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of a.findings) counts[f.severity]++;
  const body = html`<header><h1>Incident ${d.incident}: who acted, what they did, what to do now</h1>
<div class="muted">Bundle <b>${d.bundleId}</b> · window ${d.window.start} → ${d.window.end} · baseline ${a.baselineWindow ? `${a.baselineWindow.start} → ${a.baselineWindow.end}` : 'none collected'} · analysed ${a.generatedAt} with forensight ${a.tool.version}</div>
<div class="muted">Derived from <span class="mono">${d.path}</span>, manifest.json sha256 <span class="mono">${d.manifestSha256}</span> (the bundle verified before analysis)</div></header>
<section id="summary"><div class="cards">
<div class="card"><div class="muted">Findings</div><div class="big">${a.findings.length}</div><div class="muted">${counts.critical} critical · ${counts.high} high · ${counts.medium} medium · ${counts.low} low</div></div>
<div class="card"><div class="muted">Actors</div><div class="big">${a.stats.actors}</div></div>
<div class="card"><div class="muted">Requests</div><div class="big">${a.stats.events}</div><div class="muted">${a.stats.records} records, ${a.stats.merged} seen twice · ${a.stats.baselineEvents} in the baseline</div></div>
<div class="card"><div class="muted">Cannot be read</div><div class="big">${a.stats.problems}</div><div class="muted">${a.collectionGaps.length} collection gap(s)</div></div>
</div></section>
<section id="actors"><h2>Who acted</h2>${actorsTable(a)}${timelineSvg(a)}</section>
<section id="actions"><h2>What to do now</h2>${whatToDo(a)}</section>
<section id="narrative"><h2>What each actor did</h2>${narratives(a)}</section>
<section id="findings"><h2>Findings by CIRT element</h2>${findingsByElement(a)}</section>
<section id="unknowns"><h2>What we cannot know</h2>${cannotKnow(a)}</section>
<section id="events"><h2>Key events</h2>${keyEventsTable(a, keyEvents, keyEventsTotal)}</section>
${
  a.problems.length
    ? html`<section id="problems"><h2>Unreadable records</h2><table><thead><tr><th>File</th><th>Where</th><th>Problem</th></tr></thead><tbody>${a.problems.map(
        (p) =>
          html`<tr><td class="mono">${p.path}</td><td>${p.line !== undefined ? `line ${p.line}` : p.record !== undefined ? `record ${p.record}` : ''}</td><td>${p.message}</td></tr>`,
      )}</tbody></table></section>`
    : ''
}
`;
  return renderPage({ title: `forensight incident report ${d.incident}`, css: CSS, body });
}

export type { ActorSummary };
