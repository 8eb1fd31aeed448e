// S3 ransomware and its preparation: s3-ransomware (SSE-C rewrites, ransom notes) and monitoring-disabled's bucket
// protections (short lifecycle expiry, versioning / MFA delete off, default encryption and replication removed),
// also when the bundle names no AI buckets. requestParameters follow what CloudTrail records for these calls (as the
// public Stratus Red Team and Panther records show them); the values are ours.
import { backupDestruction } from '../../../src/analysis/rules/backup-destruction.js';
import { monitoringDisabled } from '../../../src/analysis/rules/monitoring-disabled.js';
import { s3Ransomware } from '../../../src/analysis/rules/s3-ransomware.js';
import { APP_ROLE, at, BASELINE, ct, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const ctx = { window: WINDOW, baseline: BASELINE };
const denied = { errorCode: 'AccessDenied', errorMessage: 'not authorized' };
const s3 = (eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 's3.amazonaws.com', eventName, eventCategory: 'Data', requestParameters, ...over });
const SSE_C = { 'x-amz-server-side-encryption-customer-algorithm': 'AES256' };
/** The object copied onto itself under a customer-provided key, as a ransomware tool does. */
const reencrypt = (i: number, over: Record<string, unknown> = {}) =>
  s3(
    'CopyObject',
    { bucketName: 'training', key: `data/part-${i}.parquet`, 'x-amz-copy-source': `training/data/part-${i}.parquet`, ...SSE_C },
    { eventTime: at(i / 10), responseElements: SSE_C, ...over },
  );
const upload = (key: string, extra: Record<string, unknown> = {}, over: Record<string, unknown> = {}) =>
  s3('PutObject', { bucketName: 'training', key, ...extra }, over);

ruleTester(s3Ransomware, {
  valid: [
    { name: 'an ordinary copy (SSE-S3)', events: [s3('CopyObject', { bucketName: 'training', key: 'a', 'x-amz-copy-source': 'training/a' })], ctx },
    { name: 'a few SSE-C uploads (an application that uses SSE-C)', events: [1, 2, 3].map((i) => upload(`in/${i}.bin`, SSE_C)), ctx },
    {
      name: 'the backup job that re-encrypts with SSE-C every night, as in the baseline',
      events: [
        reencrypt(1, { userIdentity: APP_ROLE, eventTime: at(0, '2024-05-28') }),
        ...[2, 3].map((i) => reencrypt(i, { userIdentity: APP_ROLE })),
      ],
      ctx,
    },
    { name: 'a README that is no ransom note', events: [upload('docs/README.txt'), upload('reports/quarterly-report.pdf')], ctx },
    { name: 'SSE-C copies failing for another reason (no such key)', events: [reencrypt(1, { errorCode: 'NoSuchKey' })], ctx },
  ],
  invalid: [
    {
      name: 'a bucket rewritten object by object under SSE-C, then a note: one finding for the actor',
      events: [...Array.from({ length: 12 }, (_, i) => reencrypt(i)), upload('FILES-DELETED.txt', {}, { eventTime: at(2) })],
      ctx,
      findings: [
        {
          severity: 'critical',
          summary:
            /ransom note\(s\) uploaded: s3:\/\/training\/FILES-DELETED\.txt; 12 objects rewritten with a customer-provided key \(SSE-C\) in training by .*mallory/,
          eventCount: 13,
          actorKey: 'AKIAMALLORY000000001',
          actions: ['deactivate-access-key', 'review'],
        },
      ],
    },
    {
      name: 'one object copied onto itself under SSE-C: medium',
      events: [reencrypt(1)],
      ctx,
      findings: [{ severity: 'medium', summary: /1 object\(s\) copied onto themselves/ }],
    },
    {
      name: 'a ransom note alone (after a batch deletion, which names no keys)',
      events: [s3('DeleteObjects', { bucketName: 'training', delete: '' }), upload('data/HOW_TO_DECRYPT_FILES.txt')],
      ctx,
      findings: [{ severity: 'critical', summary: /HOW_TO_DECRYPT_FILES\.txt/, eventCount: 1 }],
    },
    {
      name: 'SSE-C uploads past the threshold from params',
      events: [1, 2, 3].map((i) => upload(`in/${i}.bin`, SSE_C)),
      ctx,
      params: { sseCObjectThreshold: 3 },
      findings: [{ severity: 'critical', summary: /3 objects rewritten/ }],
    },
    {
      name: 'the same request seen twice counts once',
      events: [reencrypt(1, { requestID: 'same' }), reencrypt(1, { requestID: 'same' })],
      ctx,
      findings: [{ eventCount: 1 }],
    },
    {
      name: 'denied re-encryption attempts are one step lower',
      events: [reencrypt(1, denied), reencrypt(2, denied)],
      ctx,
      findings: [{ severity: 'low', summary: /2 object\(s\) copied onto themselves/ }],
    },
  ],
});

// monitoring-disabled's bucket protections (the Object Lock part is in sharing-rules.test.ts).
const noAiBuckets = { window: WINDOW };
const ai = { ...ctx, aiBuckets: new Set(['training']) };
const lifecycle = (rule: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  s3(
    'PutBucketLifecycle',
    { bucketName: 'trail-logs', lifecycle: '', LifecycleConfiguration: { Rule: { ID: 'r', Filter: { Prefix: '' }, ...rule } } },
    over,
  );
const versioning = (cfg: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  s3('PutBucketVersioning', { bucketName: 'training', versioning: '', VersioningConfiguration: cfg }, over);

ruleTester(monitoringDisabled, {
  valid: [
    { name: 'a disabled 1-day lifecycle rule', events: [lifecycle({ Status: 'Disabled', Expiration: { Days: 1 } })], ctx: noAiBuckets },
    { name: 'a two-year lifecycle rule', events: [lifecycle({ Status: 'Enabled', Expiration: { Days: 730 } })], ctx: noAiBuckets },
    {
      name: 'a 1-day transition to Glacier deletes nothing',
      events: [lifecycle({ Status: 'Enabled', Transition: { Days: 1, StorageClass: 'GLACIER' } })],
      ctx: noAiBuckets,
    },
    { name: 'versioning enabled with MFA delete', events: [versioning({ Status: 'Enabled', MfaDelete: 'Enabled' })], ctx: noAiBuckets },
    {
      name: 'PutBucketLogging recorded without its status',
      events: [s3('PutBucketLogging', { bucketName: 'training', logging: '' })],
      ctx: noAiBuckets,
    },
    {
      name: 'versioning suspended on a bucket outside the AI buckets the bundle names',
      events: [
        versioning({ Status: 'Suspended' }, { requestParameters: { bucketName: 'website', VersioningConfiguration: { Status: 'Suspended' } } }),
      ],
      ctx: ai,
    },
  ],
  invalid: [
    {
      name: 'a 1-day expiry on the trail bucket, no AI buckets named: judged one step lower',
      events: [lifecycle({ Status: 'Enabled', Expiration: { Days: 1 } })],
      ctx: noAiBuckets,
      findings: [{ severity: 'medium', summary: /Lifecycle rule expiring objects of s3:\/\/trail-logs within 1 day/ }],
    },
    {
      name: 'old versions expired after a day',
      events: [lifecycle({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 1 } })],
      ctx: noAiBuckets,
      findings: [{ severity: 'medium', summary: /within 1 day/ }],
    },
    {
      name: 'versioning suspended and MFA delete disabled in one call on an AI bucket',
      events: [versioning({ Status: 'Suspended', MfaDelete: 'Disabled' })],
      ctx: ai,
      findings: [{ severity: 'medium', summary: /Versioning of s3:\/\/training suspended; MFA delete of s3:\/\/training disabled/ }],
    },
    {
      name: 'MFA delete disabled, versioning left on',
      events: [versioning({ Status: 'Enabled', MfaDelete: 'Disabled' })],
      ctx: noAiBuckets,
      findings: [{ severity: 'low', summary: /^MFA delete of s3:\/\/training disabled/ }],
    },
    {
      name: 'default encryption removed',
      events: [s3('DeleteBucketEncryption', { bucketName: 'training', encryption: '' })],
      ctx: ai,
      findings: [
        { severity: 'medium', summary: /Default encryption of s3:\/\/training removed/, actions: ['deactivate-access-key', 'restore-logging'] },
      ],
    },
    {
      name: 'replication deleted, denied: an attempt one step lower',
      events: [s3('DeleteBucketReplication', { bucketName: 'training', replication: '' }, denied)],
      ctx: ai,
      findings: [{ severity: 'low', summary: /Replication of s3:\/\/training deleted .*attempt denied/ }],
    },
  ],
});

// backup-destruction's AMIs (the rest of its table is in sharing-rules.test.ts): deregistering images in numbers.
const deregister = (i: number, over: Record<string, unknown> = {}) =>
  ct({
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DeregisterImage',
    eventTime: at(i),
    requestParameters: { imageId: `ami-0${i}`, deleteAssociatedSnapshots: true },
    ...over,
  });
ruleTester(backupDestruction, {
  valid: [{ name: 'one AMI retired by the image pipeline', events: [deregister(1)], ctx }],
  invalid: [
    {
      name: 'five AMIs deregistered by one actor',
      events: [1, 2, 3, 4, 5].map((i) => deregister(i)),
      ctx,
      findings: [{ severity: 'high', summary: /deleted 5 recovery point\(s\) and snapshot\(s\) \(AMI\): ami-01/, eventCount: 5 }],
    },
  ],
});
