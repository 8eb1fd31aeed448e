// PDF report with pdfmake 0.3 (server side). Leadership pages first, then the security team's detail.
// pdfmake setup (fonts from the pdfmake package, no remote URLs, local reads limited to the font directory) is shared
// with the incident report in ./pdfmake.ts.
import type { Readiness, Severity } from '../src/model/scan.js';
import {
  GRADE_THRESHOLDS,
  SEVERITY_WEIGHT,
  type AccountView,
  type CellStatus,
  type CheckView,
  type GapRef,
  type ReportModel,
  type TrendView,
} from './model.js';
import { breakable, pageFrame, renderPdfDocument, type Content } from './pdfmake.js';

export { countPdfPages, pdfFontDir } from './pdfmake.js';

// ---------------------------------------------------------------------------------------------------------------

export interface PdfOptions {
  /** Accounts listed in the leadership investigability grid (the worst first). Default 40. */
  leadershipAccounts?: number;
  /** Rows per account table in the security section; beyond it the accounts with the most failures are listed. Default 1000. */
  maxAccountRows?: number;
  /** Gaps listed per "new"/"fixed" list in the changes section. Default 25. */
  maxTrendRows?: number;
}

const C = {
  ink: '#212121',
  muted: '#616161',
  pass: '#2e7d32',
  fail: '#c62828',
  amber: '#f9a825',
  purple: '#6a1b9a',
  grey: '#9e9e9e',
  head: '#eeeeee',
  blue: '#1565c0',
};

const READINESS_FILL: Record<Readiness, string> = {
  READY: '#c8e6c9',
  PARTIAL: '#fff3c4',
  BLIND: '#ffcdd2',
  NOT_APPLICABLE: '#f5f5f5',
  UNKNOWN: '#e1bee7',
};
const READINESS_TEXT: Record<Readiness, string> = {
  READY: 'Ready',
  PARTIAL: 'Partial',
  BLIND: 'Blind',
  NOT_APPLICABLE: 'N/A',
  UNKNOWN: 'Unknown',
};
const CELL_FILL: Record<CellStatus, string> = {
  PASS: '#c8e6c9',
  FAIL: '#ffcdd2',
  NOT_ASSESSED: '#e1bee7',
  NOT_APPLICABLE: '#f5f5f5',
  NONE: '#ffffff',
};
const CELL_TEXT: Record<CellStatus, string> = { PASS: 'P', FAIL: 'F', NOT_ASSESSED: '?', NOT_APPLICABLE: '-', NONE: '' };
const SEV_FILL: Record<Severity, string> = { critical: '#b71c1c', high: '#e64a19', medium: '#ffe082', low: '#e0e0e0' };

function pct(v: number | null): string {
  return v === null ? 'n/a' : `${Math.round(v * 100)}%`;
}

function signed(d: number | null | undefined): string {
  if (d === null || d === undefined) return 'n/a';
  return d > 0 ? `+${d}` : String(d);
}

function gradeColor(g: string): string {
  return g === 'A' || g === 'B' ? C.pass : g === 'F' ? C.fail : g === 'N/A' ? C.grey : '#e65100';
}

function h1(text: string, pageBreak = true): Content {
  return { text, style: 'h1', tocItem: true, ...(pageBreak ? { pageBreak: 'before' } : {}) };
}
function h2(text: string, toc = false): Content {
  return { text, style: 'h2', ...(toc ? { tocItem: true, tocMargin: [12, 0, 0, 0], tocStyle: { fontSize: 9 } } : {}) };
}
function note(text: string): Content {
  return { text, style: 'note' };
}
function sevCell(s: Severity): Content {
  return { text: s, fillColor: SEV_FILL[s], color: s === 'critical' || s === 'high' ? '#ffffff' : C.ink, bold: true };
}

function table(widths: Array<string | number>, header: string[], rows: Content[][], fontSize = 8): Content {
  return {
    style: 'table',
    fontSize,
    table: {
      headerRows: 1,
      widths,
      dontBreakRows: true,
      body: [header.map((h) => ({ text: h, bold: true, fillColor: C.head })), ...rows],
    },
    layout: 'lightHorizontalLines',
  };
}

function severityBars(m: ReportModel): Content {
  const W = 300;
  const rowH = 16;
  const max = Math.max(
    1,
    ...(['critical', 'high', 'medium', 'low'] as const).map((s) => m.bySeverity[s].FAIL + m.bySeverity[s].PASS + m.bySeverity[s].NOT_ASSESSED),
  );
  const rows = (['critical', 'high', 'medium', 'low'] as const).map((s) => {
    const c = m.bySeverity[s];
    const canvas: Content[] = [];
    let x = 0;
    for (const [n, color] of [
      [c.FAIL, C.fail],
      [c.PASS, C.pass],
      [c.NOT_ASSESSED, C.purple],
    ] as const) {
      if (n <= 0) continue;
      const w = Math.max(1, (n / max) * W);
      canvas.push({ type: 'rect', x, y: 2, w, h: rowH - 6, color });
      x += w;
    }
    return {
      columns: [
        { text: s, width: 50, fontSize: 8, margin: [0, 2, 0, 0] },
        { canvas: canvas.length ? canvas : [{ type: 'rect', x: 0, y: 2, w: 1, h: rowH - 6, color: C.grey }], width: W + 4 },
        { text: `${c.FAIL} fail, ${c.PASS} pass${c.NOT_ASSESSED ? `, ${c.NOT_ASSESSED} not assessed` : ''}`, fontSize: 8, margin: [4, 2, 0, 0] },
      ],
    };
  });
  return { stack: rows, margin: [0, 4, 0, 8] };
}

function trendLine(m: ReportModel): Content | null {
  const pts = m.history.filter((p) => p.score !== null);
  if (pts.length < 2) return null;
  const W = 380;
  const H = 110;
  const xs = (i: number): number => ((i + 0.5) * W) / pts.length;
  const ys = (v: number): number => 8 + (1 - v / 100) * (H - 16);
  const canvas: Content[] = [
    { type: 'line', x1: 0, y1: ys(0), x2: W, y2: ys(0), lineColor: '#bdbdbd', lineWidth: 0.5 },
    { type: 'line', x1: 0, y1: ys(50), x2: W, y2: ys(50), lineColor: '#e0e0e0', lineWidth: 0.5 },
    { type: 'line', x1: 0, y1: ys(100), x2: W, y2: ys(100), lineColor: '#e0e0e0', lineWidth: 0.5 },
    { type: 'polyline', lineWidth: 2, lineColor: C.blue, points: pts.map((p, i) => ({ x: xs(i), y: ys(p.score!) })) },
    ...pts.map((p, i) => ({ type: 'ellipse', x: xs(i), y: ys(p.score!), r1: 3, r2: 3, color: C.blue })),
  ];
  // Labels centred under each point: equal columns across the chart width.
  const labels = {
    columns: pts.map((p) => ({ text: `${p.date.slice(0, 10)}\n${p.score}`, alignment: 'center', fontSize: 7, width: '*' })),
    columnGap: 0,
  };
  return {
    columns: [
      { width: W, stack: [{ canvas }, labels] },
      { width: '*', text: '' },
    ],
    margin: [0, 4, 0, 8],
  };
}

function worstAccounts(m: ReportModel, limit: number): number[] {
  const rows = m.investigability.rows.map((r, i) => {
    let blind = 0;
    let partial = 0;
    let unknown = 0;
    for (const c of r.cells) {
      if (c === 'BLIND') blind++;
      else if (c === 'PARTIAL') partial++;
      else if (c === 'UNKNOWN') unknown++;
    }
    return { i, blind, partial, unknown, score: m.accounts[i]?.score ?? -1 };
  });
  rows.sort((a, b) => b.blind - a.blind || b.partial - a.partial || b.unknown - a.unknown || a.score - b.score || a.i - b.i);
  return rows.slice(0, limit).map((r) => r.i);
}

/** Column labels short enough for eleven columns on a portrait page. */
function shortLabel(label: string): string {
  return label.replace(/^Unauthorized\b/, 'Unauth.').replace(/^Infrastructure\b/, 'Infra.');
}

const GRID_LAYOUT = {
  hLineWidth: () => 0.5,
  vLineWidth: () => 0.5,
  hLineColor: () => '#ffffff',
  vLineColor: () => '#ffffff',
  paddingLeft: () => 1.5,
  paddingRight: () => 1.5,
  paddingTop: () => 1.5,
  paddingBottom: () => 1.5,
};

function investigabilityGrid(m: ReportModel, indices: number[]): Content {
  const cols = m.investigability.columns;
  const header = [
    { text: 'Account', bold: true, fillColor: C.head },
    ...cols.map((c) => ({ text: shortLabel(c.label), bold: true, fillColor: C.head, fontSize: 6, alignment: 'center' })),
  ];
  const body: Content[][] = [header];
  for (const i of indices) {
    const r = m.investigability.rows[i]!;
    body.push([
      { text: `${r.name}\n${r.accountId}`, fontSize: 6.5 },
      ...r.cells.map((c) => ({ text: READINESS_TEXT[c], fillColor: READINESS_FILL[c], fontSize: 6, alignment: 'center' })),
    ]);
  }
  return {
    table: { headerRows: 1, dontBreakRows: true, widths: [100, ...cols.map(() => '*')], body },
    layout: GRID_LAYOUT,
    margin: [0, 4, 0, 8],
  };
}

function investigabilityTotals(m: ReportModel): Content {
  const cols = m.investigability.columns;
  const levels: Readiness[] = ['READY', 'PARTIAL', 'BLIND', 'UNKNOWN', 'NOT_APPLICABLE'];
  const body: Content[][] = [
    [
      { text: 'Accounts that are…', bold: true, fillColor: C.head },
      ...cols.map((c) => ({ text: shortLabel(c.label), bold: true, fillColor: C.head, fontSize: 6, alignment: 'center' })),
    ],
    ...levels.map((lvl) => [
      { text: READINESS_TEXT[lvl], fillColor: READINESS_FILL[lvl], bold: true, fontSize: 7 },
      ...cols.map((_, i) => ({ text: String(m.investigability.totals[i]![lvl]), alignment: 'center', fontSize: 7, fillColor: READINESS_FILL[lvl] })),
    ]),
  ];
  return {
    table: { headerRows: 1, widths: [100, ...cols.map(() => '*')], body },
    layout: GRID_LAYOUT,
    margin: [0, 4, 0, 8],
  };
}

function accountRow(a: AccountView): Content[] {
  return [
    a.accountId,
    a.previousName ? `${a.name} (was ${a.previousName})` : a.name,
    a.status === 'ASSESSED'
      ? { text: a.score === null ? '-' : String(a.score), alignment: 'right' }
      : { text: 'not assessed', color: C.purple, alignment: 'right' },
    { text: a.grade, color: gradeColor(a.grade), bold: true, alignment: 'center' },
    { text: pct(a.coverage), alignment: 'right' },
    { text: String(a.counts.FAIL), alignment: 'right' },
    { text: String(a.counts.PASS), alignment: 'right' },
    { text: String(a.counts.NOT_ASSESSED), alignment: 'right' },
    { text: a.scoreDelta === undefined ? '' : signed(a.scoreDelta), alignment: 'right' },
  ];
}

function decisionsContent(m: ReportModel): Content[] {
  const d = m.decisions;
  const out: Content[] = [h1('Coverage and accepted risks')];
  if (d.gate)
    out.push({
      text: `CI gate (--fail-on ${d.gate.failOn}${d.gate.minCoverage === null ? '' : `, --min-coverage ${d.gate.minCoverage}`}): ${d.gate.passed ? 'passed' : `failed on ${d.gate.failedBy.join(' and ')}`}; ${d.gate.findings} unaccepted FAIL and ${d.gate.notAssessed} unassessed result(s) at or above ${d.gate.failOn}.`,
      bold: true,
    });
  out.push(h2('Accounts that lost coverage'));
  if (d.coverageLoss.length === 0) out.push(note('Every assessed account was fully read.'));
  else
    out.push(
      table(
        ['*', 70, 45, 45, '*'],
        ['Account', 'ID', 'Coverage', 'Not assessed', 'Why'],
        d.coverageLoss.map((l) => [
          l.name,
          l.accountId,
          pct(l.coverage),
          String(l.notAssessed),
          l.causes.map((c) => `${c.reasonCode} × ${c.count}: ${c.example}`).join('\n'),
        ]),
      ),
    );
  const a = d.acceptedRisks;
  if (a) {
    out.push(h2(`Accepted risks (${a.results.length} FAIL results; score without them ${d.scoreExcludingAccepted ?? 'n/a'})`));
    out.push(note(`From ${a.file}. Accepted FAILs keep their status and stay in the score; the CI gate ignores them.`));
    out.push(
      table(
        [60, 90, 80, 50, 50, '*'],
        ['Entry', 'Check', 'Owner', 'Expires', 'Status', 'Reason'],
        a.entries.map((e) => [
          e.source,
          breakable(e.checkId),
          e.owner,
          e.expires,
          e.status === 'expired' ? 'expired: no longer applies' : `active (${e.matched})`,
          e.reason,
        ]),
      ),
    );
  }
  return out;
}

interface PdfLimits {
  leadershipAccounts: number;
  maxAccountRows: number;
  maxTrendRows: number;
}

/** Builds the pdfmake document definition (exported for tests and tooling): one function per section. */
export function buildPdfDefinition(m: ReportModel, opts: PdfOptions = {}): Record<string, unknown> {
  const limits: PdfLimits = {
    leadershipAccounts: opts.leadershipAccounts ?? 40,
    maxAccountRows: opts.maxAccountRows ?? 1000,
    maxTrendRows: opts.maxTrendRows ?? 25,
  };
  const worst = worstAccounts(m, limits.leadershipAccounts);
  const detail = accountsForDetail(m, limits.maxAccountRows);
  const content: Content[] = [
    ...coverSection(m),
    ...leadershipSection(m),
    ...investigabilitySection(m, worst),
    ...topGapsSection(m),
    ...changesSection(m, limits.maxTrendRows),
    ...decisionsContent(m),
    ...notAssessedSection(m, limits.maxAccountRows),
    ...accountsSection(m, detail),
    ...matrixSection(m, detail),
    ...(m.accounts.length > worst.length ? everyAccountInvestigabilitySection(m, limits.maxAccountRows) : []),
    ...checksSection(m),
    ...complianceSection(m),
  ];
  return pdfDocument(m, content);
}

function coverSection(m: ReportModel): Content[] {
  return [
    { text: 'Forensic readiness of AI workloads', style: 'title' },
    {
      text: `Scan ${m.scanId}  ·  ${m.startedAt} to ${m.finishedAt}  ·  ${m.organization ? `organization ${m.organization.id}` : 'single account'}  ·  forensight ${m.toolVersion}`,
      style: 'note',
      margin: [0, 0, 0, 12],
    },
    {
      columns: [
        {
          stack: [
            { text: 'Score', style: 'label' },
            { text: m.score === null ? 'n/a' : String(m.score), style: 'big' },
          ],
        },
        {
          stack: [
            { text: 'Grade', style: 'label' },
            { text: m.grade, style: 'big', color: gradeColor(m.grade) },
          ],
        },
        {
          stack: [
            { text: 'Coverage', style: 'label' },
            { text: pct(m.coverage), style: 'big' },
          ],
        },
        {
          stack: [
            { text: 'Accounts assessed', style: 'label' },
            { text: `${m.accountsAssessed} / ${m.accountsTotal}`, style: 'big' },
          ],
        },
      ],
      margin: [0, 0, 0, 6],
    },
    note(
      `Grade from the score: ${GRADE_THRESHOLDS.map((t) => `${t.grade} at ${t.min} or more`).join(', ')}, F below ${GRADE_THRESHOLDS[GRADE_THRESHOLDS.length - 1]!.min}. ` +
        'Coverage is the share of checks that could be evaluated; what could not be read is not assessed and left out of the score.',
    ),
    { toc: { title: { text: 'Contents', style: 'h2' }, numberStyle: { bold: true }, textStyle: { fontSize: 10 } }, margin: [0, 12, 0, 0] },
  ];
}

function leadershipSection(m: ReportModel): Content[] {
  const out: Content[] = [
    h1('Summary for leadership'),
    { ul: m.sentences.map((s) => ({ text: s, margin: [0, 2, 0, 2] })), fontSize: 10.5 },
    h2('Results by severity'),
    severityBars(m),
  ];
  const line = trendLine(m);
  if (line) out.push(h2('Score over time'), line);
  return out;
}

function investigabilitySection(m: ReportModel, worst: number[]): Content[] {
  const out: Content[] = [
    h1('Could we investigate it?'),
    note(
      'For each account and scenario: Ready (the evidence would exist), Partial (some of it), Blind (none), N/A (no such workload) or Unknown (not assessed). ' +
        'Columns after the four scenarios are the elements of the AWS CIRT method for generative-AI incidents.',
    ),
    investigabilityTotals(m),
    h2(m.accounts.length > worst.length ? `The ${worst.length} least investigable of ${m.accounts.length} accounts` : 'Every account'),
    investigabilityGrid(m, worst),
  ];
  if (m.accounts.length > worst.length) out.push(note('The grid for every account is in the security team section.'));
  return out;
}

function topGapsSection(m: ReportModel): Content[] {
  const out: Content[] = [
    h1('Top gaps'),
    note(
      `Ranked by severity weight (critical ${SEVERITY_WEIGHT.critical}, high ${SEVERITY_WEIGHT.high}, medium ${SEVERITY_WEIGHT.medium}, low ${SEVERITY_WEIGHT.low}) × accounts affected.`,
    ),
  ];
  if (m.topGaps.length === 0) return [...out, { text: 'No failing checks.' }];
  out.push(
    table(
      [16, '*', 110, 48, 45, 45],
      ['#', 'What we would miss', 'Check', 'Severity', 'Accounts', 'Resources'],
      m.topGaps.map((g) => [
        String(g.rank),
        g.plain,
        breakable(g.checkId),
        sevCell(g.severity),
        { text: `${g.accountsAffected} of ${g.accountsConsidered}`, alignment: 'right' },
        { text: String(g.failingResources), alignment: 'right' },
      ]),
      9,
    ),
  );
  return out;
}

function changesSection(m: ReportModel, maxTrend: number): Content[] {
  const t = m.trend;
  if (!t)
    return [
      h1('Changes since the previous scan'),
      { text: 'No previous scan was given, so there is nothing to compare. Run the report with --previous to see the trend.' },
    ];
  return [
    h1('Changes since the previous scan'),
    {
      text: [
        `Compared with scan ${t.baselineScanId} of ${t.baselineDate.slice(0, 10)}: the score went from ${t.previousOrgScore ?? 'n/a'} to ${t.orgScore ?? 'n/a'} (`,
        { text: signed(t.orgScoreDelta), bold: true, color: (t.orgScoreDelta ?? 0) < 0 ? C.fail : C.pass },
        `). ${t.fixedGaps.length} gaps fixed, ${t.newGaps.length} new gaps, ${t.unconfirmedGaps.length} gaps no longer observed but not confirmed fixed ` +
          '(resource gone, account removed or not assessed).',
      ],
      margin: [0, 0, 0, 6],
    },
    ...changedAccountsList('Accounts added', t.addedAccounts, maxTrend),
    ...changedAccountsList('Accounts no longer in the scan', t.removedAccounts, maxTrend),
    ...changedAccountsList('Accounts renamed', t.renamedAccounts, maxTrend),
    ...scoreChanges(t, maxTrend),
    ...gapList('New gaps', t.newGaps, maxTrend),
    ...gapList('Fixed gaps', t.fixedGaps, maxTrend),
  ];
}

function changedAccountsList(title: string, list: Array<{ accountId: string; name: string; previousName?: string }>, maxTrend: number): Content[] {
  if (list.length === 0) return [];
  const out: Content[] = [
    h2(`${title} (${list.length})`),
    {
      ul: list
        .slice(0, maxTrend)
        .map((a) => (a.previousName !== undefined ? `${a.accountId}: ${a.previousName} renamed to ${a.name}` : `${a.name} (${a.accountId})`)),
      fontSize: 9,
    },
  ];
  if (list.length > maxTrend) out.push(note(`${list.length - maxTrend} more are listed in the HTML report.`));
  return out;
}

function scoreChanges(t: TrendView, maxTrend: number): Content[] {
  const moved = t.accounts.filter((a) => a.delta !== null && a.delta !== 0).sort((a, b) => a.delta! - b.delta!);
  if (moved.length === 0) return [];
  const pick = moved.length > maxTrend ? [...moved.slice(0, Math.ceil(maxTrend / 2)), ...moved.slice(-Math.floor(maxTrend / 2))] : moved;
  const out: Content[] = [
    h2('Largest score changes'),
    table(
      ['*', 80, 50, 50, 50],
      ['Account', 'ID', 'Before', 'Now', 'Change'],
      pick.map((a) => [
        a.renamed ? `${a.name} (was ${a.previousName})` : a.name,
        a.accountId,
        { text: String(a.previousScore ?? '-'), alignment: 'right' },
        { text: String(a.score ?? '-'), alignment: 'right' },
        { text: signed(a.delta), alignment: 'right', color: a.delta! < 0 ? C.fail : C.pass, bold: true },
      ]),
    ),
  ];
  if (moved.length > pick.length)
    out.push(note(`Showing the largest falls and rises; ${moved.length - pick.length} other accounts changed (see the HTML report).`));
  return out;
}

function gapList(title: string, gaps: GapRef[], maxTrend: number): Content[] {
  if (gaps.length === 0) return [h2(`${title} (0)`), note('None.')];
  const out: Content[] = [
    h2(`${title} (${gaps.length})`),
    table(
      [110, 110, 48, '*'],
      ['Account', 'Check', 'Severity', 'Resource'],
      gaps.slice(0, maxTrend).map((g) => [`${g.accountName}\n${g.accountId}`, breakable(g.checkId), sevCell(g.severity), breakable(g.resourceArn)]),
      7.5,
    ),
  ];
  if (gaps.length > maxTrend) out.push(note(`${gaps.length - maxTrend} more ${title.toLowerCase()} are listed in the HTML report and scan.json.`));
  return out;
}

function notAssessedSection(m: ReportModel, maxRows: number): Content[] {
  if (m.notAssessed.length === 0) return [h1('Accounts not assessed'), { text: 'Every account was assessed.' }];
  const shown = m.notAssessed.slice(0, maxRows);
  const out: Content[] = [
    h1('Accounts not assessed'),
    note('These accounts are left out of the score. Nothing about them should be read as passing.'),
    table(
      [80, 130, '*'],
      ['ID', 'Account', 'Reason'],
      shown.map((a) => [a.accountId, a.name, a.reason]),
    ),
  ];
  if (m.notAssessed.length > shown.length) out.push(note(`${m.notAssessed.length - shown.length} more are listed in the HTML report and scan.json.`));
  return out;
}

/**
 * The accounts the per-account tables list: every account when they fit, otherwise the ones with the most failing
 * and unassessed results (a PDF of 5,000 accounts × every check would not fit in memory, nor be read).
 */
function accountsForDetail(m: ReportModel, maxRows: number): number[] {
  const all = m.accounts.map((_, i) => i);
  if (all.length <= maxRows) return all;
  const rank = (i: number): [number, number, number] => {
    const a = m.accounts[i]!;
    return [a.counts.FAIL, a.counts.NOT_ASSESSED, a.score ?? -1];
  };
  return all
    .sort((x, y) => {
      const [fx, nx, sx] = rank(x);
      const [fy, ny, sy] = rank(y);
      return fy - fx || ny - nx || sx - sy || x - y;
    })
    .slice(0, maxRows);
}

/** What the accounts left out of the per-account tables hold, so nothing is silently dropped. */
function omittedAccountsNote(m: ReportModel, shown: number[]): Content[] {
  if (shown.length >= m.accounts.length) return [];
  const kept = new Set(shown);
  let failing = 0;
  let notAssessed = 0;
  m.accounts.forEach((a, i) => {
    if (kept.has(i)) return;
    if (a.counts.FAIL > 0) failing++;
    if (a.status === 'NOT_ASSESSED' || a.counts.NOT_ASSESSED > 0) notAssessed++;
  });
  const rest = m.accounts.length - shown.length;
  return [
    note(
      `${rest} more accounts are in the HTML report and scan.json (${failing} of them with failing results, ${notAssessed} with results not assessed); ` +
        'this table lists the accounts with the most failing results first.',
    ),
  ];
}

function accountsSection(m: ReportModel, detail: number[]): Content[] {
  return [
    h1('Security team: results per account'),
    table(
      [56, '*', 46, 26, 36, 22, 22, 36, 30],
      ['ID', 'Account', 'Score', 'Grade', 'Coverage', 'Fail', 'Pass', 'Not assessed', 'Change'],
      detail.map((i) => accountRow(m.accounts[i]!)),
      7.5,
    ),
    ...omittedAccountsNote(m, detail),
  ];
}

function matrixSection(m: ReportModel, detail: number[]): Content[] {
  const body: Content[][] = [
    [
      { text: 'Account', bold: true, fillColor: C.head },
      ...m.checks.map((_, i) => ({ text: String(i + 1), bold: true, fillColor: C.head, alignment: 'center' })),
    ],
  ];
  for (const i of detail) {
    const a = m.accounts[i]!;
    body.push([
      { text: `${a.name} (${a.accountId})`, fontSize: 6 },
      ...a.checkStatus.map((s) => ({ text: CELL_TEXT[s], fillColor: CELL_FILL[s], alignment: 'center' })),
    ]);
  }
  return [
    h1('Security team: results per account and check'),
    { ol: m.checks.map((c) => `${c.checkId} (${c.severity})`), fontSize: 7.5 },
    note('P pass, F fail, ? not assessed, - not applicable, blank: no result. A cell shows the worst result of the check in the account.'),
    { table: { headerRows: 1, dontBreakRows: true, widths: [150, ...m.checks.map(() => '*')], body }, fontSize: 6.5, layout: GRID_LAYOUT },
    ...omittedAccountsNote(m, detail),
  ];
}

function everyAccountInvestigabilitySection(m: ReportModel, maxRows: number): Content[] {
  const shown = m.accounts.length > maxRows ? worstAccounts(m, maxRows) : m.accounts.map((_, i) => i);
  const out: Content[] = [h1('Security team: investigability of every account'), investigabilityGrid(m, shown)];
  if (shown.length < m.accounts.length) {
    out.push(
      note(`${m.accounts.length - shown.length} more accounts are in the HTML report and scan.json; this grid lists the least investigable first.`),
    );
  }
  return out;
}

function checksSection(m: ReportModel): Content[] {
  const accountById = new Map(m.accounts.map((a) => [a.accountId, a]));
  return [
    h1('Security team: checks, failures and remediation'),
    note(`Each check lists up to ${m.maxFailuresPerCheckInPdf} failing resources in full. The HTML report and scan.json carry every result.`),
    ...m.checks.flatMap((c, i) => checkContent(c, i, accountById)),
  ];
}

function checkContent(c: CheckView, i: number, accountById: Map<string, AccountView>): Content[] {
  const out: Content[] = [
    {
      text: `${c.title}`,
      style: 'h2',
      tocItem: true,
      tocMargin: [12, 0, 0, 0],
      tocStyle: { fontSize: 9 },
      ...(i > 0 ? { pageBreak: 'before' } : {}),
    },
    {
      text: [
        { text: c.checkId, bold: true },
        `  ·  severity ${c.severity}${c.service ? `  ·  ${c.service}` : ''}  ·  ${c.counts.FAIL} failing, ${c.counts.PASS} passing, ${c.counts.NOT_ASSESSED} not assessed, ${c.counts.NOT_APPLICABLE} not applicable; failing in ${c.accountsFailing} accounts`,
      ],
      fontSize: 9,
      margin: [0, 0, 0, 4],
    },
  ];
  if (c.rationale) out.push({ text: [{ text: 'Why it matters: ', bold: true }, c.rationale], fontSize: 9, margin: [0, 2, 0, 2] });
  if (c.risk) out.push({ text: [{ text: 'What an investigation loses: ', bold: true }, c.risk], fontSize: 9, margin: [0, 2, 0, 2] });
  out.push(...checkFailures(c, accountById), ...remediationContent(c));
  if (c.frameworks.length) out.push(note(`Supports: ${c.frameworks.map((f) => `${f.framework} ${f.control}`).join(', ')}`));
  return out;
}

function checkFailures(c: CheckView, accountById: Map<string, AccountView>): Content[] {
  if (c.failureCount === 0) return [note('No failing results.')];
  const out: Content[] = [
    table(
      [90, 50, '*', 150],
      ['Account', 'Region', 'Resource', 'Reason'],
      c.pdfFailures.map((r) => {
        const acct = accountById.get(r.accountId);
        return [acct ? `${acct.name}\n${r.accountId}` : r.accountId, r.region, breakable(r.resourceArn), r.reason];
      }),
      7,
    ),
  ];
  if (c.omittedInPdf > 0) {
    out.push({
      text: `${c.omittedInPdf} more failing results of ${c.checkId} are not shown here (${c.pdfFailures.length} of ${c.failureCount} shown). The HTML report and scan.json carry every result.`,
      style: 'truncated',
    });
  }
  return out;
}

function remediationContent(c: CheckView): Content[] {
  const rem = c.remediation;
  if (!rem) return [note('This check is not in the catalogue of this forensight version; no remediation text.')];
  const out: Content[] = [
    { text: 'Remediation', style: 'h3' },
    { text: rem.summary, fontSize: 9 },
    { text: 'AWS CLI', style: 'h4' },
    code(rem.cli),
    { text: rem.iac.kind === 'terraform' ? 'Terraform' : 'CloudFormation', style: 'h4' },
    code(rem.iac.snippet),
  ];
  if (rem.docs.length) out.push({ ul: rem.docs.map((d) => breakable(d)), fontSize: 7.5, color: C.muted });
  return out;
}

function complianceSection(m: ReportModel): Content[] {
  const out: Content[] = [
    h1('Compliance view'),
    note(
      'Pass share of the results of the checks that support each control. A passing check supports a control; it does not by itself show the control is met.',
    ),
  ];
  if (m.compliance.length === 0) out.push({ text: 'No framework catalogue was given.' });
  for (const fw of m.compliance) {
    out.push(
      h2(`${fw.name} (pass share ${pct(fw.passShare)})`, true),
      table(
        [50, '*', 130, 30, 30, 40],
        ['Control', 'Title', 'Checks', 'Pass', 'Fail', 'Share'],
        fw.controls.map((c) => [
          c.id,
          c.title,
          c.checkIds.length ? breakable(c.checkIds.join(', ')) : { text: 'none', color: C.muted },
          { text: String(c.pass), alignment: 'right' },
          { text: String(c.fail), alignment: 'right' },
          { text: pct(c.passShare), alignment: 'right' },
        ]),
        7.5,
      ),
    );
  }
  return out;
}

/** Page setup, metadata, running header and footer, and styles around the content. */
function pdfDocument(m: ReportModel, content: Content[]): Record<string, unknown> {
  const date = (m.finishedAt || m.startedAt).slice(0, 10);
  const finished = new Date(m.finishedAt);
  return {
    pageSize: 'A4',
    pageMargins: [40, 50, 40, 45],
    info: {
      title: `forensight readiness report ${m.scanId}`,
      author: 'forensight',
      subject: 'Forensic readiness of AI workloads',
      creator: `forensight ${m.toolVersion}`,
      producer: 'forensight (pdfmake)',
      ...(Number.isFinite(finished.getTime()) ? { creationDate: finished, modDate: finished } : {}),
    },
    ...pageFrame('forensight readiness report', `Scan ${m.scanId}  ·  ${date}`, C.muted),
    content,
    defaultStyle: { font: 'Roboto', fontSize: 10, color: C.ink },
    styles: PDF_STYLES,
  };
}

const PDF_STYLES = {
  title: { fontSize: 22, bold: true, margin: [0, 0, 0, 4], color: C.blue },
  h1: { fontSize: 16, bold: true, margin: [0, 0, 0, 8], color: C.blue },
  h2: { fontSize: 12, bold: true, margin: [0, 10, 0, 4] },
  h3: { fontSize: 10.5, bold: true, margin: [0, 8, 0, 2] },
  h4: { fontSize: 9, bold: true, margin: [0, 4, 0, 2], color: C.muted },
  label: { fontSize: 9, color: C.muted },
  big: { fontSize: 26, bold: true },
  note: { fontSize: 8.5, color: C.muted, italics: true, margin: [0, 2, 0, 6] },
  truncated: { fontSize: 9, bold: true, color: '#e65100', margin: [0, 2, 0, 6] },
  table: { margin: [0, 4, 0, 8] },
  code: { fontSize: 7.5 },
};

function code(text: string): Content {
  // No monospace font ships with pdfmake; keep line structure and indentation on a tinted box.
  return {
    table: {
      widths: ['*'],
      body: [[{ text: text.replace(/\t/g, '  '), style: 'code', preserveLeadingSpaces: true, fillColor: '#f5f5f5', margin: [4, 3, 4, 3] }]],
    },
    layout: 'noBorders',
    margin: [0, 2, 0, 6],
  };
}

export async function renderPdf(m: ReportModel, opts: PdfOptions = {}): Promise<Buffer> {
  return renderPdfDocument(buildPdfDefinition(m, opts));
}
