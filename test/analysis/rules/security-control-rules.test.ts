// Table of the account security-control rule: the security configuration changes Panther labels (public access
// block, EBS default encryption, EventBridge rules) that trails, flow-log and monitoring rules do not cover.
import { securityControlRemoved } from '../../../src/analysis/rules/security-control-removed.js';
import { APP_ROLE, ct } from './builders.js';
import { ruleTester } from './rule-tester.js';

const call = (eventSource: string, eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  ct({ eventSource, eventName, requestParameters, ...over });
const s3 = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  call('s3.amazonaws.com', eventName, requestParameters, over);
const allOn = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

ruleTester(securityControlRemoved, {
  valid: [
    {
      name: 'block public access for EBS snapshots tightened to block-all-sharing',
      events: [call('ec2.amazonaws.com', 'EnableSnapshotBlockPublicAccess', { state: 'block-all-sharing' })],
    },
    {
      name: 'account public access block put with every setting on',
      events: [s3('PutAccountPublicAccessBlock', { PublicAccessBlockConfiguration: allOn })],
    },
    {
      name: 'bucket public access block put with every setting on',
      events: [s3('PutBucketPublicAccessBlock', { bucketName: 'b', PublicAccessBlockConfiguration: allOn })],
    },
    { name: 'reading the public access block', events: [s3('GetBucketPublicAccessBlock', { bucketName: 'b' })] },
    { name: 'EBS encryption by default enabled', events: [call('ec2.amazonaws.com', 'EnableEbsEncryptionByDefault', {})] },
    { name: 'EventBridge rule created', events: [call('events.amazonaws.com', 'PutRule', { name: 'guardduty-to-pagerduty' })] },
    {
      name: 'DeleteRule failing for another reason (no such rule) is not judged',
      events: [call('events.amazonaws.com', 'DeleteRule', { name: 'guardduty-to-pagerduty' }, { errorCode: 'ResourceNotFoundException' })],
    },
    // Panther's "Allowlisted User" case names DeleteRule on cloudtrail.amazonaws.com: no EventBridge rule.
    { name: 'DeleteRule of another service', events: [call('cloudtrail.amazonaws.com', 'DeleteRule', { name: 'example-trail' })] },
    { name: 'an account invited into the Organization', events: [call('organizations.amazonaws.com', 'InviteAccountToOrganization', {})] },
    { name: 'a CloudWatch alarm created', events: [call('monitoring.amazonaws.com', 'PutMetricAlarm', { alarmName: 'root-login-alert' })] },
    {
      name: 'alarm actions enabled again',
      events: [call('monitoring.amazonaws.com', 'EnableAlarmActions', { alarmNames: ['root-login-alert'] })],
    },
    {
      name: 'LeaveOrganization failing for another reason (the management account cannot leave) is not judged',
      events: [call('organizations.amazonaws.com', 'LeaveOrganization', null, { errorCode: 'ConstraintViolationException' })],
    },
  ],
  invalid: [
    {
      name: 'account public access block deleted',
      events: [s3('DeleteAccountPublicAccessBlock', null)],
      findings: [
        {
          severity: 'high',
          summary: /S3 account public access block deleted by arn:aws:iam::111122223333:user\/mallory$/,
          actions: ['deactivate-access-key', 'review'],
        },
      ],
    },
    {
      name: 'account public access block relaxed',
      events: [
        s3('PutAccountPublicAccessBlock', { PublicAccessBlockConfiguration: { ...allOn, BlockPublicPolicy: false, RestrictPublicBuckets: false } }),
      ],
      findings: [{ severity: 'high', summary: /relaxed \(BlockPublicPolicy, RestrictPublicBuckets off\)/ }],
    },
    {
      name: 'public access block of an AI bucket deleted is high',
      events: [s3('DeleteBucketPublicAccessBlock', { bucketName: 'training' })],
      ctx: { aiBuckets: new Set(['training']) },
      findings: [{ severity: 'high', summary: /Public access block of s3:\/\/training deleted/ }],
    },
    {
      name: 'public access block of another bucket relaxed is medium',
      events: [s3('PutBucketPublicAccessBlock', { bucketName: 'web', PublicAccessBlockConfiguration: { ...allOn, BlockPublicAcls: false } })],
      ctx: { aiBuckets: new Set(['training']) },
      findings: [{ severity: 'medium', summary: /s3:\/\/web relaxed \(BlockPublicAcls off\)/ }],
    },
    {
      name: 'EBS encryption by default disabled',
      events: [call('ec2.amazonaws.com', 'DisableEbsEncryptionByDefault', {})],
      findings: [{ severity: 'medium', summary: /EBS encryption by default disabled in us-east-1/ }],
    },
    {
      name: 'block public access for AMIs disabled is high',
      events: [call('ec2.amazonaws.com', 'DisableImageBlockPublicAccess', {})],
      findings: [{ severity: 'high', summary: /Block public access for AMIs disabled in us-east-1/ }],
    },
    {
      name: 'block public access for EBS snapshots set to unblocked is high',
      events: [call('ec2.amazonaws.com', 'EnableSnapshotBlockPublicAccess', { state: 'unblocked' })],
      findings: [{ severity: 'high', summary: /Block public access for EBS snapshots turned off in us-east-1/ }],
    },
    {
      name: 'a denied DisableSnapshotBlockPublicAccess is one step lower',
      events: [call('ec2.amazonaws.com', 'DisableSnapshotBlockPublicAccess', {}, { errorCode: 'UnauthorizedOperation' })],
      findings: [{ severity: 'medium', summary: /turned off in us-east-1 .*attempt denied/ }],
    },
    {
      name: 'EventBridge rule routing GuardDuty findings deleted is high',
      events: [call('events.amazonaws.com', 'DeleteRule', { name: 'GuardDuty-Findings-To-SNS' })],
      findings: [{ severity: 'high', summary: /EventBridge rule GuardDuty-Findings-To-SNS \(routes security alerts\) deleted/ }],
    },
    {
      name: 'another EventBridge rule disabled is medium',
      events: [call('events.amazonaws.com', 'DisableRule', { name: 'nightly-batch' })],
      findings: [{ severity: 'medium', summary: /EventBridge rule nightly-batch disabled/ }],
    },
    {
      name: 'the account left its Organization: critical, with the step that brings it back',
      events: [call('organizations.amazonaws.com', 'LeaveOrganization', null)],
      findings: [
        {
          severity: 'critical',
          summary: /Account 111122223333 left its Organization \(SCPs, .*\) by arn:aws:iam::111122223333:user\/mallory$/,
          actions: ['deactivate-access-key', 'review'],
        },
      ],
    },
    {
      name: 'a denied LeaveOrganization by a role session (as Stratus detonates it) is high, its sessions revoked',
      events: [call('organizations.amazonaws.com', 'LeaveOrganization', null, { errorCode: 'AccessDenied', userIdentity: APP_ROLE })],
      findings: [{ severity: 'high', summary: /left its Organization .*\(attempt denied: AccessDenied\)/, actions: ['revoke-role-sessions'] }],
    },
    {
      name: 'the management account removes a member account',
      events: [call('organizations.amazonaws.com', 'RemoveAccountFromOrganization', { accountId: '444455556666' })],
      findings: [{ severity: 'high', summary: /Account 444455556666 removed from the Organization/ }],
    },
    {
      name: 'CloudWatch alarms deleted, one of them a security alarm: high, named',
      events: [call('monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: ['cpu-high', 'CloudTrail-StopLogging-Alarm'] })],
      findings: [{ severity: 'high', summary: /CloudWatch alarm\(s\) cpu-high, CloudTrail-StopLogging-Alarm \(security alerting\) deleted/ }],
    },
    {
      name: 'actions of another alarm disabled is medium',
      events: [call('monitoring.amazonaws.com', 'DisableAlarmActions', { alarmNames: ['cpu-high'] })],
      findings: [{ severity: 'medium', summary: /alarm\(s\) cpu-high silenced \(actions disabled\)/ }],
    },
    {
      name: 'a denied attempt is one step lower, with no restore step',
      events: [s3('DeleteAccountPublicAccessBlock', null, { errorCode: 'AccessDenied' })],
      findings: [{ severity: 'medium', summary: /\(attempt denied: AccessDenied\)/, actions: ['deactivate-access-key'] }],
    },
  ],
});
