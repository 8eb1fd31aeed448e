// The CI gate (`scan --fail-on SEVERITY [--min-coverage R]`). A gate never passes because the scan saw less:
// NOT_ASSESSED results at or above the threshold fail it like findings, unless --min-coverage states how much
// unseen is acceptable, per account and overall. Suspended and closed accounts (deliberately not scanned) are
// left out. Accepted risks do not fail it.
import type { CheckResult, CoverageLoss, GateFailure, GateOutcome, ScanDocument } from '../model/scan.js';
import { atOrAbove, type Severity } from '../model/severity.js';
import { scoreResults } from './scoring.js';

export interface GateOptions {
  failOn: Severity;
  /** 0-1: the share of applicable results that must be assessed, in each account and overall. */
  minCoverage?: number;
}

/** reasonCode the engine gives every result of an account it deliberately did not scan (suspended, closed). */
export const INACTIVE_ACCOUNT_CODE = 'account-inactive';

const isInactive = (r: CheckResult): boolean => r.reasonCode === INACTIVE_ACCOUNT_CODE;

const EXAMPLE_LENGTH = 300;

/** Per account that lost coverage: how many results could not be assessed, grouped by cause, worst first. */
export function coverageLoss(doc: Pick<ScanDocument, 'accounts' | 'results'>): CoverageLoss[] {
  const byAccount = new Map<string, CheckResult[]>();
  for (const r of doc.results) if (r.status === 'NOT_ASSESSED') byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r]);
  const out: CoverageLoss[] = [];
  for (const account of doc.accounts) {
    const unseen = byAccount.get(account.accountId);
    if (!unseen) continue;
    const causes = new Map<string, { reasonCode: string; count: number; example: string }>();
    for (const r of unseen) {
      const code = r.reasonCode ?? 'unknown';
      const cause = causes.get(code) ?? { reasonCode: code, count: 0, example: r.reason.slice(0, EXAMPLE_LENGTH) };
      cause.count++;
      causes.set(code, cause);
    }
    out.push({
      accountId: account.accountId,
      name: account.name,
      coverage: account.coverage,
      notAssessed: unseen.length,
      inactive: unseen.every(isInactive),
      causes: [...causes.values()].sort((a, b) => b.count - a.count || a.reasonCode.localeCompare(b.reasonCode)),
    });
  }
  return out.sort((a, b) => a.coverage - b.coverage || a.accountId.localeCompare(b.accountId));
}

export function evaluateGate(doc: Pick<ScanDocument, 'accounts' | 'results'>, options: GateOptions): GateOutcome {
  const active = doc.results.filter((r) => !isInactive(r));
  const findings = active.filter((r) => r.status === 'FAIL' && !r.accepted && atOrAbove(r.severity, options.failOn)).length;
  const notAssessed = active.filter((r) => r.status === 'NOT_ASSESSED' && atOrAbove(r.severity, options.failOn)).length;
  const coverage = scoreResults(active).coverage;
  const inactiveAccounts = new Set(
    coverageLoss(doc)
      .filter((l) => l.inactive)
      .map((l) => l.accountId),
  );
  const accountsUnderCoverage =
    options.minCoverage === undefined
      ? []
      : doc.accounts.filter((a) => !inactiveAccounts.has(a.accountId) && a.coverage < options.minCoverage!).map((a) => a.accountId);
  const failedBy: GateFailure[] = [];
  if (findings > 0) failedBy.push('findings');
  if (options.minCoverage === undefined) {
    if (notAssessed > 0) failedBy.push('not-assessed');
  } else if (accountsUnderCoverage.length > 0 || coverage < options.minCoverage) {
    failedBy.push('coverage');
  }
  return {
    failOn: options.failOn,
    minCoverage: options.minCoverage ?? null,
    passed: failedBy.length === 0,
    failedBy,
    findings,
    notAssessed,
    accountsUnderCoverage,
    coverage,
  };
}

/** One line per failure, for the terminal summary and the reports. */
export function gateSentences(gate: GateOutcome): string[] {
  if (gate.passed)
    return [
      `Gate passed: no unaccepted FAIL at or above ${gate.failOn}${gate.minCoverage === null ? ' and nothing at or above it left unassessed' : `, coverage at least ${gate.minCoverage}`}.`,
    ];
  const lines: string[] = [];
  if (gate.failedBy.includes('findings'))
    lines.push(`Gate failed on findings: ${gate.findings} FAIL result(s) at or above ${gate.failOn} without an accepted risk.`);
  if (gate.failedBy.includes('not-assessed'))
    lines.push(
      `Gate failed on coverage: ${gate.notAssessed} result(s) at or above ${gate.failOn} could not be assessed (give --min-coverage to say how much unseen is acceptable).`,
    );
  if (gate.failedBy.includes('coverage'))
    lines.push(
      `Gate failed on coverage: ${Math.round(gate.coverage * 1000) / 10}% assessed overall, minimum ${gate.minCoverage}` +
        (gate.accountsUnderCoverage.length ? `; under it: ${gate.accountsUnderCoverage.join(', ')}` : '') +
        '.',
    );
  return lines;
}
