import { check } from '../../checks/s3-ai-bucket-access-logging.js';
import type { BucketInfo } from '../../src/model/inventory.js';
import { bucket, inventory, locked, MEMBER, MGMT, seen, trainingJob, unseen } from '../support/inventory-builder.js';
import { testCheck, type CheckCase } from '../support/check-tester.js';

const ARN = 'arn:aws:s3:::training-data';
const logsTo = (targetBucket: string) => ({ logging: seen({ targetBucket, targetPrefix: 'td/' }) });
const target = (p: Partial<BucketInfo> = {}, owner: string | null = MGMT) =>
  bucket(
    'access-logs',
    { objectLock: seen({ enabled: false, defaultRetention: null }), encryption: seen({ algorithm: 'AES256' as const }), ...p },
    owner,
  );
const withTraining = (source: Partial<BucketInfo>, ...others: BucketInfo[]) => {
  const inv = inventory()
    .region('us-east-1', (r) => r.trainingJobs([trainingJob('j', { inputS3Uris: ['s3://training-data/x/'] })]))
    .account(MEMBER)
    .bucket(bucket('training-data', source));
  for (const b of others) inv.bucket(b);
  return inv;
};
const c = (name: string, inv: CheckCase['inventory'], status: CheckCase['status'], code: string, reason: string): CheckCase => ({
  name,
  inventory: inv,
  resource: ARN,
  status,
  code,
  reason,
});

testCheck(check, [
  c(
    'PASS to a target that can receive',
    withTraining(logsTo('access-logs'), target()),
    'PASS',
    'logging-delivered',
    'Bucket training-data logs access to bucket access-logs',
  ),
  c('FAIL none', withTraining({ logging: seen(null) }), 'FAIL', 'logging-off', 'Bucket training-data has no server access logging'),
  c('FAIL to itself', withTraining(logsTo('training-data')), 'FAIL', 'logs-to-itself', 'writes its access logs to itself'),
  c(
    'FAIL target was deleted',
    withTraining(logsTo('access-logs'), bucket('access-logs', { region: unseen('Bucket access-logs does not exist', 'NoSuchBucket') }, null)),
    'FAIL',
    'destination-missing',
    'Access-log target access-logs does not exist',
  ),
  c(
    'FAIL target in another account',
    withTraining(logsTo('access-logs'), target({}, MEMBER)),
    'FAIL',
    'destination-other-account',
    'owned by account 222222222222',
  ),
  c(
    'FAIL target in another Region',
    withTraining(logsTo('access-logs'), target({ region: seen('eu-west-1') })),
    'FAIL',
    'destination-other-region',
    'is in eu-west-1, not us-east-1',
  ),
  c(
    'FAIL target has Object Lock default retention',
    withTraining(logsTo('access-logs'), target({ objectLock: locked() })),
    'FAIL',
    'target-default-retention',
    'which receives nothing',
  ),
  c(
    'FAIL target has SSE-KMS default encryption',
    withTraining(logsTo('access-logs'), target({ encryption: seen({ algorithm: 'aws:kms' as const }) })),
    'FAIL',
    'target-sse-kms',
    'aws:kms default encryption',
  ),
  c(
    'FAIL target has DSSE-KMS default encryption',
    withTraining(logsTo('access-logs'), target({ encryption: seen({ algorithm: 'aws:kms:dsse' as const }) })),
    'FAIL',
    'target-sse-kms',
    'aws:kms:dsse',
  ),
  c(
    'NOT_ASSESSED target encryption unreadable',
    withTraining(logsTo('access-logs'), target({ encryption: unseen('AccessDenied: GetBucketEncryption') })),
    'NOT_ASSESSED',
    'not-readable',
    'Default encryption of access-log target access-logs could not be read',
  ),
  c(
    'NOT_ASSESSED target not collected',
    withTraining(logsTo('access-logs')),
    'NOT_ASSESSED',
    'not-collected',
    'Access-log target access-logs was not collected',
  ),
  c(
    'NOT_ASSESSED unreadable',
    withTraining({ logging: unseen('AccessDenied: GetBucketLogging') }),
    'NOT_ASSESSED',
    'not-readable',
    'could not be read: AccessDenied: GetBucketLogging',
  ),
  c('NOT_ASSESSED not collected', withTraining({}), 'NOT_ASSESSED', 'not-collected', 'was not collected'),
  c(
    'a bucket that is not collected is NOT_ASSESSED in the referencing account',
    inventory().region('us-east-1', (r) => r.trainingJobs([trainingJob('j', { inputS3Uris: ['s3://training-data/x/'] })])),
    'NOT_ASSESSED',
    'not-collected',
    'Bucket training-data was not collected',
  ),
  c(
    'FAIL a referenced bucket that does not exist',
    inventory()
      .region('us-east-1', (r) => r.trainingJobs([trainingJob('j', { inputS3Uris: ['s3://training-data/x/'] })]))
      .bucket(bucket('training-data', { region: unseen('Bucket training-data does not exist', 'NoSuchBucket') }, null)),
    'FAIL',
    'bucket-missing',
    'SageMaker training job j input refers to it',
  ),
  {
    name: 'NOT_APPLICABLE without AI data buckets',
    inventory: inventory().region('us-east-1'),
    status: 'NOT_APPLICABLE',
    code: 'no-buckets',
    resource: `arn:aws:iam::${MGMT}:root`,
    reason: 'has no AI data buckets',
  },
  {
    name: 'NOT_ASSESSED when a bucket source is unreadable',
    inventory: inventory().region('us-east-1', (r) => r.trainingJobs(unseen('ThrottlingException'))),
    status: 'NOT_ASSESSED',
    code: 'sources-unreadable',
    reason: 'SageMaker training jobs in us-east-1: ThrottlingException',
  },
]);
