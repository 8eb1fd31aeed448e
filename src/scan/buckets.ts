// Which buckets need their properties read: every AI data or log bucket the checks classify, plus the
// replication destinations of those (an access-log target passes via replication to a locked bucket); and how
// each is read: in its owner account, or (owned by no scanned account) probed for existence from an account
// that references it, since a destination that exists nowhere is a FAIL, not an unknown.
import { classifyBuckets, isAccessLogTarget } from '../../checks/lib/buckets.js';
import type { CheckParameters } from '../../checks/types.js';
import type { ClientFactory, Credentials } from '../aws/clients.js';
import { collectBucketDetails, collectBucketEncryption, probeUnownedBucket } from '../inventory/s3.js';
import { unseen, type BucketInfo, type Inventory } from '../model/inventory.js';
import { bucketNameOf } from '../model/s3-location.js';

export interface RelevantBucket {
  name: string;
  /** Scanned accounts whose resources reference it (for the existence probe of a bucket no scanned account owns). */
  referencedBy: string[];
  /** A server-access-log target: its default encryption decides whether S3 can deliver to it. */
  accessLogTarget: boolean;
}

export function relevantBuckets(inventory: Inventory, params: CheckParameters): RelevantBucket[] {
  const cls = classifyBuckets(inventory, params);
  const out = new Map<string, RelevantBucket>();
  for (const b of cls.buckets.values()) {
    out.set(b.name, { name: b.name, referencedBy: [...new Set(b.references.map((r) => r.accountId).filter(Boolean))].sort(), accessLogTarget: isAccessLogTarget(b) });
  }
  for (const b of [...out.values()]) {
    const replication = inventory.buckets[b.name]?.replication;
    if (!replication?.ok || !replication.value) continue;
    for (const dest of replication.value.destinationBuckets) {
      const name = bucketNameOf(dest);
      if (!out.has(name)) out.set(name, { name, referencedBy: b.referencedBy, accessLogTarget: false });
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

/** Reads what the checks need of one bucket, once; a later round only adds what a new role needs (encryption). */
export async function readBucket(inventory: Inventory, plan: RelevantBucket, firstRead: boolean, reader: BucketReader): Promise<void> {
  const { name } = plan;
  const bucket: BucketInfo = (inventory.buckets[name] ??= { name, ownerAccountId: null, region: ownerMissing(name), tags: ownerMissing(name) });
  if (!bucket.ownerAccountId) {
    if (firstRead) await probe(inventory, bucket, plan, reader);
    return;
  }
  if (!bucket.region.ok) return;
  const owner = bucket.ownerAccountId;
  const ctx = { factory: reader.factory, credentials: reader.credentialsFor(owner), ownerAccountId: owner, bucket: name, region: bucket.region.value };
  if (firstRead) Object.assign(bucket, await reader.run(owner, () => collectBucketDetails(ctx)));
  if (plan.accessLogTarget && bucket.encryption === undefined) bucket.encryption = await reader.run(owner, () => collectBucketEncryption(ctx));
}

/** True when a later round must read more of a bucket already read (it became an access-log target). */
export const needsMore = (inventory: Inventory, plan: RelevantBucket): boolean => {
  const info = inventory.buckets[plan.name];
  return plan.accessLogTarget && info?.ownerAccountId !== null && info?.ownerAccountId !== undefined && info.region.ok && info.encryption === undefined;
};

async function probe(inventory: Inventory, bucket: BucketInfo, plan: RelevantBucket, reader: BucketReader): Promise<void> {
  const via = plan.referencedBy.find((id) => inventory.accounts.some((a) => a.accountId === id && a.access.ok && a.skippedReason === undefined));
  if (!via) return;
  const region = await reader.run(via, () =>
    probeUnownedBucket({ factory: reader.factory, credentials: reader.credentialsFor(via), accountId: via, region: reader.homeRegion, bucket: bucket.name }),
  );
  if (region.ok) bucket.region = region;
  else if (region.errorCode === 'NoSuchBucket') {
    bucket.region = region;
    bucket.tags = region;
  } else bucket.region = unseen(`Bucket ${bucket.name} is not owned by any scanned account, and reading it failed: ${region.reason}`, region.errorCode);
}
