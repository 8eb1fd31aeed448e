// One pass over the results: counts overall, per severity, per check and per account, and the views built from them.
import type { CheckMetadata } from '../../checks/types.js';
import type { AccountSummary, CheckResult, ScanDocument, Severity } from '../../src/model/scan.js';
import { SEVERITIES, SEVERITY_RANK } from '../../src/model/severity.js';
import { gradeFor, round1 } from './grade.js';
import type { AccountView, CellStatus, CheckView, StatusCounts } from './types.js';

export const zeroCounts = (): StatusCounts => ({ PASS: 0, FAIL: 0, NOT_APPLICABLE: 0, NOT_ASSESSED: 0 });

const CELL_RANK: Record<CellStatus, number> = { FAIL: 4, NOT_ASSESSED: 3, PASS: 2, NOT_APPLICABLE: 1, NONE: 0 };

interface CheckTally {
  counts: StatusCounts;
  failures: CheckResult[];
  failAccounts: Set<string>;
  /** The most severe severity a FAIL of this check carries (for checks not in the catalogue). */
  maxFailSeverity: Severity | null;
}

interface AccountTally {
  counts: StatusCounts;
  /** Worst status per check, aligned with the check ids. */
  cells: CellStatus[];
}

export interface Aggregates {
  checkIds: string[];
  checkIndex: Map<string, number>;
  counts: StatusCounts;
  bySeverity: Record<Severity, StatusCounts>;
  perCheck: CheckTally[];
  /** Aligned with scan.accounts. */
  perAccount: AccountTally[];
}

/** Catalogue order first, then any check id a result names that the catalogue does not know, sorted. */
function orderedCheckIds(catalogue: CheckMetadata[], results: CheckResult[]): string[] {
  const ids: string[] = catalogue.map((c) => c.id);
  const known = new Set(ids);
  const extra = new Set<string>();
  for (const r of results) if (!known.has(r.checkId)) extra.add(r.checkId);
  return [...ids, ...[...extra].sort()];
}

export function aggregateResults(scan: ScanDocument, catalogue: CheckMetadata[]): Aggregates {
  const checkIds = orderedCheckIds(catalogue, scan.results);
  const checkIndex = new Map(checkIds.map((id, i) => [id, i]));
  const accountIndex = new Map(scan.accounts.map((a, i) => [a.accountId, i]));
  const counts = zeroCounts();
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, zeroCounts()])) as Record<Severity, StatusCounts>;
  const perCheck: CheckTally[] = checkIds.map(() => ({ counts: zeroCounts(), failures: [], failAccounts: new Set(), maxFailSeverity: null }));
  const perAccount: AccountTally[] = scan.accounts.map(() => ({ counts: zeroCounts(), cells: checkIds.map((): CellStatus => 'NONE') }));

  for (const r of scan.results) {
    counts[r.status]++;
    // A scan.json from elsewhere may carry a severity this version does not know; it still counts overall.
    const severity = bySeverity[r.severity] as StatusCounts | undefined;
    if (severity) severity[r.status]++;
    const ci = checkIndex.get(r.checkId)!;
    const check = perCheck[ci]!;
    check.counts[r.status]++;
    if (r.status === 'FAIL') {
      check.failures.push(r);
      check.failAccounts.add(r.accountId);
      if (check.maxFailSeverity === null || SEVERITY_RANK[r.severity] < SEVERITY_RANK[check.maxFailSeverity]) check.maxFailSeverity = r.severity;
    }
    const ai = accountIndex.get(r.accountId);
    if (ai === undefined) continue;
    const account = perAccount[ai]!;
    account.counts[r.status]++;
    if (CELL_RANK[r.status] > CELL_RANK[account.cells[ci]!]) account.cells[ci] = r.status;
  }
  return { checkIds, checkIndex, counts, bySeverity, perCheck, perAccount };
}

function compareResults(a: CheckResult, b: CheckResult): number {
  return a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region) || a.resourceArn.localeCompare(b.resourceArn);
}

export function buildCheckViews(agg: Aggregates, catalogue: CheckMetadata[], maxFailures: number): CheckView[] {
  const meta = new Map(catalogue.map((c) => [c.id, c]));
  return agg.checkIds.map((id, i) => {
    const m = meta.get(id);
    const tally = agg.perCheck[i]!;
    const failures = tally.failures.sort(compareResults);
    const pdfFailures = failures.slice(0, maxFailures);
    return {
      checkId: id,
      title: m?.title ?? id,
      severity: m?.severity ?? tally.maxFailSeverity ?? 'medium',
      service: m?.service ?? '',
      rationale: m?.rationale ?? '',
      risk: m?.risk ?? '',
      remediation: m?.remediation ?? null,
      frameworks: m?.frameworks ?? [],
      counts: tally.counts,
      accountsFailing: tally.failAccounts.size,
      failureCount: failures.length,
      pdfFailures,
      omittedInPdf: failures.length - pdfFailures.length,
      known: m !== undefined,
    };
  });
}

/** Per-account rows; with a baseline scan, the previous name (when renamed) and the score change. */
export function buildAccountViews(accounts: AccountSummary[], agg: Aggregates, baseline: ScanDocument | null): AccountView[] {
  const previous = baseline ? new Map(baseline.accounts.map((a) => [a.accountId, a])) : null;
  return accounts.map((a, i) => {
    const view: AccountView = {
      accountId: a.accountId,
      name: a.name,
      status: a.status,
      reason: a.reason,
      regions: a.regions,
      score: a.score,
      grade: gradeFor(a.score),
      coverage: a.coverage,
      counts: agg.perAccount[i]!.counts,
      checkStatus: agg.perAccount[i]!.cells,
    };
    const p = previous?.get(a.accountId);
    if (p) {
      if (p.name !== a.name) view.previousName = p.name;
      view.scoreDelta = a.score !== null && p.score !== null ? round1(a.score - p.score) : null;
    }
    return view;
  });
}

/**
 * The denominator of "N of M accounts" for a check: the assessed accounts, plus any account that was not assessed
 * but still has a FAIL of this check (e.g. forensic-role-access where the role could not be assumed).
 */
export function accountsConsidered(agg: Aggregates, accounts: AccountSummary[]): (checkIndex: number) => number {
  const assessed = new Set(accounts.filter((a) => a.status === 'ASSESSED').map((a) => a.accountId));
  return (i) => {
    let extra = 0;
    for (const id of agg.perCheck[i]!.failAccounts) if (!assessed.has(id)) extra++;
    return assessed.size + extra;
  };
}
