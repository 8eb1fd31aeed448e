// The hunt's evidence: what the query found, collected into a normal bundle (manifest, custody, verify), so an
// Organization-wide hunt is as defensible as a single-account collection.
// - Athena names log files ($path): each is copied byte-exact from the trail bucket and hashed as it streams.
// - CloudTrail Lake holds events, not files: the pages of a second query that selects each matching event's
//   eventJson are saved as Lake returned them.
// The query itself (text, id, indicators) goes into the custody log before any evidence.
import { GetBucketLocationCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { GetQueryResultsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import type { ClientFactory, Credentials } from '../aws/clients.js';
import { describeError, errorCode } from '../aws/errors.js';
import { BundleWriter, type WrittenItem } from '../collect/bundle.js';
import { osUser, type CustodyActor } from '../collect/custody.js';
import { s3Origin, type Manifest, type ManifestHeader } from '../collect/manifest.js';
import { joinRel, objectKeyPath, safeSegment } from '../collect/paths.js';
import { evidencePath } from '../collect/sources/context.js';
import { parseS3Location, regionOfLocationConstraint } from '../model/s3-location.js';
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

class TrailBucketReader {
  private readonly clients = new Map<string, Promise<S3Client>>();
  constructor(private readonly o: HuntBundleOptions) {}

  /** The bucket's own region (one GetBucketLocation per bucket), so reads never bounce on a redirect. */
  client(bucket: string): Promise<S3Client> {
    let c = this.clients.get(bucket);
    if (!c) {
      const target = { credentials: this.o.credentials, accountId: this.o.caller.accountId };
      c = this.o.factory
        .client(S3Client, { ...target, region: this.o.region })
        .send(new GetBucketLocationCommand({ Bucket: bucket }))
        .then((out) => this.o.factory.client(S3Client, { ...target, region: regionOfLocationConstraint(out.LocationConstraint) }));
      this.clients.set(bucket, c);
    }
    return c;
  }
}

async function copyMatchedFile(
  writer: BundleWriter,
  reader: TrailBucketReader,
  f: ReturnType<typeof filesToCollect>[number],
  readVia: string,
): Promise<WrittenItem> {
  const s3 = await reader.client(f.bucket);
  const out = await s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: f.key }));
  if (!out.Body) throw new Error(`GetObject ${f.uri} returned no body`);
  return writer.writeStream(joinRel(evidenceDir(f.account, f.region, 's3'), safeSegment(f.bucket), objectKeyPath(f.key)), out.Body as Readable, {
    accountId: f.account,
    region: f.region,
    source: 'cloudtrail',
    origin: s3Origin(f.bucket, f.key, readVia, out),
  });
}

/** Athena: every matched log file, byte-exact; a file that cannot be read is a gap naming it, never a silent hole. */
export async function collectAthenaFiles(writer: BundleWriter, o: HuntBundleOptions): Promise<number> {
  const reader = new TrailBucketReader(o);
  let files = 0;
  for (const f of filesToCollect(o.result.matches)) {
    try {
      await copyMatchedFile(writer, reader, f, o.caller.accountId);
      files++;
    } catch (error) {
      await writer.addGap({
        accountId: f.account,
        region: f.region,
        source: 'cloudtrail',
        target: f.uri,
        reason: describeError(error, 's3:GetObject'),
        errorCode: errorCode(error),
      });
    }
  }
  return files;
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
