// The Object Lock verdict on a bucket's collected configuration: default retention in the required mode for at
// least minRetentionDays. COMPLIANCE required: GOVERNANCE fails (privileged users can shorten or remove it).
// GOVERNANCE required: both modes pass.
import type { BucketInfo, ObjectLockInfo } from '../../src/model/inventory.js';
import type { CheckParameters } from '../types.js';
import type { Verdict } from './results.js';

export const OBJECT_LOCK_CODES = {
  'not-collected': 'The bucket property was not collected (the bucket was not read).',
  'not-readable': 'The bucket property could not be read; the reason says why.',
  'object-lock-off': 'The bucket does not have Object Lock enabled.',
  'no-default-retention': 'Object Lock is enabled but no default retention locks new objects.',
  'retention-mode-weak': 'Default retention is in GOVERNANCE mode where COMPLIANCE is required.',
  'retention-too-short': 'Default retention is shorter than minRetentionDays.',
  locked: 'Default retention in the required mode for at least minRetentionDays.',
} as const;

/** Retention in days of an Object Lock default retention (years count as 365 days). */
export const retentionDays = (r: { days?: number; years?: number }): number => (r.days ?? 0) + (r.years ?? 0) * 365;

export function evaluateObjectLock(
  info: BucketInfo,
  params: Pick<CheckParameters, 'objectLockMode' | 'minRetentionDays'>,
): Verdict & { evidence: Record<string, unknown> } {
  const name = info.name;
  if (info.objectLock === undefined)
    return {
      status: 'NOT_ASSESSED',
      code: 'not-collected',
      reason: `Object Lock configuration of bucket ${name} was not collected`,
      evidence: { bucket: name },
    };
  if (!info.objectLock.ok)
    return {
      status: 'NOT_ASSESSED',
      code: 'not-readable',
      reason: `Object Lock configuration of bucket ${name} could not be read: ${info.objectLock.reason}`,
      evidence: { bucket: name },
    };
  const lock: ObjectLockInfo = info.objectLock.value;
  const ev = {
    bucket: name,
    objectLockEnabled: lock.enabled,
    defaultRetention: lock.defaultRetention,
    requiredMode: params.objectLockMode,
    minRetentionDays: params.minRetentionDays,
  };
  if (!lock.enabled) return { status: 'FAIL', code: 'object-lock-off', reason: `Bucket ${name} does not have Object Lock enabled`, evidence: ev };
  const dr = lock.defaultRetention;
  if (!dr) return { status: 'FAIL', code: 'no-default-retention', reason: `Bucket ${name} has Object Lock but no default retention`, evidence: ev };
  const modeOk = params.objectLockMode === 'GOVERNANCE' ? dr.mode === 'GOVERNANCE' || dr.mode === 'COMPLIANCE' : dr.mode === 'COMPLIANCE';
  const days = retentionDays(dr);
  const evidence = { ...ev, retentionDays: days };
  if (!modeOk)
    return {
      status: 'FAIL',
      code: 'retention-mode-weak',
      reason: `Bucket ${name} has default retention in ${dr.mode} mode (required: ${params.objectLockMode})`,
      evidence,
    };
  if (days < params.minRetentionDays)
    return {
      status: 'FAIL',
      code: 'retention-too-short',
      reason: `Bucket ${name} keeps objects locked for ${days} days (required: >= ${params.minRetentionDays})`,
      evidence,
    };
  return { status: 'PASS', code: 'locked', reason: `Bucket ${name} has Object Lock in ${dr.mode} mode for ${days} days`, evidence };
}
