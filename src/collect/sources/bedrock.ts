// Bedrock: model invocation logs for the window (S3 hour folders and/or the CloudWatch log group) and the
// configuration at collection time (logging, guardrails, agents, knowledge bases).
import { BedrockClient, GetGuardrailCommand, GetModelInvocationLoggingConfigurationCommand, ListGuardrailsCommand } from '@aws-sdk/client-bedrock';
import {
  BedrockAgentClient,
  GetAgentCommand,
  GetDataSourceCommand,
  GetKnowledgeBaseCommand,
  ListAgentAliasesCommand,
  ListAgentsCommand,
  ListDataSourcesCommand,
  ListKnowledgeBasesCommand,
} from '@aws-sdk/client-bedrock-agent';
import { pages } from '../../aws/pages.js';
import { bucketOf } from '../../model/s3-location.js';
import { bedrockHourPrefixes } from '../layout.js';
import { safeSegment } from '../paths.js';
import { collectLogGroup } from './cwlogs.js';
import { apiCall, clientFor, copyLogFolder, evidencePath, recordGap, type AccountRegion, type CollectContext } from './context.js';
import type { IamAction } from '../../model/iam.js';

/** The IAM actions this source needs (log files and groups are read through context.ts and cwlogs.ts, which declare theirs). */
export const IAM_ACTIONS: readonly IamAction[] = [
  'bedrock:GetModelInvocationLoggingConfiguration',
  'bedrock:ListGuardrails',
  'bedrock:GetGuardrail',
  'bedrock:ListAgents',
  'bedrock:GetAgent',
  'bedrock:ListAgentAliases',
  'bedrock:ListKnowledgeBases',
  'bedrock:GetKnowledgeBase',
  'bedrock:ListDataSources',
  'bedrock:GetDataSource',
];

export interface BedrockFootprint {
  /** Buckets Bedrock writes to or reads from (invocation logs, knowledge-base data sources). */
  buckets: Set<string>;
  invocationLogFiles: number;
  /** The invocation logging configuration read (null when it could not be read). */
  logging: InvocationLogging | null;
}

export interface InvocationLogging {
  s3Config?: { bucketName?: string; keyPrefix?: string };
  cloudWatchConfig?: { logGroupName?: string };
}

/** Model invocation logs of the context's window, from S3 hour folders and/or the CloudWatch log group. */
export async function collectInvocationLogs(ctx: CollectContext, where: AccountRegion, loggingConfig: InvocationLogging): Promise<number> {
  let files = 0;
  const s3Config = loggingConfig.s3Config;
  const logGroup = loggingConfig.cloudWatchConfig?.logGroupName;
  if (!s3Config?.bucketName && !logGroup) {
    await recordGap(
      ctx,
      where,
      'bedrock',
      'model invocation logs',
      'Model invocation logging is off in this region: prompts and responses were not recorded',
    );
  }
  if (s3Config?.bucketName) {
    const bucket = s3Config.bucketName;
    const counts = { copied: 0, unrecognised: 0 };
    await guarded(ctx, where, `s3://${bucket}/${s3Config.keyPrefix ?? ''}`, 's3:ListBucket', async () => {
      const access = await ctx.buckets.access(bucket, where.accountId);
      const prefixes = bedrockHourPrefixes(s3Config.keyPrefix, where.accountId, where.region, ctx.window);
      await copyLogFolder(
        ctx,
        access,
        prefixes,
        { where, source: 'bedrock', dir: pathOf(where, 'invocation-logs-s3'), classify: () => 'copy' },
        counts,
      );
    });
    files += counts.copied;
  }
  if (logGroup) await collectLogGroup(ctx, where, 'bedrock', logGroup, 'invocation-logs-cw');
  return files;
}

const pathOf = (where: AccountRegion, ...rest: string[]): string => evidencePath(where, 'bedrock', ...rest);

async function guarded(ctx: CollectContext, where: AccountRegion, target: string, action: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    await recordGap(ctx, where, 'bedrock', target, error, action);
  }
}

type BedrockMeta = { where: AccountRegion; source: 'bedrock'; service: string; path: string };

const bedrockMeta = (where: AccountRegion, path: string): BedrockMeta => ({ where, source: 'bedrock', service: 'bedrock', path });

/** The request fields of a list call's next page (none for the first). */
const pageInput = (nextToken: string | undefined) => (nextToken ? { nextToken } : {});

/**
 * Every page of a Bedrock list call that pages by nextToken, each saved as returned at config/<name>.p<N>.json.
 * `read` sends the call for one page (with the bundle metadata to save it under).
 */
function savedListPages<O extends { nextToken?: string | undefined }>(
  where: AccountRegion,
  name: string,
  read: (nextToken: string | undefined, meta: BedrockMeta) => Promise<O>,
): AsyncGenerator<O> {
  let page = 0;
  return pages(
    (nextToken) => read(nextToken, bedrockMeta(where, pathOf(where, 'config', `${name}.p${++page}.json`))),
    (out) => out.nextToken || undefined,
  );
}

export async function collectBedrock(ctx: CollectContext, where: AccountRegion, options: { logs: boolean }): Promise<BedrockFootprint> {
  const footprint: BedrockFootprint = { buckets: new Set(), invocationLogFiles: 0, logging: null };
  const bedrock = clientFor(ctx, BedrockClient, where);
  const agents = clientFor(ctx, BedrockAgentClient, where);
  const meta = (path: string) => bedrockMeta(where, path);

  let loggingConfig: InvocationLogging | undefined;
  await guarded(ctx, where, 'invocation logging configuration', 'bedrock:GetModelInvocationLoggingConfiguration', async () => {
    const out = await apiCall(
      ctx,
      new GetModelInvocationLoggingConfigurationCommand({}),
      (c) => bedrock.send(c),
      meta(pathOf(where, 'config', 'model-invocation-logging.json')),
    );
    loggingConfig = out.loggingConfig;
  });
  footprint.logging = loggingConfig ?? null;
  if (loggingConfig?.s3Config?.bucketName) footprint.buckets.add(loggingConfig.s3Config.bucketName);
  if (options.logs && loggingConfig) footprint.invocationLogFiles = await collectInvocationLogs(ctx, where, loggingConfig);

  // Configuration at collection time.
  await guarded(ctx, where, 'guardrails', 'bedrock:ListGuardrails', async () => {
    const listed = savedListPages(where, 'guardrails', (nextToken, m) =>
      apiCall(ctx, new ListGuardrailsCommand(pageInput(nextToken)), (c) => bedrock.send(c), m),
    );
    for await (const out of listed) {
      for (const g of out.guardrails ?? []) {
        if (!g.id) continue;
        const id = g.id;
        await guarded(ctx, where, `guardrail ${id}`, 'bedrock:GetGuardrail', async () => {
          await apiCall(
            ctx,
            new GetGuardrailCommand({ guardrailIdentifier: id, ...(g.version ? { guardrailVersion: g.version } : {}) }),
            (c) => bedrock.send(c),
            meta(pathOf(where, 'config', 'guardrails', `${safeSegment(id)}.json`)),
          );
        });
      }
    }
  });

  await guarded(ctx, where, 'agents', 'bedrock:ListAgents', async () => {
    const listed = savedListPages(where, 'agents', (nextToken, m) =>
      apiCall(ctx, new ListAgentsCommand(pageInput(nextToken)), (c) => agents.send(c), m),
    );
    for await (const out of listed) {
      for (const a of out.agentSummaries ?? []) {
        if (!a.agentId) continue;
        const agentId = a.agentId;
        await guarded(ctx, where, `agent ${agentId}`, 'bedrock:GetAgent', async () => {
          await apiCall(
            ctx,
            new GetAgentCommand({ agentId }),
            (c) => agents.send(c),
            meta(pathOf(where, 'config', 'agents', `${safeSegment(agentId)}.json`)),
          );
        });
        await guarded(ctx, where, `agent ${agentId} aliases`, 'bedrock:ListAgentAliases', async () => {
          await apiCall(
            ctx,
            new ListAgentAliasesCommand({ agentId }),
            (c) => agents.send(c),
            meta(pathOf(where, 'config', 'agents', `${safeSegment(agentId)}.aliases.json`)),
          );
        });
      }
    }
  });

  await guarded(ctx, where, 'knowledge bases', 'bedrock:ListKnowledgeBases', async () => {
    const listed = savedListPages(where, 'knowledge-bases', (nextToken, m) =>
      apiCall(ctx, new ListKnowledgeBasesCommand(pageInput(nextToken)), (c) => agents.send(c), m),
    );
    for await (const out of listed) {
      for (const kb of out.knowledgeBaseSummaries ?? []) {
        if (!kb.knowledgeBaseId) continue;
        const knowledgeBaseId = kb.knowledgeBaseId;
        const dir = pathOf(where, 'config', 'knowledge-bases', safeSegment(knowledgeBaseId));
        await guarded(ctx, where, `knowledge base ${knowledgeBaseId}`, 'bedrock:GetKnowledgeBase', async () => {
          await apiCall(ctx, new GetKnowledgeBaseCommand({ knowledgeBaseId }), (c) => agents.send(c), meta(`${dir}/knowledge-base.json`));
        });
        await guarded(ctx, where, `knowledge base ${knowledgeBaseId} data sources`, 'bedrock:ListDataSources', async () => {
          const list = await apiCall(ctx, new ListDataSourcesCommand({ knowledgeBaseId }), (c) => agents.send(c), meta(`${dir}/data-sources.json`));
          for (const ds of list.dataSourceSummaries ?? []) {
            if (!ds.dataSourceId) continue;
            const dataSourceId = ds.dataSourceId;
            await guarded(ctx, where, `data source ${dataSourceId}`, 'bedrock:GetDataSource', async () => {
              const got = await apiCall(
                ctx,
                new GetDataSourceCommand({ knowledgeBaseId, dataSourceId }),
                (c) => agents.send(c),
                meta(`${dir}/data-sources/${safeSegment(dataSourceId)}.json`),
              );
              const arn = got.dataSource?.dataSourceConfiguration?.s3Configuration?.bucketArn;
              const bucket = bucketOf(arn);
              if (bucket) footprint.buckets.add(bucket);
            });
          }
        });
      }
    }
  });
  return footprint;
}
