// Small helpers to build findings consistently.
import type { AccountInventory, Observed } from '../../src/model/inventory.js';
import type { Finding } from '../types.js';
import type { Severity } from '../../src/model/scan.js';
import { accountArn, partitionOfAccount } from './arns.js';

export type Status = Finding['status'];

/** "could not be read: <reason>" for an Observed failure, or null when it was read. */
export const unreadReason = <T>(obs: Observed<T>): string | null => (obs.ok ? null : obs.reason);

/** Join a list for a reason: "a, b and c". */
export function listText(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** At most `max` items in a sentence, then "and N more" (a reason stays bounded however many resources fail). */
export function boundedList(items: string[], max = 10): string {
  if (items.length <= max) return listText(items);
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** A judged status with its stable cause (checks/types.ts reasonCode) and the text and evidence behind it. */
export interface Verdict {
  status: Status;
  code: string;
  reason: string;
  evidence?: Record<string, unknown>;
}

export function fromVerdict(account: AccountInventory, region: string, resourceArn: string, v: Verdict, severity?: Severity): Finding {
  const f: Finding = {
    accountId: account.accountId,
    region,
    resourceArn,
    status: v.status,
    reason: v.reason,
    reasonCode: v.code,
    evidence: v.evidence ?? {},
  };
  if (severity) f.severity = severity;
  return f;
}

/** One account-level result with its code. */
export const accountVerdict = (account: AccountInventory, v: Verdict): Finding =>
  fromVerdict(account, 'global', accountArn(account.accountId, partitionOfAccount(account)), v);

/** Codes most checks share, with their meaning (each check's meta spreads the ones it uses). */
export const COMMON_CODES = {
  'not-readable': 'A setting the check needs could not be read (access denied, throttled, malformed answer); the reason names it.',
  'sources-unreadable': 'Some sources that could add resources to this check could not be read, so the list may be incomplete.',
  'no-region-scanned': 'No requested region was scanned in the account (disabled, unknown or mistyped region), so nothing regional was seen.',
} as const;

/** Regional checks: the account-level NOT_ASSESSED when no requested region was scanned (never a silent pass). */
export function noRegionScanned(account: AccountInventory): Finding | null {
  if (account.regionsScanned.length > 0 || Object.keys(account.regions).length > 0) return null;
  const skipped = account.regionsSkipped.map((s) => `${s.region}: ${s.reason}`);
  return accountVerdict(account, {
    status: 'NOT_ASSESSED',
    code: 'no-region-scanned',
    reason: `No requested region was scanned in account ${account.accountId}${skipped.length > 0 ? ` (${skipped.join('; ')})` : ''}`,
    evidence: { regionsSkipped: account.regionsSkipped },
  });
}
