// Table of the account security-control rule: the security configuration changes Panther labels (public access
// block, EBS default encryption, EventBridge rules) that trails, flow-log and monitoring rules do not cover.
import { securityControlRemoved } from '../../../src/analysis/rules/security-control-removed.js';
import { ct } from './builders.js';
import { ruleTester } from './rule-tester.js';

const call = (eventSource: string, eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  ct({ eventSource, eventName, requestParameters, ...over });
const s3 = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  call('s3.amazonaws.com', eventName, requestParameters, over);
const allOn = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

ruleTester(securityControlRemoved, {
  valid: [
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
      name: 'a denied attempt is one step lower, with no restore step',
      events: [s3('DeleteAccountPublicAccessBlock', null, { errorCode: 'AccessDenied' })],
      findings: [{ severity: 'medium', summary: /\(attempt denied: AccessDenied\)/, actions: ['deactivate-access-key'] }],
    },
  ],
});
