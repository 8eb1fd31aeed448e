// The one ranking of gaps, used by the reports and the terminal summary. A FAIL counts with the severity the
// result carries (a low FAIL where the account has no footprint weighs as low), accepted FAILs are not gaps,
// and a check failing at two severities is two gaps.
import type { CheckResult } from '../src/model/scan.js';
import { phraseFor } from './phrases.js';
import type { CheckView, TopGap } from './model/types.js';
import { SEVERITY_RANK, SEVERITY_WEIGHT, type Severity } from '../src/model/severity.js';

export interface RankedGap {
  checkId: string;
  severity: Severity;
  weight: number;
  /** Accounts with at least one unaccepted FAIL of this check at this severity, sorted. */
  accountIds: string[];
  failingResources: number;
}

export function rankGaps(results: readonly CheckResult[]): RankedGap[] {
  const groups = new Map<string, { checkId: string; severity: Severity; accounts: Set<string>; failing: number }>();
  for (const r of results) {
    if (r.status !== 'FAIL' || r.accepted) continue;
    const key = `${r.checkId}\u0000${r.severity}`;
    const g = groups.get(key) ?? { checkId: r.checkId, severity: r.severity, accounts: new Set<string>(), failing: 0 };
    g.accounts.add(r.accountId);
    g.failing++;
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => ({
      checkId: g.checkId,
      severity: g.severity,
      weight: SEVERITY_WEIGHT[g.severity],
      accountIds: [...g.accounts].sort(),
      failingResources: g.failing,
    }))
    .sort(
      (a, b) =>
        b.weight * b.accountIds.length - a.weight * a.accountIds.length ||
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        b.failingResources - a.failingResources ||
        a.checkId.localeCompare(b.checkId),
    );
}

/** The first `max` ranked gaps as the reports show them: with the check's title, its plain phrase and the accounts considered. */
export function topGaps(
  results: readonly CheckResult[],
  checks: CheckView[],
  checkIndex: Map<string, number>,
  considered: (i: number) => number,
  max: number,
): TopGap[] {
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
