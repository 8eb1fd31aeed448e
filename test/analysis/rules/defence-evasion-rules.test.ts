// Tables of the logging rules: trails, flow logs and DNS query logs, Bedrock invocation logging. Labelled public
// detonations (Stratus Red Team) are read from the shared fixtures.
import type { CloudTrailRecord } from '../../../src/collect/parsers/cloudtrail.js';
import { bedrockLoggingDisabled } from '../../../src/analysis/rules/bedrock-logging-disabled.js';
import { cloudtrailTampering } from '../../../src/analysis/rules/cloudtrail-tampering.js';
import { networkLogDeletion } from '../../../src/analysis/rules/network-log-deletion.js';
import { ctEvent, fixtureJson } from '../helpers.js';
import { APP_ROLE, ct } from './builders.js';
import { ruleTester } from './rule-tester.js';

const stratus = (name: string) =>
  fixtureJson<CloudTrailRecord[]>(`cloudtrail/stratus.aws.defense-evasion.${name}.json`).map((r, i) => ctEvent(r, `stratus/${name}.json`, i));
const trail = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'cloudtrail.amazonaws.com', eventName, requestParameters, ...over });

ruleTester(cloudtrailTampering, {
  valid: [
    { name: 'StartLogging', events: [trail('StartLogging', { name: 't' })] },
    {
      name: 'StopLogging that failed for another reason (no such trail)',
      events: [trail('StopLogging', { name: 't' }, { errorCode: 'TrailNotFoundException' })],
    },
    {
      name: 'selectors that still record every management event',
      events: [trail('PutEventSelectors', { trailName: 't', eventSelectors: [{ includeManagementEvents: true, readWriteType: 'All' }] })],
    },
    {
      name: 'advanced selectors with all management events',
      events: [
        trail('PutAdvancedEventSelectors', {
          trailName: 't',
          advancedEventSelectors: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }],
        }),
      ],
    },
    {
      name: 'the same call names on another service',
      events: [ct({ eventSource: 'logs.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: 't' } })],
    },
  ],
  invalid: [
    {
      name: 'Stratus: StopLogging',
      events: stratus('cloudtrail-stop'),
      findings: [{ severity: 'critical', summary: /Logging of .* was stopped/, actions: ['deactivate-access-key', 'restore-logging'] }],
    },
    { name: 'Stratus: DeleteTrail', events: stratus('cloudtrail-delete'), findings: [{ severity: 'critical', summary: /was deleted/ }] },
    {
      name: 'Stratus: event selectors that drop management events',
      events: stratus('cloudtrail-event-selectors'),
      findings: [{ severity: 'critical', summary: /management events are no longer recorded/ }],
    },
    {
      name: 'a denied StopLogging is reported one step lower, with no restore action',
      events: [trail('StopLogging', { name: 'org-trail' }, { errorCode: 'AccessDenied' })],
      findings: [{ severity: 'high', summary: /attempt denied: AccessDenied/, actions: ['deactivate-access-key'] }],
    },
    {
      name: 'UpdateTrail moving delivery to another bucket',
      events: [trail('UpdateTrail', { name: 't', s3BucketName: 'attacker-bucket' })],
      findings: [{ severity: 'high', summary: /updated .*s3BucketName/, target: 't' }],
    },
    {
      name: 'write-only management events',
      events: [trail('PutEventSelectors', { trailName: 't', eventSelectors: [{ includeManagementEvents: true, readWriteType: 'WriteOnly' }] })],
      findings: [{ summary: /reads or writes only/ }],
    },
    {
      name: 'advanced selectors keeping only data events',
      events: [
        trail('PutAdvancedEventSelectors', {
          trailName: 't',
          advancedEventSelectors: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }] }],
        }),
      ],
      findings: [{ summary: /Advanced event selectors .* no longer recorded/ }],
    },
    {
      name: 'a role session stops logging: its sessions are revoked',
      events: [trail('StopLogging', { name: 't' }, { userIdentity: APP_ROLE })],
      findings: [{ actorKey: APP_ROLE.arn, actions: ['revoke-role-sessions', 'restore-logging'] }],
    },
  ],
});

const ec2 = (eventName: string, over: Record<string, unknown> = {}) =>
  ct({
    eventSource: 'ec2.amazonaws.com',
    eventName,
    requestParameters: { DeleteFlowLogsRequest: { FlowLogId: { content: 'fl-1', tag: 1 } } },
    ...over,
  });
ruleTester(networkLogDeletion, {
  valid: [
    { name: 'flow logs created', events: [ec2('CreateFlowLogs')] },
    { name: 'DeleteFlowLogs that failed for another reason', events: [ec2('DeleteFlowLogs', { errorCode: 'InvalidFlowLogId.NotFound' })] },
  ],
  invalid: [
    {
      name: 'Stratus: DeleteFlowLogs',
      events: stratus('vpc-remove-flow-logs'),
      findings: [{ severity: 'high', summary: /VPC flow log\(s\) deleted/, actions: ['deactivate-access-key', 'restore-logging'] }],
    },
    {
      name: 'Stratus: DNS query logging deleted',
      events: stratus('dns-delete-logs'),
      findings: [{ severity: 'high', summary: /Resolver query logging configuration deleted/ }],
    },
    {
      name: 'a denied DeleteFlowLogs is one step lower',
      events: [ec2('DeleteFlowLogs', { errorCode: 'Client.UnauthorizedOperation' })],
      findings: [{ severity: 'medium', summary: /attempt denied/, actions: ['deactivate-access-key'] }],
    },
  ],
});

const bedrock = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'bedrock.amazonaws.com', eventName, requestParameters, ...over });
ruleTester(bedrockLoggingDisabled, {
  valid: [
    {
      name: 'a full configuration with text delivery',
      events: [
        bedrock('PutModelInvocationLoggingConfiguration', { loggingConfig: { s3Config: { bucketName: 'b' }, textDataDeliveryEnabled: true } }),
      ],
    },
    { name: 'parameters not recorded: cannot judge a Put', events: [bedrock('PutModelInvocationLoggingConfiguration', null)] },
    { name: 'reading the configuration', events: [bedrock('GetModelInvocationLoggingConfiguration', null)] },
  ],
  invalid: [
    {
      name: 'logging deleted',
      events: [bedrock('DeleteModelInvocationLoggingConfiguration', null)],
      findings: [{ severity: 'high', target: 'bedrock-logging:us-east-1', actions: ['deactivate-access-key', 'restore-logging'] }],
    },
    {
      name: 'no destination left',
      events: [bedrock('PutModelInvocationLoggingConfiguration', { loggingConfig: { textDataDeliveryEnabled: true } })],
      findings: [{ summary: /no S3 or CloudWatch destination/ }],
    },
    {
      name: 'text delivery turned off',
      events: [
        bedrock('PutModelInvocationLoggingConfiguration', {
          loggingConfig: { cloudWatchConfig: { logGroupName: 'g' }, textDataDeliveryEnabled: false },
        }),
      ],
      findings: [{ summary: /text data delivery/ }],
    },
    {
      name: 'a denied delete is still a signal, lower',
      events: [bedrock('DeleteModelInvocationLoggingConfiguration', null, { errorCode: 'AccessDeniedException' })],
      findings: [{ severity: 'medium', summary: /attempt denied/, actions: ['deactivate-access-key'] }],
    },
  ],
});
