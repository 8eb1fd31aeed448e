// S3: the buckets an account owns (name, region, tags) and, for the buckets checks need, their properties.
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  ListBucketsCommand,
  S3Client,
  type GetBucketLoggingCommandOutput,
  type GetBucketVersioningCommandOutput,
  type ObjectLockConfiguration,
  type ReplicationConfiguration,
  type ServerSideEncryptionConfiguration,
  type Tag,
} from '@aws-sdk/client-s3';
import type { ClientFactory, Credentials } from '../aws/clients.js';
import { errorCode } from '../aws/errors.js';
import {
  closedValue,
  OBJECT_LOCK_MODES,
  seen,
  SSE_ALGORITHMS,
  unseen,
  type BucketInfo,
  type ObjectLockInfo,
  type Observed,
  type SseAlgorithm,
} from '../model/inventory.js';
import { partitionOf } from '../model/arn.js';
import { bucketOf, regionOfLocationConstraint } from '../model/s3-location.js';
import { attempt, clientFor, failure, limiter, paginate, type CollectorContext } from './util.js';
import type { IamAction } from '../model/iam.js';

/** The IAM actions these reads need: S3's IAM names differ from several command names (GetObjectLockConfiguration, GetBucketReplication, GetBucketEncryption, ListBuckets). */
export const IAM_ACTIONS: readonly IamAction[] = [
  's3:ListAllMyBuckets',
  's3:GetBucketLocation',
  's3:GetBucketTagging',
  's3:GetBucketVersioning',
  's3:GetBucketObjectLockConfiguration',
  's3:GetBucketLogging',
  's3:GetReplicationConfiguration',
  's3:GetEncryptionConfiguration',
];

/** Per-bucket reads during ListBuckets fan-out (two calls each). */
const BUCKET_CONCURRENCY = 8;

export type BucketMeta = Pick<BucketInfo, 'name' | 'ownerAccountId' | 'region' | 'tags'>;
export type BucketDetails = Pick<BucketInfo, 'versioning' | 'objectLock' | 'logging' | 'replication' | 'encryption'>;

// ---------- mappers ----------

/** GetBucketLocation's answer as a region (one rule, in src/model/s3-location.ts). */
export const mapBucketLocation = regionOfLocationConstraint;

export function mapTags(tagSet: Tag[] | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of tagSet ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  return tags;
}

export type VersioningInfo = { status: 'Enabled' | 'Suspended' | 'Disabled'; mfaDelete: boolean };

/** No Status means versioning was never enabled. */
export function mapVersioning(out: Pick<GetBucketVersioningCommandOutput, 'Status' | 'MFADelete'>): VersioningInfo {
  const status: VersioningInfo['status'] = out.Status === 'Enabled' ? 'Enabled' : out.Status === 'Suspended' ? 'Suspended' : 'Disabled';
  return { status, mfaDelete: out.MFADelete === 'Enabled' };
}

export function mapObjectLock(config: ObjectLockConfiguration | undefined): ObjectLockInfo {
  const retention = config?.Rule?.DefaultRetention;
  return {
    enabled: config?.ObjectLockEnabled === 'Enabled',
    defaultRetention: retention?.Mode
      ? {
          mode: closedValue(OBJECT_LOCK_MODES, retention.Mode),
          // moto reports the unset unit as 0; AWS omits it.
          ...(retention.Days ? { days: retention.Days } : {}),
          ...(retention.Years ? { years: retention.Years } : {}),
        }
      : null,
  };
}

export function mapLogging(out: Pick<GetBucketLoggingCommandOutput, 'LoggingEnabled'>): { targetBucket: string; targetPrefix: string } | null {
  const enabled = out.LoggingEnabled;
  if (!enabled?.TargetBucket) return null;
  return { targetBucket: enabled.TargetBucket, targetPrefix: enabled.TargetPrefix ?? '' };
}

/** Default encryption of the bucket's first rule (S3 applies one default); null when none is configured. */
export function mapEncryption(config: ServerSideEncryptionConfiguration | undefined): { algorithm: SseAlgorithm } | null {
  const algorithm = config?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
  return algorithm ? { algorithm: closedValue(SSE_ALGORITHMS, algorithm) } : null;
}

/** Destination buckets of the enabled rules (a disabled rule replicates nothing). */
export function mapReplication(config: ReplicationConfiguration | undefined): { destinationBuckets: string[] } {
  const buckets = new Set<string>();
  for (const rule of config?.Rules ?? []) {
    if (rule.Status !== 'Enabled') continue;
    const name = bucketOf(rule.Destination?.Bucket) ?? rule.Destination?.Bucket;
    if (name) buckets.add(name);
  }
  return { destinationBuckets: [...buckets] };
}

// ---------- calls ----------

export interface OwnedBucketsContext {
  factory: ClientFactory;
  credentials: Credentials;
  accountId: string;
  homeRegion: string;
}

/**
 * ListBuckets once (following ContinuationToken; no MaxBuckets, which moto honours without returning a token),
 * then GetBucketTagging once per bucket in the bucket's own region (and GetBucketLocation for a bucket whose
 * region the listing did not give).
 */
export async function collectOwnedBuckets(
  ctx: OwnedBucketsContext,
): Promise<{ ownedBuckets: Observed<string[]>; bucketMeta: Record<string, BucketMeta> }> {
  const home: CollectorContext = { factory: ctx.factory, credentials: ctx.credentials, accountId: ctx.accountId, region: ctx.homeRegion };
  const s3 = clientFor(home, S3Client);
  let names: string[];
  const listedRegions = new Map<string, string>();
  try {
    const buckets = await paginate(async (token) => {
      const out = await s3.send(new ListBucketsCommand(token ? { ContinuationToken: token } : {}));
      return { items: out.Buckets, next: out.ContinuationToken };
    });
    for (const b of buckets) if (b.Name && b.BucketRegion) listedRegions.set(b.Name, b.BucketRegion);
    names = [...new Set(buckets.map((b) => String(b.Name)).filter((n) => n && n !== 'undefined'))].sort();
  } catch (error) {
    return { ownedBuckets: failure(error, 's3:ListBuckets'), bucketMeta: {} };
  }

  // GetBucketLocation answers for any bucket from the partition's global endpoint region.
  const locationRegion = partitionOf(ctx.homeRegion) === 'aws' ? 'us-east-1' : ctx.homeRegion;
  const locator = clientFor({ ...home, region: locationRegion }, S3Client);
  const limit = limiter(BUCKET_CONCURRENCY);
  const bucketMeta: Record<string, BucketMeta> = {};
  await Promise.all(
    names.map((name) =>
      limit(async () => {
        // ListBuckets names each bucket's region (BucketRegion); ask GetBucketLocation only where it did not.
        const listed = listedRegions.get(name);
        const region = listed
          ? seen(listed)
          : await attempt('s3:GetBucketLocation', async () =>
              mapBucketLocation((await locator.send(new GetBucketLocationCommand({ Bucket: name }))).LocationConstraint),
            );
        const tagClient = region.ok ? clientFor({ ...home, region: region.value }, S3Client) : locator;
        const tags = await readTags(tagClient, name);
        bucketMeta[name] = { name, ownerAccountId: ctx.accountId, region, tags };
      }),
    ),
  );
  return { ownedBuckets: seen(names), bucketMeta };
}

async function readTags(s3: S3Client, bucket: string): Promise<Observed<Record<string, string>>> {
  try {
    return seen(mapTags((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet));
  } catch (error) {
    if (errorCode(error) === 'NoSuchTagSet') return seen({});
    return failure(error, 's3:GetBucketTagging');
  }
}

export interface BucketDetailsContext {
  factory: ClientFactory;
  credentials: Credentials;
  ownerAccountId: string;
  bucket: string;
  region: string;
}

/** A 200 whose body lacks the element the API always sends is not an answer: unread, never "not configured". */
const malformed = (action: string, element: string) =>
  unseen<never>(`${action} answered without ${element} (an empty or malformed response body)`, 'MalformedResponse');

export interface BucketProbeContext {
  factory: ClientFactory;
  /** Credentials of a scanned account that references the bucket. */
  credentials: Credentials;
  accountId: string;
  region: string;
  bucket: string;
}

/**
 * Does a bucket no scanned account owns exist? GetBucketLocation answers NoSuchBucket for a bucket that exists
 * nowhere (a FAIL for whoever delivers to it), its region when readable, and AccessDenied when it exists but
 * belongs to someone else (unknown).
 */
export async function probeUnownedBucket(ctx: BucketProbeContext): Promise<Observed<string>> {
  const s3 = clientFor({ factory: ctx.factory, credentials: ctx.credentials, accountId: ctx.accountId, region: ctx.region }, S3Client);
  try {
    return seen(mapBucketLocation((await s3.send(new GetBucketLocationCommand({ Bucket: ctx.bucket }))).LocationConstraint));
  } catch (error) {
    if (errorCode(error) === 'NoSuchBucket') return unseen(`Bucket ${ctx.bucket} does not exist`, 'NoSuchBucket');
    return failure(error, 's3:GetBucketLocation');
  }
}

export type BucketDetailField = keyof BucketDetails;
/** What collectBucketDetails reads when not told: everything but default encryption (read for access-log targets only). */
export const BUCKET_DETAIL_FIELDS: readonly BucketDetailField[] = ['versioning', 'objectLock', 'logging', 'replication'];

/**
 * The requested properties of one bucket, each read once, in the bucket's region. Unrequested properties are
 * absent ("not collected"), so a bucket costs only the reads some check judges it on.
 */
export async function collectBucketDetails(
  ctx: BucketDetailsContext,
  fields: readonly BucketDetailField[] = BUCKET_DETAIL_FIELDS,
): Promise<Partial<BucketDetails>> {
  const s3 = clientFor({ factory: ctx.factory, credentials: ctx.credentials, accountId: ctx.ownerAccountId, region: ctx.region }, S3Client);
  const Bucket = ctx.bucket;
  const readers: { [F in BucketDetailField]-?: () => Promise<NonNullable<BucketDetails[F]>> } = {
    versioning: () => attempt('s3:GetBucketVersioning', async () => mapVersioning(await s3.send(new GetBucketVersioningCommand({ Bucket })))),
    objectLock: () =>
      s3.send(new GetObjectLockConfigurationCommand({ Bucket })).then(
        (out) =>
          out.ObjectLockConfiguration
            ? seen(mapObjectLock(out.ObjectLockConfiguration))
            : malformed('s3:GetObjectLockConfiguration', 'ObjectLockConfiguration'),
        (error: unknown): Observed<ObjectLockInfo> =>
          errorCode(error) === 'ObjectLockConfigurationNotFoundError'
            ? seen({ enabled: false, defaultRetention: null })
            : failure(error, 's3:GetObjectLockConfiguration'),
      ),
    logging: () => attempt('s3:GetBucketLogging', async () => mapLogging(await s3.send(new GetBucketLoggingCommand({ Bucket })))),
    replication: () =>
      s3.send(new GetBucketReplicationCommand({ Bucket })).then(
        (out) =>
          out.ReplicationConfiguration
            ? seen<{ destinationBuckets: string[] } | null>(mapReplication(out.ReplicationConfiguration))
            : malformed('s3:GetBucketReplication', 'ReplicationConfiguration'),
        (error: unknown): Observed<{ destinationBuckets: string[] } | null> =>
          errorCode(error) === 'ReplicationConfigurationNotFoundError' ? seen(null) : failure(error, 's3:GetBucketReplication'),
      ),
    // S3 cannot deliver server access logs to a target under SSE-KMS, so targets need their default encryption.
    encryption: () =>
      s3.send(new GetBucketEncryptionCommand({ Bucket })).then(
        (out) =>
          out.ServerSideEncryptionConfiguration
            ? seen(mapEncryption(out.ServerSideEncryptionConfiguration))
            : malformed('s3:GetBucketEncryption', 'ServerSideEncryptionConfiguration'),
        (error: unknown): Observed<{ algorithm: SseAlgorithm } | null> =>
          errorCode(error) === 'ServerSideEncryptionConfigurationNotFoundError' ? seen(null) : failure(error, 's3:GetBucketEncryption'),
      ),
  };
  const unique = [...new Set(fields)];
  const values = await Promise.all(unique.map((field) => readers[field]()));
  return Object.fromEntries(unique.map((field, i) => [field, values[i]]));
}
