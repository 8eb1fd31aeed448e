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
import type { AccountInventory, BucketInfo, Inventory, ObjectLockInfo } from '../../src/model/inventory.js';
import { bucketOf } from '../../src/model/s3-location.js';
import type { CheckContext, CheckParameters } from '../types.js';
import { allTrails } from './trails.js';

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

const AI_DATA_ROLES: BucketRole[] = ['training-data', 'model-artifacts', 'knowledge-base-data', 'data-capture', 'invocation-logs', 'evidence', 'logs'];
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
    const a = acct.accountId;
    for (const r of Object.values(acct.regions)) {
      const region = r.region;
      const sm = r.sagemaker;
      if (sm.trainingJobs.ok) {
        for (const j of sm.trainingJobs.value) {
          if (j.detailsUnseen) note(a, ['training-data', 'model-artifacts'], `SageMaker training job ${j.name} in ${region}: ${j.detailsUnseen.reason}`);
          for (const u of j.inputS3Uris) add(bucketOf(u), { accountId: a, region, role: 'training-data', source: `SageMaker training job ${j.name} input` });
          add(bucketOf(j.outputS3Path), { accountId: a, region, role: 'model-artifacts', source: `SageMaker training job ${j.name} output` });
          add(bucketOf(j.modelArtifactsS3Uri), { accountId: a, region, role: 'model-artifacts', source: `SageMaker training job ${j.name} model artifacts` });
        }
      } else note(a, ['training-data', 'model-artifacts'], `SageMaker training jobs in ${region}: ${sm.trainingJobs.reason}`);
      if (sm.models.ok) {
        for (const m of sm.models.value) {
          if (m.detailsUnseen) note(a, ['model-artifacts'], `SageMaker model ${m.name} in ${region}: ${m.detailsUnseen.reason}`);
          for (const u of m.modelDataUrls) add(bucketOf(u), { accountId: a, region, role: 'model-artifacts', source: `SageMaker model ${m.name} artifacts` });
        }
      } else note(a, ['model-artifacts'], `SageMaker models in ${region}: ${sm.models.reason}`);
      if (sm.endpoints.ok) {
        for (const e of sm.endpoints.value) {
          if (e.dataCapture.ok) {
            const dest = e.dataCapture.value?.destinationS3Uri;
            add(bucketOf(dest), { accountId: a, region, role: 'data-capture', source: `SageMaker endpoint ${e.name} data capture` });
          } else note(a, ['data-capture'], `data capture of endpoint ${e.name} in ${region}: ${e.dataCapture.reason}`);
        }
      } else note(a, ['data-capture'], `SageMaker endpoints in ${region}: ${sm.endpoints.reason}`);
      const b = r.bedrock;
      if (b.logging.ok) {
        const cfg = b.logging.value;
        if (cfg?.s3) add(cfg.s3.bucketName, { accountId: a, region, role: 'invocation-logs', source: `Bedrock invocation logging (${region})` });
        if (cfg?.cloudWatch?.largeDataS3)
          add(cfg.cloudWatch.largeDataS3.bucketName, { accountId: a, region, role: 'invocation-logs', source: `Bedrock invocation logging large data (${region})` });
      } else note(a, ['invocation-logs'], `Bedrock invocation logging in ${region}: ${b.logging.reason}`);
      if (b.customizationJobs.ok) {
        for (const j of b.customizationJobs.value) {
          if (j.detailsUnseen) note(a, ['training-data', 'model-artifacts'], `Bedrock customization job ${j.name} in ${region}: ${j.detailsUnseen.reason}`);
          add(bucketOf(j.trainingDataS3Uri), { accountId: a, region, role: 'training-data', source: `Bedrock customization job ${j.name} training data` });
          for (const u of j.validationDataS3Uris) add(bucketOf(u), { accountId: a, region, role: 'training-data', source: `Bedrock customization job ${j.name} validation data` });
          add(bucketOf(j.outputDataS3Uri), { accountId: a, region, role: 'model-artifacts', source: `Bedrock customization job ${j.name} output` });
        }
      } else note(a, ['training-data', 'model-artifacts'], `Bedrock customization jobs in ${region}: ${b.customizationJobs.reason}`);
      if (b.knowledgeBases.ok) {
        for (const kb of b.knowledgeBases.value) {
          if (kb.dataSourceBuckets.ok) {
            for (const name of kb.dataSourceBuckets.value) add(name, { accountId: a, region, role: 'knowledge-base-data', source: `Bedrock knowledge base ${kb.name} data source` });
          } else note(a, ['knowledge-base-data'], `data sources of knowledge base ${kb.name} in ${region}: ${kb.dataSourceBuckets.reason}`);
        }
      } else note(a, ['knowledge-base-data'], `Bedrock knowledge bases in ${region}: ${b.knowledgeBases.reason}`);
      if (r.flowLogs.ok) {
        for (const f of r.flowLogs.value) {
          if (f.destinationType === 's3')
            add(bucketOf(f.destinationArn), { accountId: a, region, role: 'flow-logs', source: `flow log ${f.id} destination` });
        }
      } else note(a, ['flow-logs'], `flow logs in ${region}: ${r.flowLogs.reason}`);
    }
    if (!acct.trails.ok) note(a, ['trail-logs'], `CloudTrail trails: ${acct.trails.reason}`);
  }
  const org = inventory.organizationTrails;
  if (org && !org.ok && inventory.organization) note(inventory.organization.managementAccountId, ['trail-logs'], `organization trails: ${org.reason}`);
  for (const t of allTrails(inventory)) {
    add(t.s3BucketName, { accountId: t.ownerAccountId, region: t.homeRegion, role: 'trail-logs', source: `CloudTrail trail ${t.name} log bucket` });
  }
  for (const info of Object.values(inventory.buckets)) {
    const owner = info.ownerAccountId;
    if (info.tags.ok) {
      const role = info.tags.value[params.bucketRoleTagKey];
      if (role && (TAG_ROLES as readonly string[]).includes(role))
        add(info.name, { accountId: owner ?? '', region: info.region.ok ? info.region.value : null, role: role as BucketRole, source: `tag ${params.bucketRoleTagKey}=${role}` });
    }
    if (info.logging && !info.logging.ok && owner) note(owner, ['access-logs'], `server access logging of bucket ${info.name}: ${info.logging.reason}`);
    if (info.logging?.ok && info.logging.value) {
      add(info.logging.value.targetBucket, { accountId: owner ?? '', region: info.region.ok ? info.region.value : null, role: 'access-logs', source: `server access-log target of bucket ${info.name}` });
    }
  }
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
  return { buckets, unreadable, byAccount };
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
  /** The account references a bucket it cannot assess (owned elsewhere or not collected). */
  | { kind: 'unassessable'; bucket: ClassifiedBucket; reason: string };

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
    else if (!info && referencedHere)
      out.push({ kind: 'unassessable', bucket: b, reason: `Bucket ${b.name} was not collected, so its properties could not be read` });
    else if (info && info.ownerAccountId === null && referencedHere)
      out.push({ kind: 'unassessable', bucket: b, reason: `Bucket ${b.name} is owned outside the scanned accounts, so its properties could not be read` });
  }
  return out;
}

export const bucketRegion = (info: BucketInfo | undefined): string => (info?.region.ok ? info.region.value : 'global');

/** Short description of why a bucket is in scope: "model-artifacts (SageMaker model m1 artifacts)". */
export function describeRoles(b: ClassifiedBucket): string {
  return b.roles.join(', ');
}

export interface Verdict {
  status: 'PASS' | 'FAIL' | 'NOT_ASSESSED';
  reason: string;
  evidence: Record<string, unknown>;
}

/** Retention in days of an Object Lock default retention (years count as 365 days). */
export const retentionDays = (r: { days?: number; years?: number }): number => (r.days ?? 0) + (r.years ?? 0) * 365;

/**
 * Object Lock with default retention in the required mode and at least minRetentionDays.
 * COMPLIANCE required: GOVERNANCE fails (privileged users can shorten or remove it). GOVERNANCE required:
 * both modes pass.
 */
export function evaluateObjectLock(
  info: BucketInfo,
  params: Pick<CheckParameters, 'objectLockMode' | 'minRetentionDays'>,
): Verdict {
  const name = info.name;
  if (info.objectLock === undefined) return { status: 'NOT_ASSESSED', reason: `Object Lock configuration of bucket ${name} was not collected`, evidence: { bucket: name } };
  if (!info.objectLock.ok)
    return { status: 'NOT_ASSESSED', reason: `Object Lock configuration of bucket ${name} could not be read: ${info.objectLock.reason}`, evidence: { bucket: name } };
  const lock: ObjectLockInfo = info.objectLock.value;
  const ev = { bucket: name, objectLockEnabled: lock.enabled, defaultRetention: lock.defaultRetention, requiredMode: params.objectLockMode, minRetentionDays: params.minRetentionDays };
  if (!lock.enabled) return { status: 'FAIL', reason: `Bucket ${name} does not have Object Lock enabled`, evidence: ev };
  const dr = lock.defaultRetention;
  if (!dr) return { status: 'FAIL', reason: `Bucket ${name} has Object Lock but no default retention`, evidence: ev };
  const modeOk = params.objectLockMode === 'GOVERNANCE' ? dr.mode === 'GOVERNANCE' || dr.mode === 'COMPLIANCE' : dr.mode === 'COMPLIANCE';
  const days = retentionDays(dr);
  if (!modeOk)
    return {
      status: 'FAIL',
      reason: `Bucket ${name} has default retention in ${dr.mode} mode (required: ${params.objectLockMode})`,
      evidence: { ...ev, retentionDays: days },
    };
  if (days < params.minRetentionDays)
    return {
      status: 'FAIL',
      reason: `Bucket ${name} keeps objects locked for ${days} days (required: >= ${params.minRetentionDays})`,
      evidence: { ...ev, retentionDays: days },
    };
  return { status: 'PASS', reason: `Bucket ${name} has Object Lock in ${dr.mode} mode for ${days} days`, evidence: { ...ev, retentionDays: days } };
}

