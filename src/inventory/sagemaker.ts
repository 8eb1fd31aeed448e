// SageMaker in one region: endpoints (with data capture from their configs), models, training jobs,
// notebook instances and Studio domains, each described once.
import {
  DescribeDomainCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeNotebookInstanceCommand,
  DescribeTrainingJobCommand,
  ListDomainsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListNotebookInstancesCommand,
  ListTrainingJobsCommand,
  SageMakerClient,
  type DescribeDomainCommandOutput,
  type DescribeEndpointCommandOutput,
  type DescribeEndpointConfigCommandOutput,
  type DescribeModelCommandOutput,
  type DescribeNotebookInstanceCommandOutput,
  type DescribeTrainingJobCommandOutput,
  type VpcConfig,
} from '@aws-sdk/client-sagemaker';
import {
  closedValue,
  seen,
  type DescribedResource,
  type Observed,
  type SageMakerDataCapture,
  type SageMakerDomain,
  type SageMakerEndpoint,
  type SageMakerModel,
  type SageMakerNotebook,
  type SageMakerRegion,
  type SageMakerTrainingJob,
  type VpcPlacement,
} from '../model/inventory.js';
import { attempt, clientFor, limiter, once, paginate, uniq, type CollectorContext, type Limiter } from './util.js';
import type { IamAction } from '../model/iam.js';

/** Reads of SageMaker workloads (endpoints, models, training jobs, notebooks): the scan's and collect's alike. */
export const SAGEMAKER_WORKLOAD_READS: readonly IamAction[] = [
  'sagemaker:ListEndpoints',
  'sagemaker:DescribeEndpoint',
  'sagemaker:DescribeEndpointConfig',
  'sagemaker:ListModels',
  'sagemaker:DescribeModel',
  'sagemaker:ListTrainingJobs',
  'sagemaker:DescribeTrainingJob',
  'sagemaker:ListNotebookInstances',
  'sagemaker:DescribeNotebookInstance',
];

/** The IAM actions these reads need (the role template is built from such declarations). */
export const IAM_ACTIONS: readonly IamAction[] = [...SAGEMAKER_WORKLOAD_READS, 'sagemaker:ListDomains', 'sagemaker:DescribeDomain'];

// ---------- mappers ----------

function detailsUnseen(detail: Observed<unknown>): DescribedResource {
  return detail.ok ? {} : { detailsUnseen: { reason: detail.reason, ...(detail.errorCode ? { errorCode: detail.errorCode } : {}) } };
}

export function mapVpcConfig(vpc: VpcConfig | undefined): VpcPlacement | null {
  if (!vpc?.Subnets?.length) return null;
  return { vpcId: null, subnetIds: [...vpc.Subnets] };
}

/**
 * Data capture of an endpoint: the config's DataCaptureConfig (null when absent), with the live state from
 * DescribeEndpoint (EnableCapture, CurrentSamplingPercentage) where the endpoint reports it.
 */
export function mapDataCapture(
  config: Pick<DescribeEndpointConfigCommandOutput, 'DataCaptureConfig'>,
  endpoint?: Pick<DescribeEndpointCommandOutput, 'DataCaptureConfig'>,
): SageMakerDataCapture | null {
  const dc = config.DataCaptureConfig;
  // moto answers an empty DataCaptureConfig for a config without one; AWS requires a destination and modes.
  if (!dc || (!dc.DestinationS3Uri && !dc.CaptureOptions?.length)) return null;
  const live = endpoint?.DataCaptureConfig;
  return {
    enabled: live?.EnableCapture ?? dc.EnableCapture ?? true,
    captureStatus: live?.CaptureStatus ? closedValue(['Started', 'Stopped'] as const, live.CaptureStatus) : null,
    initialSamplingPercentage: dc.InitialSamplingPercentage ?? null,
    currentSamplingPercentage: live?.CurrentSamplingPercentage ?? null,
    destinationS3Uri: live?.DestinationS3Uri || dc.DestinationS3Uri || null,
    captureModes: uniq((dc.CaptureOptions ?? []).map((o) => String(o.CaptureMode))),
  };
}

/** Serverless endpoints (every production variant has a ServerlessConfig) do not support data capture. */
export function isServerlessConfig(config: Pick<DescribeEndpointConfigCommandOutput, 'ProductionVariants'>): boolean {
  const variants = config.ProductionVariants ?? [];
  return variants.length > 0 && variants.every((v) => v.ServerlessConfig !== undefined);
}

export function modelNamesOfConfig(config: Pick<DescribeEndpointConfigCommandOutput, 'ProductionVariants' | 'ShadowProductionVariants'>): string[] {
  return uniq(
    [...(config.ProductionVariants ?? []), ...(config.ShadowProductionVariants ?? [])].map((v) => v.ModelName).filter((n): n is string => Boolean(n)),
  );
}

export function mapModel(arn: string, name: string, detail: Observed<DescribeModelCommandOutput>): SageMakerModel {
  if (!detail.ok) return { arn, name, modelDataUrls: [], vpc: null, ...detailsUnseen(detail) };
  const d = detail.value;
  const containers = [...(d.PrimaryContainer ? [d.PrimaryContainer] : []), ...(d.Containers ?? [])];
  const urls = containers.flatMap((c) => [c.ModelDataUrl, c.ModelDataSource?.S3DataSource?.S3Uri]).filter((u): u is string => Boolean(u));
  return { arn: d.ModelArn ?? arn, name, modelDataUrls: uniq(urls), vpc: mapVpcConfig(d.VpcConfig) };
}

export function mapTrainingJob(arn: string, name: string, status: string, detail: Observed<DescribeTrainingJobCommandOutput>): SageMakerTrainingJob {
  if (!detail.ok) return { arn, name, status, inputS3Uris: [], outputS3Path: null, modelArtifactsS3Uri: null, vpc: null, ...detailsUnseen(detail) };
  const d = detail.value;
  return {
    arn,
    name,
    status: String(d.TrainingJobStatus ?? status),
    inputS3Uris: uniq((d.InputDataConfig ?? []).map((c) => c.DataSource?.S3DataSource?.S3Uri).filter((u): u is string => Boolean(u))),
    outputS3Path: d.OutputDataConfig?.S3OutputPath || null,
    modelArtifactsS3Uri: d.ModelArtifacts?.S3ModelArtifacts || null,
    vpc: mapVpcConfig(d.VpcConfig),
  };
}

export function mapNotebook(arn: string, name: string, status: string, detail: Observed<DescribeNotebookInstanceCommandOutput>): SageMakerNotebook {
  if (!detail.ok) return { arn, name, status, vpc: null, ...detailsUnseen(detail) };
  const d = detail.value;
  return { arn, name, status: String(d.NotebookInstanceStatus ?? status), vpc: d.SubnetId ? { vpcId: null, subnetIds: [d.SubnetId] } : null };
}

export function mapDomain(arn: string, name: string, detail: Observed<DescribeDomainCommandOutput>): SageMakerDomain {
  if (!detail.ok) return { arn, name, vpc: null, ...detailsUnseen(detail) };
  const d = detail.value;
  const subnetIds = [...(d.SubnetIds ?? [])];
  return { arn, name, vpc: d.VpcId || subnetIds.length > 0 ? { vpcId: d.VpcId || null, subnetIds } : null };
}

// ---------- calls ----------

export async function collectSageMaker(ctx: CollectorContext): Promise<SageMakerRegion> {
  const sm = clientFor(ctx, SageMakerClient);
  const MaxResults = ctx.pageSize;
  const limit = limiter();

  const [endpoints, models, trainingJobs, notebooks, domains] = await Promise.all([
    collectEndpoints(sm, MaxResults, limit),
    listThenDescribe(
      'sagemaker:ListModels',
      () =>
        paginate(async (NextToken) => {
          const out = await sm.send(new ListModelsCommand({ MaxResults, NextToken }));
          return { items: out.Models, next: out.NextToken };
        }),
      (m) => String(m.ModelName),
      (m) =>
        limit(async () => {
          const name = String(m.ModelName);
          const detail = await attempt('sagemaker:DescribeModel', () => sm.send(new DescribeModelCommand({ ModelName: name })));
          return mapModel(String(m.ModelArn), name, detail);
        }),
    ),
    listThenDescribe(
      'sagemaker:ListTrainingJobs',
      () =>
        paginate(async (NextToken) => {
          const out = await sm.send(new ListTrainingJobsCommand({ MaxResults, NextToken }));
          return { items: out.TrainingJobSummaries, next: out.NextToken };
        }),
      (j) => String(j.TrainingJobName),
      (j) =>
        limit(async () => {
          const name = String(j.TrainingJobName);
          const detail = await attempt('sagemaker:DescribeTrainingJob', () => sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name })));
          return mapTrainingJob(String(j.TrainingJobArn), name, String(j.TrainingJobStatus ?? 'Unknown'), detail);
        }),
    ),
    listThenDescribe(
      'sagemaker:ListNotebookInstances',
      () =>
        paginate(async (NextToken) => {
          const out = await sm.send(new ListNotebookInstancesCommand({ MaxResults, NextToken }));
          return { items: out.NotebookInstances, next: out.NextToken };
        }),
      (n) => String(n.NotebookInstanceName),
      (n) =>
        limit(async () => {
          const name = String(n.NotebookInstanceName);
          const detail = await attempt('sagemaker:DescribeNotebookInstance', () =>
            sm.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: name })),
          );
          return mapNotebook(String(n.NotebookInstanceArn), name, String(n.NotebookInstanceStatus ?? 'Unknown'), detail);
        }),
    ),
    listThenDescribe(
      'sagemaker:ListDomains',
      () =>
        paginate(async (NextToken) => {
          const out = await sm.send(new ListDomainsCommand({ MaxResults, NextToken }));
          return { items: out.Domains, next: out.NextToken };
        }),
      (d) => String(d.DomainId),
      (d) =>
        limit(async () => {
          const detail = await attempt('sagemaker:DescribeDomain', () => sm.send(new DescribeDomainCommand({ DomainId: d.DomainId })));
          return mapDomain(String(d.DomainArn), String(d.DomainName ?? d.DomainId), detail);
        }),
    ),
  ]);
  return { endpoints, models, trainingJobs, notebooks, domains };
}

/** List (the whole list unseen if it fails), dedupe by key, then describe each item once. */
async function listThenDescribe<S, R>(
  action: string,
  list: () => Promise<S[]>,
  keyOf: (item: S) => string,
  describe: (item: S) => Promise<R>,
): Promise<Observed<R[]>> {
  const listed = await attempt(action, list);
  if (!listed.ok) return listed;
  const unique = [...new Map(listed.value.map((item) => [keyOf(item), item])).values()];
  return seen(await Promise.all(unique.map(describe)));
}

async function collectEndpoints(sm: SageMakerClient, MaxResults: number | undefined, limit: Limiter): Promise<Observed<SageMakerEndpoint[]>> {
  // Several endpoints may share a config: read each config once.
  const describeConfig = once((EndpointConfigName: string) =>
    limit(() => attempt('sagemaker:DescribeEndpointConfig', () => sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName })))),
  );
  return listThenDescribe(
    'sagemaker:ListEndpoints',
    () =>
      paginate(async (NextToken) => {
        const out = await sm.send(new ListEndpointsCommand({ MaxResults, NextToken }));
        return { items: out.Endpoints, next: out.NextToken };
      }),
    (e) => String(e.EndpointName),
    async (e): Promise<SageMakerEndpoint> => {
      const name = String(e.EndpointName);
      const base = { arn: String(e.EndpointArn), name, status: String(e.EndpointStatus ?? 'Unknown') };
      const detail = await limit(() => attempt('sagemaker:DescribeEndpoint', () => sm.send(new DescribeEndpointCommand({ EndpointName: name }))));
      if (!detail.ok) return { ...base, endpointConfigName: '', dataCapture: detail, modelNames: [], ...detailsUnseen(detail) };
      const endpointConfigName = String(detail.value.EndpointConfigName ?? '');
      const status = String(detail.value.EndpointStatus ?? base.status);
      if (!endpointConfigName) return { ...base, status, endpointConfigName, dataCapture: seen(null), modelNames: [] };
      const config = await describeConfig(endpointConfigName);
      if (!config.ok) return { ...base, status, endpointConfigName, dataCapture: config, modelNames: [], ...detailsUnseen(config) };
      return {
        ...base,
        status,
        endpointConfigName,
        dataCapture: seen(mapDataCapture(config.value, detail.value)),
        modelNames: modelNamesOfConfig(config.value),
        ...(isServerlessConfig(config.value) ? { serverless: true } : {}),
      };
    },
  );
}
