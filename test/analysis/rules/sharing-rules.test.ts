// Exfiltration by sharing and exposure, and destruction: resource-shared-external, s3-resource-exposed,
// s3-mass-deletion, kms-key-destruction.
import { resourceSharedExternal } from '../../../src/analysis/rules/resource-shared-external.js';
import { ACCOUNT, APP_ROLE, ct, WINDOW } from './builders.js';
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
