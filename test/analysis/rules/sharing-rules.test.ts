// Exfiltration by sharing and exposure, and destruction: resource-shared-external, s3-resource-exposed,
// s3-mass-deletion, kms-key-destruction, kms-key-policy-lockout.
import { backupDestruction } from '../../../src/analysis/rules/backup-destruction.js';
import { monitoringDisabled } from '../../../src/analysis/rules/monitoring-disabled.js';
import { kmsKeyDestruction } from '../../../src/analysis/rules/kms-key-destruction.js';
import { kmsKeyPolicyLockout } from '../../../src/analysis/rules/kms-key-policy-lockout.js';
import { resourceSharedExternal } from '../../../src/analysis/rules/resource-shared-external.js';
import { s3MassDeletion } from '../../../src/analysis/rules/s3-mass-deletion.js';
import { s3ResourceExposed } from '../../../src/analysis/rules/s3-resource-exposed.js';
import { ACCOUNT, APP_ROLE, ct, MALLORY, s3log, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const OUTSIDE = '999988887777';
const ORG = '444455556666';
const ctx = { window: WINDOW, knownAccounts: new Set([ACCOUNT, ORG]) };
const denied = { errorCode: 'AccessDenied', errorMessage: 'not authorized' };

const ec2 = (eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'ec2.amazonaws.com', eventName, requestParameters, ...over });
const snapshotShare = (...items: Record<string, string>[]) =>
  ec2('ModifySnapshotAttribute', {
    snapshotId: 'snap-0abc',
    attributeType: 'CREATE_VOLUME_PERMISSION',
    createVolumePermission: { add: { items } },
  });
const amiShare = (...items: Record<string, string>[]) =>
  ec2('ModifyImageAttribute', { imageId: 'ami-0abc', attributeType: 'launchPermission', launchPermission: { add: { items } } });
const rdsShare = (eventName: string, valuesToAdd: string[], attributeName = 'restore') =>
  ct({
    eventSource: 'rds.amazonaws.com',
    eventName,
    requestParameters: {
      [eventName === 'ModifyDBClusterSnapshotAttribute' ? 'dBClusterSnapshotIdentifier' : 'dBSnapshotIdentifier']: 'features-snap',
      attributeName,
      valuesToAdd,
    },
  });
const policy = (principal: unknown, condition?: Record<string, unknown>) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: '*', Resource: '*', ...(condition ? { Condition: condition } : {}) }],
  });
const call = (eventSource: string, eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  ct({ eventSource, eventName, requestParameters, ...over });

ruleTester(resourceSharedExternal, {
  valid: [
    { name: 'snapshot shared with an Organization account', events: [snapshotShare({ userId: ORG })], ctx },
    {
      name: 'AMI shared with the Organization by ARN',
      events: [amiShare({ organizationArn: `arn:aws:organizations::${ORG}:organization/o-abc` })],
      ctx,
    },
    {
      name: 'snapshot permission removed, none added',
      events: [ec2('ModifySnapshotAttribute', { snapshotId: 'snap-0abc', createVolumePermission: { remove: { items: [{ userId: OUTSIDE }] } } })],
      ctx,
    },
    { name: 'RDS snapshot shared inside the Organization', events: [rdsShare('ModifyDBSnapshotAttribute', [ORG])], ctx },
    {
      name: 'snapshot shared with a trusted partner account',
      events: [snapshotShare({ userId: OUTSIDE })],
      ctx,
      params: { trustedAccounts: [OUTSIDE] },
    },
    { name: 'RDS attribute other than restore', events: [rdsShare('ModifyDBSnapshotAttribute', [OUTSIDE], 'other')], ctx },
    {
      name: 'secret policy open to "*" but confined by aws:PrincipalOrgID',
      events: [
        call('secretsmanager.amazonaws.com', 'PutResourcePolicy', {
          secretId: 's',
          resourcePolicy: policy('*', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } }),
        }),
      ],
      ctx,
    },
    {
      name: 'ECR policy for a service principal',
      events: [
        call('ecr.amazonaws.com', 'SetRepositoryPolicy', { repositoryName: 'models', policyText: policy({ Service: 'sagemaker.amazonaws.com' }) }),
      ],
      ctx,
    },
    {
      name: 'SNS attribute other than the policy, and SQS permission for an Organization account',
      events: [
        call('sns.amazonaws.com', 'SetTopicAttributes', { topicArn: 't', attributeName: 'DisplayName', attributeValue: OUTSIDE }),
        call('sqs.amazonaws.com', 'AddPermission', { queueUrl: 'q', label: 'l', aWSAccountIds: [ORG] }),
      ],
      ctx,
    },
    {
      name: 'Lambda permission for a service with its own-account source',
      events: [call('lambda.amazonaws.com', 'AddPermission20150331v2', { functionName: 'f', principal: 's3.amazonaws.com', sourceAccount: ACCOUNT })],
      ctx,
    },
    {
      name: 'a share failing for a reason other than authorisation is not judged',
      events: [snapshotShare({ userId: OUTSIDE })].map((e) => ({ ...e, outcome: 'InvalidSnapshot.NotFound' })),
      ctx,
    },
    {
      name: 'a share before the window is not the incident',
      events: [
        ct({
          ...{ eventTime: '2024-05-30T10:00:00Z' },
          eventSource: 'ec2.amazonaws.com',
          eventName: 'ModifySnapshotAttribute',
          requestParameters: { snapshotId: 'snap-0', createVolumePermission: { add: { items: [{ userId: OUTSIDE }] } } },
        }),
      ],
      ctx,
    },
  ],
  invalid: [
    {
      name: 'EBS snapshot shared with an outside account',
      events: [snapshotShare({ userId: OUTSIDE })],
      ctx,
      findings: [
        {
          severity: 'high',
          summary: /shared EBS snapshot snap-0abc with account\(s\) 999988887777 outside the Organization$/,
          actions: ['deactivate-access-key', 'review'],
        },
      ],
    },
    {
      name: 'EBS snapshot made public (group all)',
      events: [snapshotShare({ group: 'all' })],
      ctx,
      findings: [{ severity: 'critical', summary: /everyone \(public\)/ }],
    },
    {
      name: 'without the Organization known, another account is outside',
      events: [snapshotShare({ userId: ORG })],
      ctx: { window: WINDOW },
      findings: [{ summary: /444455556666/ }],
    },
    {
      name: 'AMI launch permission to an outside account',
      events: [amiShare({ userId: ORG }, { userId: OUTSIDE })],
      ctx,
      findings: [{ summary: /AMI ami-0abc with account\(s\) 999988887777 outside/ }],
    },
    {
      name: 'denied AMI share is an attempt, one step lower, no undo step',
      events: [ec2('ModifyImageAttribute', { imageId: 'ami-0abc', launchPermission: { add: { items: [{ group: 'all' }] } } }, denied)],
      ctx,
      findings: [{ severity: 'high', summary: /attempt denied: AccessDenied/, actions: ['deactivate-access-key'] }],
    },
    {
      name: 'RDS snapshot restorable by everyone',
      events: [rdsShare('ModifyDBSnapshotAttribute', ['all'])],
      ctx,
      findings: [{ severity: 'critical', summary: /RDS snapshot features-snap/ }],
    },
    {
      name: 'RDS cluster snapshot to an outside account',
      events: [rdsShare('ModifyDBClusterSnapshotAttribute', [OUTSIDE])],
      ctx,
      findings: [{ summary: /RDS cluster snapshot features-snap/ }],
    },
    {
      name: 'ECR repository policy naming an outside role',
      events: [
        call('ecr.amazonaws.com', 'SetRepositoryPolicy', {
          repositoryName: 'models',
          policyText: policy({ AWS: `arn:aws:iam::${OUTSIDE}:role/puller` }),
        }),
      ],
      ctx,
      findings: [{ summary: /ECR repository models with account\(s\) 999988887777/ }],
    },
    {
      name: 'secret policy open to everyone (object form)',
      events: [
        call('secretsmanager.amazonaws.com', 'PutResourcePolicy', { secretId: 'db', resourcePolicy: JSON.parse(policy({ AWS: '*' })) as unknown }),
      ],
      ctx,
      findings: [{ severity: 'critical', summary: /secret db with everyone/ }],
    },
    {
      name: '"*" confined to an outside account by aws:SourceAccount names that account',
      events: [
        call('backup.amazonaws.com', 'PutBackupVaultAccessPolicy', {
          backupVaultName: 'v',
          policy: policy('*', { StringEquals: { 'aws:SourceAccount': OUTSIDE } }),
        }),
      ],
      ctx,
      findings: [{ severity: 'high', summary: /backup vault v with account\(s\) 999988887777/ }],
    },
    {
      name: 'KMS key policy URL-encoded, naming an outside account root',
      events: [
        call('kms.amazonaws.com', 'PutKeyPolicy', {
          keyId: 'k1',
          policyName: 'default',
          policy: encodeURIComponent(policy({ AWS: [`arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${OUTSIDE}:root`] })),
        }),
      ],
      ctx,
      findings: [{ summary: /KMS key k1 with account\(s\) 999988887777/ }],
    },
    {
      name: 'KMS grant to an outside principal, by a role session',
      events: [
        call(
          'kms.amazonaws.com',
          'CreateGrant',
          { keyId: 'k1', granteePrincipal: `arn:aws:iam::${OUTSIDE}:user/x`, operations: ['Decrypt'] },
          { userIdentity: APP_ROLE },
        ),
      ],
      ctx,
      findings: [{ summary: /grant to arn:aws:iam::999988887777:user\/x/, actions: ['revoke-role-sessions', 'review'] }],
    },
    {
      name: 'SageMaker model package group policy to an outside account',
      events: [
        call('sagemaker.amazonaws.com', 'PutModelPackageGroupPolicy', { modelPackageGroupName: 'fraud', resourcePolicy: policy({ AWS: OUTSIDE }) }),
      ],
      ctx,
      findings: [{ summary: /model package group fraud/ }],
    },
    {
      name: 'Lambda function invokable by anyone',
      events: [
        call('lambda.amazonaws.com', 'AddPermission20150331v2', {
          functionName: 'infer',
          statementId: 'x',
          principal: '*',
          action: 'lambda:InvokeFunctionUrl',
          functionUrlAuthType: 'NONE',
        }),
      ],
      ctx,
      findings: [{ severity: 'critical', summary: /Lambda function infer with everyone/ }],
    },
    {
      name: 'EFS, Glacier, SQS, SNS, Glue, Logs and Redshift sharing with an outside account',
      events: [
        call('elasticfilesystem.amazonaws.com', 'PutFileSystemPolicy', { fileSystemId: 'fs-1', policy: policy({ AWS: OUTSIDE }) }),
        call('glacier.amazonaws.com', 'SetVaultAccessPolicy', { vaultName: 'cold', policy: { policy: policy({ AWS: OUTSIDE }) } }),
        call('sqs.amazonaws.com', 'SetQueueAttributes', { queueUrl: 'https://sqs/q', attributes: { Policy: policy({ AWS: OUTSIDE }) } }),
        call('sns.amazonaws.com', 'SetTopicAttributes', {
          topicArn: 'arn:aws:sns:us-east-1:111122223333:t',
          attributeName: 'Policy',
          attributeValue: policy({ AWS: OUTSIDE }),
        }),
        call('glue.amazonaws.com', 'PutResourcePolicy', { policyInJson: policy({ AWS: OUTSIDE }) }),
        call('logs.amazonaws.com', 'PutDestinationPolicy', { destinationName: 'd', accessPolicy: policy({ AWS: OUTSIDE }) }),
        call('sqs.amazonaws.com', 'AddPermission', { queueUrl: 'https://sqs/q2', label: 'l', aWSAccountIds: [OUTSIDE], actions: ['SendMessage'] }),
        call('redshift.amazonaws.com', 'AuthorizeSnapshotAccess', { snapshotIdentifier: 'rs-snap', accountWithRestoreAccess: OUTSIDE }),
      ],
      ctx,
      findings: [
        { summary: /EFS file system fs-1/ },
        { summary: /Glacier vault cold/ },
        { summary: /SQS queue https:\/\/sqs\/q with/ },
        { summary: /SNS topic arn:aws:sns/ },
        { summary: /Glue Data Catalog/ },
        { summary: /CloudWatch Logs destination d/ },
        { summary: /SQS queue https:\/\/sqs\/q2/ },
        { summary: /Redshift snapshot rs-snap/ },
      ],
    },
    {
      name: 'RAM share with an outside account and an outside Organization',
      events: [
        call('ram.amazonaws.com', 'CreateResourceShare', {
          name: 'subnets',
          resourceArns: ['arn:aws:ec2:us-east-1:111122223333:subnet/s-1'],
          principals: [OUTSIDE, 'arn:aws:organizations::777766665555:organization/o-evil'],
        }),
      ],
      ctx,
      findings: [{ summary: /RAM share subnets .* account\(s\) 777766665555, 999988887777/ }],
    },
    {
      name: 'RAM association inside the Organization is not, outside it is',
      events: [
        call('ram.amazonaws.com', 'AssociateResourceShare', {
          resourceShareArn: 'arn:aws:ram:us-east-1:111122223333:resource-share/a',
          principals: [ORG],
        }),
        call('ram.amazonaws.com', 'AssociateResourceShare', {
          resourceShareArn: 'arn:aws:ram:us-east-1:111122223333:resource-share/b',
          principals: [OUTSIDE],
        }),
      ],
      ctx,
      findings: [{ summary: /resource-share\/b/ }],
    },
  ],
});

const ai = { ...ctx, aiBuckets: new Set(['training']) };
const s3 = (eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 's3.amazonaws.com', eventName, requestParameters, ...over });
const bucketPolicy = (bucket: string, principal: unknown, condition?: Record<string, unknown>) =>
  s3('PutBucketPolicy', { bucketName: bucket, bucketPolicy: JSON.parse(policy(principal, condition)) as unknown, policy: [''] });
const OWNER = 'a'.repeat(64);
const aclBody = (...grantees: Record<string, string>[]) => ({
  AccessControlPolicy: {
    Owner: { ID: OWNER },
    AccessControlList: { Grant: grantees.map((Grantee) => ({ Grantee, Permission: 'READ' })) },
  },
});
const ALL_USERS = { 'xsi:type': 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' };

ruleTester(s3ResourceExposed, {
  valid: [
    { name: 'bucket policy for an Organization account', events: [bucketPolicy('training', { AWS: `arn:aws:iam::${ORG}:role/reader` })], ctx: ai },
    {
      name: 'bucket policy for the ELB log-delivery account, trusted by params',
      events: [bucketPolicy('alb-logs', { AWS: 'arn:aws:iam::127311923021:root' })],
      ctx: ai,
      params: { trustedAccounts: ['127311923021'] },
    },
    {
      name: 'bucket policy "*" confined by aws:PrincipalOrgID',
      events: [bucketPolicy('training', '*', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } })],
      ctx: ai,
    },
    {
      name: 'bucket policy "*" confined to a VPC endpoint',
      events: [bucketPolicy('training', '*', { StringEquals: { 'aws:SourceVpce': 'vpce-1' } })],
      ctx: ai,
    },
    {
      name: 'Deny statement for "*" (a guard, not an opening)',
      events: [s3('PutBucketPolicy', { bucketName: 'training', bucketPolicy: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*' }] } })],
      ctx: ai,
    },
    {
      name: 'ACL grant to the owner and the log-delivery group',
      events: [
        s3('PutBucketAcl', {
          bucketName: 'logs',
          ...aclBody({ 'xsi:type': 'CanonicalUser', ID: OWNER }, { 'xsi:type': 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }),
        }),
      ],
      ctx: ai,
    },
    { name: 'private canned ACL on upload', events: [s3('PutObject', { bucketName: 'training', key: 'a', 'x-amz-acl': ['private'] })], ctx: ai },
    {
      name: 'a policy change that failed for another reason',
      events: [bucketPolicy('training', '*')].map((e) => ({ ...e, outcome: 'MalformedPolicy' })),
      ctx: ai,
    },
  ],
  invalid: [
    {
      name: 'AI bucket policy open to everyone is critical',
      events: [bucketPolicy('training', '*')],
      ctx: ai,
      findings: [
        {
          severity: 'critical',
          summary: /opened s3:\/\/training to everyone \(public\) with a bucket policy$/,
          actions: ['deactivate-access-key', 'review'],
        },
      ],
    },
    { name: 'another bucket open to everyone is high', events: [bucketPolicy('website', { AWS: '*' })], ctx: ai, findings: [{ severity: 'high' }] },
    {
      name: 'AI bucket policy naming an outside account is high',
      events: [bucketPolicy('training', { AWS: [`arn:aws:iam::${OUTSIDE}:root`, `arn:aws:iam::${ACCOUNT}:role/app`] })],
      ctx: ai,
      findings: [{ severity: 'high', summary: /account\(s\) 999988887777 outside the Organization/ }],
    },
    {
      name: 'outside account on another bucket is medium',
      events: [bucketPolicy('website', { AWS: OUTSIDE })],
      ctx: ai,
      findings: [{ severity: 'medium' }],
    },
    {
      name: 'policy given as a string',
      events: [s3('PutBucketPolicy', { bucketName: 'training', policy: policy('*') })],
      ctx: ai,
      findings: [{ severity: 'critical' }],
    },
    {
      name: 'denied public policy is one step lower',
      events: [s3('PutBucketPolicy', { bucketName: 'training', bucketPolicy: JSON.parse(policy('*')) as unknown }, denied)],
      ctx: ai,
      findings: [{ severity: 'high', summary: /attempt denied/, actions: ['deactivate-access-key'] }],
    },
    {
      name: 'bucket ACL granting AllUsers in the body',
      events: [s3('PutBucketAcl', { bucketName: 'training', ...aclBody(ALL_USERS) })],
      ctx: ai,
      findings: [{ severity: 'critical', summary: /granted everyone \(public\) READ on s3:\/\/training by ACL/ }],
    },
    {
      name: 'object ACL canned public-read',
      events: [s3('PutObjectAcl', { bucketName: 'training', key: 'model.tar.gz', 'x-amz-acl': ['public-read'] })],
      ctx: ai,
      findings: [{ summary: /READ on s3:\/\/training\/model\.tar\.gz/, target: 's3://training/model.tar.gz' }],
    },
    {
      name: 'upload with authenticated-read on a non-AI bucket',
      events: [s3('PutObject', { bucketName: 'website', key: 'x', 'x-amz-acl': 'authenticated-read' })],
      ctx: ai,
      findings: [{ severity: 'high', summary: /any AWS account \(AuthenticatedUsers\)/ }],
    },
    {
      name: 'grant header naming AllUsers',
      events: [s3('PutBucketAcl', { bucketName: 'website', 'x-amz-grant-full-control': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' })],
      ctx: ai,
      findings: [{ summary: /FULL_CONTROL/ }],
    },
    {
      name: 'ACL grant to another canonical user',
      events: [s3('PutBucketAcl', { bucketName: 'training', ...aclBody({ 'xsi:type': 'CanonicalUser', ID: 'b'.repeat(64) }) })],
      ctx: ai,
      findings: [{ severity: 'high', summary: /another account \(canonical user b{16}…\)/ }],
    },
  ],
});

/** An access-log time `seconds` after 10:00 on the window's first day. */
const logTime = (seconds: number): string => {
  const d = new Date(Date.parse('2024-06-01T10:00:00Z') + seconds * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${p2(d.getUTCDate())}/Jun/2024:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
};
const ctTime = (seconds: number): string => new Date(Date.parse('2024-06-01T10:00:00Z') + seconds * 1000).toISOString().replace('.000Z', 'Z');
/** n DeleteObject data events, one a second (keys k0..), optionally deleting a version. */
const ctDeletes = (n: number, over: { bucket?: string; version?: boolean; bypass?: boolean; from?: number; every?: number } = {}) =>
  Array.from({ length: n }, (_, i) =>
    ct({
      eventTime: ctTime((over.from ?? 0) + i * (over.every ?? 1)),
      eventSource: 's3.amazonaws.com',
      eventName: 'DeleteObject',
      eventCategory: 'Data',
      requestParameters: {
        bucketName: over.bucket ?? 'training',
        key: `data/k${i}`,
        ...(over.version ? { versionId: `v${i}` } : {}),
        ...(over.bypass ? { 'x-amz-bypass-governance-retention': ['true'] } : {}),
      },
    }),
  );
/** One multi-object delete request: its CloudTrail record (no keys) and, optionally, its access-log lines (one per key). */
const batch = (rid: string, keys: number, withLog: boolean, from = 0) => [
  ct({
    eventTime: ctTime(from),
    eventSource: 's3.amazonaws.com',
    eventName: 'DeleteObjects',
    requestID: rid,
    requestParameters: { bucketName: 'training', delete: '' },
  }),
  ...(withLog
    ? Array.from({ length: keys }, (_, i) => s3log({ op: 'BATCH.DELETE.OBJECT', key: `b/${rid}/${i}`, requestId: rid, time: logTime(from + 1) }))
    : []),
];

/** A listing of the training bucket by Mallory (CloudTrail data event). */
const listing = (eventName: string, from = -30) =>
  ct({
    eventTime: ctTime(from),
    eventSource: 's3.amazonaws.com',
    eventName,
    eventCategory: 'Data',
    requestParameters: { bucketName: 'training', 'list-type': '2' },
  });
/** n multi-object deletes after a listing, one every 10 seconds (access-log lines carry the key CloudTrail showed, as the engine gives them). */
const batches = (n: number, withLog = false, from = 0) =>
  Array.from({ length: n }, (_, i) => batch(`S${from}-${i}`, 10, withLog, from + i * 10))
    .flat()
    .map((e) => (e.source === 's3-access-log' ? { ...e, actorKey: MALLORY.accessKeyId } : e));

ruleTester(s3MassDeletion, {
  valid: [
    { name: 'a listing and two multi-object deletes (below the sweep threshold)', events: [listing('ListObjectsV2'), ...batches(2)], ctx: ai },
    { name: 'multi-object deletes without a listing (an application clean-up)', events: batches(5), ctx: ai },
    { name: 'deletes long after the listing', events: [listing('ListObjectVersions', -7200), ...batches(5)], ctx: ai },
    {
      name: 'a listing and denied multi-object deletes (nothing deleted)',
      events: [listing('ListObjectVersions'), ...batches(5).map((e) => ({ ...e, outcome: 'AccessDenied' }))],
      ctx: ai,
    },
    { name: 'a few deletions', events: ctDeletes(20), ctx: ai },
    { name: 'a few versions deleted', events: ctDeletes(19, { version: true }), ctx: ai },
    {
      name: 'deletions spread over days (one every 5 minutes)',
      events: ctDeletes(150, { every: 300 }),
      ctx: { ...ai, window: { start: WINDOW.start, end: '2024-06-05T00:00:00.000Z' } },
    },
    {
      name: 'the same objects deleted again and again count once each',
      events: [...ctDeletes(50), ...ctDeletes(50, { from: 60 }), ...ctDeletes(50, { from: 120 })],
      ctx: ai,
    },
    {
      name: 'many deletions by an expected principal',
      events: ctDeletes(150),
      ctx: { ...ai, expected: { ips: new Set<string>(), principals: new Set([`arn:aws:iam::${ACCOUNT}:user/mallory`]) } },
    },
    {
      name: 'denied deletions delete nothing',
      events: ctDeletes(150).map((e) => ({ ...e, outcome: 'AccessDenied' })),
      ctx: ai,
    },
    {
      name: 'a multi-object delete with few keys, seen in both logs',
      events: batch('R1', 30, true),
      ctx: ai,
    },
  ],
  invalid: [
    {
      name: '150 objects deleted from an AI bucket',
      events: ctDeletes(150),
      ctx: ai,
      findings: [
        {
          severity: 'high',
          eventCount: 150,
          summary: /deleted 150 object\(s\) from s3:\/\/training between 2024-06-01T10:00:00\.000Z/,
          target: 's3://training',
        },
      ],
    },
    { name: 'a non-AI bucket is medium', events: ctDeletes(120, { bucket: 'website' }), ctx: ai, findings: [{ severity: 'medium' }] },
    {
      name: 'fewer versions than the object threshold, but over the version threshold (a versions purge)',
      events: ctDeletes(51, { version: true }),
      ctx: ai,
      findings: [{ severity: 'critical', eventCount: 51, summary: /deleted 51 object\(s\) \(51 of them object versions/ }],
    },
    {
      name: 'deleting versions is permanent: one step higher',
      events: ctDeletes(120, { version: true }),
      ctx: ai,
      findings: [{ severity: 'critical', summary: /120 of them object versions, deleted permanently/ }],
    },
    {
      name: 'bypassing Object Lock governance retention is one step higher',
      events: ctDeletes(110, { bucket: 'website', bypass: true }),
      ctx: ai,
      findings: [{ severity: 'high', summary: /, 110 bypassing Object Lock governance retention from s3:\/\/website/ }],
    },
    {
      name: 'the keys of DeleteObjects come from the access log: objects, not requests nor lines',
      events: [...batch('R1', 60, true), ...batch('R2', 60, true, 10)],
      ctx: ai,
      findings: [{ summary: /deleted 120 object\(s\)/ }],
    },
    {
      name: 'a request seen as a CloudTrail event and an access-log line is one object',
      events: [
        ...ctDeletes(99),
        // The engine gives access-log lines the key CloudTrail showed the principal using (src/analysis/identity.ts).
        { ...s3log({ op: 'REST.DELETE.OBJECT', key: 'data/k5', time: logTime(201) }), actorKey: MALLORY.accessKeyId },
        { ...s3log({ op: 'REST.DELETE.OBJECT', key: 'data/last', time: logTime(202) }), actorKey: MALLORY.accessKeyId },
      ],
      ctx: ai,
      findings: [{ summary: /deleted 100 object\(s\)/ }],
    },
    {
      name: 'DeleteObjects without the access log: each request is at least one object, and says so',
      events: Array.from({ length: 100 }, (_, i) => batch(`Q${i}`, 0, false, i)).flat(),
      ctx: ai,
      findings: [{ summary: /deleted 100 object\(s\).*at least: CloudTrail does not name the keys/ }],
    },
    {
      name: 'listing then multi-object deletes seen only in CloudTrail: a bulk deletion, the requests, at least N objects, delete markers',
      events: [listing('ListObjectsV2'), ...batches(3)],
      ctx: ai,
      findings: [
        {
          severity: 'high',
          eventCount: 4,
          target: 's3://training',
          summary:
            /bulk-deleted objects from s3:\/\/training after listing it \(ListObjectsV2\): 3 delete request\(s\) \(3 DeleteObjects, 0 deletes of an object version\) between 2024-06-01T09:59:30.000Z .*; at least 3 object\(s\) deleted \(CloudTrail does not record the keys of DeleteObjects.*; only current objects were listed: .*delete markers/,
        },
      ],
    },
    {
      name: 'versions listed first: the requests likely targeted versions',
      events: [listing('ListObjectVersions'), ...batches(4)],
      ctx: ai,
      findings: [{ severity: 'high', summary: /after listing it \(ListObjectVersions\): 4 delete request.*versions were listed first/ }],
    },
    {
      name: 'versions deleted by id after ListObjectVersions: permanent, critical',
      events: [listing('ListObjectVersions'), ...ctDeletes(5, { version: true })],
      ctx: ai,
      findings: [
        {
          severity: 'critical',
          summary:
            /5 delete request\(s\) \(0 DeleteObjects, 5 deletes of an object version\).*at least 5 object\(s\) deleted; object versions were deleted by version id/,
        },
      ],
    },
    {
      name: 'the access log names the keys of the swept requests: the count is theirs',
      events: [listing('ListObjects'), ...batches(3, true)],
      ctx: ai,
      findings: [{ summary: /3 DeleteObjects.*at least 30 object\(s\) deleted; only current/ }],
    },
    {
      name: 'a sweep that is also a mass deletion is one finding that says how',
      events: [listing('ListObjectVersions'), ...Array.from({ length: 100 }, (_, i) => batch(`Q${i}`, 0, false, i)).flat()],
      ctx: ai,
      findings: [{ summary: /deleted 100 object\(s\).*How: .*bulk-deleted objects .*100 delete request/ }],
    },
    {
      name: 'a lower threshold and a shorter window from params',
      events: [...ctDeletes(10), ...ctDeletes(10, { bucket: 'other', from: 3600 })],
      ctx: ai,
      params: { objectThreshold: 10, windowMinutes: 5 },
      findings: [{ eventCount: 10 }, { eventCount: 10, severity: 'medium' }],
    },
  ],
});

const kms = (eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'kms.amazonaws.com', eventName, requestParameters, ...over });
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

ruleTester(kmsKeyDestruction, {
  valid: [
    { name: 'deletion cancelled and key enabled', events: [kms('CancelKeyDeletion', { keyId: KEY }), kms('EnableKey', { keyId: KEY })], ctx },
    { name: 'a key created', events: [kms('CreateKey', { description: 'x' })], ctx },
    {
      name: 'a deletion that failed for another reason',
      events: [kms('ScheduleKeyDeletion', { keyId: KEY }, { errorCode: 'KMSInvalidStateException' })],
      ctx,
    },
    { name: 'a deletion before the window', events: [kms('ScheduleKeyDeletion', { keyId: KEY }, { eventTime: '2024-05-30T10:00:00Z' })], ctx },
  ],
  invalid: [
    {
      name: 'key scheduled for deletion: the date it goes, and what cannot be known',
      events: [
        kms(
          'ScheduleKeyDeletion',
          { keyId: KEY, pendingWindowInDays: 7 },
          { responseElements: { keyId: KEY, deletionDate: 'Jun 8, 2024, 12:00:00 AM', keyState: 'PendingDeletion' } },
        ),
      ],
      ctx,
      findings: [
        {
          severity: 'high',
          summary:
            /KMS key arn:.*key\/1234abcd.* scheduled for deletion on 2024-06-08.*which data it encrypts, AI data or logs, is not in CloudTrail/,
          actions: ['deactivate-access-key', 'review'],
        },
      ],
    },
    {
      name: 'without a recorded date the waiting period is counted from the event',
      events: [kms('ScheduleKeyDeletion', { keyId: 'k1', pendingWindowInDays: 7 })],
      ctx,
      findings: [{ summary: /on 2024-06-08T10:00:00\.000Z/ }],
    },
    {
      name: 'a recorded date past the last one a Date holds, and a waiting period KMS would refuse: 30 days from the event',
      events: [kms('ScheduleKeyDeletion', { keyId: 'k1', pendingWindowInDays: 1e20 }, { responseElements: { deletionDate: 2 ** 53 + 1 } })],
      ctx,
      findings: [{ summary: /on 2024-07-01T10:00:00\.000Z/ }],
    },
    {
      name: 'key disabled is medium',
      events: [kms('DisableKey', { keyId: 'k1' })],
      ctx,
      findings: [{ severity: 'medium', summary: /KMS key k1 disabled/ }],
    },
    { name: 'imported key material deleted', events: [kms('DeleteImportedKeyMaterial', { keyId: 'k1' })], ctx, findings: [{ severity: 'high' }] },
    {
      name: 'denied deletion is an attempt one step lower, with no restore step',
      events: [kms('ScheduleKeyDeletion', { keyId: 'k1' }, { ...denied, userIdentity: APP_ROLE })],
      ctx,
      findings: [{ severity: 'medium', summary: /attempt denied/, actions: ['revoke-role-sessions'] }],
    },
  ],
});

const keyPolicy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const admin = (principal: unknown, action: unknown = 'kms:*') => ({ Effect: 'Allow', Principal: { AWS: principal }, Action: action, Resource: '*' });
const use = (principal: unknown) => ({ Effect: 'Allow', Principal: { AWS: principal }, Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*' });

ruleTester(kmsKeyPolicyLockout, {
  valid: [
    {
      name: 'the default key policy (account root administers)',
      events: [kms('PutKeyPolicy', { keyId: KEY, policyName: 'default', policy: keyPolicy(admin(ROOT)) })],
      ctx,
    },
    {
      name: 'an admin role of the account keeps kms:PutKeyPolicy',
      events: [
        kms('PutKeyPolicy', {
          keyId: KEY,
          policy: keyPolicy(admin(`arn:aws:iam::${ACCOUNT}:role/KeyAdmin`, ['kms:Put*', 'kms:Describe*']), use(ROOT)),
        }),
      ],
      ctx,
    },
    { name: 'CreateKey with the default policy', events: [kms('CreateKey', { keySpec: 'SYMMETRIC_DEFAULT' })], ctx },
    { name: 'a policy CloudTrail did not record, without a bypass, claims nothing', events: [kms('PutKeyPolicy', { keyId: KEY })], ctx },
    {
      name: 'administration by an account of the Organization',
      events: [kms('PutKeyPolicy', { keyId: KEY, policy: keyPolicy(admin(ROOT), admin(`arn:aws:iam::${ORG}:root`)) })],
      ctx,
    },
    {
      name: 'a lockout before the window',
      events: [kms('PutKeyPolicy', { keyId: KEY, policy: keyPolicy(use(ROOT)) }, { eventTime: '2024-05-30T10:00:00Z' })],
      ctx,
    },
  ],
  invalid: [
    {
      name: 'a policy that lets the account only use the key, with the check bypassed: owner locked out, critical',
      events: [
        kms('PutKeyPolicy', {
          keyId: KEY,
          policyName: 'default',
          bypassPolicyLockoutSafetyCheck: true,
          policy: keyPolicy(use(ROOT), admin(MALLORY.arn, ['kms:Decrypt'])),
        }),
      ],
      ctx,
      findings: [
        {
          severity: 'critical',
          summary:
            /Key policy of KMS key .*key\/1234abcd.* set: no principal of account 111122223333 can change the key policy again \(owner locked out\); lockout safety check bypassed/,
          actions: ['deactivate-access-key', 'review'],
        },
      ],
    },
    {
      name: 'a Deny of kms:* to everyone locks out even the root that is allowed',
      events: [
        kms('PutKeyPolicy', { keyId: KEY, policy: keyPolicy(admin(ROOT), { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' }) }),
      ],
      ctx,
      findings: [{ severity: 'critical', summary: /owner locked out/ }],
    },
    {
      name: 'key administration (kms:*) given to an outside account only',
      events: [kms('PutKeyPolicy', { keyId: KEY, policy: keyPolicy(admin(`arn:aws:iam::${OUTSIDE}:root`), use(ROOT)) })],
      ctx,
      findings: [
        { severity: 'critical', summary: /owner locked out\); key administration \(kms:PutKeyPolicy\) given to account\(s\) 999988887777 outside/ },
      ],
    },
    {
      name: 'an outside administrator beside the account root is high',
      events: [kms('PutKeyPolicy', { keyId: KEY, policy: keyPolicy(admin(ROOT), admin(OUTSIDE, '*')) })],
      ctx,
      findings: [
        {
          severity: 'high',
          summary: /given to account\(s\) 999988887777 outside the Organization by /,
          actions: ['deactivate-access-key', 'review'],
        },
      ],
    },
    {
      name: 'CreateKey with the check bypassed on a policy that keeps the owner is medium',
      events: [
        kms(
          'CreateKey',
          { bypassPolicyLockoutSafetyCheck: true, policy: keyPolicy(admin(ROOT)) },
          { responseElements: { keyMetadata: { keyId: 'k9', arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k9` } } },
        ),
      ],
      ctx,
      findings: [{ severity: 'medium', summary: /KMS key created arn:.*key\/k9 with a policy: lockout safety check bypassed by / }],
    },
    {
      name: 'the check bypassed on a policy CloudTrail did not record is high',
      events: [kms('PutKeyPolicy', { keyId: 'k1', bypassPolicyLockoutSafetyCheck: true })],
      ctx,
      findings: [{ severity: 'high', summary: /did not record \(check GetKeyPolicy\)/ }],
    },
    {
      name: 'a denied lockout attempt is one step lower, with no restore step',
      events: [kms('PutKeyPolicy', { keyId: KEY, policy: keyPolicy(use(ROOT)) }, { ...denied, userIdentity: APP_ROLE })],
      ctx,
      findings: [{ severity: 'high', summary: /owner locked out.*attempt denied/, actions: ['revoke-role-sessions'] }],
    },
  ],
});

const snapDeletes = (n: number, over: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) => ec2('DeleteSnapshot', { snapshotId: `snap-${i}` }, { eventTime: ctTime(i * 30), ...over }));

ruleTester(backupDestruction, {
  valid: [
    { name: 'a retention script deleting a few snapshots', events: snapDeletes(4), ctx },
    { name: 'a backup vault created', events: [call('backup.amazonaws.com', 'CreateBackupVault', { backupVaultName: 'v' })], ctx },
    {
      name: 'many snapshots deleted by an expected principal',
      events: snapDeletes(10),
      ctx: { ...ctx, expected: { ips: new Set<string>(), principals: new Set([MALLORY.arn]) } },
    },
    {
      name: 'a vault deletion that failed for another reason',
      events: [call('backup.amazonaws.com', 'DeleteBackupVault', { backupVaultName: 'v' }, { errorCode: 'InvalidRequestException' })],
      ctx,
    },
  ],
  invalid: [
    {
      name: 'ten EBS snapshots deleted by one actor',
      events: snapDeletes(10),
      ctx,
      findings: [
        { severity: 'high', eventCount: 10, summary: /deleted 10 recovery point\(s\) and snapshot\(s\) \(EBS snapshot\): snap-0, .* and 5 more$/ },
      ],
    },
    {
      name: 'recovery points, RDS snapshots and EBS snapshots count together',
      events: [
        ...snapDeletes(2),
        call('backup.amazonaws.com', 'DeleteRecoveryPoint', {
          backupVaultName: 'v',
          recoveryPointArn: 'arn:aws:backup:us-east-1:111122223333:recovery-point:rp-1',
        }),
        call('rds.amazonaws.com', 'DeleteDBSnapshot', { dBSnapshotIdentifier: 'features-snap' }),
        call('rds.amazonaws.com', 'DeleteDBClusterSnapshot', { dBClusterSnapshotIdentifier: 'cluster-snap' }),
      ],
      ctx,
      findings: [{ eventCount: 5, summary: /EBS snapshot, AWS Backup recovery point, RDS snapshot, RDS cluster snapshot/ }],
    },
    {
      name: 'denied deletions are counted apart and one step lower',
      events: [...snapDeletes(3), ...snapDeletes(6, denied)],
      ctx,
      findings: [{ severity: 'medium', eventCount: 6, summary: /attempts denied/ }],
    },
    {
      name: 'the vault, its lock and a Recycle Bin rule are findings on their own',
      events: [
        call('backup.amazonaws.com', 'DeleteBackupVaultLockConfiguration', { backupVaultName: 'v' }),
        call('backup.amazonaws.com', 'DeleteBackupVault', { backupVaultName: 'v' }, { eventTime: ctTime(5) }),
        call('rbin.amazonaws.com', 'DeleteRule', { identifier: 'keep-snapshots' }, { eventTime: ctTime(9) }),
      ],
      ctx,
      findings: [
        { severity: 'high', summary: /Vault lock of backup vault v removed/ },
        { severity: 'high', summary: /Backup vault v deleted/ },
        { severity: 'high', summary: /Recycle Bin retention rule keep-snapshots deleted/ },
      ],
    },
    {
      name: 'a backup plan deleted is medium',
      events: [call('backup.amazonaws.com', 'DeleteBackupPlan', { backupPlanId: 'p1' })],
      ctx,
      findings: [{ severity: 'medium' }],
    },
    {
      name: 'a denied vault deletion is one step lower',
      events: [call('backup.amazonaws.com', 'DeleteBackupVault', { backupVaultName: 'v' }, denied)],
      ctx,
      findings: [{ severity: 'medium', summary: /attempt denied/ }],
    },
    { name: 'a lower threshold from params', events: snapDeletes(2), ctx, params: { recoveryPointThreshold: 2 }, findings: [{ eventCount: 2 }] },
  ],
});

// monitoring-disabled's Object Lock part (versioning suspended was there; Object Lock was not).
const lock = (eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  s3(eventName, { bucketName: 'training', ...requestParameters }, over);
ruleTester(monitoringDisabled, {
  valid: [
    {
      name: 'Object Lock default retention set',
      events: [
        lock('PutObjectLockConfiguration', {
          ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } } },
        }),
      ],
      ctx: ai,
    },
    {
      name: 'retention changed without bypassing governance',
      events: [lock('PutObjectRetention', { key: 'm', Retention: { Mode: 'GOVERNANCE' } })],
      ctx: ai,
    },
    { name: 'legal hold put on', events: [lock('PutObjectLegalHold', { key: 'm', LegalHold: { Status: 'ON' } })], ctx: ai },
    {
      name: 'Object Lock retention removed on a bucket that is not an AI bucket',
      events: [lock('PutObjectLockConfiguration', { bucketName: 'website', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } })],
      ctx: ai,
    },
  ],
  invalid: [
    {
      name: 'Object Lock default retention removed',
      events: [lock('PutObjectLockConfiguration', { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } })],
      ctx: ai,
      findings: [
        {
          severity: 'high',
          summary: /Object Lock default retention of s3:\/\/training removed/,
          actions: ['deactivate-access-key', 'restore-logging'],
        },
      ],
    },
    {
      name: 'retention shortened by bypassing governance',
      events: [lock('PutObjectRetention', { key: 'model.tar.gz', 'x-amz-bypass-governance-retention': 'true', Retention: { Mode: 'GOVERNANCE' } })],
      ctx: ai,
      findings: [{ severity: 'medium', summary: /retention of s3:\/\/training\/model\.tar\.gz changed by bypassing governance mode/ }],
    },
    {
      name: 'legal hold lifted, denied: an attempt one step lower',
      events: [lock('PutObjectLegalHold', { key: 'model.tar.gz', LegalHold: { Status: 'OFF' } }, denied)],
      ctx: ai,
      findings: [{ severity: 'low', summary: /Legal hold of s3:\/\/training\/model\.tar\.gz lifted .*attempt denied/ }],
    },
  ],
});
