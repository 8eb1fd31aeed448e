// The few lines a person reads after a scan: score, coverage, what is blind, where the files are. Fits the
// terminal (80 columns when not a terminal): long text wraps at word boundaries under its column, never cut.
import { isCirtElement } from '../model/cirt.js';
import type { ScanDocument } from '../model/scan.js';
import type { Io } from './common.js';
import { sanitizeInline } from './terminal.js';
import { policyLines } from '../scan/policy.js';
import { rankGaps } from '../../reports/gaps.js';
import { atOrAbove } from '../model/severity.js';

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const DEFAULT_WIDTH = 80;
const MIN_WIDTH = 40;
const READINESS_COLUMNS = [
  ['READY', 'ready'],
  ['PARTIAL', 'partial'],
  ['BLIND', 'blind'],
  ['UNKNOWN', 'unknown'],
  ['NOT_APPLICABLE', 'n/a'],
] as const;

/** Where an over-long word (an ARN, a path) may break: after a separator, so each piece still reads whole. */
const BREAK_AFTER = /[/:,.=-]/g;

/** The longest head of `word` of at most `width` characters that ends after a separator, else a hard cut. */
function headOf(word: string, width: number): string {
  let cut = 0;
  for (const m of word.slice(0, width).matchAll(BREAK_AFTER)) cut = m.index + 1;
  return word.slice(0, cut > width / 3 ? cut : width);
}

/**
 * Splits `text` into lines of at most `width` characters at spaces; a word longer than the width (an ARN) is
 * broken after a separator such as `/` or `:`, and only cut when it has none.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > width) {
      if (line) lines.push(line);
      line = '';
      const head = headOf(rest, width);
      lines.push(head);
      rest = rest.slice(head.length);
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/** Narrower than this, a hanging column is unreadable: the text goes on its own indented lines instead. */
const MIN_HANGING_ROOM = 24;

/** `prefix` then `text` wrapped to the width, continuation lines indented under the text. */
function hanging(prefix: string, text: string, width: number): string[] {
  const room = width - prefix.length;
  if (room < MIN_HANGING_ROOM) return [prefix.trimEnd(), ...wrapWords(text, width - 4).map((l) => `    ${l}`)];
  return wrapWords(text, room).map((l, i) => `${i === 0 ? prefix : ' '.repeat(prefix.length)}${l}`);
}

export function terminalWidth(io: Io): number {
  const columns = io.tty?.columns;
  // Some terminals report 0 columns: that is unknown, not narrow. A real terminal under 40 columns gets the
  // narrowest layout the account table fits in, which is closer to it than the default.
  if (typeof columns !== 'number' || !(columns > 0)) return DEFAULT_WIDTH;
  return Math.min(Math.max(columns, MIN_WIDTH), 160);
}

/** Columns of an account row besides its name: indent, id, score, coverage and the gaps between them. */
const ACCOUNT_FIXED_COLUMNS = 2 + 2 + 12 + 2 + 5 + 2 + 5 + 2;

function accountLines(doc: ScanDocument, width: number): string[] {
  const longest = Math.max(7, ...doc.accounts.map((a) => sanitizeInline(a.name).length));
  // The name column gives way first on a narrow terminal, so the fixed columns still fit.
  const nameWidth = Math.max(7, Math.min(20, longest, width - ACCOUNT_FIXED_COLUMNS));
  const head = `  ${'account'.padEnd(nameWidth)}  ${'id'.padEnd(12)}  score  cover  `;
  const lines = hanging(head, 'not fully investigable', width);
  for (const a of doc.accounts) {
    const gaps = Object.entries(a.investigability)
      .filter(([k, v]) => (v === 'BLIND' || v === 'PARTIAL') && !isCirtElement(k))
      .map(([k, v]) => `${k}${v === 'BLIND' ? ' (blind)' : ''}`);
    const score = a.score === null ? '  n/a' : String(a.score).padStart(5);
    const detail = a.status === 'NOT_ASSESSED' ? `not assessed: ${sanitizeInline(a.reason)}` : gaps.join(', ') || 'none';
    const name = sanitizeInline(a.name);
    const shown = name.length > nameWidth ? `${name.slice(0, nameWidth - 1)}…` : name.padEnd(nameWidth);
    lines.push(...hanging(`  ${shown}  ${a.accountId}  ${score}  ${pct(a.coverage).padStart(5)}  `, detail, width));
  }
  return lines;
}

/** Accounts per readiness answer for each scenario: a headed table, or one wrapped line per scenario where the table would not fit. */
function scenarioLines(doc: ScanDocument, width: number): string[] {
  const scenarios = [...new Set(doc.accounts.flatMap((a) => Object.keys(a.investigability)))].filter((k) => !isCirtElement(k));
  if (scenarios.length === 0) return [];
  const nameWidth = Math.max(...scenarios.map((k) => k.length), 'scenario'.length);
  const cell = (s: string): string => s.padStart(8);
  const count = (scenario: string, v: string): string => String(doc.accounts.filter((a) => a.investigability[scenario] === v).length);
  const title = 'Could we investigate it? Accounts per answer:';
  if (2 + nameWidth + 8 * READINESS_COLUMNS.length > width) {
    return [
      ...wrapWords(title, width),
      ...scenarios.flatMap((scenario) =>
        hanging('  ', `${scenario}: ${READINESS_COLUMNS.map(([v, label]) => `${label} ${count(scenario, v)}`).join(', ')}`, width),
      ),
    ];
  }
  return [
    title,
    `  ${'scenario'.padEnd(nameWidth)}${READINESS_COLUMNS.map(([, label]) => cell(label)).join('')}`,
    ...scenarios.map((scenario) => `  ${scenario.padEnd(nameWidth)}${READINESS_COLUMNS.map(([v]) => cell(count(scenario, v))).join('')}`),
  ];
}

function topGapLines(doc: ScanDocument, width: number): string[] {
  // The reports' own ranking, so the terminal and the reports name the same top gaps.
  const top = rankGaps(doc.results).filter((g) => atOrAbove(g.severity, 'high'));
  if (top.length === 0) return [];
  return [
    'Top critical/high gaps:',
    ...top
      .slice(0, 6)
      .flatMap((g) => hanging('  ', `${g.checkId} (${g.severity}): ${g.failingResources} resource(s) in ${g.accountIds.length} account(s)`, width)),
  ];
}

export function scanSummaryLines(doc: ScanDocument, files: string[], width = DEFAULT_WIDTH): string[] {
  const assessed = doc.accounts.filter((a) => a.status === 'ASSESSED');
  const counts = { PASS: 0, FAIL: 0, NOT_APPLICABLE: 0, NOT_ASSESSED: 0 };
  for (const r of doc.results) counts[r.status]++;
  const para = (text: string): string[] => wrapWords(text, width);
  const gaps = topGapLines(doc, width);
  const policy = policyLines(doc);
  return [
    '',
    ...para(
      `Scan ${doc.scanId}: ${doc.accounts.length} account(s), ${assessed.length} assessed, ${doc.stats.apiCalls} API calls in ${(doc.stats.durationMs / 1000).toFixed(1)} s`,
    ),
    ...para(`Organization readiness score: ${doc.score.organization ?? 'n/a'} / 100   coverage: ${pct(doc.score.coverage)}`),
    ...para(`Results: ${counts.PASS} pass, ${counts.FAIL} fail, ${counts.NOT_ASSESSED} not assessed, ${counts.NOT_APPLICABLE} not applicable`),
    '',
    ...accountLines(doc, width),
    '',
    ...scenarioLines(doc, width),
    ...(gaps.length > 0 ? ['', ...gaps] : []),
    ...(policy.length > 0 ? ['', ...policy.flatMap((l) => hanging('', sanitizeInline(l), width))] : []),
    // What the scan could not establish that changed how it read (scan.json notes), e.g. which Regions offer a service.
    ...(doc.notes?.length ? ['', ...doc.notes.flatMap((n) => hanging('Note: ', sanitizeInline(n), width))] : []),
    '',
    // Paths stay whole, so they can be copied.
    ...files.map((f) => `Wrote ${sanitizeInline(f)}`),
  ];
}

export function printScanSummary(io: Io, doc: ScanDocument, files: string[]): void {
  if (io.quiet) return;
  for (const line of scanSummaryLines(doc, files, terminalWidth(io))) io.stderr.write(`${line}\n`);
}
