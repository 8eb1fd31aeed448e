// The Inventory: everything the collectors read, typed, per account and region, with no verdicts.
// Every piece a collector may fail to read is an Observed<T>, so a check can tell "absent" from "unseen".

/** `inconclusive`: the read failed for a reason that says nothing about the configuration (throttled, timed out,
 * network, deadline), as opposed to a definite answer such as AccessDenied. */
export type Observed<T> = { ok: true; value: T } | { ok: false; reason: string; errorCode?: string; inconclusive?: boolean };

export const seen = <T>(value: T): Observed<T> => ({ ok: true, value });
export const unseen = <T = never>(reason: string, errorCode?: string): Observed<T> =>
  errorCode === undefined ? { ok: false, reason } : { ok: false, reason, errorCode };
/** A read that failed without telling anything about the configuration (see Observed). */
export const unseenInconclusive = <T = never>(reason: string, errorCode?: string): Observed<T> => ({
  ...(unseen(reason, errorCode) as { ok: false; reason: string }),
  inconclusive: true,
});

export interface Inventory {
  scanId: string;
  organization: { id: string; managementAccountId: string } | null;
  /** Organization trails read from the management account; AWS shows them in members only as shadow trails. */
  organizationTrails: Observed<TrailInfo[]> | null;
  /** Organization event data stores (CloudTrail Lake), read from the management account; absent = not collected. */
  organizationEventDataStores?: Observed<EventDataStoreInfo[]> | null;
  accounts: AccountInventory[];
  /** Bucket properties keyed by bucket name, read once per bucket through the owning account's role. */
  buckets: Record<string, BucketInfo>;
  /**
   * Accounts whose regional inventory was released from memory once collected (a scan of an Organization keeps
   * it on disk until that account is evaluated), keyed by account id: what bucket classification needs of those
   * regions, kept in its place. Absent = every account's `regions` is complete.
   */
  releasedRegions?: ReadonlyMap<string, ReleasedRegions>;
}

/** The bucket references an account's regional resources make, in the order classification reads them, and the sources it could not read. */
export interface ReleasedRegions {
  references: { bucket: string; region: string; role: string; source: string }[];
  unread: { roles: string[]; reason: string }[];
}

/** A value AWS sent that is not one of the values its API reference lists; kept verbatim in `raw`. */
export const UNKNOWN = 'UNKNOWN' as const;

/** Maps an AWS string onto a closed union; anything else is UNKNOWN (never widened to string). */
export function closedValue<T extends string>(allowed: readonly T[], value: string | null | undefined): T | typeof UNKNOWN {
  return value !== null && value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : UNKNOWN;
}

export const ORG_ACCOUNT_STATUSES = ['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'] as const;
export type OrgAccountStatus = (typeof ORG_ACCOUNT_STATUSES)[number] | typeof UNKNOWN;

export interface AccountInventory {
  accountId: string;
  name: string;
  orgStatus: OrgAccountStatus;
  /** Set when the account was deliberately not scanned (suspended, closed); the reason says why. */
  skippedReason?: string;
  /** Result of assuming the forensic role. */
  access: Observed<{ roleArn: string }>;
  /** Regions requested for this account, with the ones skipped (disabled opt-in region) and why. */
  regionsScanned: string[];
  regionsSkipped: { region: string; reason: string }[];
  /** Trails defined in this account (deduplicated across regions). Organization trails are in Inventory.organizationTrails. */
  trails: Observed<TrailInfo[]>;
  /** CloudTrail Lake event data stores this account owns (deduplicated across regions); absent = not collected. */
  eventDataStores?: Observed<EventDataStoreInfo[]>;
  /** Names of buckets this account owns (ListBuckets). */
  ownedBuckets: Observed<string[]>;
  regions: Record<string, RegionInventory>;
}

// ---------- CloudTrail ----------

export interface ClassicEventSelector {
  readWriteType?: 'ReadOnly' | 'WriteOnly' | 'All';
  includeManagementEvents?: boolean;
  dataResources?: { type: string; values: string[] }[];
}

export interface AdvancedFieldSelector {
  field: string;
  equals?: string[];
  startsWith?: string[];
  endsWith?: string[];
  notEquals?: string[];
  notStartsWith?: string[];
  notEndsWith?: string[];
}

export interface AdvancedEventSelector {
  name?: string;
  fieldSelectors: AdvancedFieldSelector[];
}

export interface TrailSelectors {
  classic: ClassicEventSelector[];
  advanced: AdvancedEventSelector[];
}

export interface TrailInfo {
  arn: string;
  name: string;
  homeRegion: string;
  /** Account that owns the trail (from its ARN). */
  ownerAccountId: string;
  isMultiRegion: boolean;
  isOrganizationTrail: boolean;
  logFileValidationEnabled: boolean;
  s3BucketName: string | null;
  s3KeyPrefix: string | null;
  cloudWatchLogGroupArn: string | null;
  kmsKeyId: string | null;
  /** GetTrailStatus; a delivery error means log (or digest) files are not reaching the bucket. */
  status: Observed<{ isLogging: boolean; latestDeliveryError: string | null; latestDigestDeliveryError?: string | null }>;
  selectors: Observed<TrailSelectors>;
}

/** A CloudTrail Lake event data store. `details` is GetEventDataStore's answer, unseen when that call failed. */
export interface EventDataStoreInfo {
  arn: string;
  name: string;
  homeRegion: string;
  ownerAccountId: string;
  details: Observed<{
    /** ENABLED = ingesting; CREATED, STARTING_INGESTION, STOPPING_INGESTION, STOPPED_INGESTION, PENDING_DELETION. */
    status: string;
    multiRegion: boolean;
    organization: boolean;
    retentionDays: number | null;
    terminationProtection: boolean;
    selectors: AdvancedEventSelector[];
  }>;
}

// ---------- S3 ----------

export const OBJECT_LOCK_MODES = ['GOVERNANCE', 'COMPLIANCE'] as const;
export type ObjectLockMode = (typeof OBJECT_LOCK_MODES)[number] | typeof UNKNOWN;

export interface ObjectLockInfo {
  enabled: boolean;
  defaultRetention: { mode: ObjectLockMode; days?: number; years?: number } | null;
}

export const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'] as const;
export type SseAlgorithm = (typeof SSE_ALGORITHMS)[number] | typeof UNKNOWN;

export interface BucketInfo {
  name: string;
  /** Organization account that owns it, or null if no scanned account lists it. */
  ownerAccountId: string | null;
  region: Observed<string>;
  tags: Observed<Record<string, string>>;
  /** Properties below are read only for buckets some check needs (AI data or log buckets). */
  versioning?: Observed<{ status: 'Enabled' | 'Suspended' | 'Disabled'; mfaDelete: boolean }>;
  objectLock?: Observed<ObjectLockInfo>;
  logging?: Observed<{ targetBucket: string; targetPrefix: string } | null>;
  replication?: Observed<{ destinationBuckets: string[] } | null>;
  /** Default encryption (GetBucketEncryption); read only for server-access-log targets, which cannot receive with SSE-KMS. */
  encryption?: Observed<{ algorithm: SseAlgorithm } | null>;
}

// ---------- Bedrock ----------

export interface BedrockLoggingConfig {
  textDataDelivery: boolean;
  imageDataDelivery: boolean;
  embeddingDataDelivery: boolean;
  s3: { bucketName: string; keyPrefix: string | null } | null;
  cloudWatch: { logGroupName: string; roleArn: string | null; largeDataS3: { bucketName: string; keyPrefix: string | null } | null } | null;
}

export interface NamedResource {
  arn: string;
  name: string;
}

/**
 * A resource found by a List call whose per-resource Describe/Get failed. Its detail fields (S3 URIs, VPC
 * placement, config names) are then empty and must be read as unknown, never as "none".
 */
export interface DescribedResource {
  detailsUnseen?: { reason: string; errorCode?: string };
}

export interface BedrockCustomizationJob extends NamedResource, DescribedResource {
  status: string;
  trainingDataS3Uri: string | null;
  validationDataS3Uris: string[];
  outputDataS3Uri: string | null;
  vpcSubnetIds: string[];
}

export interface BedrockAgent extends NamedResource {
  id: string;
  aliases: Observed<NamedResource[]>;
}

export interface BedrockKnowledgeBase extends NamedResource {
  id: string;
  dataSourceBuckets: Observed<string[]>;
}

export interface BedrockRegion {
  /** null when logging is not configured (the API returns an empty loggingConfig). */
  logging: Observed<BedrockLoggingConfig | null>;
  customModels: Observed<NamedResource[]>;
  customizationJobs: Observed<BedrockCustomizationJob[]>;
  agents: Observed<BedrockAgent[]>;
  knowledgeBases: Observed<BedrockKnowledgeBase[]>;
  provisionedThroughputs: Observed<NamedResource[]>;
  guardrails: Observed<NamedResource[]>;
}

// ---------- SageMaker ----------

export interface VpcPlacement {
  vpcId: string | null;
  subnetIds: string[];
}

export interface SageMakerDataCapture {
  enabled: boolean;
  /** DescribeEndpoint DataCaptureConfig.CaptureStatus: Stopped = configured but not capturing; null = not reported. */
  captureStatus?: 'Started' | 'Stopped' | typeof UNKNOWN | null;
  initialSamplingPercentage: number | null;
  currentSamplingPercentage: number | null;
  destinationS3Uri: string | null;
  captureModes: string[];
}

export interface SageMakerEndpoint extends NamedResource, DescribedResource {
  status: string;
  endpointConfigName: string;
  /** From the endpoint config; unseen if DescribeEndpointConfig failed. */
  dataCapture: Observed<SageMakerDataCapture | null>;
  modelNames: string[];
  /** Every production variant is serverless (ServerlessConfig): SageMaker data capture is not supported there. */
  serverless?: boolean;
}

export interface SageMakerModel extends NamedResource, DescribedResource {
  modelDataUrls: string[];
  vpc: VpcPlacement | null;
}

export interface SageMakerTrainingJob extends NamedResource, DescribedResource {
  status: string;
  inputS3Uris: string[];
  outputS3Path: string | null;
  modelArtifactsS3Uri: string | null;
  vpc: VpcPlacement | null;
}

export interface SageMakerNotebook extends NamedResource, DescribedResource {
  status: string;
  vpc: VpcPlacement | null;
}

export interface SageMakerDomain extends NamedResource, DescribedResource {
  vpc: VpcPlacement | null;
}

export interface SageMakerRegion {
  endpoints: Observed<SageMakerEndpoint[]>;
  models: Observed<SageMakerModel[]>;
  trainingJobs: Observed<SageMakerTrainingJob[]>;
  notebooks: Observed<SageMakerNotebook[]>;
  domains: Observed<SageMakerDomain[]>;
}

// ---------- Network, logs, detection ----------

export const FLOW_LOG_TRAFFIC_TYPES = ['ACCEPT', 'REJECT', 'ALL'] as const;
export const FLOW_LOG_DESTINATION_TYPES = ['cloud-watch-logs', 's3', 'kinesis-data-firehose'] as const;

export interface FlowLogInfo {
  id: string;
  resourceId: string;
  trafficType: (typeof FLOW_LOG_TRAFFIC_TYPES)[number] | typeof UNKNOWN;
  status: string;
  deliverLogsStatus: string | null;
  deliverLogsErrorMessage: string | null;
  destinationType: (typeof FLOW_LOG_DESTINATION_TYPES)[number] | typeof UNKNOWN;
  logGroupName: string | null;
  destinationArn: string | null;
  /** The record format (`${srcaddr} ${dstaddr} ...`); null = not reported, i.e. the default format. */
  logFormat?: string | null;
}

export interface LogGroupInfo {
  name: string;
  arn: string;
  /** undefined/null = never expire. */
  retentionInDays: number | null;
}

export interface GuardDutyDetector {
  detectorId: string;
  status: Observed<string>;
}

export interface ConfigRecorderInfo {
  name: string;
  allSupported: boolean;
  includeGlobalResourceTypes: boolean;
  resourceTypes: string[];
  exclusionTypes: string[];
  recording: boolean | null;
  lastStatus: string | null;
  /** Recording strategy: ALL_SUPPORTED..., INCLUSION_BY_RESOURCE_TYPES or EXCLUSION_BY_RESOURCE_TYPES (null = not reported). */
  strategy?: 'ALL_SUPPORTED_RESOURCE_TYPES' | 'INCLUSION_BY_RESOURCE_TYPES' | 'EXCLUSION_BY_RESOURCE_TYPES' | typeof UNKNOWN | null;
  /** Default recording frequency (recordingMode); null = not reported (CONTINUOUS is the AWS default). */
  recordingFrequency?: 'CONTINUOUS' | 'DAILY' | typeof UNKNOWN | null;
  /** Resource types recorded at a frequency other than the default (recordingModeOverrides). */
  frequencyOverrides?: { resourceTypes: string[]; frequency: 'CONTINUOUS' | 'DAILY' | typeof UNKNOWN }[];
}

/**
 * The AI resource listings read for the CloudTrail data-event types (src/inventory/ai-resources.ts): one list
 * call each (Q Business indices and web experiences per application). Their ids, in one place.
 */
export const AI_RESOURCE_LISTINGS = [
  'bedrock:flows',
  'bedrock:prompts',
  'agentcore:runtimes',
  'agentcore:gateways',
  'agentcore:memories',
  'agentcore:browsers',
  'agentcore:code-interpreters',
  'agentcore:workload-identities',
  'agentcore:api-key-providers',
  'agentcore:oauth2-providers',
  'sagemaker:feature-groups',
  'sagemaker:mlflow-tracking-servers',
  'qbusiness:applications',
  'qbusiness:indices',
  'qbusiness:web-experiences',
] as const;
export type AiResourceListing = (typeof AI_RESOURCE_LISTINGS)[number];

/** A listed AI resource: its ARN (built from id and region where the API returns none) and display name. */
export interface AiResource {
  arn: string;
  name: string;
}

export type AiResourceListings = Record<AiResourceListing, Observed<AiResource[]>>;

/**
 * The services whose lists the scan skips in a Region that does not offer them, by their code in AWS's public
 * availability parameters (/aws/service/global-infrastructure/services/<code>/regions). 'bedrock' covers the
 * Bedrock and Bedrock Agents APIs (flows, prompts, agents, knowledge bases): AWS publishes one code for both.
 */
export const REGIONAL_SERVICES = ['bedrock', 'bedrock-agentcore', 'sagemaker', 'qbusiness'] as const;
export type RegionalService = (typeof REGIONAL_SERVICES)[number];

/** The service's name as the checks' evidence and reasons show it. */
export const REGIONAL_SERVICE_NAMES: Record<RegionalService, string> = {
  bedrock: 'Amazon Bedrock',
  'bedrock-agentcore': 'Amazon Bedrock AgentCore',
  sagemaker: 'Amazon SageMaker AI',
  qbusiness: 'Amazon Q Business',
};

export interface RegionInventory {
  region: string;
  /**
   * Services AWS does not offer in this Region (its public availability parameters say so): their lists were not
   * called and are recorded read and empty, a known answer, not an unread one. Absent = every service was called.
   */
  notOffered?: RegionalService[];
  /** AI resource listings for data-event coverage; absent = not collected (the region was not read). */
  aiResources?: AiResourceListings;
  bedrock: BedrockRegion;
  sagemaker: SageMakerRegion;
  /** subnet id -> vpc id, for the subnets AI resources use. */
  subnetVpcs: Observed<Record<string, string>>;
  flowLogs: Observed<FlowLogInfo[]>;
  /**
   * subnet id -> ids of the network interfaces in it, for the AI subnets whose coverage rests on interface-level
   * flow logs (checks/vpc-flow-logs-ai.ts interfaceSubnetsToList); a subnet absent from the map was not listed.
   */
  subnetInterfaces: Observed<Record<string, string[]>>;
  logGroups: Observed<LogGroupInfo[]>;
  guardDuty: Observed<GuardDutyDetector[]>;
  config: Observed<ConfigRecorderInfo[]>;
}

// The region inventory's shape, declared once: every Observed part with its "read and empty" value. The empty
// and the unread region (and a collector's all-unread fallback) are derived from it, so a new part is one line.
const BEDROCK_EMPTY: { [K in keyof BedrockRegion]: BedrockRegion[K] extends Observed<infer V> ? V : never } = {
  logging: null,
  customModels: [],
  customizationJobs: [],
  agents: [],
  knowledgeBases: [],
  provisionedThroughputs: [],
  guardrails: [],
};
const SAGEMAKER_EMPTY: { [K in keyof SageMakerRegion]: SageMakerRegion[K] extends Observed<infer V> ? V : never } = {
  endpoints: [],
  models: [],
  trainingJobs: [],
  notebooks: [],
  domains: [],
};
type RegionParts = Omit<RegionInventory, 'region' | 'bedrock' | 'sagemaker' | 'aiResources' | 'notOffered'>;
const REGION_EMPTY: { [K in keyof RegionParts]: RegionParts[K] extends Observed<infer V> ? V : never } = {
  subnetVpcs: {},
  flowLogs: [],
  subnetInterfaces: {},
  logGroups: [],
  guardDuty: [],
  config: [],
};

export const BEDROCK_PARTS = Object.keys(BEDROCK_EMPTY) as (keyof BedrockRegion)[];
export const SAGEMAKER_PARTS = Object.keys(SAGEMAKER_EMPTY) as (keyof SageMakerRegion)[];

function fill<T extends object>(empty: T, part: (key: keyof T, value: T[keyof T]) => Observed<unknown>): { [K in keyof T]: Observed<T[K]> } {
  return Object.fromEntries(Object.entries(empty).map(([k, v]) => [k, part(k as keyof T, structuredClone(v) as T[keyof T])])) as {
    [K in keyof T]: Observed<T[K]>;
  };
}

/** Every Bedrock part unread with the same reason (a Bedrock collector that failed outright). */
export const unreadBedrock = (reason: Observed<never>): BedrockRegion => fill(BEDROCK_EMPTY, () => reason);
export const unreadSageMaker = (reason: Observed<never>): SageMakerRegion => fill(SAGEMAKER_EMPTY, () => reason);

/** Every Bedrock part read and empty (also what a Region that does not offer Bedrock holds). */
export const emptyBedrock = (): BedrockRegion => fill(BEDROCK_EMPTY, (_k, v) => seen(v));
export const emptySageMaker = (): SageMakerRegion => fill(SAGEMAKER_EMPTY, (_k, v) => seen(v));

/** A region where every part was read and found empty. */
export function emptyRegionInventory(region: string): RegionInventory {
  return {
    region,
    bedrock: emptyBedrock(),
    sagemaker: emptySageMaker(),
    ...fill(REGION_EMPTY, (_k, v) => seen(v)),
    aiResources: Object.fromEntries(AI_RESOURCE_LISTINGS.map((id) => [id, seen([])])) as AiResourceListings,
  };
}

/** A region whose collection failed outright: every input unread, with the reason. */
export function unreadRegionInventory(region: string, reason: string, errorCode?: string): RegionInventory {
  const u = unseen(reason, errorCode);
  return {
    region,
    bedrock: unreadBedrock(u),
    sagemaker: unreadSageMaker(u),
    ...fill(REGION_EMPTY, () => u),
    aiResources: Object.fromEntries(AI_RESOURCE_LISTINGS.map((id) => [id, u])) as AiResourceListings,
  };
}
