// The report view model: a pure function of one scan.json (plus optional earlier scans) and the check catalogue.
// No I/O, no AWS: HTML and PDF renderers only read this model.
import type { CheckMetadata } from '../checks/types.js';
import type {
  AccountSummary,
  CheckResult,
  Readiness,
  ResultStatus,
  ScanDocument,
  Severity,
} from '../src/model/scan.js';
import { atOrAbove, SEVERITIES, SEVERITY_RANK } from '../src/model/severity.js';
import { rankGaps } from './gaps.js';
import { buildDecisionsView, type DecisionsView } from './decisions.js';
import { CIRT_ELEMENTS, CIRT_ELEMENT_LABEL, isCirtElement } from '../src/model/cirt.js';
import { phraseFor, SCENARIO_PHRASES } from './phrases.js';

// ---------------------------------------------------------------------------------------------------------------
// Inputs

export type { FrameworkControlInfo, FrameworkInfo } from '../src/model/frameworks.js';
import type { FrameworkInfo } from '../src/model/frameworks.js';
export type FrameworkCatalogue = FrameworkInfo[];

export interface ReportModelOptions {
  catalogue: CheckMetadata[];
  frameworks: FrameworkCatalogue;
  /** Earlier scans, oldest to newest. The newest one is the comparison baseline. */
  previous?: ScanDocument[];
  /** Failing results shown in full per check in the PDF (default 25). HTML and JSON always carry everything. */
  maxFailuresPerCheckInPdf?: number;
  /** Top gaps kept (default 10). */
  maxTopGaps?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Output

export type Grade = 'A' | 'B' | 'C' | 'D' | 'F' | 'N/A';

/** Grade thresholds on the 0-100 score: A >= 90, B >= 80, C >= 70, D >= 60, F below 60; N/A when nothing was assessed. */
export const GRADE_THRESHOLDS: ReadonlyArray<{ grade: Exclude<Grade, 'F' | 'N/A'>; min: number }> = [
  { grade: 'A', min: 90 },
  { grade: 'B', min: 80 },
  { grade: 'C', min: 70 },
  { grade: 'D', min: 60 },
];

/** Weight per severity used to rank gaps: weight × accounts affected. */
export { SEVERITY_WEIGHT } from '../src/model/scan.js';

export const SCENARIOS = [
  'unauthorized-model-access',
  'training-data-exfiltration',
  'model-tampering',
  'logging-tampering',
] as const;

export { CIRT_ELEMENTS } from '../src/model/cirt.js';

export interface StatusCounts {
  PASS: number;
  FAIL: number;
  NOT_APPLICABLE: number;
  NOT_ASSESSED: number;
}

export interface InvestigabilityColumn {
  key: string;
  label: string;
  kind: 'scenario' | 'cirt' | 'other';
}

export interface InvestigabilityRow {
  accountId: string;
  name: string;
  status: AccountSummary['status'];
  cells: Readiness[]; // aligned with columns; UNKNOWN when the account has no value for a key
}

export interface InvestigabilityMatrix {
  columns: InvestigabilityColumn[];
  rows: InvestigabilityRow[];
  /** Per column, how many accounts are at each level. */
  totals: Array<Record<Readiness, number>>;
}

export interface TopGap {
  checkId: string;
  title: string;
  plain: string;
  severity: Severity;
  weight: number;
  accountsAffected: number;
  /** Denominator for "N of M accounts": assessed accounts plus any non-assessed account this check failed in. */
  accountsConsidered: number;
  failingResources: number;
  rank: number;
}

export interface NotAssessedAccount {
  accountId: string;
  name: string;
  reason: string;
}

export interface CheckView {
  checkId: string;
  title: string;
  severity: Severity;
  service: string;
  rationale: string;
  risk: string;
  remediation: CheckMetadata['remediation'] | null;
  frameworks: CheckMetadata['frameworks'];
  counts: StatusCounts;
  accountsFailing: number;
  /** All failing results, sorted by account then resource. */
  failureCount: number;
  /** The first maxFailuresPerCheckInPdf failing results (sorted). */
  pdfFailures: CheckResult[];
  /** failureCount - pdfFailures.length */
  omittedInPdf: number;
  known: boolean;
}

export type CellStatus = ResultStatus | 'NONE';

export interface AccountView {
  accountId: string;
  name: string;
  status: AccountSummary['status'];
  reason: string;
  regions: string[];
  score: number | null;
  grade: Grade;
  coverage: number;
  counts: StatusCounts;
  /** Aggregated status per check, aligned with model.checks: FAIL > NOT_ASSESSED > PASS > NOT_APPLICABLE > NONE. */
  checkStatus: CellStatus[];
  previousName?: string;
  scoreDelta?: number | null;
}

export interface ComplianceControlView {
  id: string;
  title: string;
  checkIds: string[];
  pass: number;
  fail: number;
  /** PASS / (PASS + FAIL); null when nothing was evaluated. */
  passShare: number | null;
}
export interface ComplianceFrameworkView {
  id: string;
  name: string;
  controls: ComplianceControlView[];
  passShare: number | null;
}

export interface GapRef {
  checkId: string;
  accountId: string;
  accountName: string;
  resourceArn: string;
  region: string;
  severity: Severity;
}

export interface AccountDelta {
  accountId: string;
  name: string;
  previousName: string | null;
  renamed: boolean;
  score: number | null;
  previousScore: number | null;
  delta: number | null;
}

export interface TrendView {
  baselineScanId: string;
  baselineDate: string;
  orgScore: number | null;
  previousOrgScore: number | null;
  orgScoreDelta: number | null;
  coverageDelta: number;
  accounts: AccountDelta[];
  addedAccounts: Array<{ accountId: string; name: string }>;
  removedAccounts: Array<{ accountId: string; name: string }>;
  renamedAccounts: Array<{ accountId: string; name: string; previousName: string }>;
  newGaps: GapRef[];
  fixedGaps: GapRef[];
  /** Gaps of the baseline we cannot confirm as fixed: the resource is gone, the account was removed or not assessed. */
  unconfirmedGaps: Array<GapRef & { why: 'resource-gone' | 'account-removed' | 'not-assessed' }>;
}

export interface HistoryPoint {
  scanId: string;
  date: string;
  score: number | null;
  coverage: number;
  accountsAssessed: number;
  failing: number;
}

export interface ReportModel {
  scanId: string;
  startedAt: string;
  finishedAt: string;
  toolVersion: string;
  organization: ScanDocument['organization'];
  parameters: Record<string, unknown>;
  score: number | null;
  coverage: number;
  grade: Grade;
  accountsTotal: number;
  accountsAssessed: number;
  counts: StatusCounts;
  /** Results by severity and status. */
  bySeverity: Record<Severity, StatusCounts>;
  investigability: InvestigabilityMatrix;
  topGaps: TopGap[];
  sentences: string[];
  notAssessed: NotAssessedAccount[];
  accounts: AccountView[];
  checks: CheckView[];
  compliance: ComplianceFrameworkView[];
  trend: TrendView | null;
  history: HistoryPoint[];
  /** Every result, unchanged (HTML carries all of them). */
  results: CheckResult[];
  maxFailuresPerCheckInPdf: number;
  /** Accepted risks, coverage loss and the gate (reports/decisions.ts). */
  decisions: DecisionsView;
}

// ---------------------------------------------------------------------------------------------------------------

export function gradeFor(score: number | null | undefined): Grade {
  if (score === null || score === undefined || !Number.isFinite(score)) return 'N/A';
  for (const t of GRADE_THRESHOLDS) if (score >= t.min) return t.grade;
  return 'F';
}

const zeroCounts = (): StatusCounts => ({ PASS: 0, FAIL: 0, NOT_APPLICABLE: 0, NOT_ASSESSED: 0 });
const zeroReadiness = (): Record<Readiness, number> => ({ READY: 0, PARTIAL: 0, BLIND: 0, NOT_APPLICABLE: 0, UNKNOWN: 0 });

const CELL_RANK: Record<CellStatus, number> = { FAIL: 4, NOT_ASSESSED: 3, PASS: 2, NOT_APPLICABLE: 1, NONE: 0 };

export function columnLabel(key: string): string {
  if (isCirtElement(key)) return CIRT_ELEMENT_LABEL[key];
  const words = key.split(/[-_ ]+/).filter(Boolean);
  const label = words
    .map((w, i) => (w.toLowerCase() === 'ai' ? 'AI' : i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join(' ');
  return label || key;
}

function gapKey(r: { checkId: string; accountId: string; resourceArn: string }): string {
  return `${r.checkId}\u0000${r.accountId}\u0000${r.resourceArn}`;
}

function compareResults(a: CheckResult, b: CheckResult): number {
  return (
    a.accountId.localeCompare(b.accountId) ||
    a.region.localeCompare(b.region) ||
    a.resourceArn.localeCompare(b.resourceArn)
  );
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function buildInvestigability(accounts: AccountSummary[]): InvestigabilityMatrix {
  const present = new Set<string>();
  for (const a of accounts) for (const k of Object.keys(a.investigability ?? {})) present.add(k);
  const columns: InvestigabilityColumn[] = [];
  for (const s of SCENARIOS) if (present.has(s)) columns.push({ key: s, label: columnLabel(s), kind: 'scenario' });
  for (const c of CIRT_ELEMENTS) if (present.has(c)) columns.push({ key: c, label: columnLabel(c), kind: 'cirt' });
  const known = new Set<string>([...SCENARIOS, ...CIRT_ELEMENTS]);
  const others = [...present].filter((k) => !known.has(k)).sort();
  for (const k of others) columns.push({ key: k, label: columnLabel(k), kind: 'other' });

  const totals = columns.map(() => zeroReadiness());
  const rows: InvestigabilityRow[] = accounts.map((a) => {
    const cells = columns.map((c, i) => {
      const v = a.investigability?.[c.key] ?? 'UNKNOWN';
      totals[i]![v] = (totals[i]![v] ?? 0) + 1;
      return v;
    });
    return { accountId: a.accountId, name: a.name, status: a.status, cells };
  });
  return { columns, rows, totals };
}

function metaById(catalogue: CheckMetadata[]): Map<string, CheckMetadata> {
  const m = new Map<string, CheckMetadata>();
  for (const c of catalogue) m.set(c.id, c);
  return m;
}

function orderedCheckIds(catalogue: CheckMetadata[], results: CheckResult[]): string[] {
  const ids: string[] = catalogue.map((c) => c.id);
  const seen = new Set(ids);
  const extra = new Set<string>();
  for (const r of results) if (!seen.has(r.checkId)) extra.add(r.checkId);
  return [...ids, ...[...extra].sort()];
}

function buildTrend(scan: ScanDocument, base: ScanDocument): TrendView {
  const prevAccounts = new Map(base.accounts.map((a) => [a.accountId, a]));
  const curAccounts = new Map(scan.accounts.map((a) => [a.accountId, a]));
  const accounts: AccountDelta[] = [];
  const renamedAccounts: TrendView['renamedAccounts'] = [];
  const addedAccounts: TrendView['addedAccounts'] = [];
  for (const a of scan.accounts) {
    const p = prevAccounts.get(a.accountId);
    if (!p) {
      addedAccounts.push({ accountId: a.accountId, name: a.name });
      continue;
    }
    const renamed = p.name !== a.name;
    if (renamed) renamedAccounts.push({ accountId: a.accountId, name: a.name, previousName: p.name });
    accounts.push({
      accountId: a.accountId,
      name: a.name,
      previousName: p.name,
      renamed,
      score: a.score,
      previousScore: p.score,
      delta: a.score !== null && p.score !== null ? round1(a.score - p.score) : null,
    });
  }
  const removedAccounts = base.accounts
    .filter((p) => !curAccounts.has(p.accountId))
    .map((p) => ({ accountId: p.accountId, name: p.name }));

  const nameNow = (id: string): string => curAccounts.get(id)?.name ?? prevAccounts.get(id)?.name ?? id;
  const ref = (r: CheckResult): GapRef => ({
    checkId: r.checkId,
    accountId: r.accountId,
    accountName: nameNow(r.accountId),
    resourceArn: r.resourceArn,
    region: r.region,
    severity: r.severity,
  });

  const prevFail = new Map<string, CheckResult>();
  for (const r of base.results) if (r.status === 'FAIL') prevFail.set(gapKey(r), r);
  const curByKey = new Map<string, CheckResult>();
  for (const r of scan.results) {
    const k = gapKey(r);
    const existing = curByKey.get(k);
    // If the same key appears twice (e.g. per region), a FAIL wins.
    if (!existing || (existing.status !== 'FAIL' && r.status === 'FAIL')) curByKey.set(k, r);
  }

  const newGaps: GapRef[] = [];
  for (const [k, r] of curByKey) if (r.status === 'FAIL' && !prevFail.has(k)) newGaps.push(ref(r));
  const fixedGaps: GapRef[] = [];
  const unconfirmedGaps: TrendView['unconfirmedGaps'] = [];
  for (const [k, p] of prevFail) {
    const cur = curByKey.get(k);
    const acct = curAccounts.get(p.accountId);
    if (cur) {
      if (cur.status === 'PASS' || cur.status === 'NOT_APPLICABLE') fixedGaps.push(ref(p));
      else if (cur.status === 'NOT_ASSESSED') unconfirmedGaps.push({ ...ref(p), why: 'not-assessed' });
    } else if (!acct) unconfirmedGaps.push({ ...ref(p), why: 'account-removed' });
    else if (acct.status === 'NOT_ASSESSED') unconfirmedGaps.push({ ...ref(p), why: 'not-assessed' });
    else unconfirmedGaps.push({ ...ref(p), why: 'resource-gone' });
  }
  const bySev = (a: GapRef, b: GapRef): number =>
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    a.checkId.localeCompare(b.checkId) ||
    a.accountId.localeCompare(b.accountId) ||
    a.resourceArn.localeCompare(b.resourceArn);
  newGaps.sort(bySev);
  fixedGaps.sort(bySev);
  unconfirmedGaps.sort(bySev);

  const orgScore = scan.score.organization;
  const previousOrgScore = base.score.organization;
  return {
    baselineScanId: base.scanId,
    baselineDate: base.finishedAt || base.startedAt,
    orgScore,
    previousOrgScore,
    orgScoreDelta: orgScore !== null && previousOrgScore !== null ? round1(orgScore - previousOrgScore) : null,
    coverageDelta: round3(scan.score.coverage - base.score.coverage),
    accounts,
    addedAccounts,
    removedAccounts,
    renamedAccounts,
    newGaps,
    fixedGaps,
    unconfirmedGaps,
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function historyPoint(s: ScanDocument): HistoryPoint {
  let failing = 0;
  for (const r of s.results) if (r.status === 'FAIL') failing++;
  return {
    scanId: s.scanId,
    date: s.finishedAt || s.startedAt,
    score: s.score.organization,
    coverage: s.score.coverage,
    accountsAssessed: s.accounts.filter((a) => a.status === 'ASSESSED').length,
    failing,
  };
}

/** Top gaps from the one ranking (reports/gaps.ts), with the check's title and the accounts considered. */
function topGaps(results: readonly CheckResult[], checks: CheckView[], checkIndex: Map<string, number>, considered: (i: number) => number, max: number): TopGap[] {
  return rankGaps(results)
    .slice(0, max)
    .map((g, i) => {
      const ci = checkIndex.get(g.checkId)!;
      const c = checks[ci]!;
      return {
        checkId: g.checkId,
        title: c.title,
        plain: phraseFor(g.checkId, c.title).short,
        severity: g.severity,
        weight: g.weight,
        accountsAffected: g.accountIds.length,
        accountsConsidered: considered(ci),
        failingResources: g.failingResources,
        rank: i + 1,
      };
    });
}

export function buildReportModel(scan: ScanDocument, opts: ReportModelOptions): ReportModel {
  const maxFailures = Math.max(0, Math.floor(opts.maxFailuresPerCheckInPdf ?? 25));
  const maxTopGaps = Math.max(1, Math.floor(opts.maxTopGaps ?? 10));
  const meta = metaById(opts.catalogue);
  const checkIds = orderedCheckIds(opts.catalogue, scan.results);
  const checkIndex = new Map(checkIds.map((id, i) => [id, i]));
  const accountIndex = new Map(scan.accounts.map((a, i) => [a.accountId, i]));

  // One pass over results.
  const counts = zeroCounts();
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, zeroCounts()])) as Record<Severity, StatusCounts>;
  const perCheckCounts = checkIds.map(() => zeroCounts());
  const perCheckFailures: CheckResult[][] = checkIds.map(() => []);
  const perCheckFailAccounts = checkIds.map(() => new Set<string>());
  const perCheckMaxFailSeverity: Array<Severity | null> = checkIds.map(() => null);
  const perAccountCounts = scan.accounts.map(() => zeroCounts());
  const perAccountCell: CellStatus[][] = scan.accounts.map(() => checkIds.map((): CellStatus => 'NONE'));

  for (const r of scan.results) {
    counts[r.status]++;
    const sev = bySeverity[r.severity];
    if (sev) sev[r.status]++;
    const ci = checkIndex.get(r.checkId)!;
    perCheckCounts[ci]![r.status]++;
    if (r.status === 'FAIL') {
      perCheckFailures[ci]!.push(r);
      perCheckFailAccounts[ci]!.add(r.accountId);
      const cur = perCheckMaxFailSeverity[ci];
      if (cur === null || cur === undefined || SEVERITY_RANK[r.severity] < SEVERITY_RANK[cur]) perCheckMaxFailSeverity[ci] = r.severity;
    }
    const ai = accountIndex.get(r.accountId);
    if (ai !== undefined) {
      perAccountCounts[ai]![r.status]++;
      const row = perAccountCell[ai]!;
      if (CELL_RANK[r.status] > CELL_RANK[row[ci]!]) row[ci] = r.status;
    }
  }

  const checks: CheckView[] = checkIds.map((id, i) => {
    const m = meta.get(id);
    const failures = perCheckFailures[i]!;
    failures.sort(compareResults);
    const pdfFailures = failures.slice(0, maxFailures);
    return {
      checkId: id,
      title: m?.title ?? id,
      severity: m?.severity ?? perCheckMaxFailSeverity[i] ?? 'medium',
      service: m?.service ?? '',
      rationale: m?.rationale ?? '',
      risk: m?.risk ?? '',
      remediation: m?.remediation ?? null,
      frameworks: m?.frameworks ?? [],
      counts: perCheckCounts[i]!,
      accountsFailing: perCheckFailAccounts[i]!.size,
      failureCount: failures.length,
      pdfFailures,
      omittedInPdf: failures.length - pdfFailures.length,
      known: m !== undefined,
    };
  });

  const assessed = scan.accounts.filter((a) => a.status === 'ASSESSED');
  const accountsAssessed = assessed.length;
  const assessedIds = new Set(assessed.map((a) => a.accountId));
  const considered = (i: number): number => {
    let extra = 0;
    for (const id of perCheckFailAccounts[i]!) if (!assessedIds.has(id)) extra++;
    return accountsAssessed + extra;
  };

  const gaps = topGaps(scan.results, checks, checkIndex, considered, maxTopGaps);

  const investigability = buildInvestigability(scan.accounts);

  // Sentences for leadership.
  const sentences: string[] = [];
  const total = scan.accounts.length;
  if (scan.score.organization === null) {
    sentences.push('No account could be assessed, so this scan gives no readiness score.');
  } else {
    sentences.push(
      `The organization scores ${round1(scan.score.organization)} out of 100 (grade ${gradeFor(scan.score.organization)}), ` +
        `based on ${plural(accountsAssessed, 'assessed account', 'assessed accounts')} of ${total} ` +
        `and ${Math.round(scan.score.coverage * 100)}% of checks that could be evaluated.`,
    );
  }
  // A gap at a lower severity than its check's own (e.g. no Bedrock use there) does not lose what the phrase says.
  for (const g of gaps.filter((x) => x.severity === checks[checkIndex.get(x.checkId)!]!.severity || atOrAbove(x.severity, 'high')).slice(0, 6)) {
    sentences.push(`In ${g.accountsAffected} of ${g.accountsConsidered} accounts we ${phraseFor(g.checkId, g.title).lost}.`);
  }
  investigability.columns.forEach((c, i) => {
    if (c.kind !== 'scenario') return;
    const blind = investigability.totals[i]!.BLIND;
    if (blind > 0) {
      const what = SCENARIO_PHRASES[c.key] ?? c.label.toLowerCase();
      sentences.push(`In ${blind} of ${accountsAssessed} accounts we would be blind to ${what}.`);
    }
  });
  const notAssessed: NotAssessedAccount[] = scan.accounts
    .filter((a) => a.status === 'NOT_ASSESSED')
    .map((a) => ({ accountId: a.accountId, name: a.name, reason: a.reason || 'no reason recorded' }));
  if (notAssessed.length > 0) {
    sentences.push(
      `We could not assess ${notAssessed.length} of ${total} accounts; their readiness is unknown and they are left out of the score.`,
    );
  }

  // Trend.
  const previous = (opts.previous ?? []).filter((p) => p.scanId !== scan.scanId);
  const baseline = previous.length > 0 ? previous[previous.length - 1]! : null;
  const trend = baseline ? buildTrend(scan, baseline) : null;
  if (trend) {
    if (trend.orgScoreDelta !== null) {
      const d = trend.orgScoreDelta;
      sentences.push(
        `Since the previous scan (${trend.baselineDate.slice(0, 10)}) the score ${d > 0 ? `rose by ${d}` : d < 0 ? `fell by ${-d}` : 'did not change'}; ` +
          `${plural(trend.fixedGaps.length, 'gap was', 'gaps were')} fixed and ${plural(trend.newGaps.length, 'new gap appeared', 'new gaps appeared')}.`,
      );
    } else {
      sentences.push(
        `Since the previous scan ${plural(trend.fixedGaps.length, 'gap was', 'gaps were')} fixed and ${plural(trend.newGaps.length, 'new gap appeared', 'new gaps appeared')}.`,
      );
    }
  }
  const prevByAccount = baseline ? new Map(baseline.accounts.map((a) => [a.accountId, a])) : null;

  const accounts: AccountView[] = scan.accounts.map((a, i) => {
    const view: AccountView = {
      accountId: a.accountId,
      name: a.name,
      status: a.status,
      reason: a.reason,
      regions: a.regions,
      score: a.score,
      grade: gradeFor(a.score),
      coverage: a.coverage,
      counts: perAccountCounts[i]!,
      checkStatus: perAccountCell[i]!,
    };
    const p = prevByAccount?.get(a.accountId);
    if (p) {
      if (p.name !== a.name) view.previousName = p.name;
      view.scoreDelta = a.score !== null && p.score !== null ? round1(a.score - p.score) : null;
    }
    return view;
  });

  // Compliance.
  const compliance: ComplianceFrameworkView[] = opts.frameworks.map((fw) => {
    let fwPass = 0;
    let fwFail = 0;
    const controls = fw.controls.map((ctl) => {
      const ids = checks.filter((c) => c.frameworks.some((f) => f.framework === fw.id && f.control === ctl.id)).map((c) => c.checkId);
      let pass = 0;
      let fail = 0;
      for (const id of ids) {
        const c = checks[checkIndex.get(id)!]!;
        pass += c.counts.PASS;
        fail += c.counts.FAIL;
      }
      fwPass += pass;
      fwFail += fail;
      return { id: ctl.id, title: ctl.title, checkIds: ids, pass, fail, passShare: pass + fail > 0 ? pass / (pass + fail) : null };
    });
    return { id: fw.id, name: fw.name, controls, passShare: fwPass + fwFail > 0 ? fwPass / (fwPass + fwFail) : null };
  });

  const history = [...previous, scan].map(historyPoint);

  return {
    scanId: scan.scanId,
    startedAt: scan.startedAt,
    finishedAt: scan.finishedAt,
    toolVersion: scan.tool.version,
    organization: scan.organization,
    parameters: scan.parameters,
    score: scan.score.organization,
    coverage: scan.score.coverage,
    grade: gradeFor(scan.score.organization),
    accountsTotal: total,
    accountsAssessed,
    counts,
    bySeverity,
    investigability,
    topGaps: gaps,
    sentences,
    notAssessed,
    accounts,
    checks,
    compliance,
    trend,
    history,
    results: scan.results,
    maxFailuresPerCheckInPdf: maxFailures,
    decisions: buildDecisionsView(scan),
  };
}
