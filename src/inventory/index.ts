// The collectors: read-only AWS calls -> the typed Inventory. No verdicts here; every failure is recorded
// as unseen(reason) on exactly the part it affects, and nothing throws out of these functions.
import type { ClientFactory, Credentials } from '../aws/clients.js';
import { describeError, errorCode } from '../aws/errors.js';
import {
  AI_RESOURCE_LISTINGS,
  emptyBedrock,
  emptySageMaker,
  REGIONAL_SERVICES,
  unreadBedrock,
  unreadSageMaker,
  unseen,
  type AiResourceListings,
  type BedrockRegion,
  type EventDataStoreInfo,
  type Observed,
  type RegionalService,
  type RegionInventory,
  type SageMakerRegion,
  type TrailInfo,
} from '../model/inventory.js';
import { collectAiResources } from './ai-resources.js';
import { collectBedrock } from './bedrock.js';
import { collectEventDataStores, collectTrails } from './cloudtrail.js';
import { collectConfigRecorders, collectGuardDuty } from './detection.js';
import { collectLogGroups } from './logs.js';
import { collectFlowLogs, collectSubnetInterfaces, collectSubnetVpcs } from './network.js';
import { collectOwnedBuckets, type BucketMeta } from './s3.js';
import { collectSageMaker } from './sagemaker.js';
import type { CollectorContext } from './util.js';
import { regionFootprint } from '../../checks/lib/footprint.js';
import { interfaceSubnetsToList } from '../../checks/vpc-flow-logs-ai.js';

export { collectEventDataStores, collectTrails, type TrailsContext } from './cloudtrail.js';
export { collectBucketDetails, type BucketDetails, type BucketDetailsContext, type BucketMeta } from './s3.js';

export interface AccountGlobalContext {
  factory: ClientFactory;
  credentials: Credentials;
  accountId: string;
  /** Region for ListBuckets. */
  homeRegion: string;
  /** Scanned regions: DescribeTrails runs in each. */
  regions: string[];
}

export interface AccountGlobal {
  /** Trails this account owns (organization trails of the management account included when it is this account). */
  trails: Observed<TrailInfo[]>;
  /** CloudTrail Lake event data stores this account owns. */
  eventDataStores: Observed<EventDataStoreInfo[]>;
  ownedBuckets: Observed<string[]>;
  bucketMeta: Record<string, BucketMeta>;
}

/** Account-wide reads: trails and event data stores (owned by this account) and the buckets it owns with their region and tags. */
export async function collectAccountGlobal(ctx: AccountGlobalContext): Promise<AccountGlobal> {
  const trailsContext = {
    factory: ctx.factory,
    credentials: ctx.credentials,
    accountId: ctx.accountId,
    regions: ctx.regions,
    ownerAccountId: ctx.accountId,
  };
  const [trails, eventDataStores, buckets] = await Promise.all([
    guard('cloudtrail', () => collectTrails(trailsContext)),
    guard('cloudtrail', () => collectEventDataStores(trailsContext)),
    collectOwnedBuckets(ctx).catch((error: unknown) => ({ ownedBuckets: unexpected<string[]>('s3', error), bucketMeta: {} })),
  ]);
  return { trails, eventDataStores, ownedBuckets: buckets.ownedBuckets, bucketMeta: buckets.bucketMeta };
}

export interface RegionContext {
  factory: ClientFactory;
  credentials: Credentials;
  accountId: string;
  region: string;
  /** Page size for paginated calls (tests); undefined = service default. */
  pageSize?: number;
  /** Services AWS does not offer in this Region (src/inventory/availability.ts): their lists are not called. */
  notOffered?: readonly RegionalService[];
}

/** Everything regional: Bedrock, SageMaker, subnets of AI resources, flow logs (and interfaces where needed), log groups, GuardDuty, Config, AI data-event resources. */
export async function collectRegion(ctx: RegionContext): Promise<RegionInventory> {
  const c: CollectorContext = ctx;
  // A service the Region does not offer has no endpoint there: nothing of it can exist, so its lists are known empty.
  const notOffered = REGIONAL_SERVICES.filter((s) => ctx.notOffered?.includes(s));
  const bedrock = notOffered.includes('bedrock')
    ? Promise.resolve(emptyBedrock())
    : collectBedrock(c).catch((error: unknown) => unreadBedrock(unexpected('bedrock', error)));
  const sagemaker = notOffered.includes('sagemaker')
    ? Promise.resolve(emptySageMaker())
    : collectSageMaker(c).catch((error: unknown) => unreadSageMaker(unexpected('sagemaker', error)));
  const subnetVpcs = Promise.all([bedrock, sagemaker]).then(([b, s]) => guard('ec2', () => collectSubnetVpcs(c, aiSubnetIds(b, s))));
  const aiResources = collectAiResources(c, notOffered).catch(
    (error: unknown) => Object.fromEntries(AI_RESOURCE_LISTINGS.map((id) => [id, unexpected('ai resources', error)])) as AiResourceListings,
  );
  // GuardDuty and Config are judged only where the region has AI workloads (or might): where every Bedrock and
  // SageMaker list was read and empty, their checks are NOT_APPLICABLE whatever they hold, so they are not read.
  const footprintAbsent = Promise.all([bedrock, sagemaker]).then(
    ([b, s]) => regionFootprint({ region: ctx.region, bedrock: b, sagemaker: s }).status === 'absent',
  );
  const ifFootprint = <T>(read: () => Promise<Observed<T>>): Promise<Observed<T>> =>
    footprintAbsent.then((absent) => (absent ? unseen<T>(`Not read: no AI workloads in ${ctx.region}`, 'NotNeeded') : read()));
  const flowLogs = guard('ec2', () => collectFlowLogs(c));
  // Network interfaces are listed only for AI subnets whose flow-log coverage rests on interface-level logs.
  const subnetInterfaces = Promise.all([bedrock, sagemaker, subnetVpcs, flowLogs]).then(([b, s, sv, fl]) => {
    const subnets = interfaceSubnetsToList({ region: ctx.region, bedrock: b, sagemaker: s, subnetVpcs: sv, flowLogs: fl });
    return subnets.length === 0
      ? unseen<Record<string, string[]>>(`Not read: no AI subnet in ${ctx.region} relies on interface-level flow logs`, 'NotNeeded')
      : guard('ec2', () => collectSubnetInterfaces(c, subnets));
  });
  const [bedrockOut, sagemakerOut, subnetsOut, flowLogsOut, interfacesOut, logGroups, guardDuty, config, aiOut] = await Promise.all([
    bedrock,
    sagemaker,
    subnetVpcs,
    flowLogs,
    subnetInterfaces,
    guard('logs', () => collectLogGroups(c)),
    ifFootprint(() => guard('guardduty', () => collectGuardDuty(c))),
    ifFootprint(() => guard('config', () => collectConfigRecorders(c))),
    aiResources,
  ]);
  return {
    region: ctx.region,
    ...(notOffered.length > 0 ? { notOffered } : {}),
    bedrock: bedrockOut,
    sagemaker: sagemakerOut,
    subnetVpcs: subnetsOut,
    flowLogs: flowLogsOut,
    subnetInterfaces: interfacesOut,
    logGroups,
    guardDuty,
    config,
    aiResources: aiOut,
  };
}

/** Subnets used by SageMaker models, training jobs, notebooks, domains and Bedrock customization jobs. */
export function aiSubnetIds(bedrock: BedrockRegion, sagemaker: SageMakerRegion): string[] {
  const ids = new Set<string>();
  const add = (list: readonly string[] | undefined) => list?.forEach((id) => ids.add(id));
  if (bedrock.customizationJobs.ok) for (const j of bedrock.customizationJobs.value) add(j.vpcSubnetIds);
  for (const part of [sagemaker.models, sagemaker.trainingJobs, sagemaker.notebooks, sagemaker.domains] as Observed<
    { vpc: { subnetIds: string[] } | null }[]
  >[]) {
    if (part.ok) for (const r of part.value) add(r.vpc?.subnetIds);
  }
  return [...ids].sort();
}

// A collector that throws is a bug; keep the scan going and record the gap rather than lose the region.
async function guard<T>(service: string, read: () => Promise<Observed<T>>): Promise<Observed<T>> {
  try {
    return await read();
  } catch (error) {
    return unexpected<T>(service, error);
  }
}

function unexpected<T>(service: string, error: unknown): Observed<T> {
  return unseen(`Collector error (${service}): ${describeError(error)}`, errorCode(error));
}

export { collectOwnedBuckets };
