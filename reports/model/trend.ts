// The comparison with the previous scan: score changes, accounts added, removed or renamed, and gaps new, fixed or
// no longer observed. Also the score history over every scan given.
import type { CheckResult, ScanDocument } from '../../src/model/scan.js';
import { SEVERITY_RANK } from '../../src/model/severity.js';
import { round1 } from './grade.js';
import type { AccountDelta, GapRef, HistoryPoint, TrendView } from './types.js';

/** A gap is one check failing on one resource of one account. */
function gapKey(r: { checkId: string; accountId: string; resourceArn: string }): string {
  return `${r.checkId}\u0000${r.accountId}\u0000${r.resourceArn}`;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Earlier scans other than this one, oldest first; the newest of them is the baseline. */
export function earlierScans(scan: ScanDocument, previous: ScanDocument[] | undefined): { previous: ScanDocument[]; baseline: ScanDocument | null } {
  const earlier = (previous ?? []).filter((p) => p.scanId !== scan.scanId);
  return { previous: earlier, baseline: earlier[earlier.length - 1] ?? null };
}

export function buildTrend(scan: ScanDocument, base: ScanDocument): TrendView {
  const orgScore = scan.score.organization;
  const previousOrgScore = base.score.organization;
  return {
    baselineScanId: base.scanId,
    baselineDate: base.finishedAt || base.startedAt,
    orgScore,
    previousOrgScore,
    orgScoreDelta: orgScore !== null && previousOrgScore !== null ? round1(orgScore - previousOrgScore) : null,
    coverageDelta: round3(scan.score.coverage - base.score.coverage),
    ...accountChanges(scan, base),
    ...gapChanges(scan, base),
  };
}

function accountChanges(
  scan: ScanDocument,
  base: ScanDocument,
): Pick<TrendView, 'accounts' | 'addedAccounts' | 'removedAccounts' | 'renamedAccounts'> {
  const prevAccounts = new Map(base.accounts.map((a) => [a.accountId, a]));
  const curIds = new Set(scan.accounts.map((a) => a.accountId));
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
  const removedAccounts = base.accounts.filter((p) => !curIds.has(p.accountId)).map((p) => ({ accountId: p.accountId, name: p.name }));
  return { accounts, addedAccounts, removedAccounts, renamedAccounts };
}

const bySeverity = (a: GapRef, b: GapRef): number =>
  SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
  a.checkId.localeCompare(b.checkId) ||
  a.accountId.localeCompare(b.accountId) ||
  a.resourceArn.localeCompare(b.resourceArn);

function gapChanges(scan: ScanDocument, base: ScanDocument): Pick<TrendView, 'newGaps' | 'fixedGaps' | 'unconfirmedGaps'> {
  const curAccounts = new Map(scan.accounts.map((a) => [a.accountId, a]));
  const prevAccounts = new Map(base.accounts.map((a) => [a.accountId, a]));
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
  return { newGaps: newGaps.sort(bySeverity), fixedGaps: fixedGaps.sort(bySeverity), unconfirmedGaps: unconfirmedGaps.sort(bySeverity) };
}

export function historyPoint(s: ScanDocument): HistoryPoint {
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
