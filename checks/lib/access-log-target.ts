// Can S3 deliver server access logs to a target bucket? AWS (S3 User Guide, server access logging; LoggingEnabled
// in the API reference): the target must be in the same Region and owned by the same account as the source, and
// cannot have an Object Lock default retention or SSE-KMS / DSSE-KMS default encryption (only SSE-S3).
import type { BucketInfo, Inventory } from '../../src/model/inventory.js';
import { bucketDestinationProblem, DESTINATION_CODES } from './destinations.js';
import type { Verdict } from './results.js';

export const ACCESS_LOG_TARGET_CODES = {
  ...DESTINATION_CODES,
  'target-default-retention': 'The access-log target has an Object Lock default retention, which S3 access-log delivery does not support.',
  'target-sse-kms': 'The access-log target has SSE-KMS or DSSE-KMS default encryption; S3 delivers access logs only under SSE-S3.',
} as const;

const RULE = 'S3 delivers server access logs only to a bucket of the same account and Region';

/** null when S3 can deliver the source bucket's access logs to `target`; else why not. */
export function accessLogTargetProblem(inventory: Inventory, source: BucketInfo, target: string): Verdict | null {
  const sourceAccount = inventory.accounts.find((a) => a.accountId === source.ownerAccountId);
  const where = bucketDestinationProblem(inventory, target, {
    what: 'Access-log target',
    ...(sourceAccount ? { sameAccountAs: sourceAccount } : {}),
    ...(source.region.ok ? { sameRegion: source.region.value } : {}),
    rule: RULE,
  });
  if (where) return where;
  return targetCannotReceive(inventory.buckets[target]!);
}

/** The target's own settings that stop delivery (default retention, SSE-KMS), or null when it can receive. */
export function targetCannotReceive(info: BucketInfo): Verdict | null {
  const name = info.name;
  if (info.objectLock?.ok && info.objectLock.value.enabled && info.objectLock.value.defaultRetention)
    return {
      status: 'FAIL',
      code: 'target-default-retention',
      reason: `access-log target ${name} has Object Lock default retention, which S3 access-log delivery does not support`,
      evidence: { defaultRetention: info.objectLock.value.defaultRetention },
    };
  const enc = info.encryption;
  if (enc?.ok && enc.value && (enc.value.algorithm === 'aws:kms' || enc.value.algorithm === 'aws:kms:dsse'))
    return {
      status: 'FAIL',
      code: 'target-sse-kms',
      reason: `access-log target ${name} has ${enc.value.algorithm} default encryption; S3 delivers access logs only under SSE-S3`,
      evidence: { targetEncryption: enc.value.algorithm },
    };
  if (info.objectLock === undefined || info.encryption === undefined)
    return {
      status: 'NOT_ASSESSED',
      code: 'not-collected',
      reason: `Object Lock or default encryption of access-log target ${name} was not collected`,
      evidence: {},
    };
  if (!info.objectLock.ok)
    return {
      status: 'NOT_ASSESSED',
      code: 'not-readable',
      reason: `Object Lock of access-log target ${name} could not be read: ${info.objectLock.reason}`,
      evidence: {},
    };
  if (!enc!.ok)
    return {
      status: 'NOT_ASSESSED',
      code: 'not-readable',
      reason: `Default encryption of access-log target ${name} could not be read: ${enc!.reason}`,
      evidence: {},
    };
  return null;
}
