// Is a destination a check credits real? It must exist (a bucket that exists nowhere is a FAIL, not an unknown),
// be where the delivering service requires it (Bedrock invocation logging and S3 server access logging accept
// only a bucket of the same account and Region), and be readable enough to tell; only what could not be read
// (denied, throttled, owned outside the scan) is NOT_ASSESSED.
import type { AccountInventory, Inventory, RegionInventory } from '../../src/model/inventory.js';
import { bucketMissing } from './buckets.js';
import type { Verdict } from './results.js';

export const DESTINATION_CODES = {
  'destination-missing': 'The destination (bucket or log group) does not exist, so nothing is delivered.',
  'destination-other-account': 'The destination is in another account, where the service does not deliver.',
  'destination-other-region': 'The destination is in another Region, where the service does not deliver.',
  'owned-outside-scan': 'The destination is owned outside the scanned accounts, so it could not be read.',
  'not-collected': 'The destination was not collected, so it could not be confirmed.',
  'not-readable': 'The destination could not be read; the reason says why.',
} as const;

export interface BucketRequirement {
  /** "Invocation-log bucket", "Access-log target", ... */
  what: string;
  /** The account the service requires the bucket in (it delivers nowhere else). */
  sameAccountAs?: AccountInventory;
  /** The Region the service requires the bucket in. */
  sameRegion?: string;
  /** The rule, for the reason: "Bedrock delivers only to ...". */
  rule?: string;
}

/** null when the bucket exists and is where required; else the verdict that says why not (FAIL or NOT_ASSESSED). */
export function bucketDestinationProblem(inventory: Inventory, name: string, req: BucketRequirement): Verdict | null {
  const info = inventory.buckets[name];
  const ev = { bucket: name };
  const rule = req.rule ? ` (${req.rule})` : '';
  if (!info) return { status: 'NOT_ASSESSED', code: 'not-collected', reason: `${req.what} ${name} was not collected, so its existence could not be confirmed`, evidence: ev };
  if (bucketMissing(info)) return { status: 'FAIL', code: 'destination-missing', reason: `${req.what} ${name} does not exist`, evidence: { ...ev, exists: false } };
  const account = req.sameAccountAs;
  if (account) {
    if (info.ownerAccountId !== null && info.ownerAccountId !== account.accountId)
      return { status: 'FAIL', code: 'destination-other-account', reason: `${req.what} ${name} is owned by account ${info.ownerAccountId}, not ${account.accountId}${rule}`, evidence: { ...ev, owner: info.ownerAccountId } };
    if (info.ownerAccountId === null) {
      // Not among this account's buckets (ListBuckets read): it is someone else's or nobody's, and either way not delivered to.
      if (account.ownedBuckets.ok)
        return { status: 'FAIL', code: 'destination-other-account', reason: `${req.what} ${name} is not a bucket of account ${account.accountId}${rule}`, evidence: { ...ev, owner: null } };
      return { status: 'NOT_ASSESSED', code: 'not-readable', reason: `${req.what} ${name}: the buckets of account ${account.accountId} could not be listed: ${account.ownedBuckets.reason}`, evidence: ev };
    }
  } else if (info.ownerAccountId === null && !info.region.ok) {
    return { status: 'NOT_ASSESSED', code: 'owned-outside-scan', reason: `${req.what} ${name} is owned outside the scanned accounts, so its existence could not be confirmed (${info.region.reason})`, evidence: ev };
  }
  if (req.sameRegion) {
    if (!info.region.ok) return { status: 'NOT_ASSESSED', code: 'not-readable', reason: `Region of ${req.what.toLowerCase()} ${name} could not be read: ${info.region.reason}`, evidence: ev };
    if (info.region.value !== req.sameRegion)
      return { status: 'FAIL', code: 'destination-other-region', reason: `${req.what} ${name} is in ${info.region.value}, not ${req.sameRegion}${rule}`, evidence: { ...ev, bucketRegion: info.region.value } };
  }
  return null;
}

/** null when the log group exists in the region; else why not. */
export function logGroupProblem(r: RegionInventory, name: string, what: string): Verdict | null {
  if (!r.logGroups.ok) return { status: 'NOT_ASSESSED', code: 'not-readable', reason: `${what} ${name} could not be confirmed: log groups in ${r.region} could not be listed: ${r.logGroups.reason}`, evidence: { logGroup: name } };
  if (!r.logGroups.value.some((g) => g.name === name))
    return { status: 'FAIL', code: 'destination-missing', reason: `${what} ${name} does not exist in ${r.region}`, evidence: { logGroup: name, exists: false } };
  return null;
}
