// SDK-based seeding of moto_server (through the FaultProxy) for tests, the demo and the benchmark.
// Every builder writes through a ClientFactory, so it works for any account whose credentials you hold
// (moto's default account, or an Organization member reached with assumeRoleProvider), and returns the
// ids/ARNs it created so callers can assert on them.
//
// This module must not import vitest: the demo and the benchmark use it outside a test runner.
import { BedrockAgentClient, CreateAgentCommand, CreateKnowledgeBaseCommand } from '@aws-sdk/client-bedrock-agent';
import { BedrockClient, CreateModelCustomizationJobCommand, PutModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  type AdvancedEventSelector as SdkAdvancedEventSelector,
  type EventSelector as SdkEventSelector,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import { CreateFlowLogsCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  ListRootsCommand,
  CreateOrganizationalUnitCommand,
  MoveAccountCommand,
  CloseAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketLoggingCommand,
  PutBucketReplicationCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
  type BucketLocationConstraint,
  type BucketCannedACL,
} from '@aws-sdk/client-s3';
import {
  CreateDomainCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateNotebookInstanceCommand,
  CreateTrainingJobCommand,
  SageMakerClient,
  type _InstanceType,
  type ProductionVariantInstanceType,
  type TrainingInstanceType,
} from '@aws-sdk/client-sagemaker';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { ClientFactory, Credentials, SdkClient, ClientConstructor } from '../src/aws/clients.js';
import { assumeRoleProvider } from '../src/aws/credentials.js';
import { AI_LIST_ROUTES, type FaultProxy, type StubAiResource } from './proxy.js';

/** moto's default account; the static test credentials act in it (and it manages the Organization). */
export const MOTO_ACCOUNT = '123456789012';
/** One shared object (not frozen: the SDK annotates it): the ClientFactory caches clients by credential identity. */
export const SEED_CREDENTIALS: Credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
export const SEED_REGION = 'us-east-1';

/** Where a builder writes: an account (credentials acting in it) and a region. */
export interface SeedTarget {
  factory: ClientFactory;
  /** Defaults to SEED_CREDENTIALS (moto's default account). */
  credentials?: Credentials;
  /** Defaults to MOTO_ACCOUNT; must be the account the credentials act in (used to build ARNs). */
  accountId?: string;
  /** Defaults to us-east-1. */
  region?: string;
  /** Proxy stubs for what moto lacks (agent aliases, KB data sources); needed only by builders that create those. */
  stubs?: MotoStubs;
}

interface Resolved {
  factory: ClientFactory;
  credentials: Credentials;
  accountId: string;
  region: string;
}

function resolve(t: SeedTarget, region?: string): Resolved {
  return {
    factory: t.factory,
    credentials: t.credentials ?? SEED_CREDENTIALS,
    accountId: t.accountId ?? MOTO_ACCOUNT,
    region: region ?? t.region ?? SEED_REGION,
  };
}

function client<C extends SdkClient>(Ctor: ClientConstructor<C>, r: Resolved): C {
  return r.factory.client(Ctor, { credentials: r.credentials, region: r.region, accountId: r.accountId });
}

/** A role ARN in the target account; moto does not check that roles exist. */
export function seedRoleArn(t: SeedTarget, name = 'forensight-seed'): string {
  return `arn:aws:iam::${resolve(t).accountId}:role/${name}`;
}

// ---------------------------------------------------------------- moto gaps answered by the FaultProxy

const EPOCH = '2025-01-01T00:00:00Z';

/**
 * Read APIs moto 5.2 lacks for bedrock-agent (ListAgentAliases, ListDataSources, GetDataSource), answered by
 * FaultProxy stubs from a registry keyed by account, region and parent id. Unknown parents get empty lists
 * (GetDataSource: ResourceNotFoundException), as an account without them would answer. One registry per proxy.
 */
export class MotoStubs {
  private readonly aliases = new Map<string, { id: string; name: string }[]>();
  private readonly sources = new Map<string, { id: string; name: string; bucketArn: string }[]>();
  private readonly eventDataStores = new Map<string, SeedEventDataStore[]>();
  private readonly aiResources = new Map<string, StubAiResource[]>();

  constructor(proxy: FaultProxy) {
    this.installLakeStubs(proxy);
    for (const { listing, parent, body, ...route } of AI_LIST_ROUTES) {
      proxy.addStub({
        ...route,
        respond: (req) => {
          const parentId = parent?.(req.path) ?? '';
          return {
            body: body(this.aiResources.get(key(req.accountId, req.region, `${listing}|${parentId}`)) ?? [], req.accountId, req.region, parentId),
          };
        },
      });
    }
    proxy.addStub({
      service: 'bedrock',
      method: 'POST',
      path: /^\/agents\/[^/]+\/agentaliases\/?$/,
      respond: (req) => {
        const agentId = decodeURIComponent(req.path.split('/')[2] ?? '');
        const list = this.aliases.get(key(req.accountId, req.region, agentId)) ?? [];
        return {
          body: {
            agentAliasSummaries: list.map((a) => ({
              agentAliasId: a.id,
              agentAliasName: a.name,
              agentAliasStatus: 'PREPARED',
              createdAt: EPOCH,
              updatedAt: EPOCH,
            })),
          },
        };
      },
    });
    proxy.addStub({
      service: 'bedrock',
      method: 'POST',
      path: /^\/knowledgebases\/[^/]+\/datasources\/?$/,
      respond: (req) => {
        const kbId = decodeURIComponent(req.path.split('/')[2] ?? '');
        const list = this.sources.get(key(req.accountId, req.region, kbId)) ?? [];
        return {
          body: {
            dataSourceSummaries: list.map((d) => ({
              knowledgeBaseId: kbId,
              dataSourceId: d.id,
              name: d.name,
              status: 'AVAILABLE',
              updatedAt: EPOCH,
            })),
          },
        };
      },
    });
    proxy.addStub({
      service: 'bedrock',
      method: 'GET',
      path: /^\/knowledgebases\/[^/]+\/datasources\/[^/]+\/?$/,
      respond: (req) => {
        const [, , kbId = '', , dsId = ''] = req.path.split('/').map(decodeURIComponent);
        const found = (this.sources.get(key(req.accountId, req.region, kbId)) ?? []).find((d) => d.id === dsId);
        if (!found) return { status: 404, body: { __type: 'ResourceNotFoundException', message: `Data source ${dsId} not found` } };
        return {
          body: {
            dataSource: {
              knowledgeBaseId: kbId,
              dataSourceId: found.id,
              name: found.name,
              status: 'AVAILABLE',
              dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: found.bucketArn } },
              createdAt: EPOCH,
              updatedAt: EPOCH,
            },
          },
        };
      },
    });
  }

  /**
   * AI resources moto cannot create (Bedrock flows and prompts, AgentCore runtimes/gateways/memories, SageMaker feature
   * groups and MLflow tracking servers, Q Business applications, and per application its indices and web experiences).
   */
  setAiResources(accountId: string, region: string, listing: string, items: StubAiResource[], parentId = ''): void {
    this.aiResources.set(key(accountId, region, `${listing}|${parentId}`), items);
  }

  /** CloudTrail Lake event data stores of an account (ListEventDataStores in each store's home region, GetEventDataStore by ARN). */
  setEventDataStores(accountId: string, stores: SeedEventDataStore[]): void {
    this.eventDataStores.set(accountId, stores);
  }

  private installLakeStubs(proxy: FaultProxy): void {
    const arnOf = (accountId: string, s: SeedEventDataStore) => `arn:aws:cloudtrail:${s.region}:${accountId}:eventdatastore/${s.id ?? s.name}`;
    proxy.addStub({
      service: 'cloudtrail',
      method: 'POST',
      path: '/',
      action: 'ListEventDataStores',
      respond: (req) => ({
        body: {
          EventDataStores: (this.eventDataStores.get(req.accountId) ?? [])
            .filter((s) => s.region === req.region)
            .map((s) => ({ EventDataStoreArn: arnOf(req.accountId, s), Name: s.name })),
        },
      }),
    });
    proxy.addStub({
      service: 'cloudtrail',
      method: 'POST',
      path: '/',
      action: 'GetEventDataStore',
      respond: (req, body) => {
        const wanted = String((JSON.parse(body.toString('utf8') || '{}') as { EventDataStore?: string }).EventDataStore ?? '');
        const s = (this.eventDataStores.get(req.accountId) ?? []).find((x) => arnOf(req.accountId, x) === wanted);
        if (!s) return { status: 400, body: { __type: 'EventDataStoreNotFoundException', message: `Event data store ${wanted} not found` } };
        return {
          body: {
            EventDataStoreArn: arnOf(req.accountId, s),
            Name: s.name,
            Status: s.status ?? 'ENABLED',
            AdvancedEventSelectors: s.selectors ?? [
              { Name: 'Default management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
            ],
            MultiRegionEnabled: s.multiRegion ?? true,
            OrganizationEnabled: s.organization ?? false,
            RetentionPeriod: s.retentionDays ?? 2557,
            TerminationProtectionEnabled: s.terminationProtection ?? true,
            CreatedTimestamp: Date.parse(EPOCH) / 1000,
            UpdatedTimestamp: Date.parse(EPOCH) / 1000,
          },
        };
      },
    });
  }

  setAgentAliases(accountId: string, region: string, agentId: string, aliases: { id: string; name: string }[]): void {
    this.aliases.set(key(accountId, region, agentId), aliases);
  }

  setDataSources(accountId: string, region: string, knowledgeBaseId: string, sources: { id: string; name: string; bucketArn: string }[]): void {
    this.sources.set(key(accountId, region, knowledgeBaseId), sources);
  }

  clear(): void {
    this.aliases.clear();
    this.sources.clear();
    this.eventDataStores.clear();
    this.aiResources.clear();
  }
}

/** A CloudTrail Lake event data store as GetEventDataStore describes it (defaults: an ingesting, multi-region, protected 7-year management-event store). */
export interface SeedEventDataStore {
  name: string;
  region: string;
  /** Last ARN segment; defaults to the name. */
  id?: string;
  status?: string;
  multiRegion?: boolean;
  organization?: boolean;
  retentionDays?: number;
  terminationProtection?: boolean;
  selectors?: SdkAdvancedEventSelector[];
}

function key(accountId: string, region: string, id: string): string {
  return `${accountId}|${region}|${id}`;
}

const installed = new WeakMap<FaultProxy, MotoStubs>();

/** The stub registry of a proxy, installed on first use (idempotent). */
export function installMotoStubs(proxy: FaultProxy): MotoStubs {
  let stubs = installed.get(proxy);
  if (!stubs) {
    stubs = new MotoStubs(proxy);
    installed.set(proxy, stubs);
  }
  return stubs;
}

// ---------------------------------------------------------------- Organization

export interface SeedAccountSpec {
  name: string;
  email?: string;
  /** Close the account after creating it (moto marks it SUSPENDED). */
  close?: boolean;
  /** Name of an OU (created under the root on first use) to move the account into. */
  ou?: string;
}

export interface SeededAccount {
  name: string;
  accountId: string;
  /** Credentials acting in the account (assumed role, cached and refreshed). */
  credentials: AwsCredentialIdentityProvider;
  target: SeedTarget;
  ouId?: string;
  closed: boolean;
}

export interface SeededOrganization {
  organizationId: string;
  managementAccountId: string;
  rootId: string;
  ous: Record<string, string>;
  accounts: SeededAccount[];
}

/** Credentials for another moto account: AssumeRole always succeeds there (any role name). */
export function accountCredentials(
  factory: ClientFactory,
  accountId: string,
  roleName = 'OrganizationAccountAccessRole',
): AwsCredentialIdentityProvider {
  const source = SEED_CREDENTIALS as { accessKeyId: string; secretAccessKey: string };
  return assumeRoleProvider(factory, async () => source, {
    roleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
    sessionName: 'forensight-seed',
    sourceAccountId: MOTO_ACCOUNT,
  });
}

/** Creates an Organization in moto's default account (the management account) and member accounts. Ids are random strings. */
export async function seedOrganization(
  factory: ClientFactory,
  spec: { accounts: SeedAccountSpec[]; featureSet?: 'ALL' | 'CONSOLIDATED_BILLING'; stubs?: MotoStubs },
): Promise<SeededOrganization> {
  const org = client(OrganizationsClient, resolve({ factory }));
  let organization;
  try {
    organization = (await org.send(new CreateOrganizationCommand({ FeatureSet: spec.featureSet ?? 'ALL' }))).Organization;
  } catch (error) {
    if ((error as { name?: string }).name !== 'AlreadyInOrganizationException') throw error;
    organization = (await org.send(new DescribeOrganizationCommand({}))).Organization;
  }
  const rootId = String((await org.send(new ListRootsCommand({}))).Roots?.[0]?.Id);
  const ous: Record<string, string> = {};
  const accounts: SeededAccount[] = [];
  for (const a of spec.accounts) {
    const created = await org.send(
      new CreateAccountCommand({ AccountName: a.name, Email: a.email ?? `${a.name.replace(/[^\w.-]/g, '-')}@example.com` }),
    );
    let accountId = created.CreateAccountStatus?.AccountId;
    if (!accountId && created.CreateAccountStatus?.Id) {
      const status = await org.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus.Id }));
      accountId = status.CreateAccountStatus?.AccountId;
    }
    if (!accountId) throw new Error(`moto did not return an account id for ${a.name}`);
    accountId = String(accountId);
    let ouId: string | undefined;
    if (a.ou) {
      ouId = ous[a.ou] ??= String((await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: a.ou }))).OrganizationalUnit?.Id);
      await org.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: rootId, DestinationParentId: ouId }));
    }
    if (a.close) await org.send(new CloseAccountCommand({ AccountId: accountId }));
    const credentials = accountCredentials(factory, accountId);
    accounts.push({
      name: a.name,
      accountId,
      credentials,
      target: { factory, credentials, accountId, ...(spec.stubs ? { stubs: spec.stubs } : {}) },
      ...(ouId ? { ouId } : {}),
      closed: Boolean(a.close),
    });
  }
  return {
    organizationId: String(organization?.Id),
    managementAccountId: String(organization?.MasterAccountId ?? MOTO_ACCOUNT),
    rootId,
    ous,
    accounts,
  };
}

// ---------------------------------------------------------------- S3

export interface SeedBucketSpec {
  name: string;
  /** Bucket region (defaults to the target's region). */
  region?: string;
  versioning?: boolean | 'Suspended';
  /** Object Lock (implies versioning). `true` = enabled without default retention. */
  objectLock?: true | { mode: 'GOVERNANCE' | 'COMPLIANCE'; days?: number; years?: number };
  tags?: Record<string, string>;
  /** Server access logging into another bucket; the target gets the log-delivery-write ACL first. */
  accessLogging?: { targetBucket: string; targetPrefix?: string };
  /** Replication to other buckets (versioning is switched on for this bucket; destinations must be versioned). */
  replication?: { destinationBuckets: string[]; roleArn?: string };
  /** Mark the bucket as an access-log target (log-delivery-write ACL) even if nothing logs into it yet. */
  logDeliveryTarget?: boolean;
}

export interface SeededBucket {
  name: string;
  arn: string;
  region: string;
}

/** Creates a bucket (skips creation if the caller already owns it) and applies the requested properties. */
export async function seedBucket(t: SeedTarget, spec: SeedBucketSpec): Promise<SeededBucket> {
  const r = resolve(t, spec.region);
  const s3 = client(S3Client, r);
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: spec.name,
        ...(r.region !== 'us-east-1' ? { CreateBucketConfiguration: { LocationConstraint: r.region as BucketLocationConstraint } } : {}),
        ...(spec.objectLock ? { ObjectLockEnabledForBucket: true } : {}),
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw error;
  }
  if (spec.logDeliveryTarget) await s3.send(new PutBucketAclCommand({ Bucket: spec.name, ACL: 'log-delivery-write' as BucketCannedACL }));
  const versioned = spec.versioning === true || Boolean(spec.replication) || Boolean(spec.objectLock);
  if (versioned || spec.versioning === 'Suspended') {
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: spec.name,
        VersioningConfiguration: { Status: versioned && spec.versioning !== 'Suspended' ? 'Enabled' : 'Suspended' },
      }),
    );
  }
  if (spec.objectLock && spec.objectLock !== true) {
    const { mode, days, years } = spec.objectLock;
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: spec.name,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: mode, ...(days !== undefined ? { Days: days } : {}), ...(years !== undefined ? { Years: years } : {}) } },
        },
      }),
    );
  }
  if (spec.tags && Object.keys(spec.tags).length > 0) {
    await s3.send(
      new PutBucketTaggingCommand({ Bucket: spec.name, Tagging: { TagSet: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })) } }),
    );
  }
  if (spec.accessLogging) {
    // The target may live in another region; the ACL call is sent with a client of this bucket's region (moto accepts it).
    await s3.send(new PutBucketAclCommand({ Bucket: spec.accessLogging.targetBucket, ACL: 'log-delivery-write' as BucketCannedACL }));
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket: spec.name,
        BucketLoggingStatus: {
          LoggingEnabled: { TargetBucket: spec.accessLogging.targetBucket, TargetPrefix: spec.accessLogging.targetPrefix ?? `${spec.name}/` },
        },
      }),
    );
  }
  if (spec.replication) {
    await s3.send(
      new PutBucketReplicationCommand({
        Bucket: spec.name,
        ReplicationConfiguration: {
          Role: spec.replication.roleArn ?? seedRoleArn(t, 's3-replication'),
          Rules: spec.replication.destinationBuckets.map((dest, i) => ({
            ID: `to-${dest}`,
            Priority: i + 1,
            Status: 'Enabled',
            Filter: { Prefix: '' },
            DeleteMarkerReplication: { Status: 'Disabled' },
            Destination: { Bucket: `arn:aws:s3:::${dest}` },
          })),
        },
      }),
    );
  }
  return { name: spec.name, arn: `arn:aws:s3:::${spec.name}`, region: r.region };
}

// ---------------------------------------------------------------- CloudTrail

export interface SeedTrailSpec {
  name: string;
  /** Trail bucket; created (plain) unless createBucket is false. */
  bucket: string;
  createBucket?: boolean;
  s3KeyPrefix?: string;
  multiRegion?: boolean;
  organization?: boolean;
  logFileValidation?: boolean;
  cloudWatchLogGroupArn?: string;
  cloudWatchRoleArn?: string;
  kmsKeyId?: string;
  /** StartLogging after creation (default true). */
  logging?: boolean;
  /**
   * moto gives a new trail no selectors (AWS gives read+write management events): 'management' sets the AWS
   * default explicitly; otherwise classic or advanced (not both: CloudTrail rejects the mix).
   */
  selectors?: 'management' | 'none' | { classic: SdkEventSelector[] } | { advanced: SdkAdvancedEventSelector[] };
  tags?: Record<string, string>;
}

export interface SeededTrail {
  name: string;
  arn: string;
  homeRegion: string;
  bucket: string;
}

export const MANAGEMENT_EVENTS_ALL: SdkEventSelector = { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] };

/** Advanced selector for data events of one resource type, optionally scoped to ARN prefixes. */
export function dataEventSelector(resourceType: string, arnPrefixes?: string[], name?: string): SdkAdvancedEventSelector {
  return {
    Name: name ?? `data events ${resourceType}`,
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: [resourceType] },
      ...(arnPrefixes && arnPrefixes.length > 0 ? [{ Field: 'resources.ARN', StartsWith: arnPrefixes }] : []),
    ],
  };
}

export function managementEventsSelector(name = 'management events'): SdkAdvancedEventSelector {
  return { Name: name, FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] };
}

export async function seedTrail(t: SeedTarget, spec: SeedTrailSpec): Promise<SeededTrail> {
  const r = resolve(t);
  if (spec.createBucket !== false) await seedBucket(t, { name: spec.bucket });
  const ct = client(CloudTrailClient, r);
  const created = await ct.send(
    new CreateTrailCommand({
      Name: spec.name,
      S3BucketName: spec.bucket,
      ...(spec.s3KeyPrefix ? { S3KeyPrefix: spec.s3KeyPrefix } : {}),
      IsMultiRegionTrail: spec.multiRegion ?? true,
      IsOrganizationTrail: spec.organization ?? false,
      EnableLogFileValidation: spec.logFileValidation ?? true,
      IncludeGlobalServiceEvents: true,
      ...(spec.cloudWatchLogGroupArn
        ? {
            CloudWatchLogsLogGroupArn: spec.cloudWatchLogGroupArn,
            CloudWatchLogsRoleArn: spec.cloudWatchRoleArn ?? seedRoleArn(t, 'cloudtrail-to-logs'),
          }
        : {}),
      ...(spec.kmsKeyId ? { KmsKeyId: spec.kmsKeyId } : {}),
      ...(spec.tags ? { TagsList: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
    }),
  );
  const arn = String(created.TrailARN);
  const selectors = spec.selectors ?? 'management';
  if (selectors === 'management') {
    await ct.send(new PutEventSelectorsCommand({ TrailName: arn, EventSelectors: [MANAGEMENT_EVENTS_ALL] }));
  } else if (selectors !== 'none') {
    await ct.send(
      new PutEventSelectorsCommand(
        'classic' in selectors
          ? { TrailName: arn, EventSelectors: selectors.classic }
          : { TrailName: arn, AdvancedEventSelectors: selectors.advanced },
      ),
    );
  }
  // moto's StartLogging fails for an ARN (KeyError): use the name.
  if (spec.logging ?? true) await ct.send(new StartLoggingCommand({ Name: spec.name }));
  return { name: spec.name, arn, homeRegion: r.region, bucket: spec.bucket };
}

// ---------------------------------------------------------------- Bedrock

export interface SeedBedrockLoggingSpec {
  s3?: { bucketName: string; keyPrefix?: string };
  cloudWatch?: { logGroupName: string; roleArn?: string; largeDataBucket?: string };
  text?: boolean;
  image?: boolean;
  embedding?: boolean;
}

export async function seedBedrockLogging(t: SeedTarget, spec: SeedBedrockLoggingSpec): Promise<void> {
  const r = resolve(t);
  await client(BedrockClient, r).send(
    new PutModelInvocationLoggingConfigurationCommand({
      loggingConfig: {
        ...(spec.s3 ? { s3Config: { bucketName: spec.s3.bucketName, ...(spec.s3.keyPrefix ? { keyPrefix: spec.s3.keyPrefix } : {}) } } : {}),
        ...(spec.cloudWatch
          ? {
              cloudWatchConfig: {
                logGroupName: spec.cloudWatch.logGroupName,
                roleArn: spec.cloudWatch.roleArn ?? seedRoleArn(t, 'bedrock-logging'),
                ...(spec.cloudWatch.largeDataBucket ? { largeDataDeliveryS3Config: { bucketName: spec.cloudWatch.largeDataBucket } } : {}),
              },
            }
          : {}),
        textDataDeliveryEnabled: spec.text ?? true,
        imageDataDeliveryEnabled: spec.image ?? false,
        embeddingDataDeliveryEnabled: spec.embedding ?? false,
      },
    }),
  );
}

export interface SeedCustomizationJobSpec {
  jobName: string;
  customModelName: string;
  baseModel?: string;
  trainingDataS3Uri: string;
  validationDataS3Uris?: string[];
  outputDataS3Uri: string;
  vpc?: { subnetIds: string[]; securityGroupIds: string[] };
}

/** moto also creates the custom model (named customModelName) at once. */
export async function seedCustomizationJob(t: SeedTarget, spec: SeedCustomizationJobSpec): Promise<{ jobArn: string }> {
  const r = resolve(t);
  const out = await client(BedrockClient, r).send(
    new CreateModelCustomizationJobCommand({
      jobName: spec.jobName,
      customModelName: spec.customModelName,
      roleArn: seedRoleArn(t, 'bedrock-customization'),
      baseModelIdentifier: spec.baseModel ?? 'amazon.titan-text-express-v1',
      trainingDataConfig: { s3Uri: spec.trainingDataS3Uri },
      ...(spec.validationDataS3Uris ? { validationDataConfig: { validators: spec.validationDataS3Uris.map((s3Uri) => ({ s3Uri })) } } : {}),
      outputDataConfig: { s3Uri: spec.outputDataS3Uri },
      hyperParameters: {},
      ...(spec.vpc ? { vpcConfig: { subnetIds: spec.vpc.subnetIds, securityGroupIds: spec.vpc.securityGroupIds } } : {}),
    }),
  );
  return { jobArn: String(out.jobArn) };
}

export interface SeededAgent {
  agentId: string;
  agentArn: string;
  name: string;
  aliases: { aliasId: string; aliasArn: string; name: string }[];
}

/**
 * moto creates agents but has no create/list_agent_aliases: aliases are answered by a
 * FaultProxy stub registered in `stubs` (see installMotoStubs). Without aliases, no stub is needed.
 */
export async function seedAgent(
  t: SeedTarget,
  spec: { name: string; aliases?: string[]; foundationModel?: string; stubs?: MotoStubs },
): Promise<SeededAgent> {
  const r = resolve(t);
  const agents = client(BedrockAgentClient, r);
  const out = await agents.send(
    new CreateAgentCommand({
      agentName: spec.name,
      agentResourceRoleArn: seedRoleArn(t, 'bedrock-agent'),
      foundationModel: spec.foundationModel ?? 'anthropic.claude-v2',
    }),
  );
  const agentId = String(out.agent?.agentId);
  const aliases: SeededAgent['aliases'] = [];
  if (spec.aliases?.length) {
    const stubs = spec.stubs ?? t.stubs;
    if (!stubs) throw new Error('seedAgent: moto cannot create agent aliases; pass stubs: installMotoStubs(proxy) in the target or spec');
    for (const [i, name] of spec.aliases.entries()) {
      const aliasId = `${name
        .replace(/[^A-Za-z0-9]/g, '')
        .toUpperCase()
        .slice(0, 6)}${String(i).padStart(4, '0')}`.padEnd(10, 'X');
      aliases.push({ aliasId, aliasArn: `arn:aws:bedrock:${r.region}:${r.accountId}:agent-alias/${agentId}/${aliasId}`, name });
    }
    stubs.setAgentAliases(
      r.accountId,
      r.region,
      agentId,
      aliases.map((a) => ({ id: a.aliasId, name: a.name })),
    );
  }
  return { agentId, agentArn: String(out.agent?.agentArn), name: spec.name, aliases };
}

export interface SeededKnowledgeBase {
  knowledgeBaseId: string;
  knowledgeBaseArn: string;
  name: string;
  dataSourceIds: string[];
}

/** moto creates knowledge bases but not data sources: those are answered by stubs (installMotoStubs), required when dataSourceBuckets is given. */
export async function seedKnowledgeBase(
  t: SeedTarget,
  spec: { name: string; dataSourceBuckets?: string[]; stubs?: MotoStubs },
): Promise<SeededKnowledgeBase> {
  const r = resolve(t);
  const agents = client(BedrockAgentClient, r);
  const out = await agents.send(
    new CreateKnowledgeBaseCommand({
      name: spec.name,
      roleArn: seedRoleArn(t, 'bedrock-kb'),
      knowledgeBaseConfiguration: {
        type: 'VECTOR',
        vectorKnowledgeBaseConfiguration: { embeddingModelArn: `arn:aws:bedrock:${r.region}::foundation-model/amazon.titan-embed-text-v1` },
      },
      storageConfiguration: {
        type: 'OPENSEARCH_SERVERLESS',
        opensearchServerlessConfiguration: {
          collectionArn: `arn:aws:aoss:${r.region}:${r.accountId}:collection/${spec.name}`,
          vectorIndexName: 'index',
          fieldMapping: { vectorField: 'vector', textField: 'text', metadataField: 'metadata' },
        },
      },
    }),
  );
  const knowledgeBaseId = String(out.knowledgeBase?.knowledgeBaseId);
  const dataSourceIds: string[] = [];
  if (spec.dataSourceBuckets?.length) {
    const stubs = spec.stubs ?? t.stubs;
    if (!stubs) throw new Error('seedKnowledgeBase: moto cannot create data sources; pass stubs: installMotoStubs(proxy) in the target or spec');
    const sources = spec.dataSourceBuckets.map((bucket, i) => ({
      id: `DS${knowledgeBaseId.slice(-4).toUpperCase()}${String(i).padStart(4, '0')}`,
      name: `${spec.name}-source-${i + 1}`,
      bucketArn: `arn:aws:s3:::${bucket}`,
    }));
    stubs.setDataSources(r.accountId, r.region, knowledgeBaseId, sources);
    dataSourceIds.push(...sources.map((s) => s.id));
  }
  return { knowledgeBaseId, knowledgeBaseArn: String(out.knowledgeBase?.knowledgeBaseArn), name: spec.name, dataSourceIds };
}

// ---------------------------------------------------------------- SageMaker

export interface SeedVpcPlacement {
  subnetIds: string[];
  securityGroupIds: string[];
}

export interface SeedSageMakerModelSpec {
  name: string;
  modelDataUrl?: string;
  /** Extra containers (multi-container model) instead of a primary container. */
  containers?: { modelDataUrl?: string }[];
  vpc?: SeedVpcPlacement;
  image?: string;
}

const IMAGE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1-cpu-py310';

export async function seedSageMakerModel(t: SeedTarget, spec: SeedSageMakerModelSpec): Promise<{ modelName: string; modelArn: string }> {
  const r = resolve(t);
  const container = (url?: string) => ({ Image: spec.image ?? IMAGE, ...(url ? { ModelDataUrl: url } : {}) });
  const out = await client(SageMakerClient, r).send(
    new CreateModelCommand({
      ModelName: spec.name,
      ExecutionRoleArn: seedRoleArn(t, 'sagemaker-execution'),
      ...(spec.containers
        ? { Containers: spec.containers.map((c) => container(c.modelDataUrl)) }
        : { PrimaryContainer: container(spec.modelDataUrl) }),
      ...(spec.vpc ? { VpcConfig: { Subnets: spec.vpc.subnetIds, SecurityGroupIds: spec.vpc.securityGroupIds } } : {}),
    }),
  );
  return { modelName: spec.name, modelArn: String(out.ModelArn) };
}

export interface SeedEndpointSpec {
  name: string;
  /** Model created for the endpoint (name defaults to `${name}-model`); pass modelName to reuse an existing model instead. */
  model?: Omit<SeedSageMakerModelSpec, 'name'> & { name?: string };
  modelName?: string;
  /** Endpoint config name (defaults to `${name}-config`); reuse an existing config with existingConfig: true. */
  endpointConfigName?: string;
  existingConfig?: boolean;
  instanceType?: ProductionVariantInstanceType;
  /** null/undefined = no DataCaptureConfig. */
  dataCapture?: { destinationS3Uri: string; samplingPercent?: number; modes?: ('Input' | 'Output')[]; enabled?: boolean } | null;
}

export interface SeededEndpoint {
  endpointName: string;
  endpointArn: string;
  endpointConfigName: string;
  modelName: string;
  modelArn?: string;
}

/** Model (ModelDataUrl, optional VpcConfig) + endpoint config (with or without data capture) + endpoint. */
export async function seedSageMakerEndpoint(t: SeedTarget, spec: SeedEndpointSpec): Promise<SeededEndpoint> {
  const r = resolve(t);
  const sm = client(SageMakerClient, r);
  let modelName = spec.modelName;
  let modelArn: string | undefined;
  if (!modelName) {
    const model = await seedSageMakerModel(t, { ...spec.model, name: spec.model?.name ?? `${spec.name}-model` });
    modelName = model.modelName;
    modelArn = model.modelArn;
  }
  const endpointConfigName = spec.endpointConfigName ?? `${spec.name}-config`;
  if (!spec.existingConfig) {
    const dc = spec.dataCapture;
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: endpointConfigName,
        ProductionVariants: [
          { VariantName: 'AllTraffic', ModelName: modelName, InitialInstanceCount: 1, InstanceType: spec.instanceType ?? 'ml.m5.large' },
        ],
        ...(dc
          ? {
              DataCaptureConfig: {
                EnableCapture: dc.enabled ?? true,
                InitialSamplingPercentage: dc.samplingPercent ?? 100,
                DestinationS3Uri: dc.destinationS3Uri,
                CaptureOptions: (dc.modes ?? ['Input', 'Output']).map((CaptureMode) => ({ CaptureMode })),
              },
            }
          : {}),
      }),
    );
  }
  const out = await sm.send(new CreateEndpointCommand({ EndpointName: spec.name, EndpointConfigName: endpointConfigName }));
  return { endpointName: spec.name, endpointArn: String(out.EndpointArn), endpointConfigName, modelName, ...(modelArn ? { modelArn } : {}) };
}

export interface SeedTrainingJobSpec {
  name: string;
  inputS3Uris: string[];
  outputS3Path: string;
  vpc?: SeedVpcPlacement;
  instanceType?: TrainingInstanceType;
}

export async function seedTrainingJob(t: SeedTarget, spec: SeedTrainingJobSpec): Promise<{ trainingJobName: string; trainingJobArn: string }> {
  const r = resolve(t);
  const out = await client(SageMakerClient, r).send(
    new CreateTrainingJobCommand({
      TrainingJobName: spec.name,
      AlgorithmSpecification: { TrainingImage: IMAGE.replace('inference', 'training'), TrainingInputMode: 'File' },
      RoleArn: seedRoleArn(t, 'sagemaker-execution'),
      InputDataConfig: spec.inputS3Uris.map((S3Uri, i) => ({
        ChannelName: i === 0 ? 'train' : `channel${i}`,
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri } },
      })),
      OutputDataConfig: { S3OutputPath: spec.outputS3Path },
      ResourceConfig: { InstanceType: spec.instanceType ?? 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 10 },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      ...(spec.vpc ? { VpcConfig: { Subnets: spec.vpc.subnetIds, SecurityGroupIds: spec.vpc.securityGroupIds } } : {}),
    }),
  );
  return { trainingJobName: spec.name, trainingJobArn: String(out.TrainingJobArn) };
}

export async function seedNotebook(
  t: SeedTarget,
  spec: { name: string; subnetId?: string; securityGroupIds?: string[]; instanceType?: _InstanceType },
): Promise<{ notebookName: string; notebookArn: string }> {
  const r = resolve(t);
  const out = await client(SageMakerClient, r).send(
    new CreateNotebookInstanceCommand({
      NotebookInstanceName: spec.name,
      InstanceType: spec.instanceType ?? 'ml.t2.medium',
      RoleArn: seedRoleArn(t, 'sagemaker-execution'),
      ...(spec.subnetId ? { SubnetId: spec.subnetId, SecurityGroupIds: spec.securityGroupIds ?? [] } : {}),
    }),
  );
  return { notebookName: spec.name, notebookArn: String(out.NotebookInstanceArn) };
}

export async function seedDomain(
  t: SeedTarget,
  spec: { name: string; vpcId: string; subnetIds: string[] },
): Promise<{ domainId: string; domainArn: string }> {
  const r = resolve(t);
  const out = await client(SageMakerClient, r).send(
    new CreateDomainCommand({
      DomainName: spec.name,
      AuthMode: 'IAM',
      DefaultUserSettings: { ExecutionRole: seedRoleArn(t, 'sagemaker-execution') },
      SubnetIds: spec.subnetIds,
      VpcId: spec.vpcId,
    }),
  );
  const domainArn = String(out.DomainArn);
  return { domainId: domainArn.split('/').pop() ?? '', domainArn };
}

// ---------------------------------------------------------------- Network, logs, detection

export interface SeedVpcSpec {
  cidr?: string;
  /** Number of subnets (default 2), /24 each inside the VPC CIDR. */
  subnets?: number;
  /** Flow logs on the VPC; omit for none. */
  flowLogs?: (
    | { trafficType?: 'ALL' | 'ACCEPT' | 'REJECT'; destination: 'cloud-watch-logs'; logGroupName: string; roleArn?: string }
    | { trafficType?: 'ALL' | 'ACCEPT' | 'REJECT'; destination: 's3'; bucket: string; prefix?: string }
  )[];
}

export interface SeededVpc {
  vpcId: string;
  subnetIds: string[];
  securityGroupId: string;
  flowLogIds: string[];
  /** Ready to pass as a `vpc` option of the SageMaker builders. */
  placement: SeedVpcPlacement;
}

export async function seedVpcWithFlowLogs(t: SeedTarget, spec: SeedVpcSpec = {}): Promise<SeededVpc> {
  const r = resolve(t);
  const ec2 = client(EC2Client, r);
  const cidr = spec.cidr ?? '10.20.0.0/16';
  const vpcId = String((await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc?.VpcId);
  const [a, b] = cidr.split('.');
  const subnetIds: string[] = [];
  for (let i = 0; i < (spec.subnets ?? 2); i++) {
    const out = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${a}.${b}.${i}.0/24` }));
    subnetIds.push(String(out.Subnet?.SubnetId));
  }
  const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `ai-${vpcId}`, Description: 'AI workloads', VpcId: vpcId }));
  const flowLogIds: string[] = [];
  for (const fl of spec.flowLogs ?? []) {
    // moto silently skips a flow log whose S3 bucket does not exist; create destinations first.
    if (fl.destination === 's3') await seedBucket(t, { name: fl.bucket });
    else
      await seedLogGroup(t, { name: fl.logGroupName }).catch((error: { name?: string }) => {
        if (error?.name !== 'ResourceAlreadyExistsException') throw error;
      });
    const out = await ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds: [vpcId],
        ResourceType: 'VPC',
        TrafficType: fl.trafficType ?? 'ALL',
        ...(fl.destination === 'cloud-watch-logs'
          ? {
              LogDestinationType: 'cloud-watch-logs',
              LogGroupName: fl.logGroupName,
              DeliverLogsPermissionArn: fl.roleArn ?? seedRoleArn(t, 'flow-logs'),
            }
          : { LogDestinationType: 's3', LogDestination: `arn:aws:s3:::${fl.bucket}${fl.prefix ? `/${fl.prefix}` : ''}` }),
      }),
    );
    if (out.Unsuccessful?.length) throw new Error(`CreateFlowLogs failed: ${JSON.stringify(out.Unsuccessful)}`);
    flowLogIds.push(...(out.FlowLogIds ?? []));
  }
  const securityGroupId = String(sg.GroupId);
  return { vpcId, subnetIds, securityGroupId, flowLogIds, placement: { subnetIds, securityGroupIds: [securityGroupId] } };
}

export async function seedLogGroup(t: SeedTarget, spec: { name: string; retentionInDays?: number }): Promise<{ name: string; arn: string }> {
  const r = resolve(t);
  const logs = client(CloudWatchLogsClient, r);
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: spec.name }));
  } catch (error) {
    // Flow-log seeding creates its destination group; setting its retention here is then all that is left.
    if ((error as { name?: string }).name !== 'ResourceAlreadyExistsException') throw error;
  }
  if (spec.retentionInDays !== undefined)
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: spec.name, retentionInDays: spec.retentionInDays }));
  return { name: spec.name, arn: `arn:aws:logs:${r.region}:${r.accountId}:log-group:${spec.name}` };
}

export async function seedGuardDuty(t: SeedTarget, spec: { enable?: boolean } = {}): Promise<{ detectorId: string }> {
  const r = resolve(t);
  const out = await client(GuardDutyClient, r).send(new CreateDetectorCommand({ Enable: spec.enable ?? true }));
  return { detectorId: String(out.DetectorId) };
}

export interface SeedConfigRecorderSpec {
  name?: string;
  /** Record all supported types (default), or only these resource types. */
  resourceTypes?: string[];
  includeGlobalResourceTypes?: boolean;
  /** Start recording (default true; needs a delivery channel, created with deliveryBucket). */
  start?: boolean;
  deliveryBucket?: string;
}

export async function seedConfigRecorder(t: SeedTarget, spec: SeedConfigRecorderSpec = {}): Promise<{ name: string }> {
  const r = resolve(t);
  const config = client(ConfigServiceClient, r);
  const name = spec.name ?? 'default';
  const allSupported = !spec.resourceTypes;
  await config.send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: {
        name,
        roleARN: seedRoleArn(t, 'config-recorder'),
        recordingGroup: {
          allSupported,
          includeGlobalResourceTypes: allSupported ? (spec.includeGlobalResourceTypes ?? true) : false,
          ...(allSupported ? {} : { resourceTypes: spec.resourceTypes as never }),
        },
      },
    }),
  );
  if (spec.start ?? true) {
    const bucket = spec.deliveryBucket ?? `config-delivery-${r.accountId}-${r.region}`;
    await seedBucket(t, { name: bucket, region: r.region });
    await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: bucket } }));
    await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: name }));
  }
  return { name };
}
