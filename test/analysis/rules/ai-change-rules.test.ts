import { computeAbuse } from '../../../src/analysis/rules/compute-abuse.js';
import { modelArtifactNewVersion } from '../../../src/analysis/rules/model-artifact-new-version.js';
import { monitoringDisabled } from '../../../src/analysis/rules/monitoring-disabled.js';
import { sagemakerHighRisk } from '../../../src/analysis/rules/sagemaker-high-risk.js';
import { APP_ROLE, at, BASELINE, ct, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const ctx = { window: WINDOW, baseline: BASELINE };
const sm = (eventName: string, minutes: number, requestParameters: Record<string, unknown> = {}, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'sagemaker.amazonaws.com', eventName, eventTime: at(minutes), requestParameters, ...over });

ruleTester(sagemakerHighRisk, {
  valid: [
    {
      name: 'a training job by the pipeline role that ran jobs in the baseline',
      events: [
        sm('CreateTrainingJob', 0, { trainingJobName: 'a' }, { eventTime: at(0, '2024-05-30'), userIdentity: APP_ROLE }),
        sm('CreateTrainingJob', 5, { trainingJobName: 'b' }, { userIdentity: APP_ROLE }),
      ],
      ctx,
    },
    { name: 'describe calls', events: [sm('DescribeNotebookInstance', 0)], ctx },
  ],
  invalid: [
    {
      name: 'a presigned notebook URL',
      events: [sm('CreatePresignedNotebookInstanceUrl', 0, { notebookInstanceName: 'nb' })],
      ctx,
      findings: [{ severity: 'high', summary: /Presigned notebook URL created: nb/ }],
    },
    {
      name: 'a lifecycle configuration changed',
      events: [sm('UpdateNotebookInstanceLifecycleConfig', 0, { notebookInstanceLifecycleConfigName: 'lc' })],
      ctx,
      findings: [{ severity: 'high' }],
    },
    {
      name: 'a processing job by an actor new to jobs',
      events: [sm('CreateProcessingJob', 0, { processingJobName: 'p' })],
      ctx,
      findings: [{ severity: 'medium', summary: /did not do this in the baseline/ }],
    },
  ],
});

const artifact = 's3://models/fraud/model.tar.gz';
const put = (minutes: number, over: Record<string, unknown> = {}, day?: string) =>
  ct({
    eventSource: 's3.amazonaws.com',
    eventName: 'PutObject',
    eventTime: at(minutes, day),
    requestParameters: { bucketName: 'models', key: 'fraud/model.tar.gz' },
    ...over,
  });
const versions = [
  { bucket: 'models', key: 'fraud/model.tar.gz', versionId: 'v1', isLatest: false, lastModified: '2024-05-20T09:00:00.000Z', size: 10, etag: 'a' },
  { bucket: 'models', key: 'fraud/model.tar.gz', versionId: 'v2', isLatest: true, lastModified: '2024-06-01T10:05:01.000Z', size: 11, etag: 'b' },
];
ruleTester(modelArtifactNewVersion, {
  valid: [
    {
      name: 'the usual writer ships a new version',
      events: [put(0, { userIdentity: APP_ROLE }, '2024-05-28'), put(5, { userIdentity: APP_ROLE })],
      ctx: { ...ctx, artifactVersions: versions },
    },
    {
      name: 'writes of other objects',
      events: [put(5, { requestParameters: { bucketName: 'models', key: 'fraud/README.md' } })],
      ctx: { ...ctx, artifactVersions: versions },
    },
  ],
  invalid: [
    {
      name: 'overwritten by another actor, confirmed by the history, then deployed',
      events: [
        put(0, { userIdentity: APP_ROLE }, '2024-05-28'),
        put(5),
        sm('CreateModel', 10, { modelName: 'evil', primaryContainer: { modelDataUrl: artifact } }),
      ],
      ctx: { ...ctx, artifactVersions: versions },
      findings: [
        {
          severity: 'critical',
          target: artifact,
          summary: /version v2.*not its usual writer; the version history confirms the new version; then CreateModel evil pointed at it/,
          actions: ['deactivate-access-key', 'rollback-artifact-version'],
        },
      ],
    },
    {
      name: 'two writes by the same actor: the later one is the version the history confirms',
      events: [put(0, { userIdentity: APP_ROLE }, '2024-05-28'), put(-30), put(5)],
      ctx: { ...ctx, artifactVersions: versions },
      findings: [
        {
          severity: 'high',
          eventCount: 2,
          summary: /version v2.*the version history confirms/,
          actions: ['deactivate-access-key', 'rollback-artifact-version'],
        },
      ],
    },
    {
      name: 'two versions written in the same moment: the version id CloudTrail recorded decides',
      events: [put(0, { userIdentity: APP_ROLE }, '2024-05-28'), put(5, { responseElements: { 'x-amz-version-id': 'v3' } })],
      ctx: { ...ctx, artifactVersions: [...versions, { ...versions[1]!, versionId: 'v3', lastModified: '2024-06-01T10:05:01.500Z' }] },
      findings: [{ summary: /version v3/, actions: ['deactivate-access-key', 'rollback-artifact-version'] }],
    },
    {
      name: 'no baseline and no history: medium, says so',
      events: [put(5)],
      ctx: { window: WINDOW },
      notAssessed: /no version history/,
      findings: [{ severity: 'medium', summary: /no baseline to tell its usual writer/ }],
    },
  ],
});

const svc = (eventSource: string, eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  ct({ eventSource, eventName, requestParameters, ...over });
ruleTester(monitoringDisabled, {
  valid: [
    { name: 'a detector enabled', events: [svc('guardduty.amazonaws.com', 'UpdateDetector', { detectorId: 'd', enable: true })], ctx },
    { name: 'a log group that is not an AI log deleted', events: [svc('logs.amazonaws.com', 'DeleteLogGroup', { logGroupName: '/app/web' })], ctx },
    {
      name: 'a GuardDuty trusted-IP list deactivated',
      events: [svc('guardduty.amazonaws.com', 'UpdateIPSet', { detectorId: 'd', ipSetId: 'i', activate: false })],
      ctx,
    },
    { name: 'an Access Analyzer created', events: [svc('access-analyzer.amazonaws.com', 'CreateAnalyzer', { analyzerName: 'org' })], ctx },
    { name: 'Macie resumed', events: [svc('macie2.amazonaws.com', 'UpdateMacieSession', { status: 'ENABLED' })], ctx },
  ],
  invalid: [
    {
      name: 'GuardDuty detector deleted',
      events: [svc('guardduty.amazonaws.com', 'DeleteDetector', { detectorId: 'd' })],
      ctx,
      findings: [{ severity: 'high', actions: ['deactivate-access-key', 'restore-logging'] }],
    },
    {
      name: 'a denied StopConfigurationRecorder still counts',
      events: [svc('config.amazonaws.com', 'StopConfigurationRecorder', { configurationRecorderName: 'default' }, { errorCode: 'AccessDenied' })],
      ctx,
      findings: [{ severity: 'medium', summary: /attempt denied/ }],
    },
    {
      name: 'a GuardDuty trusted-IP list activated (findings from its addresses are silenced)',
      events: [svc('guardduty.amazonaws.com', 'UpdateIPSet', { detectorId: 'd', ipSetId: 'i', activate: true })],
      ctx,
      findings: [{ severity: 'high', summary: /GuardDuty trusted-IP list activated/ }],
    },
    {
      name: 'a GuardDuty trusted-IP list pointed at a new file of addresses',
      events: [svc('guardduty.amazonaws.com', 'UpdateIPSet', { detectorId: 'd', ipSetId: 'i', location: 'https://s3.amazonaws.com/x/ips.txt' })],
      ctx,
      findings: [{ severity: 'high', summary: /GuardDuty trusted-IP list replaced/ }],
    },
    {
      name: 'a GuardDuty member leaves its administrator',
      events: [svc('guardduty.amazonaws.com', 'DisassociateFromAdministratorAccount', { detectorId: 'd' })],
      ctx,
      findings: [{ severity: 'high', summary: /GuardDuty member left its administrator account/ }],
    },
    {
      name: 'IAM Access Analyzer deleted',
      events: [svc('access-analyzer.amazonaws.com', 'DeleteAnalyzer', { analyzerName: 'org-analyzer' })],
      ctx,
      findings: [
        { severity: 'high', summary: /IAM Access Analyzer deleted .*: org-analyzer/, actions: ['deactivate-access-key', 'restore-logging'] },
      ],
    },
    {
      name: 'an Access Analyzer archive rule hides findings: medium',
      events: [svc('access-analyzer.amazonaws.com', 'CreateArchiveRule', { analyzerName: 'org-analyzer', ruleName: 'all' })],
      ctx,
      findings: [{ severity: 'medium', summary: /archive rule created .*: org-analyzer\/all/ }],
    },
    {
      name: 'Macie disabled',
      events: [svc('macie2.amazonaws.com', 'DisableMacie', {})],
      ctx,
      findings: [{ severity: 'high', summary: /Amazon Macie disabled/ }],
    },
    {
      name: 'a denied Macie pause is one step lower',
      events: [svc('macie2.amazonaws.com', 'UpdateMacieSession', { status: 'PAUSED' }, { errorCode: 'AccessDeniedException' })],
      ctx,
      findings: [{ severity: 'low', summary: /Amazon Macie paused .*attempt denied/ }],
    },
    {
      name: 'the Bedrock invocation log group deleted',
      events: [svc('logs.amazonaws.com', 'DeleteLogGroup', { logGroupName: '/aws/bedrock/invocations' })],
      ctx,
      findings: [{ summary: /AI log group \/aws\/bedrock\/invocations deleted/ }],
    },
  ],
});

const run = (instanceType: string, minutes: number, over: Record<string, unknown> = {}) =>
  ct({
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    eventTime: at(minutes),
    requestParameters: { instancesSet: { items: [{ imageId: 'ami-1', minCount: 1, maxCount: 4 }] }, instanceType },
    ...over,
  });
ruleTester(computeAbuse, {
  valid: [
    { name: 'small instances', events: [run('t3.micro', 0)], ctx },
    {
      name: 'GPU by the team that launched GPUs in the baseline',
      events: [
        run('p4d.24xlarge', 0, { eventTime: at(0, '2024-05-29'), userIdentity: APP_ROLE }),
        run('p4d.24xlarge', 5, { userIdentity: APP_ROLE }),
      ],
      ctx,
    },
  ],
  invalid: [
    {
      name: 'GPU instances by a new actor',
      events: [run('p4d.24xlarge', 0)],
      ctx,
      findings: [{ severity: 'high', summary: /p4d\.24xlarge, 4 instance\(s\)/ }],
    },
    {
      name: 'a GPU training job',
      events: [sm('CreateTrainingJob', 0, { trainingJobName: 'x', resourceConfig: { instanceType: 'ml.p3.16xlarge', instanceCount: 2 } })],
      ctx,
      findings: [{ summary: /a SageMaker training job \(ml\.p3\.16xlarge/ }],
    },
  ],
});
