// Fluent builder for Inventories in unit tests. Everything is seen-and-empty by default; pass a value or an
// Observed (seen(...)/unseen(...)) wherever a collector could have failed.
import {
  emptyRegionInventory,
  seen,
  unseen,
  type OrgAccountStatus,
  type AccountInventory,
  type AiResource,
  type AiResourceListing,
  type AiResourceListings,
  type AdvancedEventSelector,
  type BedrockAgent,
  type BedrockCustomizationJob,
  type BedrockKnowledgeBase,
  type BedrockLoggingConfig,
  type BucketInfo,
  type ClassicEventSelector,
  type ConfigRecorderInfo,
  type EventDataStoreInfo,
  type FlowLogInfo,
  type GuardDutyDetector,
  type Inventory,
  type LogGroupInfo,
  type NamedResource,
  type Observed,
  type RegionInventory,
  type SageMakerDataCapture,
  type SageMakerDomain,
  type SageMakerEndpoint,
  type SageMakerModel,
  type SageMakerNotebook,
  type SageMakerTrainingJob,
  type TrailInfo,
} from '../../src/model/inventory.js';
import type { Check, CheckParameters, Finding } from '../../checks/types.js';
import { defaultParameters } from '../../checks/parameters.js';

export { seen, unseen };

export const MGMT = '111111111111';
export const MEMBER = '222222222222';
export const LOGARCHIVE = '333333333333';
export const REGION = 'us-east-1';
export const DENIED = 'AccessDenied: not authorized';

type ObsInput<T> = T | Observed<T>;
const isObserved = (x: unknown): x is Observed<unknown> =>
  typeof x === 'object' &&
  x !== null &&
  !Array.isArray(x) &&
  'ok' in x &&
  typeof x.ok === 'boolean' &&
  Object.keys(x).length <= 3 &&
  ('value' in x || 'reason' in x);
export function obs<T>(x: ObsInput<T>): Observed<T> {
  return isObserved(x) ? x : seen(x);
}

// ---------- factories ----------

export function trail(p: Partial<TrailInfo> & { name: string }, account = MGMT): TrailInfo {
  const home = p.homeRegion ?? REGION;
  return {
    arn: `arn:aws:cloudtrail:${home}:${p.ownerAccountId ?? account}:trail/${p.name}`,
    homeRegion: home,
    ownerAccountId: account,
    isMultiRegion: true,
    isOrganizationTrail: false,
    logFileValidationEnabled: true,
    s3BucketName: `${p.name}-bucket`,
    s3KeyPrefix: null,
    cloudWatchLogGroupArn: null,
    kmsKeyId: null,
    status: seen({ isLogging: true, latestDeliveryError: null }),
    selectors: seen({ classic: [{ readWriteType: 'All', includeManagementEvents: true, dataResources: [] }], advanced: [] }),
    ...p,
  };
}

export const classic = (...s: ClassicEventSelector[]) => seen({ classic: s, advanced: [] as AdvancedEventSelector[] });
export const advanced = (...s: AdvancedEventSelector[]) => seen({ classic: [] as ClassicEventSelector[], advanced: s });
export const mgmtSelector: AdvancedEventSelector = { name: 'mgmt', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] };
export const dataSelector = (type: string, ...more: AdvancedEventSelector['fieldSelectors']): AdvancedEventSelector => ({
  name: `data ${type}`,
  fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: [type] }, ...more],
});
export const logging = (isLogging = true) => seen({ isLogging, latestDeliveryError: null });

export function endpoint(name: string, p: Partial<SageMakerEndpoint> = {}, region = REGION, account = MGMT): SageMakerEndpoint {
  return {
    arn: `arn:aws:sagemaker:${region}:${account}:endpoint/${name}`,
    name,
    status: 'InService',
    endpointConfigName: `${name}-config`,
    dataCapture: seen(capture()),
    modelNames: [],
    ...p,
  };
}

export function capture(p: Partial<SageMakerDataCapture> = {}): SageMakerDataCapture {
  return {
    enabled: true,
    initialSamplingPercentage: 100,
    currentSamplingPercentage: null,
    destinationS3Uri: 's3://capture-bucket/ep/',
    captureModes: ['Input', 'Output'],
    ...p,
  };
}

export function model(name: string, p: Partial<SageMakerModel> = {}, region = REGION, account = MGMT): SageMakerModel {
  return { arn: `arn:aws:sagemaker:${region}:${account}:model/${name}`, name, modelDataUrls: [], vpc: null, ...p };
}

export function trainingJob(name: string, p: Partial<SageMakerTrainingJob> = {}, region = REGION, account = MGMT): SageMakerTrainingJob {
  return {
    arn: `arn:aws:sagemaker:${region}:${account}:training-job/${name}`,
    name,
    status: 'Completed',
    inputS3Uris: [],
    outputS3Path: null,
    modelArtifactsS3Uri: null,
    vpc: null,
    ...p,
  };
}

export function notebook(name: string, p: Partial<SageMakerNotebook> = {}, region = REGION, account = MGMT): SageMakerNotebook {
  return { arn: `arn:aws:sagemaker:${region}:${account}:notebook-instance/${name}`, name, status: 'InService', vpc: null, ...p };
}

export function domain(name: string, p: Partial<SageMakerDomain> = {}, region = REGION, account = MGMT): SageMakerDomain {
  return { arn: `arn:aws:sagemaker:${region}:${account}:domain/${name}`, name, vpc: null, ...p };
}

export function agent(id: string, p: Partial<BedrockAgent> = {}, region = REGION, account = MGMT): BedrockAgent {
  return { arn: `arn:aws:bedrock:${region}:${account}:agent/${id}`, name: `agent-${id}`, id, aliases: seen([]), ...p };
}

export function knowledgeBase(id: string, p: Partial<BedrockKnowledgeBase> = {}, region = REGION, account = MGMT): BedrockKnowledgeBase {
  return { arn: `arn:aws:bedrock:${region}:${account}:knowledge-base/${id}`, name: `kb-${id}`, id, dataSourceBuckets: seen([]), ...p };
}

export function customizationJob(name: string, p: Partial<BedrockCustomizationJob> = {}, region = REGION, account = MGMT): BedrockCustomizationJob {
  return {
    arn: `arn:aws:bedrock:${region}:${account}:model-customization-job/${name}`,
    name,
    status: 'Completed',
    trainingDataS3Uri: null,
    validationDataS3Uris: [],
    outputDataS3Uri: null,
    vpcSubnetIds: [],
    ...p,
  };
}

export const named = (service: string, kind: string, name: string, region = REGION, account = MGMT): NamedResource => ({
  arn: `arn:aws:${service}:${region}:${account}:${kind}/${name}`,
  name,
});

export function loggingConfig(p: Partial<BedrockLoggingConfig> = {}): BedrockLoggingConfig {
  return {
    textDataDelivery: true,
    imageDataDelivery: false,
    embeddingDataDelivery: false,
    s3: { bucketName: 'invocation-logs', keyPrefix: null },
    cloudWatch: null,
    ...p,
  };
}

export function flowLog(id: string, resourceId: string, p: Partial<FlowLogInfo> = {}): FlowLogInfo {
  return {
    id,
    resourceId,
    trafficType: 'ALL',
    status: 'ACTIVE',
    deliverLogsStatus: 'SUCCESS',
    deliverLogsErrorMessage: null,
    destinationType: 's3',
    logGroupName: null,
    destinationArn: 'arn:aws:s3:::flow-logs',
    ...p,
  };
}

export function logGroup(name: string, retentionInDays: number | null, region = REGION, account = MGMT): LogGroupInfo {
  return { name, arn: `arn:aws:logs:${region}:${account}:log-group:${name}:*`, retentionInDays };
}

export function detector(id: string, status: ObsInput<string> = 'ENABLED'): GuardDutyDetector {
  return { detectorId: id, status: obs(status) };
}

export function recorder(p: Partial<ConfigRecorderInfo> = {}): ConfigRecorderInfo {
  return {
    name: 'default',
    allSupported: true,
    includeGlobalResourceTypes: true,
    resourceTypes: [],
    exclusionTypes: [],
    recording: true,
    lastStatus: 'SUCCESS',
    ...p,
  };
}

export function bucket(name: string, p: Partial<BucketInfo> = {}, owner: string | null = MGMT): BucketInfo {
  return { name, ownerAccountId: owner, region: seen(REGION), tags: seen({}), ...p };
}

/** A bucket that exists nowhere (its probe answered NoSuchBucket): deleted after something started to deliver to it. */
export const goneBucket = (name: string): BucketInfo => bucket(name, { region: unseen(`Bucket ${name} does not exist`, 'NoSuchBucket') }, null);
/** A trail status reporting that its last delivery failed. */
export const deliveryError = (error = 'AccessDenied') => seen({ isLogging: true, latestDeliveryError: error });

export const locked = (mode: 'COMPLIANCE' | 'GOVERNANCE' = 'COMPLIANCE', days = 365) => seen({ enabled: true, defaultRetention: { mode, days } });
export const versioned = (status: 'Enabled' | 'Suspended' | 'Disabled' = 'Enabled') => seen({ status, mfaDelete: false });

export const emptyRegion = (region: string): RegionInventory => emptyRegionInventory(region);

export function emptyAccount(accountId: string): AccountInventory {
  return {
    accountId,
    name: `acct-${accountId}`,
    orgStatus: 'ACTIVE',
    access: seen({ roleArn: `arn:aws:iam::${accountId}:role/ForensightReadOnly` }),
    regionsScanned: [],
    regionsSkipped: [],
    trails: seen([]),
    ownedBuckets: seen([]),
    regions: {},
  };
}

type StoreDetails = Extract<EventDataStoreInfo['details'], { ok: true }>['value'];

/** An event data store; `details` defaults to an ingesting, multi-region, protected 7-year management-event store. */
export function eventDataStore(name: string, d: Partial<StoreDetails> | Observed<never> = {}, region = REGION, account = MGMT): EventDataStoreInfo {
  const details: EventDataStoreInfo['details'] =
    'ok' in d && d.ok === false
      ? d
      : seen({
          status: 'ENABLED',
          multiRegion: true,
          organization: false,
          retentionDays: 2557,
          terminationProtection: true,
          selectors: [mgmtSelector],
          ...(d as Partial<StoreDetails>),
        });
  return { arn: `arn:aws:cloudtrail:${region}:${account}:eventdatastore/${name}`, name, homeRegion: region, ownerAccountId: account, details };
}

// ---------- builders ----------

export class RegionBuilder {
  constructor(
    readonly r: RegionInventory,
    private readonly accountId: string,
  ) {}
  endpoints(x: ObsInput<SageMakerEndpoint[]>) {
    this.r.sagemaker.endpoints = obs(x);
    return this;
  }
  models(x: ObsInput<SageMakerModel[]>) {
    this.r.sagemaker.models = obs(x);
    return this;
  }
  trainingJobs(x: ObsInput<SageMakerTrainingJob[]>) {
    this.r.sagemaker.trainingJobs = obs(x);
    return this;
  }
  notebooks(x: ObsInput<SageMakerNotebook[]>) {
    this.r.sagemaker.notebooks = obs(x);
    return this;
  }
  domains(x: ObsInput<SageMakerDomain[]>) {
    this.r.sagemaker.domains = obs(x);
    return this;
  }
  logging(x: ObsInput<BedrockLoggingConfig | null>) {
    this.r.bedrock.logging = obs(x);
    return this;
  }
  customModels(x: ObsInput<NamedResource[]>) {
    this.r.bedrock.customModels = obs(x);
    return this;
  }
  customizationJobs(x: ObsInput<BedrockCustomizationJob[]>) {
    this.r.bedrock.customizationJobs = obs(x);
    return this;
  }
  agents(x: ObsInput<BedrockAgent[]>) {
    this.r.bedrock.agents = obs(x);
    return this;
  }
  knowledgeBases(x: ObsInput<BedrockKnowledgeBase[]>) {
    this.r.bedrock.knowledgeBases = obs(x);
    return this;
  }
  provisionedThroughputs(x: ObsInput<NamedResource[]>) {
    this.r.bedrock.provisionedThroughputs = obs(x);
    return this;
  }
  guardrails(x: ObsInput<NamedResource[]>) {
    this.r.bedrock.guardrails = obs(x);
    return this;
  }
  subnets(x: ObsInput<Record<string, string>>) {
    this.r.subnetVpcs = obs(x);
    return this;
  }
  flowLogs(x: ObsInput<FlowLogInfo[]>) {
    this.r.flowLogs = obs(x);
    return this;
  }
  /** subnet id -> network interface ids (RegionInventory.subnetInterfaces). */
  interfaces(x: ObsInput<Record<string, string[]>>) {
    this.r.subnetInterfaces = obs(x);
    return this;
  }
  logGroups(x: ObsInput<LogGroupInfo[]>) {
    this.r.logGroups = obs(x);
    return this;
  }
  guardDuty(x: ObsInput<GuardDutyDetector[]>) {
    this.r.guardDuty = obs(x);
    return this;
  }
  config(x: ObsInput<ConfigRecorderInfo[]>) {
    this.r.config = obs(x);
    return this;
  }
  ai(listing: AiResourceListing, x: ObsInput<AiResource[]>) {
    (this.r.aiResources ??= {} as AiResourceListings)[listing] = obs(x);
    return this;
  }
  /** Make every footprint source unreadable (footprint "unknown"). */
  footprintUnreadable(reason = DENIED) {
    const u = unseen<never>(reason);
    Object.assign(this.r.bedrock, { customModels: u, customizationJobs: u, agents: u, knowledgeBases: u, provisionedThroughputs: u, guardrails: u });
    Object.assign(this.r.sagemaker, { endpoints: u, models: u, trainingJobs: u, notebooks: u, domains: u });
    return this;
  }
  /** Give the region a SageMaker footprint (one model). */
  withSageMaker() {
    return this.models([model('m1', {}, this.r.region, this.accountId)]);
  }
  /** Give the region a Bedrock footprint (one guardrail). */
  withBedrock() {
    return this.guardrails([named('bedrock', 'guardrail', 'g1', this.r.region, this.accountId)]);
  }
}

export class AccountBuilder {
  constructor(readonly a: AccountInventory) {}
  trails(x: ObsInput<TrailInfo[]>) {
    this.a.trails = obs(x);
    return this;
  }
  eventDataStores(x: ObsInput<EventDataStoreInfo[]>) {
    this.a.eventDataStores = obs(x);
    return this;
  }
  access(x: Observed<{ roleArn: string }>) {
    this.a.access = x;
    return this;
  }
  skipped(reason: string, orgStatus: OrgAccountStatus = 'SUSPENDED') {
    this.a.skippedReason = reason;
    this.a.orgStatus = orgStatus;
    return this;
  }
  region(name: string, fn?: (r: RegionBuilder) => unknown) {
    const r = this.a.regions[name] ?? emptyRegion(name);
    this.a.regions[name] = r;
    if (!this.a.regionsScanned.includes(name)) this.a.regionsScanned.push(name);
    fn?.(new RegionBuilder(r, this.a.accountId));
    return this;
  }
}

export class InventoryBuilder {
  readonly inv: Inventory = { scanId: 'test-scan', organization: null, organizationTrails: null, accounts: [], buckets: {} };
  org(id = 'o-test12345', managementAccountId = MGMT) {
    this.inv.organization = { id, managementAccountId };
    this.inv.organizationTrails ??= seen([]);
    return this;
  }
  orgTrails(x: ObsInput<TrailInfo[]>) {
    this.inv.organizationTrails = obs(x);
    return this;
  }
  orgEventDataStores(x: ObsInput<EventDataStoreInfo[]> | null) {
    this.inv.organizationEventDataStores = x === null ? null : obs(x);
    return this;
  }
  account(id: string, fn?: (a: AccountBuilder) => unknown) {
    let a = this.inv.accounts.find((x) => x.accountId === id);
    if (!a) {
      a = emptyAccount(id);
      this.inv.accounts.push(a);
    }
    fn?.(new AccountBuilder(a));
    return this;
  }
  /** Shorthand: account `id` with one region configured by `fn`. */
  region(name: string, fn?: (r: RegionBuilder) => unknown, id = MGMT) {
    return this.account(id, (a) => a.region(name, fn));
  }
  bucket(info: BucketInfo) {
    this.inv.buckets[info.name] = info;
    return this;
  }
  build(): Inventory {
    return this.inv;
  }
}

export const inventory = () => new InventoryBuilder();

/** Run a check against one account of the inventory (default: the first account). */
export function run(check: Check, inv: Inventory | InventoryBuilder, accountId?: string, params: Partial<CheckParameters> = {}): Finding[] {
  const i = inv instanceof InventoryBuilder ? inv.build() : inv;
  const account = accountId ? i.accounts.find((a) => a.accountId === accountId) : i.accounts[0];
  if (!account) throw new Error(`no account ${accountId ?? '(first)'} in inventory`);
  const findings = check.evaluate({ inventory: i, account, params: { ...defaultParameters, ...params } });
  assertCodesListed(check, findings);
  return findings;
}

/** Every result a check gives carries a reasonCode its metadata lists: every check table asserts it through run(). */
export function assertCodesListed(check: Check, findings: Finding[]): void {
  for (const f of findings) {
    if (!f.reasonCode || !(f.reasonCode in check.meta.reasonCodes)) {
      throw new Error(
        `${check.meta.id} gave reasonCode ${JSON.stringify(f.reasonCode)}, not in its meta.reasonCodes (${Object.keys(check.meta.reasonCodes).join(', ')}): ${f.reason}`,
      );
    }
  }
}

/** The single finding of a run, failing loudly if there is not exactly one. */
export function only(findings: Finding[]): Finding {
  if (findings.length !== 1)
    throw new Error(
      `expected exactly one finding, got ${findings.length}: ${JSON.stringify(findings.map((f) => [f.status, f.resourceArn, f.reason]))}`,
    );
  return findings[0]!;
}

/** The finding for a resource ARN, failing loudly if absent. */
export function forResource(findings: Finding[], arn: string): Finding {
  const f = findings.find((x) => x.resourceArn === arn);
  if (!f) throw new Error(`no finding for ${arn}; got ${JSON.stringify(findings.map((x) => [x.status, x.resourceArn]))}`);
  return f;
}
