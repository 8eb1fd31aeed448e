// Which buckets need their properties read, and which properties: every AI data or log bucket the checks
// classify, plus the replication destinations of access-log targets (an access-log target passes via
// replication to a locked bucket); and how each is read: in its owner account, or (owned by no scanned account)
// probed for existence from an account that references it, since a destination that exists nowhere is a FAIL,
// not an unknown. Each property is read only where a check judges it, so a model-artifact bucket costs
// versioning and logging, not five calls.
import { classifyBuckets, isAccessLogTarget, isLogBucket, isModelArtifactBucket, type ClassifiedBucket } from '../../checks/lib/buckets.js';
import type { CheckParameters } from '../../checks/types.js';
import type { ClientFactory, Credentials } from '../aws/clients.js';
import { collectBucketDetails, probeUnownedBucket, type BucketDetailField } from '../inventory/s3.js';
import { unseen, type AccountInventory, type BucketInfo, type Inventory } from '../model/inventory.js';
import { bucketNameOf } from '../model/s3-location.js';

export interface RelevantBucket {
  name: string;
  /** Scanned accounts whose resources reference it (for the existence probe of a bucket no scanned account owns). */
  referencedBy: string[];
  /** The properties some check judges on this bucket, sorted. */
  fields: BucketDetailField[];
}

/** The properties each role of a bucket is judged on (by s3-ai-bucket-access-logging, versioning, Object Lock). */
function fieldsFor(b: ClassifiedBucket): BucketDetailField[] {
  // Logging everywhere: s3-ai-bucket-access-logging judges it, and its targets become log buckets.
  const fields = new Set<BucketDetailField>(['logging']);
  if (isModelArtifactBucket(b)) fields.add('versioning');
  if (isLogBucket(b)) fields.add('objectLock');
  // An access-log target cannot receive under default retention or SSE-KMS, and passes by versioned replication.
  if (isAccessLogTarget(b)) for (const f of ['objectLock', 'encryption', 'versioning', 'replication'] as const) fields.add(f);
  return [...fields].sort();
}

export function relevantBuckets(inventory: Inventory, params: CheckParameters): RelevantBucket[] {
  const cls = classifyBuckets(inventory, params);
  const out = new Map<string, RelevantBucket>();
  for (const b of cls.buckets.values()) {
    out.set(b.name, { name: b.name, referencedBy: [...new Set(b.references.map((r) => r.accountId).filter(Boolean))].sort(), fields: fieldsFor(b) });
  }
  for (const b of [...out.values()]) {
    const replication = inventory.buckets[b.name]?.replication;
    if (!replication?.ok || !replication.value) continue;
    for (const dest of replication.value.destinationBuckets) {
      const name = bucketNameOf(dest);
      const known = out.get(name);
      if (!known) out.set(name, { name, referencedBy: b.referencedBy, fields: ['objectLock'] });
      else if (!known.fields.includes('objectLock')) known.fields = [...known.fields, 'objectLock' as const].sort();
    }
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function relevantBucketNames(inventory: Inventory, params: CheckParameters): string[] {
  return relevantBuckets(inventory, params).map((b) => b.name);
}

export interface BucketReader {
  factory: ClientFactory;
  credentialsFor(accountId: string): Credentials;
  /** Runs work in the account's concurrency slot. */
  run<T>(accountId: string, work: () => Promise<T>): Promise<T>;
  /** Region for the existence probe of a bucket whose region is unknown. */
  homeRegion: string;
}

const ownerMissing = (name: string) => unseen(`Bucket ${name} is not owned by any scanned account`);

/** The planned properties of an owned bucket not read yet (none for a bucket that cannot be read in its owner). */
const unreadFields = (info: BucketInfo | undefined, plan: RelevantBucket): BucketDetailField[] =>
  info?.ownerAccountId && info.region.ok ? plan.fields.filter((f) => info[f] === undefined) : [];

/** Reads what the checks need of one bucket, each property once; a later round only adds what a new role needs. */
export async function readBucket(inventory: Inventory, plan: RelevantBucket, firstRead: boolean, reader: BucketReader): Promise<void> {
  const { name } = plan;
  const bucket: BucketInfo = (inventory.buckets[name] ??= { name, ownerAccountId: null, region: ownerMissing(name), tags: ownerMissing(name) });
  if (!bucket.ownerAccountId) {
    if (firstRead) await probe(inventory, bucket, plan, reader);
    return;
  }
  const fields = unreadFields(bucket, plan);
  if (fields.length === 0 || !bucket.region.ok) return;
  const owner = bucket.ownerAccountId;
  const ctx = {
    factory: reader.factory,
    credentials: reader.credentialsFor(owner),
    ownerAccountId: owner,
    bucket: name,
    region: bucket.region.value,
  };
  Object.assign(bucket, await reader.run(owner, () => collectBucketDetails(ctx, fields)));
}

/** True when a later round must read more of a bucket already read (it gained a role, e.g. access-log target). */
export const needsMore = (inventory: Inventory, plan: RelevantBucket): boolean => unreadFields(inventory.buckets[plan.name], plan).length > 0;

/**
 * Reads the relevant buckets round by round (access-log targets and their replicas are known only once the
 * round before has read logging and replication), each property once. `done` carries across calls, so a bucket
 * read early is not read again; `only` limits the pass to some buckets.
 */
export async function readRelevantBuckets(
  inventory: Inventory,
  params: CheckParameters,
  reader: BucketReader,
  done: Set<string>,
  only: (name: string) => boolean = () => true,
): Promise<void> {
  for (let round = 0; round < 4; round++) {
    const wanted = relevantBuckets(inventory, params).filter((b) => only(b.name) && (!done.has(b.name) || needsMore(inventory, b)));
    if (wanted.length === 0) return;
    await Promise.all(
      wanted.map(async (plan) => {
        const first = !done.has(plan.name);
        done.add(plan.name);
        await readBucket(inventory, plan, first, reader);
      }),
    );
  }
}

/**
 * An account's own buckets, read as soon as that account's inventory is complete instead of after every
 * account's. Classified from this account alone, whose references are a subset of the Organization's, so it
 * reads nothing the Organization-wide pass would not; that pass then adds only what other accounts' references
 * (organization trails, cross-account destinations) need.
 */
export async function readAccountBuckets(
  account: AccountInventory,
  organization: Inventory['organization'],
  buckets: Record<string, BucketInfo>,
  params: CheckParameters,
  reader: BucketReader,
  done: Set<string>,
): Promise<void> {
  if (!account.ownedBuckets.ok) return;
  const own: Record<string, BucketInfo> = {};
  for (const name of account.ownedBuckets.value) {
    const info = buckets[name];
    if (info?.ownerAccountId === account.accountId) own[name] = info;
  }
  const view: Inventory = {
    scanId: '',
    organization,
    organizationTrails: null,
    organizationEventDataStores: null,
    accounts: [account],
    buckets: own,
  };
  await readRelevantBuckets(view, params, reader, done, (name) => name in own);
}

async function probe(inventory: Inventory, bucket: BucketInfo, plan: RelevantBucket, reader: BucketReader): Promise<void> {
  const via = plan.referencedBy.find((id) => inventory.accounts.some((a) => a.accountId === id && a.access.ok && a.skippedReason === undefined));
  if (!via) return;
  const region = await reader.run(via, () =>
    probeUnownedBucket({
      factory: reader.factory,
      credentials: reader.credentialsFor(via),
      accountId: via,
      region: reader.homeRegion,
      bucket: bucket.name,
    }),
  );
  if (region.ok) bucket.region = region;
  else if (region.errorCode === 'NoSuchBucket') {
    bucket.region = region;
    bucket.tags = region;
  } else
    bucket.region = unseen(`Bucket ${bucket.name} is not owned by any scanned account, and reading it failed: ${region.reason}`, region.errorCode);
}
