// The hunt's evidence: what the query found, collected into a normal bundle (manifest, custody, verify), so an
// Organization-wide hunt is as defensible as a single-account collection.
// - Athena names log files ($path): each is copied through collect's own trail-file copy (byte-exact, hashed
//   and read as it streams, under the same limits and download cap), so the same file gets the same gaps.
// - CloudTrail Lake holds events, not files: the pages of a second query that selects each matching event's
//   eventJson are saved as Lake returned them.
// The query itself (text, id, indicators) goes into the custody log before any evidence.
import type { GetQueryResultsCommandOutput } from '@aws-sdk/client-cloudtrail';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { hostname } from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ClientFactory, Credentials } from '../aws/clients.js';
import { BundleWriter } from '../collect/bundle.js';
import { osUser, type CustodyActor } from '../collect/custody.js';
import type { Manifest, ManifestHeader } from '../collect/manifest.js';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from '../collect/parsers/stream-reader.js';
import { joinRel, safeSegment } from '../collect/paths.js';
import { copyTrailFile, type CloudTrailStats, type TrailCopyContext } from '../collect/sources/cloudtrail.js';
import {
  BucketResolver,
  DEFAULT_DOWNLOAD_CONCURRENCY,
  evidencePath,
  recordGap,
  type AccountCredentials,
  type BucketAccess,
} from '../collect/sources/context.js';
import { parseS3Location } from '../model/s3-location.js';
import { TOOL_VERSION } from '../version.js';
import type { HuntIndicators } from './sql.js';
import type { HuntMatch, HuntResult } from './query.js';
import type { IamAction } from '../model/iam.js';

/** What the hunt's copy of matching trail files calls (by key, never by version). */
export const IAM_ACTIONS: readonly IamAction[] = ['s3:GetBucketLocation', 's3:GetObject'];

export type HuntVia = 'athena' | 'lake';

export interface HuntBundleOptions {
  factory: ClientFactory;
  credentials: Credentials;
  /** Region the query ran in (Athena or Lake); the caller's identity. */
  region: string;
  caller: { arn: string; accountId: string };
  outDir: string;
  incident: string;
  indicators: HuntIndicators;
  via: HuntVia;
  sql: string;
  result: HuntResult;
  sealKey?: Buffer;
  now?: () => Date;
  /** Expanded-size and record-size limits of each copied log file (collect's defaults). */
  limits?: StreamLimits;
  /** Bounds concurrent file downloads (default: collect's cap, DEFAULT_DOWNLOAD_CONCURRENCY). */
  downloads?: LimitFunction;
}

export interface HuntBundle {
  bundleDir: string;
  bundleId: string;
  manifest: Manifest;
  manifestSha256: string;
  manifestHmacSha256: string | null;
  files: number;
}

/** Where each account's evidence goes: collect's own layout, so analyze and verify read it unchanged. */
const evidenceDir = (accountId: string, region: string, ...rest: string[]) => evidencePath({ accountId, region }, 'cloudtrail', ...rest);

export function huntActor(callerArn: string): CustodyActor {
  return {
    tool: 'forensight',
    toolVersion: TOOL_VERSION,
    callerArn,
    sessionName: 'none (hunt reads with the caller credentials)',
    osUser: osUser(),
    host: hostname(),
  };
}

/** The matched log files, once each, with the account and region whose events they hold. */
export function filesToCollect(matches: HuntMatch[]): { uri: string; bucket: string; key: string; account: string; region: string }[] {
  const byUri = new Map<string, { uri: string; bucket: string; key: string; account: string; region: string }>();
  for (const m of matches) {
    if (!m.path || byUri.has(m.path)) continue;
    const loc = parseS3Location(m.path);
    if (!loc || !loc.key) continue;
    byUri.set(m.path, { uri: m.path, bucket: loc.bucket, key: loc.key, account: m.account, region: m.region });
  }
  return [...byUri.values()].sort((a, b) => a.uri.localeCompare(b.uri));
}

/** The hunt's copy context: collect's limiter, limits and claims, with no parse workers and no events kept (analyze reads the bundle). */
function trailCopyContext(writer: BundleWriter, o: HuntBundleOptions): TrailCopyContext {
  return {
    bundle: writer,
    downloads: o.downloads ?? pLimit(DEFAULT_DOWNLOAD_CONCURRENCY),
    claimed: new Set(),
    phase: 'incident',
    limits: o.limits ?? DEFAULT_STREAM_LIMITS,
    parsers: null,
    events: { add: () => undefined, tally: () => undefined, keepsRecords: false },
    window: { start: o.indicators.start, end: o.indicators.end },
    filter: {},
  };
}

/** The caller's credentials for every account: the hunt reads the trail bucket as itself, never through a member role. */
function callerCredentials(credentials: Credentials): AccountCredentials {
  const provider: AwsCredentialIdentityProvider = typeof credentials === 'function' ? credentials : () => Promise.resolve(credentials);
  return { forAccount: () => provider };
}

/**
 * Athena: every matched log file through collect's own trail-file copy (download limiter, expanded-size and
 * record-size limits, byte-exact hashing, S3 origin), concurrently up to the limiter's cap. A file that cannot be
 * read, or is read only in part, is a gap naming it, never a silent hole.
 */
export async function collectAthenaFiles(writer: BundleWriter, o: HuntBundleOptions): Promise<number> {
  const ctx = trailCopyContext(writer, o);
  const buckets = new BucketResolver(o.factory, callerCredentials(o.credentials), o.region);
  const stats: CloudTrailStats = { files: 0, digestFiles: 0, records: 0, parseErrors: 0, unrecognised: 0, lookupAccountRegions: 0 };
  await Promise.all(
    filesToCollect(o.result.matches).map(async (f) => {
      const where = { accountId: f.account, region: f.region };
      let access: BucketAccess;
      try {
        access = await buckets.access(f.bucket, o.caller.accountId);
      } catch (error) {
        await recordGap(ctx, where, 'cloudtrail', f.uri, error, 's3:GetBucketLocation');
        return;
      }
      await copyTrailFile(ctx, access, f.key, where, false, stats);
    }),
  );
  return stats.files;
}

/** Lake: each page of the eventJson query as one item, as Lake returned it (its own request id kept). */
export async function collectLakePages(
  writer: BundleWriter,
  o: HuntBundleOptions,
  queryId: string,
  pagesOf: () => AsyncGenerator<GetQueryResultsCommandOutput>,
): Promise<number> {
  let page = 0;
  for await (const p of pagesOf()) {
    page++;
    await writer.writeJson(joinRel(evidenceDir(o.caller.accountId, o.region, 'lake-events'), `${safeSegment(queryId)}.p${page}.json`), p, {
      accountId: o.caller.accountId,
      region: o.region,
      source: 'cloudtrail',
      origin: {
        kind: 'api',
        service: 'cloudtrail',
        action: 'GetQueryResults',
        accountId: o.caller.accountId,
        region: o.region,
        requestId: p.$metadata?.requestId ?? null,
        params: { QueryId: queryId, page },
      },
    });
  }
  return page;
}

function header(writer: BundleWriter, o: HuntBundleOptions, startedAt: Date): ManifestHeader {
  const accounts = new Map<string, Set<string>>();
  for (const m of o.result.matches) accounts.set(m.account, (accounts.get(m.account) ?? new Set()).add(m.region));
  return {
    bundleId: writer.id,
    incident: o.incident,
    window: { start: o.indicators.start.toISOString(), end: o.indicators.end.toISOString() },
    baselineWindow: null,
    scope: {
      organization: null,
      accounts: [...accounts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([accountId, regions]) => ({
          accountId,
          name: accountId,
          regions: [...regions].sort(),
          status: writer.gaps.some((g) => g.accountId === accountId) ? ('PARTIAL' as const) : ('COLLECTED' as const),
        })),
    },
    sources: ['cloudtrail'],
    filters: {
      hunt: o.via,
      queryId: o.result.queryId,
      accessKeyIds: o.indicators.accessKeyIds,
      principals: o.indicators.principals,
      sourceIps: o.indicators.sourceIps,
      eventNames: o.indicators.eventNames,
    },
    collector: {
      tool: 'forensight',
      version: TOOL_VERSION,
      callerArn: o.caller.arn,
      callerAccountId: o.caller.accountId,
      sessionNames: [],
      roleName: null,
      osUser: osUser(),
      host: hostname(),
    },
    startedAt: startedAt.toISOString(),
  };
}

/**
 * Creates the bundle, records the query in custody, lets `fill` add the evidence, and seals. The bundle is
 * sealed even when some files could not be read: those are gaps in its manifest.
 */
export async function writeHuntBundle(o: HuntBundleOptions, fill: (writer: BundleWriter) => Promise<number>): Promise<HuntBundle> {
  const now = o.now ?? (() => new Date());
  const startedAt = now();
  const writer = await BundleWriter.create(o.outDir, o.incident, huntActor(o.caller.arn), startedAt);
  await writer.note('hunt-query', {
    via: o.via,
    queryId: o.result.queryId,
    region: o.region,
    sql: o.sql,
    matches: o.result.matches.length,
    rejectedRows: o.result.rejectedRows,
  });
  const files = await fill(writer);
  const sealed = await writer.seal(
    header(writer, o, startedAt),
    { apiCalls: o.factory.recorder.count, durationMs: now().getTime() - startedAt.getTime() },
    o.sealKey ? { sealKey: o.sealKey } : {},
  );
  return { bundleDir: writer.dir, bundleId: writer.id, ...sealed, files };
}
