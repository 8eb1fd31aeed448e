// collectRegion against moto: mapped values equal what was seeded, pagination, once-per-resource, faults.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../src/aws/clients.js';
import { collectRegion } from '../../src/inventory/index.js';
import type { RegionInventory } from '../../src/model/inventory.js';
import { useEmulator } from '../support/emulator.js';
import * as seed from '../../demo/seed.js';

const env = useEmulator();
const REGION = 'us-east-1';

interface Seeded {
  vpc: seed.SeededVpc;
  otherVpc: seed.SeededVpc;
  endpoints: seed.SeededEndpoint[];
  agents: seed.SeededAgent[];
  kb: seed.SeededKnowledgeBase;
  detectorId: string;
}

let s: Seeded;

function collect(options: { pageSize?: number; factory?: ClientFactory } = {}) {
  const factory = options.factory ?? env.factory();
  return {
    factory,
    run: () =>
      collectRegion({
        factory,
        credentials: seed.SEED_CREDENTIALS,
        accountId: seed.MOTO_ACCOUNT,
        region: REGION,
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      }),
  };
}

function value<T>(o: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!o.ok) throw new Error(`expected seen, got unseen: ${o.reason}`);
  return o.value;
}

function countBy(calls: { action: string; ok: boolean }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of calls) counts[c.action] = (counts[c.action] ?? 0) + 1;
  return counts;
}

beforeAll(async () => {
  const factory = env.factory();
  const stubs = seed.installMotoStubs(env.proxy);
  const t: seed.SeedTarget = { factory, stubs, region: REGION };
  const vpc = await seed.seedVpcWithFlowLogs(t, {
    cidr: '10.1.0.0/16',
    flowLogs: [
      { destination: 'cloud-watch-logs', logGroupName: '/vpc/flow/ai' },
      { destination: 's3', bucket: 'flow-logs-bucket', trafficType: 'REJECT' },
    ],
  });
  const otherVpc = await seed.seedVpcWithFlowLogs(t, { cidr: '10.2.0.0/16', subnets: 1 });
  await seed.seedBucket(t, { name: 'models' });
  await seed.seedBucket(t, { name: 'capture' });
  // Two endpoints share one config (read once); a third has no data capture; a multi-container model.
  const shared = await seed.seedSageMakerEndpoint(t, {
    name: 'ep-a',
    model: { name: 'model-a', modelDataUrl: 's3://models/a/model.tar.gz', vpc: vpc.placement },
    endpointConfigName: 'shared-config',
    dataCapture: { destinationS3Uri: 's3://capture/ep/', samplingPercent: 40, modes: ['Input'] },
    instanceType: 'ml.g4dn.xlarge',
  });
  const second = await seed.seedSageMakerEndpoint(t, {
    name: 'ep-b',
    modelName: 'model-a',
    endpointConfigName: 'shared-config',
    existingConfig: true,
  });
  const third = await seed.seedSageMakerEndpoint(t, {
    name: 'ep-c',
    model: { name: 'model-c', containers: [{ modelDataUrl: 's3://models/c1.tar.gz' }, { modelDataUrl: 's3://models/c2.tar.gz' }] },
    dataCapture: null,
  });
  await seed.seedTrainingJob(t, {
    name: 'train-1',
    inputS3Uris: ['s3://training/a/', 's3://training/b/'],
    outputS3Path: 's3://models/out/',
    vpc: otherVpc.placement,
  });
  await seed.seedTrainingJob(t, { name: 'train-2', inputS3Uris: ['s3://training/c/'], outputS3Path: 's3://models/out2/' });
  await seed.seedNotebook(t, { name: 'nb-1', subnetId: vpc.subnetIds[1], securityGroupIds: [vpc.securityGroupId] });
  await seed.seedDomain(t, { name: 'studio', vpcId: vpc.vpcId, subnetIds: [vpc.subnetIds[0]!] });
  for (let i = 1; i <= 3; i++) {
    await seed.seedCustomizationJob(t, {
      jobName: `tune-${i}`,
      customModelName: `custom-${i}`,
      trainingDataS3Uri: `s3://bedrock-train/${i}.jsonl`,
      validationDataS3Uris: [`s3://bedrock-train/val-${i}.jsonl`],
      outputDataS3Uri: `s3://bedrock-out/${i}/`,
      ...(i === 1 ? { vpc: vpc.placement } : {}),
    });
  }
  const agents = [
    await seed.seedAgent(t, { name: 'support', aliases: ['live', 'canary'] }),
    await seed.seedAgent(t, { name: 'triage' }),
    await seed.seedAgent(t, { name: 'ops', aliases: ['prod'] }),
  ];
  const kb = await seed.seedKnowledgeBase(t, { name: 'docs', dataSourceBuckets: ['kb-docs', 'kb-wiki'] });
  await seed.seedKnowledgeBase(t, { name: 'empty-kb' });
  await seed.seedBedrockLogging(t, {
    s3: { bucketName: 'bedrock-logs', keyPrefix: 'invocations/' },
    cloudWatch: { logGroupName: '/aws/bedrock/invocations', largeDataBucket: 'bedrock-large' },
    text: true,
    image: false,
    embedding: true,
  });
  await seed.seedLogGroup(t, { name: '/aws/sagemaker/Endpoints/ep-a', retentionInDays: 365 });
  await seed.seedLogGroup(t, { name: '/aws/bedrock/invocations', retentionInDays: 30 });
  await seed.seedLogGroup(t, { name: '/app/no-retention' });
  const { detectorId } = await seed.seedGuardDuty(t, { enable: true });
  await seed.seedConfigRecorder(t, { resourceTypes: ['AWS::SageMaker::Model', 'AWS::SageMaker::Domain'] });
  s = { vpc, otherVpc, endpoints: [shared, second, third], agents, kb, detectorId };
});

describe('collectRegion', () => {
  let inv: RegionInventory;
  let calls: Record<string, number>;

  beforeAll(async () => {
    const c = collect();
    inv = await c.run();
    calls = countBy(c.factory.recorder.calls);
  });

  it('maps Bedrock logging, customization jobs, custom models, agents and knowledge bases', () => {
    expect(value(inv.bedrock.logging)).toEqual({
      textDataDelivery: true,
      imageDataDelivery: false,
      embeddingDataDelivery: true,
      s3: { bucketName: 'bedrock-logs', keyPrefix: 'invocations/' },
      cloudWatch: {
        logGroupName: '/aws/bedrock/invocations',
        roleArn: `arn:aws:iam::${seed.MOTO_ACCOUNT}:role/bedrock-logging`,
        largeDataS3: { bucketName: 'bedrock-large', keyPrefix: null },
      },
    });
    const jobs = value(inv.bedrock.customizationJobs).sort((a, b) => a.name.localeCompare(b.name));
    expect(jobs.map((j) => j.name)).toEqual(['tune-1', 'tune-2', 'tune-3']);
    expect(jobs[0]).toMatchObject({
      arn: `arn:aws:bedrock:${REGION}:${seed.MOTO_ACCOUNT}:model-customization-job/tune-1`,
      trainingDataS3Uri: 's3://bedrock-train/1.jsonl',
      validationDataS3Uris: ['s3://bedrock-train/val-1.jsonl'],
      outputDataS3Uri: 's3://bedrock-out/1/',
      vpcSubnetIds: s.vpc.subnetIds,
    });
    expect(jobs[1]!.vpcSubnetIds).toEqual([]);
    expect(
      value(inv.bedrock.customModels)
        .map((m) => m.name)
        .sort(),
    ).toEqual(['custom-1', 'custom-2', 'custom-3']);
    const agents = value(inv.bedrock.agents);
    expect(agents).toHaveLength(3);
    const support = agents.find((a) => a.name === 'support')!;
    expect(support.arn).toBe(s.agents[0]!.agentArn);
    expect(
      value(support.aliases)
        .map((a) => a.arn)
        .sort(),
    ).toEqual(s.agents[0]!.aliases.map((a) => a.aliasArn).sort());
    expect(value(agents.find((a) => a.name === 'triage')!.aliases)).toEqual([]);
    const kbs = value(inv.bedrock.knowledgeBases);
    const docs = kbs.find((k) => k.name === 'docs')!;
    expect(docs.arn).toBe(s.kb.knowledgeBaseArn);
    expect(value(docs.dataSourceBuckets)).toEqual(['kb-docs', 'kb-wiki']);
    expect(value(kbs.find((k) => k.name === 'empty-kb')!.dataSourceBuckets)).toEqual([]);
    expect(value(inv.bedrock.guardrails)).toEqual([]);
    expect(value(inv.bedrock.provisionedThroughputs)).toEqual([]);
  });

  it('maps SageMaker endpoints with data capture from their config, models, training jobs, notebooks and domains', () => {
    const endpoints = value(inv.sagemaker.endpoints);
    const byName = Object.fromEntries(endpoints.map((e) => [e.name, e]));
    expect(byName['ep-a']).toMatchObject({
      arn: s.endpoints[0]!.endpointArn,
      status: 'InService',
      endpointConfigName: 'shared-config',
      modelNames: ['model-a'],
    });
    expect(value(byName['ep-a']!.dataCapture)).toMatchObject({
      enabled: true,
      initialSamplingPercentage: 40,
      currentSamplingPercentage: null,
      destinationS3Uri: 's3://capture/ep/',
      captureModes: ['Input'],
    });
    expect(value(byName['ep-b']!.dataCapture)?.destinationS3Uri).toBe('s3://capture/ep/');
    expect(value(byName['ep-c']!.dataCapture)).toBeNull();
    const models = Object.fromEntries(value(inv.sagemaker.models).map((m) => [m.name, m]));
    expect(models['model-a']).toEqual({
      arn: `arn:aws:sagemaker:${REGION}:${seed.MOTO_ACCOUNT}:model/model-a`,
      name: 'model-a',
      modelDataUrls: ['s3://models/a/model.tar.gz'],
      vpc: { vpcId: null, subnetIds: s.vpc.subnetIds },
    });
    expect(models['model-c']!.modelDataUrls).toEqual(['s3://models/c1.tar.gz', 's3://models/c2.tar.gz']);
    expect(models['model-c']!.vpc).toBeNull();
    const jobs = Object.fromEntries(value(inv.sagemaker.trainingJobs).map((j) => [j.name, j]));
    expect(jobs['train-1']).toMatchObject({
      inputS3Uris: ['s3://training/a/', 's3://training/b/'],
      outputS3Path: 's3://models/out/',
      vpc: { vpcId: null, subnetIds: s.otherVpc.subnetIds },
    });
    expect(jobs['train-1']!.modelArtifactsS3Uri).toMatch(/^s3:\/\/models\/out\//);
    expect(jobs['train-2']!.vpc).toBeNull();
    expect(value(inv.sagemaker.notebooks)).toEqual([
      {
        arn: `arn:aws:sagemaker:${REGION}:${seed.MOTO_ACCOUNT}:notebook-instance/nb-1`,
        name: 'nb-1',
        status: 'InService',
        vpc: { vpcId: null, subnetIds: [s.vpc.subnetIds[1]] },
      },
    ]);
    expect(value(inv.sagemaker.domains)).toEqual([
      expect.objectContaining({ name: 'studio', vpc: { vpcId: s.vpc.vpcId, subnetIds: [s.vpc.subnetIds[0]] } }),
    ]);
  });

  it('maps the subnets AI resources use to their VPCs, flow logs, log groups, GuardDuty and Config', () => {
    expect(value(inv.subnetVpcs)).toEqual({
      [s.vpc.subnetIds[0]!]: s.vpc.vpcId,
      [s.vpc.subnetIds[1]!]: s.vpc.vpcId,
      [s.otherVpc.subnetIds[0]!]: s.otherVpc.vpcId,
    });
    const flowLogs = value(inv.flowLogs);
    expect(flowLogs.map((f) => f.id).sort()).toEqual([...s.vpc.flowLogIds].sort());
    expect(flowLogs.find((f) => f.destinationType === 'cloud-watch-logs')).toMatchObject({
      resourceId: s.vpc.vpcId,
      trafficType: 'ALL',
      status: 'ACTIVE',
      logGroupName: '/vpc/flow/ai',
    });
    expect(flowLogs.find((f) => f.destinationType === 's3')).toMatchObject({
      trafficType: 'REJECT',
      destinationArn: 'arn:aws:s3:::flow-logs-bucket',
      logGroupName: null,
    });
    const groups = Object.fromEntries(value(inv.logGroups).map((g) => [g.name, g]));
    expect(groups['/aws/sagemaker/Endpoints/ep-a']).toEqual({
      name: '/aws/sagemaker/Endpoints/ep-a',
      arn: `arn:aws:logs:${REGION}:${seed.MOTO_ACCOUNT}:log-group:/aws/sagemaker/Endpoints/ep-a`,
      retentionInDays: 365,
    });
    expect(groups['/app/no-retention']!.retentionInDays).toBeNull();
    expect(value(inv.guardDuty)).toEqual([{ detectorId: s.detectorId, status: { ok: true, value: 'ENABLED' } }]);
    expect(value(inv.config)).toEqual([
      expect.objectContaining({
        name: 'default',
        allSupported: false,
        includeGlobalResourceTypes: false,
        resourceTypes: ['AWS::SageMaker::Model', 'AWS::SageMaker::Domain'],
        exclusionTypes: [],
        recording: true,
        lastStatus: expect.any(String),
      }),
    ]);
  });

  it('calls each per-resource API once, and shared endpoint configs once', () => {
    expect(calls).toMatchObject({
      DescribeEndpoint: 3,
      DescribeEndpointConfig: 2,
      DescribeModel: 2,
      DescribeTrainingJob: 2,
      DescribeNotebookInstance: 1,
      DescribeDomain: 1,
      GetModelCustomizationJob: 3,
      ListAgentAliases: 3,
      ListDataSources: 2,
      GetDataSource: 2,
      GetDetector: 1,
      DescribeSubnets: 1,
      GetModelInvocationLoggingConfiguration: 1,
      DescribeConfigurationRecorders: 1,
      DescribeConfigurationRecorderStatus: 1,
    });
    for (const list of [
      'ListEndpoints',
      'ListModels',
      'ListTrainingJobs',
      'ListAgents',
      'ListKnowledgeBases',
      'DescribeLogGroups',
      'DescribeFlowLogs',
      'ListDetectors',
    ]) {
      expect(calls[list], list).toBe(1);
    }
    // No interface-level flow log here: network interfaces are not listed.
    expect(calls.DescribeNetworkInterfaces).toBeUndefined();
  });

  it('follows pagination tokens and gets the same inventory', async () => {
    const c = collect({ pageSize: 1 });
    const paged = await c.run();
    const counts = countBy(c.factory.recorder.calls);
    // moto paginates these with MaxResults; one resource per page means one call per item (+ a last page for some).
    expect(counts.ListModelCustomizationJobs).toBeGreaterThanOrEqual(3);
    expect(counts.ListAgents).toBeGreaterThanOrEqual(3);
    expect(counts.DescribeLogGroups).toBeGreaterThanOrEqual(3);
    expect(counts.ListEndpoints).toBeGreaterThanOrEqual(3);
    expect(
      value(paged.bedrock.customizationJobs)
        .map((j) => j.name)
        .sort(),
    ).toEqual(['tune-1', 'tune-2', 'tune-3']);
    expect(value(paged.bedrock.agents)).toHaveLength(3);
    expect(
      value(paged.logGroups)
        .map((g) => g.name)
        .sort(),
    ).toEqual(
      value(inv.logGroups)
        .map((g) => g.name)
        .sort(),
    );
    expect(
      value(paged.sagemaker.endpoints)
        .map((e) => e.name)
        .sort(),
    ).toEqual(['ep-a', 'ep-b', 'ep-c']);
    expect(value(paged.sagemaker.trainingJobs)).toHaveLength(2);
    // Each resource is still described once however the list was paged.
    expect(counts.DescribeEndpoint).toBe(3);
    expect(counts.DescribeEndpointConfig).toBe(2);
  });
});

describe('collectRegion with faults', () => {
  async function withRule(rule: Parameters<typeof env.proxy.addRule>[0], run: (inv: RegionInventory) => void, maxAttempts = 2): Promise<void> {
    env.proxy.addRule(rule);
    try {
      run(await collect({ factory: env.factory(maxAttempts) }).run());
    } finally {
      env.proxy.clearRules();
    }
  }

  it('AccessDenied on DescribeEndpointConfig makes only the data capture of its endpoints unseen', async () => {
    await withRule(
      { match: { service: 'sagemaker', action: 'DescribeEndpointConfig' }, error: { status: 400, code: 'AccessDeniedException' } },
      (inv) => {
        for (const e of value(inv.sagemaker.endpoints)) {
          expect(e.dataCapture.ok).toBe(false);
          if (!e.dataCapture.ok) {
            expect(e.dataCapture.reason).toContain('sagemaker:DescribeEndpointConfig');
            expect(e.dataCapture.errorCode).toBe('AccessDeniedException');
          }
          expect(e.status).toBe('InService');
        }
        expect(value(inv.sagemaker.models)).toHaveLength(2);
        expect(inv.bedrock.logging.ok).toBe(true);
      },
    );
  });

  it('a failing DescribeEndpoint of one endpoint leaves the others intact', async () => {
    env.proxy.addRule({
      match: { service: 'sagemaker', action: 'DescribeEndpoint' },
      error: { status: 400, code: 'AccessDeniedException' },
      times: 1,
    });
    try {
      const inv = await collect().run();
      const endpoints = value(inv.sagemaker.endpoints);
      const failed = endpoints.filter((e) => !e.dataCapture.ok);
      expect(failed).toHaveLength(1);
      expect(failed[0]!.detailsUnseen?.reason).toContain('sagemaker:DescribeEndpoint');
      expect(endpoints.filter((e) => e.dataCapture.ok)).toHaveLength(2);
    } finally {
      env.proxy.clearRules();
    }
  });

  it('AccessDenied on a list makes that list unseen and nothing else', async () => {
    await withRule(
      {
        match: { service: 'sagemaker', action: 'ListTrainingJobs' },
        error: { status: 400, code: 'AccessDeniedException', message: 'not authorized to perform sagemaker:ListTrainingJobs' },
      },
      (inv) => {
        expect(inv.sagemaker.trainingJobs).toEqual({
          ok: false,
          reason: expect.stringContaining('sagemaker:ListTrainingJobs'),
          errorCode: 'AccessDeniedException',
        });
        expect(inv.sagemaker.endpoints.ok).toBe(true);
        expect(inv.subnetVpcs.ok).toBe(true);
      },
    );
  });

  it('a failing detail call of a Bedrock resource marks only that resource', async () => {
    await withRule(
      {
        match: { service: 'bedrock', method: 'GET', pathIncludes: '/model-customization-jobs/' },
        error: { status: 403, code: 'AccessDeniedException' },
      },
      (inv) => {
        const jobs = value(inv.bedrock.customizationJobs);
        expect(jobs).toHaveLength(3);
        for (const j of jobs) expect(j.detailsUnseen?.reason).toContain('bedrock:GetModelCustomizationJob');
        expect(inv.bedrock.customModels.ok).toBe(true);
      },
    );
    await withRule(
      { match: { service: 'bedrock', method: 'GET', pathIncludes: '/datasources/' }, error: { status: 403, code: 'AccessDeniedException' } },
      (inv) => {
        const kbs = value(inv.bedrock.knowledgeBases);
        const docs = kbs.find((k) => k.name === 'docs')!;
        expect(docs.dataSourceBuckets).toMatchObject({ ok: false, errorCode: 'AccessDeniedException' });
        expect(docs.dataSourceBuckets.ok ? '' : docs.dataSourceBuckets.reason).toContain('bedrock:GetDataSource');
        expect(value(kbs.find((k) => k.name === 'empty-kb')!.dataSourceBuckets)).toEqual([]);
      },
    );
  });

  it('failures of the other services stay in their own part', async () => {
    await withRule({ match: { service: 'logs', action: 'DescribeLogGroups' }, error: { status: 400, code: 'AccessDeniedException' } }, (inv) => {
      expect(inv.logGroups).toMatchObject({ ok: false, errorCode: 'AccessDeniedException' });
      expect(inv.flowLogs.ok).toBe(true);
    });
    await withRule({ match: { service: 'ec2', action: 'DescribeSubnets' }, error: { status: 403, code: 'UnauthorizedOperation' } }, (inv) => {
      expect(inv.subnetVpcs).toMatchObject({ ok: false, errorCode: 'UnauthorizedOperation' });
      expect(inv.flowLogs.ok).toBe(true);
    });
    await withRule(
      {
        match: { service: 'guardduty', method: 'GET', pathIncludes: `/detector/${s.detectorId}` },
        error: { status: 403, code: 'AccessDeniedException' },
      },
      (inv) => {
        // Only the detector's status is unknown; the detector list itself was read.
        expect(value(inv.guardDuty)).toEqual([
          {
            detectorId: s.detectorId,
            status: { ok: false, reason: expect.stringContaining('guardduty:GetDetector'), errorCode: 'AccessDeniedException' },
          },
        ]);
        expect(inv.config.ok).toBe(true);
      },
    );
    await withRule(
      { match: { service: 'guardduty', method: 'GET', pathIncludes: '/detector' }, error: { status: 403, code: 'AccessDeniedException' }, times: 1 },
      (inv) => {
        expect(inv.guardDuty).toMatchObject({ ok: false, reason: expect.stringContaining('guardduty:ListDetectors') });
      },
    );
    await withRule(
      { match: { service: 'config', action: 'DescribeConfigurationRecorderStatus' }, error: { status: 400, code: 'AccessDeniedException' } },
      (inv) => {
        expect(inv.config).toMatchObject({ ok: false, reason: expect.stringContaining('config:DescribeConfigurationRecorderStatus') });
        expect(inv.guardDuty.ok).toBe(true);
      },
    );
  });

  it('throttling past retries is recorded as unseen, never thrown', async () => {
    await withRule(
      { match: { service: 'sagemaker' }, error: { status: 400, code: 'ThrottlingException' } },
      (inv) => {
        expect(inv.sagemaker.endpoints).toMatchObject({ ok: false, errorCode: 'ThrottlingException' });
        expect(inv.sagemaker.endpoints.ok ? '' : inv.sagemaker.endpoints.reason).toMatch(/^Throttled/);
        expect(inv.bedrock.agents.ok).toBe(true);
      },
      1,
    );
  });
});
