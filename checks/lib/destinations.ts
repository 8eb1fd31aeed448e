// Is a destination a check credits real? It must exist (a bucket that exists nowhere is a FAIL, not an unknown),
// be where the delivering service requires it (Bedrock invocation logging and S3 server access logging accept
// only a bucket of the same account and Region), and be readable enough to tell; only what could not be read
// (denied, throttled, owned outside the scan) is NOT_ASSESSED.
import type { AccountInventory, BucketInfo, FlowLogInfo, Inventory, RegionInventory, TrailInfo } from '../../src/model/inventory.js';
import { bucketOf } from '../../src/model/s3-location.js';
import { parseLogGroupArn } from './arns.js';
import type { Verdict } from './results.js';

export const DESTINATION_CODES = {
  'destination-missing': 'The destination (bucket or log group) does not exist, so nothing is delivered.',
  'destination-other-account': 'The destination is in another account, where the service does not deliver.',
  'destination-other-region': 'The destination is in another Region, where the service does not deliver.',
  'owned-outside-scan': 'The destination is owned outside the scanned accounts, so it could not be read.',
  'not-collected': 'The destination was not collected, so it could not be confirmed.',
  'not-readable': 'The destination could not be read; the reason says why.',
} as const;

/** A destination that exists but the delivering service reports it cannot write to. */
export const NOT_DELIVERING =
  'The service reports that delivery to the destination fails (GetTrailStatus LatestDeliveryError, flow log DeliverLogsStatus FAILED), so nothing arrives.';

/** The bucket exists nowhere: its existence probe (or any read) answered NoSuchBucket. */
export const bucketMissing = (info: BucketInfo): boolean => !info.region.ok && info.region.errorCode === 'NoSuchBucket';

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
  if (!info)
    return {
      status: 'NOT_ASSESSED',
      code: 'not-collected',
      reason: `${req.what} ${name} was not collected, so its existence could not be confirmed`,
      evidence: ev,
    };
  if (bucketMissing(info))
    return { status: 'FAIL', code: 'destination-missing', reason: `${req.what} ${name} does not exist`, evidence: { ...ev, exists: false } };
  const account = req.sameAccountAs;
  if (account) {
    if (info.ownerAccountId !== null && info.ownerAccountId !== account.accountId)
      return {
        status: 'FAIL',
        code: 'destination-other-account',
        reason: `${req.what} ${name} is owned by account ${info.ownerAccountId}, not ${account.accountId}${rule}`,
        evidence: { ...ev, owner: info.ownerAccountId },
      };
    if (info.ownerAccountId === null) {
      // Not among this account's buckets (ListBuckets read): it is someone else's or nobody's, and either way not delivered to.
      if (account.ownedBuckets.ok)
        return {
          status: 'FAIL',
          code: 'destination-other-account',
          reason: `${req.what} ${name} is not a bucket of account ${account.accountId}${rule}`,
          evidence: { ...ev, owner: null },
        };
      return {
        status: 'NOT_ASSESSED',
        code: 'not-readable',
        reason: `${req.what} ${name}: the buckets of account ${account.accountId} could not be listed: ${account.ownedBuckets.reason}`,
        evidence: ev,
      };
    }
  } else if (info.ownerAccountId === null && !info.region.ok) {
    return {
      status: 'NOT_ASSESSED',
      code: 'owned-outside-scan',
      reason: `${req.what} ${name} is owned outside the scanned accounts, so its existence could not be confirmed (${info.region.reason})`,
      evidence: ev,
    };
  }
  if (req.sameRegion) {
    if (!info.region.ok)
      return {
        status: 'NOT_ASSESSED',
        code: 'not-readable',
        reason: `Region of ${req.what.toLowerCase()} ${name} could not be read: ${info.region.reason}`,
        evidence: ev,
      };
    if (info.region.value !== req.sameRegion)
      return {
        status: 'FAIL',
        code: 'destination-other-region',
        reason: `${req.what} ${name} is in ${info.region.value}, not ${req.sameRegion}${rule}`,
        evidence: { ...ev, bucketRegion: info.region.value },
      };
  }
  return null;
}

/** null when the log group exists in the region; else why not. */
export function logGroupProblem(r: RegionInventory, name: string, what: string): Verdict | null {
  if (!r.logGroups.ok)
    return {
      status: 'NOT_ASSESSED',
      code: 'not-readable',
      reason: `${what} ${name} could not be confirmed: log groups in ${r.region} could not be listed: ${r.logGroups.reason}`,
      evidence: { logGroup: name },
    };
  if (!r.logGroups.value.some((g) => g.name === name))
    return {
      status: 'FAIL',
      code: 'destination-missing',
      reason: `${what} ${name} does not exist in ${r.region}`,
      evidence: { logGroup: name, exists: false },
    };
  return null;
}

/**
 * null when a trail's log files reach its bucket as far as the scan can tell; else the FAIL that says why not:
 * the bucket does not exist, or GetTrailStatus reports LatestDeliveryError. A bucket the scan could not read
 * (owned outside the scan, denied) is judged by GetTrailStatus alone: CloudTrail sets LatestDeliveryError
 * (NoSuchBucket, AccessDenied, ...) when it fails to deliver. CloudTrail delivers to a bucket in any Region and,
 * with a bucket policy, in any account, so neither is a rule here.
 */
export function trailDeliveryProblem(inventory: Pick<Inventory, 'buckets'>, t: Pick<TrailInfo, 'name' | 's3BucketName' | 'status'>): Verdict | null {
  const name = t.s3BucketName;
  if (!name)
    return {
      status: 'FAIL',
      code: 'destination-missing',
      reason: `trail ${t.name} names no S3 bucket, so it delivers nothing`,
      evidence: { trail: t.name, bucket: null },
    };
  const info = inventory.buckets[name];
  if (info && bucketMissing(info))
    return {
      status: 'FAIL',
      code: 'destination-missing',
      reason: `bucket ${name} of trail ${t.name} does not exist, so the trail delivers nothing`,
      evidence: { trail: t.name, bucket: name, exists: false },
    };
  const error = t.status.ok ? t.status.value.latestDeliveryError : null;
  if (error)
    return {
      status: 'FAIL',
      code: 'not-delivering',
      reason: `trail ${t.name} is not delivering: GetTrailStatus reports LatestDeliveryError ${error}`,
      evidence: { trail: t.name, bucket: name, latestDeliveryError: error },
    };
  return null;
}

/**
 * null unless the flow log's destination is known not to exist: its S3 bucket answered NoSuchBucket, or its
 * log group is absent from the listed log groups of its account and Region. A destination the scan could not
 * read (another account's bucket or group, log groups not listed) is judged by DeliverLogsStatus alone, which
 * EC2 sets to FAILED when delivery fails. Firehose destinations are not read.
 */
export function flowLogDestinationProblem(inventory: Inventory, account: AccountInventory, region: string, f: FlowLogInfo): Verdict | null {
  const what = `flow log ${f.id}`;
  if (f.destinationType === 's3') {
    const name = bucketOf(f.destinationArn);
    const info = name ? inventory.buckets[name] : undefined;
    if (name && info && bucketMissing(info))
      return {
        status: 'FAIL',
        code: 'destination-missing',
        reason: `${what} delivers to bucket ${name}, which does not exist`,
        evidence: { flowLog: f.id, bucket: name, exists: false },
      };
    return null;
  }
  if (f.destinationType !== 'cloud-watch-logs') return null;
  const arn = f.destinationArn ? parseLogGroupArn(f.destinationArn) : null;
  const name = f.logGroupName ?? arn?.name;
  if (!name || (arn?.accountId && arn.accountId !== account.accountId)) return null;
  const r = account.regions[arn?.region || region];
  const missing = r ? logGroupProblem(r, name, `Log group`) : null;
  if (missing?.status !== 'FAIL') return null;
  return {
    ...missing,
    reason: `${what} delivers to log group ${name}, which does not exist in ${r!.region}`,
    evidence: { flowLog: f.id, ...missing.evidence },
  };
}
