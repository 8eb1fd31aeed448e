// CloudTrail from the trails' S3 log files (the complete record, data events included), in both the
// account layout and the organization-trail layout, usually in a log-archive account's bucket. Files are
// copied whole and byte-exact; parsed records feed analysis. Account-regions with no readable trail files
// fall back to LookupEvents.
import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import {
  acceptCloudTrailRecord,
  describeStreamProblems,
  JsonRecordStreamReader,
  type StreamInspector,
  type StreamReadResult,
} from '../parsers/stream-reader.js';
import type { PooledTrailReader } from '../parsers/parse-pool.js';
import { inAnalysisWindow } from '../parsers/trail-tally.js';
import { parseTrailKey, trailAccountRoot, trailDayPrefixes, trailFileInWindow, type TrailFileKind } from '../layout.js';
import { safeSegment } from '../paths.js';
import {
  apiCall,
  clientFor,
  copyLogFolder,
  copyObject,
  evidencePath,
  recordGap,
  type AccountRegion,
  type BucketAccess,
  type CollectContext,
  type ObjectCopyContext,
} from './context.js';
import { collectLookupEvents } from './lookup-events.js';
import type { IamAction } from '../../model/iam.js';

/** The IAM actions this source needs: ListObjectsV2 is s3:ListBucket. */
export const IAM_ACTIONS: readonly IamAction[] = ['cloudtrail:DescribeTrails', 's3:ListBucket'];

export interface TrailInfo {
  arn: string;
  name: string;
  ownerAccountId: string;
  homeRegion: string;
  bucket: string | null;
  prefix: string | null;
  multiRegion: boolean;
  organization: boolean;
}

/** DescribeTrails in each planned region of an account (shadow trails included), deduplicated by ARN. */
export async function discoverTrails(ctx: CollectContext, accountId: string, regions: string[]): Promise<TrailInfo[]> {
  const found = new Map<string, TrailInfo>();
  for (const region of regions) {
    const where = { accountId, region };
    try {
      const out = await apiCall(
        ctx,
        new DescribeTrailsCommand({ includeShadowTrails: true }),
        (c) => clientFor(ctx, CloudTrailClient, where).send(c),
        {
          where,
          source: 'cloudtrail',
          service: 'cloudtrail',
          path: evidencePath(where, 'cloudtrail', 'config', 'describe-trails.json'),
        },
      );
      for (const t of out.trailList ?? []) {
        if (!t.TrailARN || found.has(t.TrailARN)) continue;
        found.set(t.TrailARN, {
          arn: t.TrailARN,
          name: String(t.Name ?? t.TrailARN),
          ownerAccountId: t.TrailARN.split(':')[4] ?? accountId,
          homeRegion: String(t.HomeRegion ?? region),
          bucket: t.S3BucketName ?? null,
          prefix: t.S3KeyPrefix ?? null,
          multiRegion: Boolean(t.IsMultiRegionTrail),
          organization: Boolean(t.IsOrganizationTrail),
        });
      }
    } catch (error) {
      await recordGap(ctx, where, 'cloudtrail', 'cloudtrail:DescribeTrails', error, 'cloudtrail:DescribeTrails');
    }
  }
  return [...found.values()];
}

interface Destination {
  bucket: string;
  prefix: string | null;
  trails: TrailInfo[];
  /** Accounts whose files this destination holds, with the regions its trails cover ('*' = all). */
  covers: Map<string, Set<string>>;
  organization: boolean;
  referencedBy: string;
}

export interface CloudTrailStats {
  files: number;
  digestFiles: number;
  records: number;
  parseErrors: number;
  /** Objects in trail day folders not named like trail files (preserved, not parsed). */
  unrecognised: number;
  lookupAccountRegions: number;
}

/** Lists `<prefix>` with Delimiter "/" and returns the child names (regions, org ids). */
async function childNames(ctx: CollectContext, access: BucketAccess, prefix: string, where: AccountRegion): Promise<string[]> {
  const names: string[] = [];
  let ContinuationToken: string | undefined;
  let page = 0;
  do {
    page++;
    const out = await apiCall(
      ctx,
      new ListObjectsV2Command({ Bucket: access.bucket, Prefix: prefix, Delimiter: '/', ...(ContinuationToken ? { ContinuationToken } : {}) }),
      (c) => access.s3.send(c),
      {
        where,
        source: 'cloudtrail',
        service: 's3',
        path: evidencePath(where, 'cloudtrail', 'listings', safeSegment(access.bucket), `${safeSegment(prefix)}.children.p${page}.json`),
      },
    );
    for (const cp of out.CommonPrefixes ?? []) if (cp.Prefix) names.push(cp.Prefix.slice(prefix.length).replace(/\/$/, ''));
    ContinuationToken = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return names;
}

export async function collectCloudTrail(
  ctx: CollectContext,
  trailsByAccount: Map<string, TrailInfo[]>,
  regionsExplicit: boolean,
  stats: CloudTrailStats,
  onAccountDone?: (accountId: string) => void,
): Promise<void> {
  const destinations = groupByDestination(trailsByAccount, [...ctx.accounts.keys()]);
  // Regions per account whose trail files were actually read ('*' once a multi-region listing succeeded).
  const readable = new Map<string, Set<string>>();
  for (const dest of destinations) await collectDestination(ctx, dest, regionsExplicit, stats, readable);
  await lookupWhereUnread(ctx, trailsByAccount, destinations, readable, stats, onAccountDone);
}

/** Trails grouped by destination; an organization trail covers every account in scope. */
function groupByDestination(trailsByAccount: Map<string, TrailInfo[]>, inScope: string[]): Destination[] {
  const destinations = new Map<string, Destination>();
  const seenTrails = new Set<string>();
  for (const [accountId, trails] of trailsByAccount) {
    for (const trail of trails) {
      if (seenTrails.has(trail.arn)) continue;
      seenTrails.add(trail.arn);
      if (!trail.bucket) continue;
      const key = `${trail.bucket}|${trail.prefix ?? ''}|${trail.organization ? 'org' : trail.ownerAccountId}`;
      let dest = destinations.get(key);
      if (!dest) {
        dest = {
          bucket: trail.bucket,
          prefix: trail.prefix,
          trails: [],
          covers: new Map(),
          organization: trail.organization,
          referencedBy: trail.ownerAccountId || accountId,
        };
        destinations.set(key, dest);
      }
      dest.trails.push(trail);
      const covered = trail.organization ? inScope : inScope.includes(trail.ownerAccountId) ? [trail.ownerAccountId] : [];
      for (const a of covered) {
        const set = dest.covers.get(a) ?? new Set<string>();
        set.add(trail.multiRegion ? '*' : trail.homeRegion);
        dest.covers.set(a, set);
      }
    }
  }
  return [...destinations.values()];
}

/** Organization trail files sit under AWSLogs/<org-id>/<account>/; find the org id if discovery did not. Null: gaps recorded, nothing to read. */
async function organizationIdsOf(ctx: CollectContext, dest: Destination, access: BucketAccess): Promise<(string | null)[] | null> {
  if (!dest.organization) return [null];
  try {
    const found = (
      await childNames(ctx, access, `${dest.prefix ? `${dest.prefix.replace(/\/+$/, '')}/` : ''}AWSLogs/`, {
        accountId: access.accountId,
        region: access.region,
      })
    ).filter((n) => /^o-[a-z0-9]{10,32}$/.test(n));
    let orgIds = ctx.organizationId ? [ctx.organizationId, ...found.filter((f) => f !== ctx.organizationId)] : found;
    if (orgIds.length === 0) orgIds = ctx.organizationId ? [ctx.organizationId] : [];
    if (orgIds.length === 0) {
      for (const a of dest.covers.keys())
        await recordGap(
          ctx,
          { accountId: a, region: 'global' },
          'cloudtrail',
          `s3://${dest.bucket}/${dest.prefix ?? ''}`,
          'Organization trail bucket has no AWSLogs/o-*/ folder and the Organization id is unknown',
        );
      return null;
    }
    return orgIds;
  } catch (error) {
    for (const a of dest.covers.keys())
      await recordGap(ctx, { accountId: a, region: 'global' }, 'cloudtrail', `s3://${dest.bucket}/${dest.prefix ?? ''}`, error, 's3:ListBucket');
    return null;
  }
}

/** Reads every covered account-region of one destination; marks in `readable` what could be listed. */
async function collectDestination(
  ctx: CollectContext,
  dest: Destination,
  regionsExplicit: boolean,
  stats: CloudTrailStats,
  readable: Map<string, Set<string>>,
): Promise<void> {
  await ctx.bundle.note('trail-destination', {
    bucket: dest.bucket,
    prefix: dest.prefix,
    trails: dest.trails.map((t) => t.arn),
    accounts: [...dest.covers.keys()],
  });
  let access: BucketAccess;
  try {
    access = await ctx.buckets.access(dest.bucket, dest.referencedBy);
  } catch (error) {
    for (const a of dest.covers.keys())
      await recordGap(ctx, { accountId: a, region: 'global' }, 'cloudtrail', `s3://${dest.bucket}`, error, 's3:GetBucketLocation');
    return;
  }
  const orgIds = await organizationIdsOf(ctx, dest, access);
  if (!orgIds) return;
  for (const [accountId, coveredRegions] of dest.covers) {
    const planned = ctx.accounts.get(accountId) ?? [];
    for (const orgId of orgIds) {
      const root = trailAccountRoot(dest.prefix, accountId, orgId);
      const where0 = { accountId, region: 'global' };
      let regions: string[];
      try {
        regions = await childNames(ctx, access, `${root}CloudTrail/`, where0);
      } catch (error) {
        await recordGap(ctx, where0, 'cloudtrail', `s3://${dest.bucket}/${root}`, error, 's3:ListBucket');
        continue;
      }
      if (regionsExplicit) regions = regions.filter((r) => planned.includes(r));
      if (!coveredRegions.has('*')) regions = regions.filter((r) => coveredRegions.has(r));
      // A listing that worked means the files of every covered region were readable, even if a region had none.
      const set = readable.get(accountId) ?? new Set<string>();
      for (const r of coveredRegions.has('*') ? ['*'] : coveredRegions) set.add(r);
      readable.set(accountId, set);
      await Promise.all(regions.map((region) => collectTrailRegion(ctx, access, root, { accountId, region }, stats)));
    }
  }
}

/** LookupEvents where no trail file could be read: management events only. */
async function lookupWhereUnread(
  ctx: CollectContext,
  trailsByAccount: Map<string, TrailInfo[]>,
  destinations: Destination[],
  readable: Map<string, Set<string>>,
  stats: CloudTrailStats,
  onAccountDone?: (accountId: string) => void,
): Promise<void> {
  const fallbacks: Promise<unknown>[] = [];
  for (const accountId of ctx.accounts.keys()) {
    const got = readable.get(accountId) ?? new Set<string>();
    const missing = (ctx.accounts.get(accountId) ?? []).filter((r) => !got.has('*') && !got.has(r));
    const why =
      trailsByAccount.size === 0 || !destinations.some((d) => d.covers.has(accountId))
        ? 'no trail delivering to S3 covers this account'
        : 'the trail files of this account-region could not be read';
    for (const region of missing) {
      stats.lookupAccountRegions++;
      fallbacks.push(collectLookupEvents(ctx, { accountId, region }, why));
    }
    if (missing.length === 0) onAccountDone?.(accountId);
    else fallbacks[fallbacks.length - 1] = fallbacks[fallbacks.length - 1]!.then(() => onAccountDone?.(accountId));
  }
  await Promise.all(fallbacks);
}

/** Every trail file (and digest) of one account-region's day folders in the window: copied, hashed and parsed as it streams. */
export async function collectTrailRegion(
  ctx: CollectContext,
  access: BucketAccess,
  root: string,
  where: AccountRegion,
  stats: CloudTrailStats,
): Promise<void> {
  const kinds: TrailFileKind[] = ['CloudTrail', 'CloudTrail-Digest'];
  const prefixes = kinds.flatMap((kind) => trailDayPrefixes(root, kind, where.region, ctx.window));
  const { unrecognised } = await copyLogFolder(ctx, access, prefixes, {
    where,
    source: 'cloudtrail',
    dir: evidencePath(where, 'cloudtrail', 's3'),
    classify: (key) => {
      const parsed = parseTrailKey(key);
      // In the trail's own day folder but not named like a trail file: keep it, never guess its format.
      if (!parsed) return 'unrecognised';
      return trailFileInWindow(parsed, ctx.window) ? 'copy' : 'skip';
    },
    unrecognised: {
      dir: evidencePath(where, 'cloudtrail', 's3-unrecognised'),
      expected: 'a CloudTrail log file name (<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz)',
    },
    copy: (key) => copyTrailFile(ctx, access, key, where, parseTrailKey(key)!.digest, stats),
    onListError: (prefix, error) => recordGap(ctx, where, 'cloudtrail', `s3://${access.bucket}/${prefix}`, error, 's3:ListBucket'),
  });
  stats.unrecognised += unrecognised;
}

/** What copying one trail file needs: the object copy's context, and the limits, parsers and event sink its reader uses. */
export type TrailCopyContext = ObjectCopyContext & Pick<CollectContext, 'limits' | 'parsers' | 'events' | 'window' | 'filter'>;

/** A reader that counts a trail file's records and passes those in the window to analysis, as the bytes arrive. */
function trailFileReader(ctx: TrailCopyContext, uri: string, stats: CloudTrailStats): JsonRecordStreamReader {
  const window = ctx.window;
  return new JsonRecordStreamReader(
    ctx.limits,
    (record) => {
      stats.records++;
      return inAnalysisWindow(record, window) ? ctx.events.add(record, uri) : undefined;
    },
    acceptCloudTrailRecord,
  );
}

interface TrailReader {
  /** Made when the object's body starts to stream (a worker is chosen then, not while the download waits). */
  inspector: () => StreamInspector;
  /** After the copy: adds the file's records to the counts and returns what the parser saw. */
  settle: () => StreamReadResult;
}

/** Parses on a worker when one is available and the records themselves are not kept; else in this thread. */
function readerFor(ctx: TrailCopyContext, uri: string, stats: CloudTrailStats): TrailReader {
  const pool = ctx.parsers;
  if (pool && !ctx.events.keepsRecords) {
    let pooled: PooledTrailReader | null = null;
    return {
      inspector: () => (pooled = pool.reader(ctx.limits, ctx.window, ctx.filter)),
      settle: () => {
        stats.records += pooled!.tally.records;
        ctx.events.tally(pooled!.tally.analysed, pooled!.tally.matched);
        return pooled!.result;
      },
    };
  }
  let reader: JsonRecordStreamReader | null = null;
  return { inspector: () => (reader = trailFileReader(ctx, uri, stats)), settle: () => reader!.result };
}

/**
 * Copies one trail file (or digest) byte-exact through the download limiter, reading its records as they stream
 * (gzip or plain, bounded by the expanded-size and record-size limits). A file that cannot be read is a gap naming
 * it; one read only in part (over a limit, a decompression bomb, broken records) is preserved whole and a gap says why.
 * Collect and hunt both copy trail files through here.
 */
export async function copyTrailFile(
  ctx: TrailCopyContext,
  access: BucketAccess,
  key: string,
  where: AccountRegion,
  digest: boolean,
  stats: CloudTrailStats,
): Promise<void> {
  const uri = `s3://${access.bucket}/${key}`;
  const reader = digest ? undefined : readerFor(ctx, uri, stats);
  let written;
  try {
    written = await copyObject(ctx, access, key, {
      where,
      source: 'cloudtrail',
      dir: `${evidencePath(where, 'cloudtrail', digest ? 's3-digest' : 's3')}`,
      ...(reader ? { inspector: reader.inspector } : {}),
    });
  } catch (error) {
    await recordGap(ctx, where, 'cloudtrail', uri, error, 's3:GetObject');
    return;
  }
  if (!written) return;
  if (!reader) {
    stats.digestFiles++;
    return;
  }
  stats.files++;
  const read = reader.settle();
  if (read.problemCount === 0) return;
  stats.parseErrors += read.problemCount;
  const whole = read.problems.every((p) => p.kind !== 'record-limit' && p.kind !== 'unreadable-record');
  const reason = `Preserved byte-exact as ${written.path}, but ${whole ? 'not fully analysed' : `${read.problemCount} record(s) unreadable`}: ${uri} ${describeStreamProblems(read)}`;
  await recordGap(ctx, where, 'cloudtrail', uri, reason);
}
