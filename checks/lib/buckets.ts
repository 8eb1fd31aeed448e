// AI data buckets and log buckets (DESIGN.md), classified once for the whole Organization.
//
// AI data buckets: referenced by SageMaker training-job inputs and outputs, model artifacts (ModelDataUrl),
// endpoint data-capture destinations, the Bedrock invocation-log bucket(s), Bedrock customization-job
// buckets and knowledge-base data sources, plus buckets tagged <bucketRoleTagKey> = training-data |
// model-artifacts | evidence | logs.
// Log buckets: CloudTrail trail buckets, the Bedrock invocation-log bucket(s), flow-log and data-capture
// destinations, server-access-log targets, and buckets tagged evidence or logs.
//
// Ownership: a bucket result belongs to the account that owns the bucket (BucketInfo.ownerAccountId).
// A bucket owned outside the scanned accounts (ownerAccountId null), or never collected, is reported as
// NOT_ASSESSED in each account that references it.
import type { AccountInventory, BucketInfo, Inventory, RegionInventory, ReleasedRegions } from '../../src/model/inventory.js';
import { bucketOf } from '../../src/model/s3-location.js';
import type { CheckContext, CheckParameters } from '../types.js';
import { allTrails } from './trails.js';
import { bucketMissing } from './destinations.js';

export type BucketRole =
  | 'training-data'
  | 'model-artifacts'
  | 'knowledge-base-data'
  | 'data-capture'
  | 'invocation-logs'
  | 'trail-logs'
  | 'flow-logs'
  | 'access-logs'
  | 'evidence'
  | 'logs';

export const TAG_ROLES = ['training-data', 'model-artifacts', 'evidence', 'logs'] as const;

const AI_DATA_ROLES: BucketRole[] = [
  'training-data',
  'model-artifacts',
  'knowledge-base-data',
  'data-capture',
  'invocation-logs',
  'evidence',
  'logs',
];
const LOG_ROLES: BucketRole[] = ['trail-logs', 'invocation-logs', 'flow-logs', 'data-capture', 'access-logs', 'evidence', 'logs'];
const MODEL_ARTIFACT_ROLES: BucketRole[] = ['model-artifacts'];

export interface BucketReference {
  /** Account whose resource references the bucket ("tag" references come from the owner). */
  accountId: string;
  region: string | null;
  role: BucketRole;
  /** Human description, e.g. "training job churn-2024 input". */
  source: string;
}

export interface ClassifiedBucket {
  name: string;
  roles: BucketRole[];
  references: BucketReference[];
  info: BucketInfo | undefined;
}

export interface UnreadableSource {
  roles: BucketRole[];
  reason: string;
}

export interface BucketClassification {
  buckets: Map<string, ClassifiedBucket>;
  /** Per account: bucket sources that could not be read (the bucket list may be incomplete), with the roles they feed. */
  unreadable: Map<string, UnreadableSource[]>;
  /** Per account: the buckets it owns or references, sorted by name (so per-account checks stay linear). */
  byAccount: Map<string, ClassifiedBucket[]>;
}

/** Collects the references one source makes from one account-region, or notes what it could not read. */
interface Emit {
  ref(name: string | null, role: BucketRole, source: string): void;
  unread(roles: BucketRole[], reason: string): void;
}

/** Where AI data and log buckets are referenced from: one row per source, so a new source is one row. */
const REGION_SOURCES: { name: string; read(r: RegionInventory, emit: Emit): void }[] = [
  {
    name: 'SageMaker training jobs',
    read(r, emit) {
      const jobs = r.sagemaker.trainingJobs;
      if (!jobs.ok) return emit.unread(['training-data', 'model-artifacts'], `SageMaker training jobs in ${r.region}: ${jobs.reason}`);
      for (const j of jobs.value) {
        if (j.detailsUnseen)
          emit.unread(['training-data', 'model-artifacts'], `SageMaker training job ${j.name} in ${r.region}: ${j.detailsUnseen.reason}`);
        for (const u of j.inputS3Uris) emit.ref(bucketOf(u), 'training-data', `SageMaker training job ${j.name} input`);
        emit.ref(bucketOf(j.outputS3Path), 'model-artifacts', `SageMaker training job ${j.name} output`);
        emit.ref(bucketOf(j.modelArtifactsS3Uri), 'model-artifacts', `SageMaker training job ${j.name} model artifacts`);
      }
    },
  },
  {
    name: 'SageMaker models',
    read(r, emit) {
      const models = r.sagemaker.models;
      if (!models.ok) return emit.unread(['model-artifacts'], `SageMaker models in ${r.region}: ${models.reason}`);
      for (const m of models.value) {
        if (m.detailsUnseen) emit.unread(['model-artifacts'], `SageMaker model ${m.name} in ${r.region}: ${m.detailsUnseen.reason}`);
        for (const u of m.modelDataUrls) emit.ref(bucketOf(u), 'model-artifacts', `SageMaker model ${m.name} artifacts`);
      }
    },
  },
  {
    name: 'SageMaker endpoint data capture',
    read(r, emit) {
      const endpoints = r.sagemaker.endpoints;
      if (!endpoints.ok) return emit.unread(['data-capture'], `SageMaker endpoints in ${r.region}: ${endpoints.reason}`);
      for (const e of endpoints.value) {
        if (e.dataCapture.ok) emit.ref(bucketOf(e.dataCapture.value?.destinationS3Uri), 'data-capture', `SageMaker endpoint ${e.name} data capture`);
        else emit.unread(['data-capture'], `data capture of endpoint ${e.name} in ${r.region}: ${e.dataCapture.reason}`);
      }
    },
  },
  {
    name: 'Bedrock invocation logging',
    read(r, emit) {
      const logging = r.bedrock.logging;
      if (!logging.ok) return emit.unread(['invocation-logs'], `Bedrock invocation logging in ${r.region}: ${logging.reason}`);
      emit.ref(logging.value?.s3?.bucketName ?? null, 'invocation-logs', `Bedrock invocation logging (${r.region})`);
      emit.ref(logging.value?.cloudWatch?.largeDataS3?.bucketName ?? null, 'invocation-logs', `Bedrock invocation logging large data (${r.region})`);
    },
  },
  {
    name: 'Bedrock customization jobs',
    read(r, emit) {
      const jobs = r.bedrock.customizationJobs;
      if (!jobs.ok) return emit.unread(['training-data', 'model-artifacts'], `Bedrock customization jobs in ${r.region}: ${jobs.reason}`);
      for (const j of jobs.value) {
        if (j.detailsUnseen)
          emit.unread(['training-data', 'model-artifacts'], `Bedrock customization job ${j.name} in ${r.region}: ${j.detailsUnseen.reason}`);
        emit.ref(bucketOf(j.trainingDataS3Uri), 'training-data', `Bedrock customization job ${j.name} training data`);
        for (const u of j.validationDataS3Uris) emit.ref(bucketOf(u), 'training-data', `Bedrock customization job ${j.name} validation data`);
        emit.ref(bucketOf(j.outputDataS3Uri), 'model-artifacts', `Bedrock customization job ${j.name} output`);
      }
    },
  },
  {
    name: 'Bedrock knowledge bases',
    read(r, emit) {
      const kbs = r.bedrock.knowledgeBases;
      if (!kbs.ok) return emit.unread(['knowledge-base-data'], `Bedrock knowledge bases in ${r.region}: ${kbs.reason}`);
      for (const kb of kbs.value) {
        if (!kb.dataSourceBuckets.ok)
          emit.unread(['knowledge-base-data'], `data sources of knowledge base ${kb.name} in ${r.region}: ${kb.dataSourceBuckets.reason}`);
        else for (const name of kb.dataSourceBuckets.value) emit.ref(name, 'knowledge-base-data', `Bedrock knowledge base ${kb.name} data source`);
      }
    },
  },
  {
    name: 'VPC flow logs',
    read(r, emit) {
      if (!r.flowLogs.ok) return emit.unread(['flow-logs'], `flow logs in ${r.region}: ${r.flowLogs.reason}`);
      for (const f of r.flowLogs.value)
        if (f.destinationType === 's3') emit.ref(bucketOf(f.destinationArn), 'flow-logs', `flow log ${f.id} destination`);
    },
  },
];

/**
 * What classification reads of an account's regions: each bucket reference its regional resources make, in order,
 * and each source it could not read. Small enough to keep when a scan releases the account's regions
 * (Inventory.releasedRegions).
 */
export function regionBucketReferences(acct: AccountInventory): ReleasedRegions {
  const out: ReleasedRegions = { references: [], unread: [] };
  for (const r of Object.values(acct.regions)) {
    const emit: Emit = {
      ref: (name, role, source) => {
        if (name) out.references.push({ bucket: name, region: r.region, role, source });
      },
      unread: (roles, reason) => out.unread.push({ roles, reason }),
    };
    for (const source of REGION_SOURCES) source.read(r, emit);
  }
  return out;
}

export function classifyBuckets(inventory: Inventory, params: Pick<CheckParameters, 'bucketRoleTagKey'>): BucketClassification {
  const buckets = new Map<string, ClassifiedBucket>();
  const unreadable = new Map<string, UnreadableSource[]>();
  const note = (acct: string, roles: BucketRole[], reason: string) => {
    const l = unreadable.get(acct) ?? [];
    l.push({ roles, reason });
    unreadable.set(acct, l);
  };
  const add = (name: string | null, ref: BucketReference) => {
    if (!name) return;
    let b = buckets.get(name);
    if (!b) {
      b = { name, roles: [], references: [], info: inventory.buckets[name] };
      buckets.set(name, b);
    }
    if (!b.roles.includes(ref.role)) b.roles.push(ref.role);
    if (!b.references.some((r) => r.accountId === ref.accountId && r.role === ref.role && r.source === ref.source)) b.references.push(ref);
  };

  for (const acct of inventory.accounts) {
    const accountId = acct.accountId;
    const regional = inventory.releasedRegions?.get(accountId) ?? regionBucketReferences(acct);
    for (const r of regional.references) add(r.bucket, { accountId, region: r.region, role: r.role as BucketRole, source: r.source });
    for (const u of regional.unread) note(accountId, u.roles as BucketRole[], u.reason);
    if (!acct.trails.ok) note(accountId, ['trail-logs'], `CloudTrail trails: ${acct.trails.reason}`);
  }
  const org = inventory.organizationTrails;
  if (org && !org.ok && inventory.organization)
    note(inventory.organization.managementAccountId, ['trail-logs'], `organization trails: ${org.reason}`);
  for (const t of allTrails(inventory)) {
    add(t.s3BucketName, { accountId: t.ownerAccountId, region: t.homeRegion, role: 'trail-logs', source: `CloudTrail trail ${t.name} log bucket` });
  }
  for (const info of Object.values(inventory.buckets)) {
    const owner = info.ownerAccountId;
    const region = info.region.ok ? info.region.value : null;
    if (info.tags.ok) {
      const role = info.tags.value[params.bucketRoleTagKey];
      if (role && (TAG_ROLES as readonly string[]).includes(role))
        add(info.name, { accountId: owner ?? '', region, role: role as BucketRole, source: `tag ${params.bucketRoleTagKey}=${role}` });
    }
    if (info.logging && !info.logging.ok && owner)
      note(owner, ['access-logs'], `server access logging of bucket ${info.name}: ${info.logging.reason}`);
    if (info.logging?.ok && info.logging.value) {
      add(info.logging.value.targetBucket, {
        accountId: owner ?? '',
        region,
        role: 'access-logs',
        source: `server access-log target of bucket ${info.name}`,
      });
    }
  }
  return { buckets, unreadable, byAccount: indexByAccount(buckets) };
}

/** Per account: the buckets it owns or references, sorted by name (so per-account checks stay linear). */
function indexByAccount(buckets: Map<string, ClassifiedBucket>): Map<string, ClassifiedBucket[]> {
  const byAccount = new Map<string, ClassifiedBucket[]>();
  for (const b of [...buckets.values()].sort((x, y) => x.name.localeCompare(y.name))) {
    const ids = new Set(b.references.map((r) => r.accountId));
    if (b.info?.ownerAccountId) ids.add(b.info.ownerAccountId);
    for (const id of ids) {
      const list = byAccount.get(id) ?? [];
      list.push(b);
      byAccount.set(id, list);
    }
  }
  return byAccount;
}

/** The Organization's bucket classification, computed once per evaluation when the engine provides a memo. */
export function classifiedBuckets(ctx: CheckContext): BucketClassification {
  const compute = () => classifyBuckets(ctx.inventory, ctx.params);
  return ctx.memo ? ctx.memo(`bucket-classification:${ctx.params.bucketRoleTagKey}`, compute) : compute();
}

export const AI_DATA_BUCKET_ROLES: readonly BucketRole[] = AI_DATA_ROLES;
export const LOG_BUCKET_ROLES: readonly BucketRole[] = LOG_ROLES;
export const MODEL_ARTIFACT_BUCKET_ROLES: readonly BucketRole[] = MODEL_ARTIFACT_ROLES;

/** Sources of this account that could not be read and could have added buckets with one of `roles`. */
export function unreadableFor(cls: BucketClassification, accountId: string, roles: readonly BucketRole[]): string[] {
  return (cls.unreadable.get(accountId) ?? []).filter((u) => u.roles.some((r) => roles.includes(r))).map((u) => u.reason);
}

export const isAiDataBucket = (b: ClassifiedBucket): boolean => b.roles.some((r) => AI_DATA_ROLES.includes(r));
export const isLogBucket = (b: ClassifiedBucket): boolean => b.roles.some((r) => LOG_ROLES.includes(r));
export const isModelArtifactBucket = (b: ClassifiedBucket): boolean => b.roles.some((r) => MODEL_ARTIFACT_ROLES.includes(r));
export const isAccessLogTarget = (b: ClassifiedBucket): boolean => b.roles.includes('access-logs');

export type BucketAssignment =
  /** The account owns the bucket and its properties were collected. */
  | { kind: 'owned'; bucket: ClassifiedBucket; info: BucketInfo }
  /** The account references a bucket that exists nowhere (NoSuchBucket): whatever it should hold is not kept. */
  | { kind: 'missing'; bucket: ClassifiedBucket; reason: string }
  /** The account references a bucket it cannot assess (owned elsewhere or not collected). */
  | { kind: 'unassessable'; bucket: ClassifiedBucket; code: 'not-collected' | 'owned-outside-scan'; reason: string };

/**
 * The buckets of `filter` for which this account gets a result: the ones it owns, plus the ones it references
 * that are owned outside the scanned accounts or were never collected.
 */
export function bucketsForAccount(
  cls: BucketClassification,
  account: AccountInventory,
  filter: (b: ClassifiedBucket) => boolean,
): BucketAssignment[] {
  const out: BucketAssignment[] = [];
  for (const b of cls.byAccount.get(account.accountId) ?? []) {
    if (!filter(b)) continue;
    const info = b.info;
    const referencedHere = b.references.some((r) => r.accountId === account.accountId);
    if (info && info.ownerAccountId === account.accountId) out.push({ kind: 'owned', bucket: b, info });
    else if (info && bucketMissing(info) && referencedHere) out.push({ kind: 'missing', bucket: b, reason: `Bucket ${b.name} does not exist` });
    else if (!info && referencedHere)
      out.push({
        kind: 'unassessable',
        bucket: b,
        code: 'not-collected',
        reason: `Bucket ${b.name} was not collected, so its properties could not be read`,
      });
    else if (info && info.ownerAccountId === null && referencedHere)
      out.push({
        kind: 'unassessable',
        bucket: b,
        code: 'owned-outside-scan',
        reason: `Bucket ${b.name} is owned outside the scanned accounts, so its properties could not be read`,
      });
  }
  return out;
}

export { bucketMissing } from './destinations.js';

export const bucketRegion = (info: BucketInfo | undefined): string => (info?.region.ok ? info.region.value : 'global');

/** Short description of why a bucket is in scope: "model-artifacts (SageMaker model m1 artifacts)". */
export function describeRoles(b: ClassifiedBucket): string {
  return b.roles.join(', ');
}
