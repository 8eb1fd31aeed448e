// The trails "cloudtrail-log-file-validation" and "cloudtrail-bucket-immutable" judge: trails covering the
// account that are multi-region or organization trails and not known to be stopped. A trail whose status
// could not be read stays in scope (its own settings can still be judged). Results for an organization trail
// are emitted in every account it covers, so each member's score reflects the trail that records it.
import type { AccountInventory, Inventory, TrailInfo } from '../../src/model/inventory.js';
import type { Finding } from '../types.js';
import { accountVerdict } from './results.js';

export const TRAIL_SCOPE_CODES = {
  'trails-unreadable': 'The trails covering the account could not be listed.',
  'no-audit-trail': 'No logging multi-region or organization trail covers the account (see cloudtrail-multi-region-trail).',
} as const;
import { auditTrails, trailsCoveringAccount } from './trails.js';

export interface TrailScope {
  trails: TrailInfo[];
  /** Set when there is nothing to judge: the account-level finding to return instead. */
  empty: Finding | null;
}

export function auditTrailScope(inventory: Inventory, account: AccountInventory): TrailScope {
  const { trails, unreadable } = trailsCoveringAccount(inventory, account);
  const inScope = auditTrails(trails).filter((t) => !t.status.ok || t.status.value.isLogging);
  if (inScope.length > 0) return { trails: inScope, empty: null };
  if (unreadable.length > 0)
    return {
      trails: [],
      empty: accountVerdict(account, {
        status: 'NOT_ASSESSED',
        code: 'trails-unreadable',
        reason: `Trails covering account ${account.accountId} could not be listed: ${unreadable.join('; ')}`,
      }),
    };
  return {
    trails: [],
    empty: accountVerdict(account, {
      status: 'NOT_APPLICABLE',
      code: 'no-audit-trail',
      reason: `No logging multi-region or organization trail covers account ${account.accountId} (see cloudtrail-multi-region-trail)`,
      evidence: { trailsSeen: trails.map((t) => t.name) },
    }),
  };
}
