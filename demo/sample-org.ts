// The sample Organization of the demo and the end-to-end tests: a log archive holding the organization
// trail's locked bucket, a well-prepared production ML account, a development ML account with the usual
// gaps, an account whose forensic role cannot be assumed, and a suspended account; two regions.
import type { ClientFactory } from '../src/aws/clients.js';
import type { FaultProxy } from './proxy.js';
import { installMotoStubs } from './seed.js';
import {
  dataEventSelector,
  managementEventsSelector,
  seedAgent,
  seedBedrockLogging,
  seedBucket,
  seedConfigRecorder,
  seedGuardDuty,
  seedLogGroup,
  seedOrganization,
  seedSageMakerEndpoint,
  seedTrail,
  seedTrainingJob,
  seedVpcWithFlowLogs,
  type SeededOrganization,
  type SeedTarget,
} from './seed.js';

export const SAMPLE_REGIONS = ['us-east-1', 'eu-west-1'] as const;
export const SAMPLE_ROLE_NAME = 'ForensightReadOnly';
export const SAMPLE_EXTERNAL_ID = 'forensight-demo-external-id';

export interface SampleOrganization {
  org: SeededOrganization;
  accounts: { management: string; logArchive: string; mlProd: string; mlDev: string; dataScience: string; sandbox: string };
  names: Record<'management' | 'logArchive' | 'mlProd' | 'mlDev' | 'dataScience' | 'sandbox', string>;
  buckets: {
    orgTrail: string;
    archiveAccessLogs: string;
    archiveAccessLogsLocked: string;
    prodModels: string;
    prodTraining: string;
    prodCapture: string;
    prodBedrockLogs: string;
    prodAccessLogs: string;
    prodAccessLogsLocked: string;
    devModels: string;
    devTrail: string;
  };
  resources: {
    orgTrailArn: string;
    devTrailArn: string;
    prodEndpointArn: string;
    devEndpointArn: string;
    prodVpcId: string;
    devVpcId: string;
    devAgentArn: string;
  };
}

function target(t: SeedTarget, region: string): SeedTarget {
  return { ...t, region };
}

/** `proxy` answers what moto lacks (agent aliases, knowledge-base data sources) from what is seeded here. */
export async function buildSampleOrganization(factory: ClientFactory, proxy: FaultProxy): Promise<SampleOrganization> {
  const org = await seedOrganization(factory, {
    stubs: installMotoStubs(proxy),
    accounts: [
      { name: 'log-archive', ou: 'Security' },
      { name: 'ml-prod', ou: 'Workloads' },
      { name: 'ml-dev', ou: 'Workloads' },
      { name: 'data-science', ou: 'Workloads' },
      { name: 'sandbox', close: true },
    ],
  });
  const byName = (name: string) => {
    const found = org.accounts.find((a) => a.name === name);
    if (!found) throw new Error(`sample account ${name} missing`);
    return found;
  };
  const logArchive = byName('log-archive');
  const prod = byName('ml-prod');
  const dev = byName('ml-dev');
  const suffix = org.organizationId.replace(/^o-/, '').slice(0, 8);
  const b = {
    orgTrail: `org-trail-${suffix}`,
    archiveAccessLogs: `archive-access-logs-${suffix}`,
    archiveAccessLogsLocked: `archive-access-logs-locked-${suffix}`,
    prodModels: `prod-models-${suffix}`,
    prodTraining: `prod-training-${suffix}`,
    prodCapture: `prod-capture-${suffix}`,
    prodBedrockLogs: `prod-bedrock-logs-${suffix}`,
    prodAccessLogs: `prod-access-logs-${suffix}`,
    prodAccessLogsLocked: `prod-access-logs-locked-${suffix}`,
    devModels: `dev-models-${suffix}`,
    devTrail: `dev-trail-${suffix}`,
  };
  const east = 'us-east-1';
  const locked = { mode: 'COMPLIANCE' as const, days: 400 };

  // Log archive: the organization trail's bucket, locked; its access logs replicated to a locked bucket.
  const la = target(logArchive.target, east);
  await seedBucket(la, { name: b.archiveAccessLogsLocked, objectLock: locked, tags: { 'forensight:role': 'evidence' } });
  await seedBucket(la, { name: b.archiveAccessLogs, logDeliveryTarget: true, replication: { destinationBuckets: [b.archiveAccessLogsLocked] } });
  await seedBucket(la, {
    name: b.orgTrail,
    objectLock: locked,
    tags: { 'forensight:role': 'logs' },
    accessLogging: { targetBucket: b.archiveAccessLogs },
  });

  // Management account: the organization trail (management events + SageMaker endpoint data events
  // + object-level events on production training data), delivered to the log archive.
  const mgmt: SeedTarget = { factory, region: east };
  const orgTrail = await seedTrail(mgmt, {
    name: 'org-trail',
    bucket: b.orgTrail,
    createBucket: false,
    multiRegion: true,
    organization: true,
    logFileValidation: true,
    selectors: {
      advanced: [
        managementEventsSelector(),
        dataEventSelector('AWS::SageMaker::Endpoint'),
        // Bedrock used on demand (model invocation, async invoke, inline agents, sessions) needs no resource to be judged.
        ...['AWS::Bedrock::Model', 'AWS::Bedrock::AsyncInvoke', 'AWS::Bedrock::InlineAgent', 'AWS::Bedrock::Session'].map((t) =>
          dataEventSelector(t),
        ),
        dataEventSelector('AWS::S3::Object', [`arn:aws:s3:::${b.prodTraining}/`, `arn:aws:s3:::${b.prodModels}/`]),
      ],
    },
  });

  // ml-prod: ready for an investigation.
  const p = target(prod.target, east);
  await seedBucket(p, { name: b.prodAccessLogsLocked, objectLock: locked, tags: { 'forensight:role': 'evidence' } });
  await seedBucket(p, { name: b.prodAccessLogs, logDeliveryTarget: true, replication: { destinationBuckets: [b.prodAccessLogsLocked] } });
  const prodLogging = { targetBucket: b.prodAccessLogs };
  await seedBucket(p, { name: b.prodModels, versioning: true, accessLogging: prodLogging, tags: { 'forensight:role': 'model-artifacts' } });
  await seedBucket(p, { name: b.prodTraining, versioning: true, accessLogging: prodLogging, tags: { 'forensight:role': 'training-data' } });
  await seedBucket(p, { name: b.prodCapture, objectLock: locked, accessLogging: prodLogging });
  await seedBucket(p, { name: b.prodBedrockLogs, objectLock: locked, accessLogging: prodLogging });
  const prodVpc = await seedVpcWithFlowLogs(p, {
    cidr: '10.10.0.0/16',
    flowLogs: [{ destination: 'cloud-watch-logs', trafficType: 'ALL', logGroupName: '/forensight/flow-logs/ml-prod' }],
  });
  await seedLogGroup(p, { name: '/forensight/flow-logs/ml-prod', retentionInDays: 400 });
  const prodEndpoint = await seedSageMakerEndpoint(p, {
    name: 'fraud-detector',
    model: { modelDataUrl: `s3://${b.prodModels}/fraud/model.tar.gz`, vpc: prodVpc.placement },
    dataCapture: { destinationS3Uri: `s3://${b.prodCapture}/fraud-detector/`, samplingPercent: 100, modes: ['Input', 'Output'] },
  });
  await seedTrainingJob(p, {
    name: 'fraud-train-2026-10',
    inputS3Uris: [`s3://${b.prodTraining}/fraud/`],
    outputS3Path: `s3://${b.prodModels}/fraud/`,
    vpc: prodVpc.placement,
  });
  await seedLogGroup(p, { name: '/aws/sagemaker/Endpoints/fraud-detector', retentionInDays: 400 });
  await seedBedrockLogging(p, { s3: { bucketName: b.prodBedrockLogs, keyPrefix: 'bedrock' }, text: true });
  await seedGuardDuty(p, { enable: true });
  await seedConfigRecorder(p, { deliveryBucket: b.prodAccessLogsLocked });

  // ml-dev: the usual gaps.
  const d = target(dev.target, east);
  await seedBucket(d, { name: b.devModels, tags: { 'forensight:role': 'model-artifacts' } });
  const devVpc = await seedVpcWithFlowLogs(d, { cidr: '10.20.0.0/16' });
  const devEndpoint = await seedSageMakerEndpoint(d, {
    name: 'chatbot-dev',
    model: { modelDataUrl: `s3://${b.devModels}/chatbot/model.tar.gz`, vpc: devVpc.placement },
    dataCapture: null,
  });
  await seedLogGroup(d, { name: '/aws/sagemaker/Endpoints/chatbot-dev', retentionInDays: 30 });
  await seedLogGroup(d, { name: '/forensight/bedrock/ml-dev', retentionInDays: 90 });
  await seedBedrockLogging(d, { cloudWatch: { logGroupName: '/forensight/bedrock/ml-dev' }, text: false });
  const agent = await seedAgent(d, { name: 'support-agent', aliases: ['live'] });
  const devTrail = await seedTrail(d, {
    name: 'dev-local',
    bucket: b.devTrail,
    multiRegion: false,
    logFileValidation: false,
    selectors: 'management',
  });

  return {
    org,
    accounts: {
      management: org.managementAccountId,
      logArchive: logArchive.accountId,
      mlProd: prod.accountId,
      mlDev: dev.accountId,
      dataScience: byName('data-science').accountId,
      sandbox: byName('sandbox').accountId,
    },
    names: { management: 'master', logArchive: 'log-archive', mlProd: 'ml-prod', mlDev: 'ml-dev', dataScience: 'data-science', sandbox: 'sandbox' },
    buckets: b,
    resources: {
      orgTrailArn: orgTrail.arn,
      devTrailArn: devTrail.arn,
      prodEndpointArn: prodEndpoint.endpointArn,
      devEndpointArn: devEndpoint.endpointArn,
      prodVpcId: prodVpc.vpcId,
      devVpcId: devVpc.vpcId,
      devAgentArn: agent.agentArn,
    },
  };
}

/** data-science's forensic role cannot be assumed (as when the StackSet never reached the account). */
export function denyForensicRole(proxy: FaultProxy, accountId: string, roleName = SAMPLE_ROLE_NAME): void {
  proxy.addRule({
    match: { service: 'sts', action: 'AssumeRole', roleArnIncludes: `arn:aws:iam::${accountId}:role/${roleName}` },
    error: {
      status: 403,
      code: 'AccessDenied',
      message: `User is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${accountId}:role/${roleName}`,
    },
  });
}
