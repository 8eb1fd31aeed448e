// The Inventory: everything the collectors read, typed, per account and region, with no verdicts.
// Every piece a collector may fail to read is an Observed<T>, so a check can tell "absent" from "unseen".

export type Observed<T> = { ok: true; value: T } | { ok: false; reason: string; errorCode?: string };

export const seen = <T>(value: T): Observed<T> => ({ ok: true, value });
export const unseen = <T = never>(reason: string, errorCode?: string): Observed<T> =>
  errorCode === undefined ? { ok: false, reason } : { ok: false, reason, errorCode };

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
}

export type OrgAccountStatus = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED' | string;

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
  status: Observed<{ isLogging: boolean; latestDeliveryError: string | null }>;
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

export interface ObjectLockInfo {
  enabled: boolean;
  defaultRetention: { mode: 'GOVERNANCE' | 'COMPLIANCE' | string; days?: number; years?: number } | null;
}

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

export interface FlowLogInfo {
  id: string;
  resourceId: string;
  trafficType: string;
  status: string;
  deliverLogsStatus: string | null;
  deliverLogsErrorMessage: string | null;
  destinationType: 'cloud-watch-logs' | 's3' | 'kinesis-data-firehose' | string;
  logGroupName: string | null;
  destinationArn: string | null;
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

export interface RegionInventory {
  region: string;
  /** AI resource listings for data-event coverage; absent = not collected (the region was not read). */
  aiResources?: AiResourceListings;
  bedrock: BedrockRegion;
  sagemaker: SageMakerRegion;
  /** subnet id -> vpc id, for the subnets AI resources use. */
  subnetVpcs: Observed<Record<string, string>>;
  flowLogs: Observed<FlowLogInfo[]>;
  logGroups: Observed<LogGroupInfo[]>;
  guardDuty: Observed<GuardDutyDetector[]>;
  config: Observed<ConfigRecorderInfo[]>;
}
