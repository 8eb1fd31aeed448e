// Bedrock (and Bedrock Agents) in one region: invocation logging, customization, agents, knowledge bases,
// provisioned throughput and guardrails.
import {
  BedrockClient,
  GetModelCustomizationJobCommand,
  GetModelInvocationLoggingConfigurationCommand,
  ListCustomModelsCommand,
  ListGuardrailsCommand,
  ListModelCustomizationJobsCommand,
  ListProvisionedModelThroughputsCommand,
  type GetModelCustomizationJobCommandOutput,
  type LoggingConfig,
  type ModelCustomizationJobSummary,
} from '@aws-sdk/client-bedrock';
import {
  BedrockAgentClient,
  GetDataSourceCommand,
  ListAgentAliasesCommand,
  ListAgentsCommand,
  ListDataSourcesCommand,
  ListKnowledgeBasesCommand,
} from '@aws-sdk/client-bedrock-agent';
import { describeError, errorCode } from '../aws/errors.js';
import {
  seen,
  type BedrockAgent,
  type BedrockCustomizationJob,
  type BedrockKnowledgeBase,
  type BedrockLoggingConfig,
  type BedrockRegion,
  type NamedResource,
  type Observed,
} from '../model/inventory.js';
import { partitionOf } from '../model/arn.js';
import { bucketOf } from '../model/s3-location.js';
import { attempt, clientFor, limiter, paginate, uniq, type CollectorContext, type Limiter } from './util.js';
import type { IamAction } from '../model/iam.js';

/** The IAM actions these reads need (the role template is built from such declarations). */
export const IAM_ACTIONS: readonly IamAction[] = [
  'bedrock:GetModelInvocationLoggingConfiguration',
  'bedrock:ListCustomModels',
  'bedrock:ListModelCustomizationJobs',
  'bedrock:GetModelCustomizationJob',
  'bedrock:ListProvisionedModelThroughputs',
  'bedrock:ListGuardrails',
  'bedrock:ListAgents',
  'bedrock:ListAgentAliases',
  'bedrock:ListKnowledgeBases',
  'bedrock:ListDataSources',
  'bedrock:GetDataSource',
];

// ---------- mappers ----------

/** An empty loggingConfig (what the API returns when logging was never configured) or one without destination is off: null. */
export function mapLoggingConfig(config: LoggingConfig | undefined): BedrockLoggingConfig | null {
  if (!config) return null;
  const s3 = config.s3Config?.bucketName ? { bucketName: config.s3Config.bucketName, keyPrefix: config.s3Config.keyPrefix || null } : null;
  const cw = config.cloudWatchConfig;
  const cloudWatch = cw?.logGroupName
    ? {
        logGroupName: cw.logGroupName,
        roleArn: cw.roleArn || null,
        largeDataS3: cw.largeDataDeliveryS3Config?.bucketName
          ? { bucketName: cw.largeDataDeliveryS3Config.bucketName, keyPrefix: cw.largeDataDeliveryS3Config.keyPrefix || null }
          : null,
      }
    : null;
  if (!s3 && !cloudWatch) return null;
  return {
    textDataDelivery: config.textDataDeliveryEnabled === true,
    imageDataDelivery: config.imageDataDeliveryEnabled === true,
    embeddingDataDelivery: config.embeddingDataDeliveryEnabled === true,
    s3,
    cloudWatch,
  };
}

export function mapCustomizationJob(
  summary: ModelCustomizationJobSummary,
  detail: Observed<GetModelCustomizationJobCommandOutput>,
): BedrockCustomizationJob {
  const base = { arn: String(summary.jobArn), name: String(summary.jobName), status: String(summary.status ?? 'Unknown') };
  if (!detail.ok) {
    return {
      ...base,
      trainingDataS3Uri: null,
      validationDataS3Uris: [],
      outputDataS3Uri: null,
      vpcSubnetIds: [],
      detailsUnseen: { reason: detail.reason, ...(detail.errorCode ? { errorCode: detail.errorCode } : {}) },
    };
  }
  const d = detail.value;
  return {
    ...base,
    status: String(d.status ?? base.status),
    trainingDataS3Uri: d.trainingDataConfig?.s3Uri || null,
    validationDataS3Uris: (d.validationDataConfig?.validators ?? []).map((v) => v.s3Uri).filter((u): u is string => Boolean(u)),
    outputDataS3Uri: d.outputDataConfig?.s3Uri || null,
    vpcSubnetIds: [...(d.vpcConfig?.subnetIds ?? [])],
  };
}

export function agentArn(region: string, accountId: string, agentId: string): string {
  return `arn:${partitionOf(region)}:bedrock:${region}:${accountId}:agent/${agentId}`;
}

export function agentAliasArn(region: string, accountId: string, agentId: string, aliasId: string): string {
  return `arn:${partitionOf(region)}:bedrock:${region}:${accountId}:agent-alias/${agentId}/${aliasId}`;
}

export function knowledgeBaseArn(region: string, accountId: string, knowledgeBaseId: string): string {
  return `arn:${partitionOf(region)}:bedrock:${region}:${accountId}:knowledge-base/${knowledgeBaseId}`;
}

// ---------- calls ----------

/** The clients, page size and per-service concurrency one region's Bedrock reads share. */
interface BedrockReader {
  ctx: CollectorContext;
  bedrock: BedrockClient;
  agents: BedrockAgentClient;
  maxResults: number | undefined;
  limitBedrock: Limiter;
  limitAgents: Limiter;
}

export async function collectBedrock(ctx: CollectorContext): Promise<BedrockRegion> {
  const reader: BedrockReader = {
    ctx,
    bedrock: clientFor(ctx, BedrockClient),
    agents: clientFor(ctx, BedrockAgentClient),
    maxResults: ctx.pageSize,
    limitBedrock: limiter(),
    limitAgents: limiter(),
  };
  const [logging, customModels, customizationJobs, agents, knowledgeBases, provisionedThroughputs, guardrails] = await Promise.all([
    readLogging(reader),
    readCustomModels(reader),
    readCustomizationJobs(reader),
    readAgents(reader),
    readKnowledgeBases(reader),
    readProvisionedThroughputs(reader),
    readGuardrails(reader),
  ]);
  return { logging, customModels, customizationJobs, agents, knowledgeBases, provisionedThroughputs, guardrails };
}

function readLogging({ bedrock }: BedrockReader): Promise<Observed<BedrockLoggingConfig | null>> {
  return attempt('bedrock:GetModelInvocationLoggingConfiguration', async () =>
    mapLoggingConfig((await bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig),
  );
}

function readCustomModels({ bedrock, maxResults }: BedrockReader): Promise<Observed<NamedResource[]>> {
  return attempt('bedrock:ListCustomModels', async () => {
    const models = await paginate(async (nextToken) => {
      const out = await bedrock.send(new ListCustomModelsCommand({ maxResults, nextToken }));
      return { items: out.modelSummaries, next: out.nextToken };
    });
    return models.map((m): NamedResource => ({ arn: String(m.modelArn), name: String(m.modelName) }));
  });
}

async function readCustomizationJobs({ bedrock, maxResults, limitBedrock }: BedrockReader): Promise<Observed<BedrockCustomizationJob[]>> {
  const list = await attempt('bedrock:ListModelCustomizationJobs', () =>
    paginate(async (nextToken) => {
      const out = await bedrock.send(new ListModelCustomizationJobsCommand({ maxResults, nextToken }));
      return { items: out.modelCustomizationJobSummaries, next: out.nextToken };
    }),
  );
  if (!list.ok) return list;
  const unique = [...new Map(list.value.map((j) => [String(j.jobArn), j])).values()];
  const jobs = await Promise.all(
    unique.map((summary) =>
      limitBedrock(async () => {
        const detail = await attempt('bedrock:GetModelCustomizationJob', () =>
          bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: summary.jobArn })),
        );
        return mapCustomizationJob(summary, detail);
      }),
    ),
  );
  return seen(jobs);
}

function readProvisionedThroughputs({ bedrock, maxResults }: BedrockReader): Promise<Observed<NamedResource[]>> {
  return attempt('bedrock:ListProvisionedModelThroughputs', async () => {
    const items = await paginate(async (nextToken) => {
      const out = await bedrock.send(new ListProvisionedModelThroughputsCommand({ maxResults, nextToken }));
      return { items: out.provisionedModelSummaries, next: out.nextToken };
    });
    return items.map((p): NamedResource => ({ arn: String(p.provisionedModelArn), name: String(p.provisionedModelName) }));
  });
}

function readGuardrails({ bedrock, maxResults }: BedrockReader): Promise<Observed<NamedResource[]>> {
  return attempt('bedrock:ListGuardrails', async () => {
    const items = await paginate(async (nextToken) => {
      const out = await bedrock.send(new ListGuardrailsCommand({ maxResults, nextToken }));
      return { items: out.guardrails, next: out.nextToken };
    });
    // Without an identifier the API lists each guardrail's DRAFT; dedupe by ARN in case versions appear.
    return [...new Map(items.map((g) => [String(g.arn), { arn: String(g.arn), name: String(g.name) }])).values()];
  });
}

async function readAgents(reader: BedrockReader): Promise<Observed<BedrockAgent[]>> {
  const { agents, maxResults, limitAgents } = reader;
  const list = await attempt('bedrock:ListAgents', () =>
    paginate(async (nextToken) => {
      const out = await agents.send(new ListAgentsCommand({ maxResults, nextToken }));
      return { items: out.agentSummaries, next: out.nextToken };
    }),
  );
  if (!list.ok) return list;
  const ids = uniq(list.value.map((a) => String(a.agentId)));
  const names = new Map(list.value.map((a) => [String(a.agentId), String(a.agentName)]));
  return seen(await Promise.all(ids.map((agentId) => limitAgents(() => readAgent(reader, agentId, names.get(agentId) ?? agentId)))));
}

async function readAgent({ ctx, agents, maxResults }: BedrockReader, agentId: string, name: string): Promise<BedrockAgent> {
  const aliases = await attempt('bedrock:ListAgentAliases', async () => {
    const items = await paginate(async (nextToken) => {
      const out = await agents.send(new ListAgentAliasesCommand({ agentId, maxResults, nextToken }));
      return { items: out.agentAliasSummaries, next: out.nextToken };
    });
    return items.map((a): NamedResource => ({
      arn: agentAliasArn(ctx.region, ctx.accountId, agentId, String(a.agentAliasId)),
      name: String(a.agentAliasName),
    }));
  });
  return { id: agentId, arn: agentArn(ctx.region, ctx.accountId, agentId), name, aliases };
}

async function readKnowledgeBases(reader: BedrockReader): Promise<Observed<BedrockKnowledgeBase[]>> {
  const { ctx, agents, maxResults } = reader;
  const list = await attempt('bedrock:ListKnowledgeBases', () =>
    paginate(async (nextToken) => {
      const out = await agents.send(new ListKnowledgeBasesCommand({ maxResults, nextToken }));
      return { items: out.knowledgeBaseSummaries, next: out.nextToken };
    }),
  );
  if (!list.ok) return list;
  const ids = uniq(list.value.map((k) => String(k.knowledgeBaseId)));
  const names = new Map(list.value.map((k) => [String(k.knowledgeBaseId), String(k.name)]));
  return seen(
    await Promise.all(
      ids.map(async (knowledgeBaseId): Promise<BedrockKnowledgeBase> => {
        const dataSourceBuckets = await readDataSourceBuckets(reader, knowledgeBaseId);
        return {
          id: knowledgeBaseId,
          arn: knowledgeBaseArn(ctx.region, ctx.accountId, knowledgeBaseId),
          name: names.get(knowledgeBaseId) ?? knowledgeBaseId,
          dataSourceBuckets,
        };
      }),
    ),
  );
}

/** S3 buckets behind a knowledge base; unseen if any data source could not be read (a bucket could be missing). */
async function readDataSourceBuckets({ agents, maxResults, limitAgents }: BedrockReader, knowledgeBaseId: string): Promise<Observed<string[]>> {
  const sources = await limitAgents(() =>
    attempt('bedrock:ListDataSources', () =>
      paginate(async (nextToken) => {
        const out = await agents.send(new ListDataSourcesCommand({ knowledgeBaseId, maxResults, nextToken }));
        return { items: out.dataSourceSummaries, next: out.nextToken };
      }),
    ),
  );
  if (!sources.ok) return sources;
  const ids = uniq(sources.value.map((s) => String(s.dataSourceId)));
  const results = await Promise.all(
    ids.map((dataSourceId) =>
      limitAgents(async () => {
        try {
          const out = await agents.send(new GetDataSourceCommand({ knowledgeBaseId, dataSourceId }));
          return { ok: true as const, bucket: bucketOf(out.dataSource?.dataSourceConfiguration?.s3Configuration?.bucketArn) };
        } catch (error) {
          return { ok: false as const, error };
        }
      }),
    ),
  );
  const failed = results.find((r) => !r.ok);
  if (failed && !failed.ok) {
    return {
      ok: false,
      reason: `Data source of knowledge base ${knowledgeBaseId} not read: ${describeError(failed.error, 'bedrock:GetDataSource')}`,
      errorCode: errorCode(failed.error),
    };
  }
  return seen(uniq(results.flatMap((r) => (r.ok && r.bucket ? [r.bucket] : []))).sort());
}
