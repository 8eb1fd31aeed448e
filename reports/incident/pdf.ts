// Incident report as PDF (pdfmake, the readiness report's locked-down setup): the same sections as the HTML
// report, one function per section, the activity chart drawn on a canvas.
// Every string from the evidence is attacker-controlled: it only ever reaches pdfmake as the text of a text node
// (pdfmake interprets no markup), cleaned of control characters, clipped, and made breakable so it wraps.
import { breakable, pageFrame, renderPdfDocument, type Content } from '../pdfmake.js';
import { refLabel, type EvidenceRef, type TimelineEvent } from '../../src/analysis/event.js';
import type { Analysis } from '../../src/analysis/model.js';
import { SEVERITIES } from '../../src/model/scan.js';
import { CIRT_ELEMENTS, SEVERITY_ORDER, type Severity, ELEMENT_LABEL } from '../../src/analysis/rules/types.js';
import { ACTIVITY_BINS } from '../../src/analysis/actors.js';
import { ACTION_HEADING, actorNarrative, findingLeftOut, formatBytes, leftOut, objectCount, responseActions, unknowns } from './story.js';

export interface IncidentPdfOptions {
  /** Timeline events listed before the rest is left to timeline.jsonl. Default 2,000. */
  maxEvents?: number;
  /** Unreadable records listed. Default 200. */
  maxProblems?: number;
}

export const DEFAULT_PDF_EVENTS = 2000;
const DEFAULT_PDF_PROBLEMS = 200;
/** Longest evidence string shown in full (in a table cell: MAX_CELL); the rest is in findings.json / timeline.jsonl. */
const MAX_TEXT = 1500;
const MAX_CELL = 300;
/** Evidence refs listed under a finding (its events table and findings.json have them all). */
const MAX_FINDING_REFS = 20;

const C = { ink: '#212121', muted: '#616161', head: '#eeeeee', blue: '#14213d', warn: '#e65100' };
const SEV_FILL: Record<Severity, string> = { critical: '#8b0000', high: '#c0392b', medium: '#d68910', low: '#5d6d7e' };

/**
 * An evidence string made safe to lay out: control characters shown escaped (\xNN), lone surrogates replaced,
 * clipped to `max` characters, with break opportunities after separators and every 12 characters of a longer
 * unbroken run, so that no cell of a narrow table column can push the table off the page.
 */
export function pdfText(value: string | null | undefined, max = MAX_TEXT): string {
  if (value === null || value === undefined) return '';
  let s = String(value)
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const chars = Array.from(s);
  if (chars.length > max) s = `${chars.slice(0, max).join('')}… (${chars.length - max} more characters)`;
  return breakable(s).replace(/[^\s\u200b]{16,}/gu, (run) => (run.match(/[^]{1,12}/gu) ?? [run]).join('\u200b'));
}

const cell = (value: string | null | undefined): string => pdfText(value, MAX_CELL);
const ref = (r: EvidenceRef): string => pdfText(refLabel(r));

function h1(text: string, pageBreak = false): Content {
  return { text, style: 'h1', ...(pageBreak ? { pageBreak: 'before' } : {}) };
}
function note(text: string): Content {
  return { text, style: 'note' };
}
function sevCell(s: Severity): Content {
  return { text: s, fillColor: SEV_FILL[s], color: '#ffffff', bold: true };
}
function table(widths: Array<string | number>, header: string[], rows: Content[][], fontSize = 7.5): Content {
  return {
    style: 'table',
    fontSize,
    table: { headerRows: 1, widths, body: [header.map((h) => ({ text: h, bold: true, fillColor: C.head })), ...rows] },
    layout: 'lightHorizontalLines',
  };
}
function keyValues(rows: Array<[string, Content]>, fontSize = 8.5): Content {
  return {
    fontSize,
    table: { widths: [95, '*'], body: rows.map(([k, v]) => [{ text: k, color: C.muted }, v]) },
    layout: 'noBorders',
    margin: [0, 2, 0, 6],
  };
}

function titleSection(a: Analysis): Content[] {
  const d = a.derivedFrom;
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of a.findings) counts[f.severity]++;
  const stat = (label: string, value: number, sub?: string): Content => ({
    stack: [{ text: label, style: 'label' }, { text: String(value), style: 'big' }, ...(sub ? [{ text: sub, style: 'label' }] : [])],
  });
  return [
    { text: `Incident ${pdfText(d.incident, 200)}`, style: 'title' },
    { text: 'Who acted, what they did, what to do now', style: 'subtitle' },
    keyValues(
      [
        ['Window', `${pdfText(d.window.start)} to ${pdfText(d.window.end)}`],
        ['Baseline', a.baselineWindow ? `${a.baselineWindow.start} to ${a.baselineWindow.end}` : 'none collected'],
        ['Bundle', pdfText(d.bundleId)],
        ['Derived from', pdfText(d.path)],
        ['manifest.json SHA-256', d.manifestSha256],
        ['Analysed', `${a.generatedAt} with forensight ${pdfText(a.tool.version)}`],
      ],
      9,
    ),
    note(
      'The bundle verified (every file against manifest.json) before it was analysed. findings.json and timeline.jsonl beside this report hold the full results.',
    ),
    {
      columns: [
        stat('Findings', a.findings.length, SEVERITIES.map((s) => `${counts[s]} ${s}`).join(' · ')),
        stat('Actors', a.stats.actors),
        stat('Requests', a.stats.events, `${a.stats.records} records, ${a.stats.merged} seen twice · ${a.stats.baselineEvents} baseline`),
        stat('Cannot be read', a.stats.problems, `${a.collectionGaps.length} collection gap(s)`),
      ],
      columnGap: 10,
      margin: [0, 0, 0, 8],
    },
  ];
}

const CHART_ACTORS = 12;

/** Each actor's requests over the window as bars in its own row, findings as diamonds (a pdfmake canvas). */
export function timelineCanvas(a: Analysis): Content | null {
  const actors = a.actors.slice(0, CHART_ACTORS);
  if (actors.length === 0) return null;
  const start = Date.parse(a.derivedFrom.window.start);
  const span = Math.max(1, Date.parse(a.derivedFrom.window.end) - start);
  const plot = 330;
  const rowH = 18;
  const byId = new Map(a.findings.map((f) => [f.id, f]));
  const shapes: Record<string, unknown>[] = [];
  actors.forEach((x, i) => {
    const y = i * rowH;
    const max = Math.max(1, ...x.activity);
    shapes.push({ type: 'line', x1: 0, y1: y + rowH - 2, x2: plot, y2: y + rowH - 2, lineWidth: 0.3, lineColor: '#cccccc' });
    x.activity.forEach((n, b) => {
      if (!n) return;
      const h = (n / max) * (rowH - 5);
      shapes.push({
        type: 'rect',
        x: (b * plot) / ACTIVITY_BINS,
        y: y + rowH - 2 - h,
        w: Math.max(0.8, plot / ACTIVITY_BINS - 0.8),
        h,
        color: '#4a6fa5',
      });
    });
    for (const id of x.findings) {
      const f = byId.get(id);
      const t = f ? Date.parse(f.time) : Number.NaN;
      if (!f || !(t >= start && t <= start + span)) continue;
      const cx = ((t - start) / span) * plot;
      shapes.push({
        type: 'polyline',
        closePath: true,
        points: [
          { x: cx, y: y + 2 },
          { x: cx + 4, y: y + 7 },
          { x: cx, y: y + 12 },
          { x: cx - 4, y: y + 7 },
        ],
        color: SEV_FILL[f.severity],
      });
    }
  });
  const labels = actors.map((x) => ({
    text: pdfText(x.key.length > 40 ? `${x.key.slice(0, 39)}…` : x.key, 60),
    fontSize: 6.5,
    margin: [0, 4, 0, 4.2],
  }));
  return {
    stack: [
      {
        columns: [
          { width: 175, stack: labels },
          { width: plot, canvas: shapes },
        ],
        columnGap: 5,
      },
      {
        columns: [
          { width: 175, text: '' },
          { width: plot / 2, text: pdfText(a.derivedFrom.window.start), fontSize: 6.5 },
          { width: plot / 2, text: pdfText(a.derivedFrom.window.end), fontSize: 6.5, alignment: 'right' },
        ],
        columnGap: 5,
      },
      note(`Bars: requests per 1/${ACTIVITY_BINS} of the window (each row scaled to its own peak). Diamonds: findings, coloured by severity.`),
    ],
  };
}

function actorsSection(a: Analysis): Content[] {
  const out: Content[] = [h1('Who acted')];
  if (a.actors.length === 0) return [...out, { text: 'No actor: the bundle holds no attributable request.' }];
  out.push(
    table(
      [12, '*', '*', 50, 44, 44, 56, 40],
      ['#', 'Actor', 'What it is', 'Source IPs', 'First seen', 'Requests (errors)', 'Read / written', 'Findings'],
      a.actors
        .slice(0, 40)
        .map((x, i) => [
          String(i + 1),
          cell(`${x.key}${x.new ? ' [new]' : ''}${x.class !== 'credential' ? ` [${x.class}]` : ''}`),
          cell(x.note),
          cell(
            [
              ...x.sourceIps.slice(0, 3).map((s) => `${s.ip}${s.new ? ' (new)' : ''}`),
              ...(leftOut(x.sourceIps, 3, x.sourceIpsOmitted) ? [`… and ${leftOut(x.sourceIps, 3, x.sourceIpsOmitted)} more`] : []),
            ].join('\n'),
          ),
          cell(x.firstSeen),
          `${x.events} (${x.errors})`,
          cell(`${objectCount(x.read)} obj ${formatBytes(x.read.bytes)}\n${objectCount(x.written)} obj ${formatBytes(x.written.bytes)}`),
          cell(x.findings.join(' ')),
        ]),
      6.5,
    ),
  );
  if (a.actors.length > 40) out.push(note(`${a.stats.actors - 40} more actors in findings.json.`));
  const chart = timelineCanvas(a);
  if (chart) out.push(chart);
  return out;
}

function actionsSection(a: Analysis): Content[] {
  const actions = responseActions(a);
  const out: Content[] = [h1('What to do now')];
  if (actions.length === 0) return [...out, { text: 'No finding asks for a containment or recovery action.' }];
  for (const k of [...new Set(actions.map((x) => x.kind))]) {
    out.push({ text: ACTION_HEADING[k], style: 'h3' });
    out.push({
      ul: actions
        .filter((x) => x.kind === k)
        .map((x) => ({ text: `${x.severity.toUpperCase()}  ${pdfText(x.text)}  (${x.findings.join(', ')})`, fontSize: 8.5 })),
    });
  }
  return out;
}

function narrativeSection(a: Analysis): Content[] {
  const shown = a.actors.filter((x, i) => i < 10 && (x.findings.length || x.changedCount || x.new)).slice(0, 10);
  if (shown.length === 0) return [];
  const out: Content[] = [h1('What each actor did', true)];
  for (const x of shown) {
    out.push({ text: `${a.actors.indexOf(x) + 1}. ${pdfText(x.key)}`, style: 'h3' });
    out.push({
      ul: actorNarrative(x, a).map((c) => ({
        text: [
          pdfText(c.text),
          ...(c.refs.length ? [{ text: `  evidence ${c.refs.map((r) => pdfText(refLabel(r))).join(', ')}`, color: C.muted }] : []),
        ],
        fontSize: 8,
      })),
    });
  }
  return out;
}

function findingContent(f: Analysis['findings'][number]): Content[] {
  const refs = [...new Set([...f.events.map((e) => refLabel(e.ref)), ...f.evidence.map(refLabel)])];
  const out: Content[] = [
    {
      table: {
        widths: [52, '*'],
        body: [[sevCell(f.severity), { text: [{ text: `${pdfText(f.id)}  `, bold: true }, pdfText(f.title)], bold: false }]],
      },
      layout: 'noBorders',
      fontSize: 10,
      margin: [0, 8, 0, 2],
    },
    { text: pdfText(f.summary), fontSize: 9, margin: [0, 2, 0, 2] },
    keyValues([
      ['Severity', f.severity],
      ['CIRT element', ELEMENT_LABEL[f.element] ?? pdfText(f.element)],
      ['Rule', `${pdfText(f.ruleId)}${f.techniques?.length ? ` (${f.techniques.join(', ')})` : ''}`],
      ['Time', pdfText(f.time)],
      ['Account / region', `${pdfText(f.account) || '—'} / ${pdfText(f.region) || '—'}`],
      ['Actor', pdfText(f.actorKey ?? f.actor) || '—'],
      ['Target', pdfText(f.target) || '—'],
      [
        'Evidence',
        refs.length
          ? `${refs
              .slice(0, MAX_FINDING_REFS)
              .map((r) => pdfText(r))
              .join('\n')}${refs.length > MAX_FINDING_REFS ? `\n… ${refs.length - MAX_FINDING_REFS} more in findings.json` : ''}`
          : '—',
      ],
    ]),
  ];
  if (f.events.length) {
    out.push(
      table(
        [56, 54, '*', 50, '*', 36, '*'],
        ['Time', 'Action', 'Actor', 'IP', 'Target', 'Outcome', 'Evidence'],
        f.events.map((e) => [cell(e.time), cell(e.action), cell(e.actor), cell(e.sourceIp), cell(e.target), cell(e.outcome), ref(e.ref)]),
        6.5,
      ),
    );
    const moreEvents = findingLeftOut(f, 'events');
    if (moreEvents) out.push(note(`${moreEvents}.`));
  }
  const moreEvidence = findingLeftOut(f, 'evidence');
  if (moreEvidence) out.push(note(`${moreEvidence}.`));
  return out;
}

function findingsSection(a: Analysis): Content[] {
  const out: Content[] = [h1('Findings by CIRT element', true)];
  if (a.findings.length === 0) return [...out, { text: 'No rule fired on this bundle. That is not proof of absence: see what cannot be known.' }];
  for (const el of CIRT_ELEMENTS) {
    const group = a.findings.filter((f) => f.element === el).sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity]);
    if (group.length === 0) continue;
    out.push({ text: `${ELEMENT_LABEL[el]} (${group.length})`, style: 'h2' });
    for (const f of group) out.push(...findingContent(f));
  }
  return out;
}

function unknownsSection(a: Analysis): Content[] {
  const list = unknowns(a);
  const out: Content[] = [h1('What we cannot know', true), note('Where the analysis is blind: no finding there is not proof of absence.')];
  if (list.length === 0) return [...out, { text: 'Every source was collected and read and every rule could be assessed.' }];
  return [
    ...out,
    table(
      [170, '*'],
      ['What', 'Why'],
      list.map((u) => [cell(u.what), cell(u.why)]),
      7.5,
    ),
  ];
}

function timelineSection(a: Analysis, keyEvents: readonly TimelineEvent[], keyEventsTotal: number, maxEvents: number): Content[] {
  const shown = keyEvents.slice(0, maxEvents);
  const leftOut = Math.max(0, keyEventsTotal - shown.length);
  const out: Content[] = [
    h1('Timeline', true),
    note(
      `Key events: the ${keyEventsTotal} changes, failures and sign-ins, in timeline order` +
        (leftOut > 0 ? `; the first ${shown.length} are listed and ${leftOut} are left out of this report.` : '.') +
        ` timeline.jsonl has all ${a.stats.events} events of the bundle.`,
    ),
  ];
  if (leftOut > 0)
    out.push({
      text: `${leftOut} key events are not shown here (${shown.length} of ${keyEventsTotal} listed). timeline.jsonl has every event.`,
      style: 'truncated',
    });
  if (shown.length)
    out.push(
      table(
        [56, 46, 52, '*', 50, '*', 34, '*'],
        ['Time', 'Source', 'Account / region', 'Actor', 'Action', 'Target', 'Outcome', 'Evidence'],
        shown.map((e) => [
          cell(e.time),
          cell((e.sources ?? [e.source]).join(' + ')),
          `${cell(e.account) || '—'}\n${cell(e.region) || '—'}`,
          cell(e.actorKey ?? e.actor),
          cell(e.action),
          cell(e.target),
          cell(e.outcome),
          cell(e.evidence.map(refLabel).join('\n')),
        ]),
        6,
      ),
    );
  return out;
}

function problemsSection(a: Analysis, maxProblems: number): Content[] {
  if (!a.problems.length) return [];
  const probs = a.problems.slice(0, maxProblems);
  const out: Content[] = [
    h1('Unreadable records', true),
    table(
      ['*', 50, '*'],
      ['File', 'Where', 'Problem'],
      probs.map((p) => [cell(p.path), p.line !== undefined ? `line ${p.line}` : p.record !== undefined ? `record ${p.record}` : '', cell(p.message)]),
      7,
    ),
  ];
  const more = a.stats.problems - probs.length;
  if (more > 0)
    out.push(
      note(`${more} more unreadable records are not listed here (findings.json lists the first ${a.problems.length} of ${a.stats.problems}).`),
    );
  return out;
}

/** Builds the pdfmake document definition of the incident report (exported for tests). */
export function buildIncidentPdfDefinition(
  a: Analysis,
  keyEvents: readonly TimelineEvent[],
  keyEventsTotal: number,
  opts: IncidentPdfOptions = {},
): Record<string, unknown> {
  const maxEvents = Math.max(0, opts.maxEvents ?? DEFAULT_PDF_EVENTS);
  const maxProblems = Math.max(0, opts.maxProblems ?? DEFAULT_PDF_PROBLEMS);
  const d = a.derivedFrom;
  const content: Content[] = [
    ...titleSection(a),
    ...actorsSection(a),
    ...actionsSection(a),
    ...narrativeSection(a),
    ...findingsSection(a),
    ...unknownsSection(a),
    ...timelineSection(a, keyEvents, keyEventsTotal, maxEvents),
    ...problemsSection(a, maxProblems),
  ];
  const generated = new Date(a.generatedAt);
  const headerRight = pdfText(`Incident ${d.incident.length > 60 ? `${d.incident.slice(0, 60)}…` : d.incident}  ·  ${d.window.start.slice(0, 10)}`);
  return {
    pageSize: 'A4',
    pageMargins: [40, 50, 40, 45],
    info: {
      title: `forensight incident report ${pdfText(d.incident, 200).replace(/\u200b/g, '')}`,
      author: 'forensight',
      subject: 'Incident timeline and findings',
      creator: `forensight ${a.tool.version}`,
      producer: 'forensight (pdfmake)',
      ...(Number.isFinite(generated.getTime()) ? { creationDate: generated, modDate: generated } : {}),
    },
    ...pageFrame('forensight incident report', headerRight, C.muted, 160),
    content,
    defaultStyle: { font: 'Roboto', fontSize: 10, color: C.ink },
    styles: {
      title: { fontSize: 22, bold: true, margin: [0, 0, 0, 2], color: C.blue },
      subtitle: { fontSize: 13, color: C.muted, margin: [0, 0, 0, 8] },
      h1: { fontSize: 16, bold: true, margin: [0, 10, 0, 6], color: C.blue },
      h2: { fontSize: 12.5, bold: true, margin: [0, 10, 0, 2] },
      h3: { fontSize: 10.5, bold: true, margin: [0, 8, 0, 2] },
      label: { fontSize: 8.5, color: C.muted },
      big: { fontSize: 22, bold: true },
      note: { fontSize: 8.5, color: C.muted, italics: true, margin: [0, 2, 0, 6] },
      truncated: { fontSize: 9, bold: true, color: C.warn, margin: [0, 2, 0, 6] },
      table: { margin: [0, 4, 0, 8] },
    },
  };
}

export async function renderIncidentPdf(
  a: Analysis,
  keyEvents: readonly TimelineEvent[],
  keyEventsTotal: number,
  opts: IncidentPdfOptions = {},
): Promise<Buffer> {
  return renderPdfDocument(buildIncidentPdfDefinition(a, keyEvents, keyEventsTotal, opts));
}
