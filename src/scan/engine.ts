// Runs the pure checks over an Inventory and stamps results; an inaccessible account gets NOT_ASSESSED
// for every check that needs its data, never a verdict on data nobody read.
import { accountArn, partitionOfAccount } from '../../checks/lib/arns.js';
import type { Check, CheckParameters, Finding, Memo } from '../../checks/types.js';
import type { AccountInventory, Inventory } from '../model/inventory.js';
import type { AccountSummary, CheckResult } from '../model/scan.js';
import { INACTIVE_ACCOUNT_CODE } from './gate.js';
import { assessInvestigability } from './investigability.js';
import { scoreResults } from './scoring.js';

export function newMemo(): Memo {
  const cache = new Map<string, unknown>();
  return <T>(key: string, compute: () => T): T => {
    if (!cache.has(key)) cache.set(key, compute());
    return cache.get(key) as T;
  };
}

export function isAccessible(account: AccountInventory): boolean {
  return account.access.ok && account.skippedReason === undefined;
}

export function inaccessibleReason(account: AccountInventory): string {
  if (account.skippedReason) return account.skippedReason;
  return account.access.ok ? '' : account.access.reason;
}

function stamp(check: Check, finding: Finding): CheckResult {
  return {
    checkId: check.meta.id,
    accountId: finding.accountId,
    region: finding.region,
    resourceArn: finding.resourceArn,
    status: finding.status,
    severity: finding.severity ?? check.meta.severity,
    reason: finding.reason,
    reasonCode: finding.reasonCode,
    evidence: finding.evidence ?? {},
  };
}

/**
 * The role was assumed but none of the requested regions is enabled in the account (all skipped by its
 * DescribeRegions): nothing regional was read, so no check may judge it, not even account-wide ones.
 */
export function noRegionScanned(account: AccountInventory): boolean {
  return isAccessible(account) && account.regionsScanned.length === 0 && Object.keys(account.regions).length === 0;
}

function noRegionReason(account: AccountInventory): string {
  const skipped = account.regionsSkipped.map((s) => `${s.region}: ${s.reason}`).join('; ');
  return `No requested region is enabled in account ${account.accountId}, so nothing was read${skipped ? ` (${skipped})` : ''}`;
}

export function evaluateAccount(
  inventory: Inventory,
  account: AccountInventory,
  checks: readonly Check[],
  params: CheckParameters,
  memo: Memo = newMemo(),
): CheckResult[] {
  const accessible = isAccessible(account);
  const blind = noRegionScanned(account);
  const results: CheckResult[] = [];
  for (const check of checks) {
    if ((!accessible || blind) && check.requiresAccess !== false) {
      results.push(
        stamp(check, {
          accountId: account.accountId,
          region: 'global',
          resourceArn: accountArn(account.accountId, partitionOfAccount(account)),
          status: 'NOT_ASSESSED',
          reason: blind ? noRegionReason(account) : `Account not assessed: ${inaccessibleReason(account)}`,
          reasonCode: blind ? 'no-region-scanned' : account.skippedReason !== undefined ? INACTIVE_ACCOUNT_CODE : 'account-not-assessed',
        }),
      );
      continue;
    }
    try {
      for (const finding of check.evaluate({ inventory, account, params, memo })) results.push(stamp(check, finding));
    } catch (error) {
      // A bug in one check must not abort the scan, and must not look like a pass.
      results.push(
        stamp(check, {
          accountId: account.accountId,
          region: 'global',
          resourceArn: accountArn(account.accountId, partitionOfAccount(account)),
          status: 'NOT_ASSESSED',
          reason: `Check failed to evaluate: ${(error as Error).message}`,
          reasonCode: 'check-error',
        }),
      );
    }
  }
  // A suspended or closed account was skipped on purpose: every unassessed result says so, whichever check made it.
  if (account.skippedReason !== undefined) for (const r of results) if (r.status === 'NOT_ASSESSED') r.reasonCode = INACTIVE_ACCOUNT_CODE;
  return results;
}

export function summarizeAccount(account: AccountInventory, results: readonly CheckResult[]): AccountSummary {
  const blind = noRegionScanned(account);
  const accessible = isAccessible(account) && !blind;
  const { score, coverage } = scoreResults(results);
  return {
    accountId: account.accountId,
    name: account.name,
    status: accessible ? 'ASSESSED' : 'NOT_ASSESSED',
    reason: blind
      ? noRegionReason(account)
      : accessible
        ? account.regionsSkipped.map((s) => `${s.region} skipped: ${s.reason}`).join('; ')
        : inaccessibleReason(account),
    regions: account.regionsScanned,
    // The role check alone would make a blind account look perfect.
    score: blind ? null : score,
    coverage,
    investigability: assessInvestigability(results, accessible),
  };
}

export interface Evaluation {
  results: CheckResult[];
  accounts: AccountSummary[];
  score: { organization: number | null; coverage: number };
}

/**
 * `complete` gives an account with its regional inventory where the scan released it from memory
 * (Inventory.releasedRegions); it is asked for one account at a time, so only one is held at once.
 */
export function evaluateInventory(
  inventory: Inventory,
  checks: readonly Check[],
  params: CheckParameters,
  complete: (account: AccountInventory) => AccountInventory = (a) => a,
): Evaluation {
  const results: CheckResult[] = [];
  const accounts: AccountSummary[] = [];
  // The inventory is complete here, so Organization-wide facts can be computed once for all accounts.
  const memo = newMemo();
  for (const listed of inventory.accounts) {
    const account = complete(listed);
    const accountResults = evaluateAccount(inventory, account, checks, params, memo);
    results.push(...accountResults);
    accounts.push(summarizeAccount(account, accountResults));
  }
  const org = scoreResults(results);
  return { results, accounts, score: { organization: org.score, coverage: org.coverage } };
}
