// Small helpers to build findings consistently.
import type { AccountInventory, Observed } from '../../src/model/inventory.js';
import type { Finding } from '../types.js';
import type { Severity } from '../../src/model/scan.js';
import { accountArn, partitionOfAccount } from './arns.js';

export type Status = Finding['status'];

export function finding(
  account: AccountInventory,
  region: string,
  resourceArn: string,
  status: Status,
  reason: string,
  evidence: Record<string, unknown> = {},
  severity?: Severity,
): Finding {
  const f: Finding = { accountId: account.accountId, region, resourceArn, status, reason, evidence };
  if (severity) f.severity = severity;
  return f;
}

/** One account-level result (region "global", resource = the account). */
export const accountFinding = (account: AccountInventory, status: Status, reason: string, evidence: Record<string, unknown> = {}): Finding =>
  finding(account, 'global', accountArn(account.accountId, partitionOfAccount(account)), status, reason, evidence);

/** "could not be read: <reason>" for an Observed failure, or null when it was read. */
export const unreadReason = <T>(obs: Observed<T>): string | null => (obs.ok ? null : obs.reason);

/** Join a list for a reason: "a, b and c". */
export function listText(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
