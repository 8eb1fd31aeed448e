// SageMaker: descriptions of endpoints, endpoint configs, models, training jobs and notebook instances;
// endpoint container logs and data-capture files for the window. Also yields the AI footprint (buckets,
// model artifacts, subnets) that the S3 and flow-log sources need.
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeNotebookInstanceCommand,
  DescribeTrainingJobCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListNotebookInstancesCommand,
  ListTrainingJobsCommand,
  SageMakerClient,
  type DescribeEndpointConfigCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { pages } from '../../aws/pages.js';
import { parseS3Location } from '../../model/s3-location.js';
import { dataCaptureHourOf, dataCaptureInWindow } from '../layout.js';
import { safeSegment } from '../paths.js';
import type { AiWorkload } from './ai-network.js';
import { collectLogGroup } from './cwlogs.js';
import { apiCall, clientFor, copyLogFolder, evidencePath, recordGap, type AccountRegion, type CollectContext } from './context.js';
import type { IamAction } from '../../model/iam.js';
import { SAGEMAKER_WORKLOAD_READS } from '../../inventory/sagemaker.js';

/** The IAM actions this source needs (logs and capture files are read through cwlogs.ts and context.ts). */
export const IAM_ACTIONS: readonly IamAction[] = SAGEMAKER_WORKLOAD_READS;

/** Describe at most this many training jobs per account-region (newest first); the rest is a recorded gap. */
export const MAX_TRAINING_JOBS = 200;

export interface SageMakerFootprint {
  /** AI data buckets: training input/output, model data, data capture. */
  buckets: Set<string>;
  /** s3:// URIs of model artifacts (ModelDataUrl, training output model.tar.gz). */
  modelArtifacts: Set<string>;
  subnetIds: Set<string>;
  endpoints: { name: string; captureUri: string | null }[];
  /** Endpoints, notebooks and training jobs placed in the customer's VPC (their interfaces are collected). */
  workloads: AiWorkload[];
}

interface Placement {
  subnetIds: string[];
  securityGroupIds: string[];
}

const placementOf = (vpc: { Subnets?: string[]; SecurityGroupIds?: string[] } | undefined): Placement | null =>
  vpc?.Subnets?.length ? { subnetIds: [...vpc.Subnets].sort(), securityGroupIds: [...(vpc.SecurityGroupIds ?? [])].sort() } : null;

/** An endpoint runs its variants' models: it sits in the VPC of each model that has one. */
function endpointWorkloads(endpoints: { arn: string; name: string; models: string[] }[], models: Map<string, Placement>): AiWorkload[] {
  return endpoints.flatMap((e) => {
    const placements = e.models.map((m) => models.get(m)).filter((p): p is Placement => Boolean(p));
    if (placements.length === 0) return [];
    const subnetIds = [...new Set(placements.flatMap((p) => p.subnetIds))].sort();
    // Interfaces of different variants may carry different groups: require only those every variant has.
    const securityGroupIds = placements.map((p) => p.securityGroupIds).reduce((a, b) => a.filter((g) => b.includes(g)));
    return [{ arn: e.arn, name: e.name, kind: 'endpoint' as const, subnetIds, securityGroupIds, networkInterfaceId: null }];
  });
}

const pathOf = (where: AccountRegion, ...rest: string[]): string => evidencePath(where, 'sagemaker', ...rest);

async function listAll<T>(
  fetchPage: (token: string | undefined, page: number) => Promise<{ items: T[]; next?: string }>,
  max = Infinity,
): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let page = 0;
  for await (const out of pages(
    (token) => fetchPage(token, ++page),
    (o) => o.next || undefined,
  )) {
    items.push(...out.items);
    if (items.length >= max) return { items: items.slice(0, max), truncated: Boolean(out.next) || items.length > max };
  }
  return { items, truncated: false };
}

function addUri(footprint: SageMakerFootprint, uri: string | undefined, artifact = false): void {
  if (!uri) return;
  const parsed = parseS3Location(uri);
  if (!parsed) return;
  footprint.buckets.add(parsed.bucket);
  if (artifact && parsed.key) footprint.modelArtifacts.add(uri);
}

export async function collectSageMaker(ctx: CollectContext, where: AccountRegion, options: { logs: boolean }): Promise<SageMakerFootprint> {
  const footprint: SageMakerFootprint = { buckets: new Set(), modelArtifacts: new Set(), subnetIds: new Set(), endpoints: [], workloads: [] };
  const reader: SageMakerReader = {
    ctx,
    where,
    footprint,
    sm: clientFor(ctx, SageMakerClient, where),
    meta: (path: string) => ({ where, source: 'sagemaker' as const, service: 'sagemaker', path }),
    guarded: async (target: string, action: string, fn: () => Promise<void>): Promise<void> => {
      try {
        await fn();
      } catch (error) {
        await recordGap(ctx, where, 'sagemaker', target, error, action);
      }
    },
  };
  const endpointModels = await readEndpoints(reader);
  const modelPlacements = await readModels(reader);
  await readTrainingJobs(reader);
  await readNotebookInstances(reader);
  footprint.workloads.push(...endpointWorkloads(endpointModels, modelPlacements));
  if (options.logs) await collectEndpointLogs(ctx, where, footprint.endpoints);
  return footprint;
}

/** What each SageMaker resource reader shares: where it reads, the client, the footprint it fills, and a gap-recording guard. */
interface SageMakerReader {
  ctx: CollectContext;
  where: AccountRegion;
  sm: SageMakerClient;
  footprint: SageMakerFootprint;
  meta: (path: string) => { where: AccountRegion; source: 'sagemaker'; service: string; path: string };
  guarded: (target: string, action: string, fn: () => Promise<void>) => Promise<void>;
}

/** Endpoints and their configs (data capture destinations); returns each endpoint with its models. */
async function readEndpoints(r: SageMakerReader): Promise<{ arn: string; name: string; models: string[] }[]> {
  const { ctx, where, sm, footprint, meta, guarded } = r;
  const endpointModels: { arn: string; name: string; models: string[] }[] = [];
  const configs = new Map<string, DescribeEndpointConfigCommandOutput>();
  await guarded('endpoints', 'sagemaker:ListEndpoints', async () => {
    const { items } = await listAll(async (NextToken, page) => {
      const out = await apiCall(
        ctx,
        new ListEndpointsCommand({ ...(NextToken ? { NextToken } : {}) }),
        (c) => sm.send(c),
        meta(pathOf(where, 'endpoints', `list.p${page}.json`)),
      );
      return { items: out.Endpoints ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
    });
    for (const e of items) {
      if (!e.EndpointName) continue;
      const name = e.EndpointName;
      await guarded(`endpoint ${name}`, 'sagemaker:DescribeEndpoint', async () => {
        const ep = await apiCall(
          ctx,
          new DescribeEndpointCommand({ EndpointName: name }),
          (c) => sm.send(c),
          meta(pathOf(where, 'endpoints', `${safeSegment(name)}.json`)),
        );
        let captureUri: string | null = null;
        const configName = ep.EndpointConfigName;
        if (configName) {
          let config = configs.get(configName);
          if (!config) {
            await guarded(`endpoint config ${configName}`, 'sagemaker:DescribeEndpointConfig', async () => {
              config = await apiCall(
                ctx,
                new DescribeEndpointConfigCommand({ EndpointConfigName: configName }),
                (c) => sm.send(c),
                meta(pathOf(where, 'endpoint-configs', `${safeSegment(configName)}.json`)),
              );
              configs.set(configName, config);
            });
          }
          const capture = config?.DataCaptureConfig;
          if (capture?.DestinationS3Uri && capture.EnableCapture !== false) {
            captureUri = capture.DestinationS3Uri;
            addUri(footprint, captureUri);
          }
        }
        footprint.endpoints.push({ name, captureUri });
        const models = (configs.get(configName ?? '')?.ProductionVariants ?? []).map((v) => v.ModelName ?? '').filter(Boolean);
        if (ep.EndpointArn) endpointModels.push({ arn: ep.EndpointArn, name, models });
      });
    }
  });
  return endpointModels;
}

/** Models: artifact locations and VPC placement by model name. */
async function readModels(r: SageMakerReader): Promise<Map<string, Placement>> {
  const { ctx, where, sm, footprint, meta, guarded } = r;
  const modelPlacements = new Map<string, Placement>();
  await guarded('models', 'sagemaker:ListModels', async () => {
    const { items } = await listAll(async (NextToken, page) => {
      const out = await apiCall(
        ctx,
        new ListModelsCommand({ ...(NextToken ? { NextToken } : {}) }),
        (c) => sm.send(c),
        meta(pathOf(where, 'models', `list.p${page}.json`)),
      );
      return { items: out.Models ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
    });
    for (const m of items) {
      if (!m.ModelName) continue;
      const name = m.ModelName;
      await guarded(`model ${name}`, 'sagemaker:DescribeModel', async () => {
        const model = await apiCall(
          ctx,
          new DescribeModelCommand({ ModelName: name }),
          (c) => sm.send(c),
          meta(pathOf(where, 'models', `${safeSegment(name)}.json`)),
        );
        for (const c of [model.PrimaryContainer, ...(model.Containers ?? [])]) {
          addUri(footprint, c?.ModelDataUrl, true);
          addUri(footprint, c?.ModelDataSource?.S3DataSource?.S3Uri, true);
        }
        for (const s of model.VpcConfig?.Subnets ?? []) footprint.subnetIds.add(s);
        const placement = placementOf(model.VpcConfig);
        if (placement) modelPlacements.set(name, placement);
      });
    }
  });
  return modelPlacements;
}

/** Training jobs (newest first, bounded): data and artifact locations, VPC workloads. */
async function readTrainingJobs(r: SageMakerReader): Promise<void> {
  const { ctx, where, sm, footprint, meta, guarded } = r;
  await guarded('training jobs', 'sagemaker:ListTrainingJobs', async () => {
    const { items, truncated } = await listAll(async (NextToken, page) => {
      const out = await apiCall(
        ctx,
        new ListTrainingJobsCommand({ SortBy: 'CreationTime', SortOrder: 'Descending', ...(NextToken ? { NextToken } : {}) }),
        (c) => sm.send(c),
        meta(pathOf(where, 'training-jobs', `list.p${page}.json`)),
      );
      return { items: out.TrainingJobSummaries ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
    }, MAX_TRAINING_JOBS);
    if (truncated)
      await recordGap(
        ctx,
        where,
        'sagemaker',
        'training jobs',
        `More than ${MAX_TRAINING_JOBS} training jobs: only the newest ${MAX_TRAINING_JOBS} were described`,
      );
    for (const j of items) {
      if (!j.TrainingJobName) continue;
      const name = j.TrainingJobName;
      await guarded(`training job ${name}`, 'sagemaker:DescribeTrainingJob', async () => {
        const job = await apiCall(
          ctx,
          new DescribeTrainingJobCommand({ TrainingJobName: name }),
          (c) => sm.send(c),
          meta(pathOf(where, 'training-jobs', `${safeSegment(name)}.json`)),
        );
        for (const ch of job.InputDataConfig ?? []) addUri(footprint, ch.DataSource?.S3DataSource?.S3Uri);
        addUri(footprint, job.OutputDataConfig?.S3OutputPath);
        addUri(footprint, job.ModelArtifacts?.S3ModelArtifacts, true);
        for (const s of job.VpcConfig?.Subnets ?? []) footprint.subnetIds.add(s);
        const placement = placementOf(job.VpcConfig);
        if (placement && job.TrainingJobArn)
          footprint.workloads.push({ arn: job.TrainingJobArn, name, kind: 'training-job', ...placement, networkInterfaceId: null });
      });
    }
  });
}

/** Notebook instances: subnet and network interface workloads. */
async function readNotebookInstances(r: SageMakerReader): Promise<void> {
  const { ctx, where, sm, footprint, meta, guarded } = r;
  await guarded('notebook instances', 'sagemaker:ListNotebookInstances', async () => {
    const { items } = await listAll(async (NextToken, page) => {
      const out = await apiCall(
        ctx,
        new ListNotebookInstancesCommand({ ...(NextToken ? { NextToken } : {}) }),
        (c) => sm.send(c),
        meta(pathOf(where, 'notebook-instances', `list.p${page}.json`)),
      );
      return { items: out.NotebookInstances ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
    });
    for (const n of items) {
      if (!n.NotebookInstanceName) continue;
      const name = n.NotebookInstanceName;
      await guarded(`notebook instance ${name}`, 'sagemaker:DescribeNotebookInstance', async () => {
        const nb = await apiCall(
          ctx,
          new DescribeNotebookInstanceCommand({ NotebookInstanceName: name }),
          (c) => sm.send(c),
          meta(pathOf(where, 'notebook-instances', `${safeSegment(name)}.json`)),
        );
        if (nb.SubnetId) footprint.subnetIds.add(nb.SubnetId);
        if (nb.SubnetId && nb.NotebookInstanceArn) {
          const securityGroupIds = [...(nb.SecurityGroups ?? [])].sort();
          footprint.workloads.push({
            arn: nb.NotebookInstanceArn,
            name,
            kind: 'notebook-instance',
            subnetIds: [nb.SubnetId],
            securityGroupIds,
            networkInterfaceId: nb.NetworkInterfaceId ?? null,
          });
        }
      });
    }
  });
}

/** Container logs and data-capture files of each endpoint in the window; an endpoint without capture is a gap. */
async function collectEndpointLogs(ctx: CollectContext, where: AccountRegion, endpoints: SageMakerFootprint['endpoints']): Promise<void> {
  for (const endpoint of endpoints) {
    await collectLogGroup(ctx, where, 'sagemaker', `/aws/sagemaker/Endpoints/${endpoint.name}`, 'endpoint-logs');
    if (!endpoint.captureUri) {
      await recordGap(
        ctx,
        where,
        'sagemaker',
        `endpoint ${endpoint.name}`,
        `Endpoint ${endpoint.name} has no data capture: its inference requests and responses were not recorded`,
      );
      continue;
    }
    await collectDataCapture(ctx, where, endpoint.name, endpoint.captureUri);
  }
}

/** `<DestinationS3Uri>/<endpoint>/<variant>/YYYY/MM/DD/HH/*.jsonl` in the window. */
async function collectDataCapture(ctx: CollectContext, where: AccountRegion, endpointName: string, captureUri: string): Promise<void> {
  const parsed = parseS3Location(captureUri);
  if (!parsed) return;
  const prefix = `${parsed.key ? `${parsed.key.replace(/\/+$/, '')}/` : ''}${endpointName}/`;
  try {
    const access = await ctx.buckets.access(parsed.bucket, where.accountId);
    await copyLogFolder(ctx, access, [prefix], {
      where,
      source: 'sagemaker',
      dir: evidencePath(where, 'sagemaker', 'data-capture'),
      classify: (key) => (!dataCaptureHourOf(key) ? 'unrecognised' : dataCaptureInWindow(key, ctx.window) ? 'copy' : 'skip'),
      unrecognised: {
        dir: evidencePath(where, 'sagemaker', 'data-capture-unrecognised'),
        expected: 'a data-capture file under <endpoint>/<variant>/YYYY/MM/DD/HH/',
      },
    });
  } catch (error) {
    await recordGap(ctx, where, 'sagemaker', `s3://${parsed.bucket}/${prefix}`, error, 's3:ListBucket');
  }
}
