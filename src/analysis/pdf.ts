// Incident report as PDF (pdfmake, the readiness report's locked-down setup): the same data as the HTML report.
// Every string from the evidence is attacker-controlled: it only ever reaches pdfmake as the text of a text node
// (pdfmake interprets no markup), cleaned of control characters, clipped, and made breakable so it wraps.
import { breakable, renderPdfDocument, type Content } from '../../reports/pdfmake.js';
import { refLabel, type EvidenceRef, type TimelineEvent } from './event.js';
import type { Analysis } from './model.js';
import { SEVERITIES } from '../model/scan.js';
import { SEVERITY_ORDER, type Severity, ELEMENT_LABEL } from './rules/types.js';

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

/** Builds the pdfmake document definition of the incident report (exported for tests). */
export function buildIncidentPdfDefinition(a: Analysis, keyEvents: readonly TimelineEvent[], keyEventsTotal: number, opts: IncidentPdfOptions = {}): Record<string, unknown> {
  const maxEvents = Math.max(0, opts.maxEvents ?? DEFAULT_PDF_EVENTS);
  const maxProblems = Math.max(0, opts.maxProblems ?? DEFAULT_PDF_PROBLEMS);
  const d = a.derivedFrom;
  const incident = pdfText(d.incident, 200);
  const content: Content[] = [];

  // ---- Title, provenance, summary
  content.push({ text: `Incident ${incident}`, style: 'title' });
  content.push({ text: 'Timeline and findings', style: 'subtitle' });
  content.push(
    keyValues(
      [
        ['Window', `${pdfText(d.window.start)} to ${pdfText(d.window.end)}`],
        ['Bundle', pdfText(d.bundleId)],
        ['Derived from', pdfText(d.path)],
        ['manifest.json SHA-256', d.manifestSha256],
        ['Analysed', `${a.generatedAt} with forensight ${pdfText(a.tool.version)}`],
      ],
      9,
    ),
  );
  content.push(note('The bundle verified (every file against manifest.json) before it was analysed. findings.json and timeline.jsonl beside this report hold the full results.'));

  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of a.findings) counts[f.severity]++;
  const stat = (label: string, value: number, sub?: string): Content => ({
    stack: [{ text: label, style: 'label' }, { text: String(value), style: 'big' }, ...(sub ? [{ text: sub, style: 'label' }] : [])],
  });
  content.push(h1('Summary'));
  content.push({
    columns: [
      stat('Findings', a.findings.length, SEVERITIES.map((s) => `${counts[s]} ${s}`).join(' · ')),
      stat('Timeline events', a.stats.events, `${a.stats.eventsInWindow} in the window · ${a.stats.filesRead} files read`),
      stat('Unreadable records', a.stats.problems),
      stat('Collection gaps', a.collectionGaps.length),
    ],
    columnGap: 10,
    margin: [0, 0, 0, 8],
  });
  const sources = Object.entries(a.stats.bySource).sort(([x], [y]) => x.localeCompare(y));
  if (sources.length) content.push(table([140, 60], ['Source', 'Events'], sources.map(([s, n]) => [cell(s), { text: String(n), alignment: 'right' }]), 8));
  const notAssessed = a.rules.filter((r) => r.notAssessed);
  if (notAssessed.length) {
    content.push({ text: 'Rules that could not be assessed', style: 'h3' });
    content.push(table([150, '*'], ['Rule', 'Why'], notAssessed.map((r) => [cell(r.id), cell(r.notAssessed)]), 7.5));
  }

  // ---- Findings by severity
  content.push(h1('Findings', true));
  if (a.findings.length === 0) content.push({ text: 'No rule fired on this bundle. That is not proof of absence: check the collection gaps.' });
  const findings = [...a.findings].sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity]);
  for (const s of SEVERITIES) {
    const group = findings.filter((f) => f.severity === s);
    if (group.length === 0) continue;
    content.push({ text: `${s[0]!.toUpperCase()}${s.slice(1)} (${group.length})`, style: 'h2', color: SEV_FILL[s] });
    for (const f of group) {
      content.push({
        table: {
          widths: [52, '*'],
          body: [[sevCell(f.severity), { text: [{ text: `${pdfText(f.id)}  `, bold: true }, pdfText(f.title)], bold: false }]],
        },
        layout: 'noBorders',
        fontSize: 10,
        margin: [0, 8, 0, 2],
      });
      content.push({ text: pdfText(f.summary), fontSize: 9, margin: [0, 2, 0, 2] });
      const refs = [...new Set([...f.events.map((e) => refLabel(e.ref)), ...f.evidence.map(refLabel)])];
      content.push(
        keyValues([
          ['Severity', f.severity],
          ['CIRT element', ELEMENT_LABEL[f.element] ?? pdfText(f.element)],
          ['Rule', pdfText(f.ruleId)],
          ['Time', pdfText(f.time)],
          ['Account / region', `${pdfText(f.account) || '—'} / ${pdfText(f.region) || '—'}`],
          ['Actor', pdfText(f.actor) || '—'],
          ['Target', pdfText(f.target) || '—'],
          [
            'Evidence',
            refs.length
              ? `${refs.slice(0, MAX_FINDING_REFS).map((r) => pdfText(r)).join('\n')}${refs.length > MAX_FINDING_REFS ? `\n… ${refs.length - MAX_FINDING_REFS} more in findings.json` : ''}`
              : '—',
          ],
        ]),
      );
      if (f.events.length) {
        content.push(
          table(
            [56, 54, '*', 50, '*', 36, '*'],
            ['Time', 'Action', 'Actor', 'IP', 'Target', 'Outcome', 'Evidence'],
            f.events.map((e) => [cell(e.time), cell(e.action), cell(e.actor), cell(e.sourceIp), cell(e.target), cell(e.outcome), ref(e.ref)]),
            6.5,
          ),
        );
        if (f.eventCount > f.events.length) content.push(note(`${f.eventCount - f.events.length} more events of this finding are in findings.json / timeline.jsonl.`));
      }
    }
  }

  // ---- Collection gaps
  content.push(h1('Collection gaps', true));
  content.push(note('What the collection could not read. The analysis is blind there: no finding is not proof of absence.'));
  if (a.collectionGaps.length === 0) content.push({ text: 'None recorded.' });
  else
    content.push(
      table(
        [62, 50, 60, '*', '*'],
        ['Account', 'Region', 'Source', 'Target', 'Reason'],
        a.collectionGaps.map((g) => [cell(g.accountId), cell(g.region), cell(g.source), cell(g.target), cell(g.reason)]),
      ),
    );

  // ---- Timeline (bounded)
  const shown = keyEvents.slice(0, maxEvents);
  const leftOut = Math.max(0, keyEventsTotal - shown.length);
  content.push(h1('Timeline', true));
  content.push(
    note(
      `Key events: the ${keyEventsTotal} events the rules examined, in timeline order` +
        (leftOut > 0 ? `; the first ${shown.length} are listed and ${leftOut} are left out of this report.` : '.') +
        ` timeline.jsonl has all ${a.stats.events} events of the bundle.`,
    ),
  );
  if (leftOut > 0) content.push({ text: `${leftOut} key events are not shown here (${shown.length} of ${keyEventsTotal} listed). timeline.jsonl has every event.`, style: 'truncated' });
  if (shown.length)
    content.push(
      table(
        [56, 46, 52, '*', 50, '*', 34, '*'],
        ['Time', 'Source', 'Account / region', 'Actor', 'Action', 'Target', 'Outcome', 'Evidence'],
        shown.map((e) => [cell(e.time), cell(e.source), `${cell(e.account) || '—'}\n${cell(e.region) || '—'}`, cell(e.actor), cell(e.action), cell(e.target), cell(e.outcome), ref(e.evidenceRef)]),
        6,
      ),
    );

  // ---- Unreadable records
  if (a.problems.length) {
    content.push(h1('Unreadable records', true));
    const probs = a.problems.slice(0, maxProblems);
    content.push(
      table(
        ['*', 50, '*'],
        ['File', 'Where', 'Problem'],
        probs.map((p) => [cell(p.path), p.line !== undefined ? `line ${p.line}` : p.record !== undefined ? `record ${p.record}` : '', cell(p.message)]),
        7,
      ),
    );
    const more = a.stats.problems - probs.length;
    if (more > 0) content.push(note(`${more} more unreadable records are not listed here (findings.json lists the first ${a.problems.length} of ${a.stats.problems}).`));
  }

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
    header: (page: number) =>
      page === 1
        ? null
        : {
            columns: [
              { text: 'forensight incident report', bold: true, width: 160 },
              { text: headerRight, alignment: 'right', width: '*' },
            ],
            margin: [40, 20, 40, 0],
            fontSize: 8,
            color: C.muted,
          },
    footer: (page: number, pages: number) => ({ text: `Page ${page} of ${pages}`, alignment: 'center', fontSize: 8, color: C.muted, margin: [0, 15, 0, 0] }),
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

export async function renderIncidentPdf(a: Analysis, keyEvents: readonly TimelineEvent[], keyEventsTotal: number, opts: IncidentPdfOptions = {}): Promise<Buffer> {
  return renderPdfDocument(buildIncidentPdfDefinition(a, keyEvents, keyEventsTotal, opts));
}
