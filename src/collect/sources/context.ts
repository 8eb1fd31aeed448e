// What every evidence source gets: clients through the role chain, the bundle writer, the window and
// filters, a download limiter, bucket ownership/region lookup, and helpers that save API responses as
// returned and stream S3 objects byte-exact.
import { GetBucketLocationCommand, GetObjectCommand, ListObjectsV2Command, S3Client, type _Object } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { LimitFunction } from 'p-limit';
import type { ClientConstructor, ClientFactory, SdkClient } from '../../aws/clients.js';
import type { RoleChain } from '../../aws/credentials.js';
import { classifyError, describeError, errorCode } from '../../aws/errors.js';
import type { BundleWriter, LineSink, WrittenItem } from '../bundle.js';
import type { EventFilter } from '../filters.js';
import type { TimeWindow } from '../layout.js';
import { s3Origin, type Gap, type SourceName } from '../manifest.js';
import { joinRel, objectKeyPath, safeSegment } from '../paths.js';
import type { ParsePool } from '../parsers/parse-pool.js';
import type { StreamInspector, StreamLimits } from '../parsers/stream-reader.js';
import type { RateLimiters } from '../throttle.js';
import { regionOfLocationConstraint } from '../../model/s3-location.js';
import type { IamAction } from '../../model/iam.js';

/** The IAM actions of the shared S3 helpers: ListObjectsV2 is s3:ListBucket; GetObject with a VersionId is s3:GetObjectVersion. */
export const IAM_ACTIONS: readonly IamAction[] = ['s3:GetBucketLocation', 's3:ListBucket', 's3:GetObject', 's3:GetObjectVersion'];

export interface AccountRegion {
  accountId: string;
  region: string;
}

export interface EventsSink {
  /** Returns a promise only when the caller should wait (the analysis copy's disk is behind). */
  add(record: object, origin: string): Promise<void> | undefined;
  /** Counts records parsed elsewhere (a parse worker) that the sink did not need to see one by one. */
  tally(analysed: number, matched: number): void;
  /** Whether the sink keeps the records themselves (the analysis copy): then they are parsed in-thread. */
  readonly keepsRecords: boolean;
}

/** Credentials to read each account with: the role chain in collect, the caller's own in hunt. */
export type AccountCredentials = Pick<RoleChain, 'forAccount'>;

/** Concurrent object downloads when the caller sets none (collect and hunt alike). */
export const DEFAULT_DOWNLOAD_CONCURRENCY = 16;

export interface CollectContext {
  factory: ClientFactory;
  chain: RoleChain;
  bundle: BundleWriter;
  window: TimeWindow;
  filter: EventFilter;
  events: EventsSink;
  /** Bounds concurrent object downloads (and so open sockets and file handles). */
  downloads: LimitFunction;
  buckets: BucketResolver;
  lookupLimiters: RateLimiters;
  homeRegion: string;
  organizationId: string | null;
  /** Accounts in scope with their planned regions. */
  accounts: Map<string, string[]>;
  /** Expanded-size and record-size limits of every log file read while it streams. */
  limits: StreamLimits;
  /** Worker threads that parse CloudTrail files across cores; null parses in-thread. */
  parsers: ParsePool | null;
  /** 'baseline' while the lookback before the window is collected: its items are marked so in the manifest. */
  phase: 'incident' | 'baseline';
  /** S3 objects (bucket, key, version) already in the bundle: overlapping listings copy each object once. */
  claimed: Set<string>;
  /** Aborted on SIGINT or at the deadline: calls in flight fail (and become gaps), no new ones start. */
  signal?: AbortSignal;
}

/** What copying an S3 object into the bundle needs: the writer, the download limiter, the claims, the phase, the stop signal. */
export type ObjectCopyContext = Pick<CollectContext, 'bundle' | 'downloads' | 'claimed' | 'phase' | 'signal'>;

/** Throws if collection was stopped, so a unit that has not begun records a gap instead of starting. */
export function throwIfStopped(ctx: Pick<CollectContext, 'signal'>): void {
  if (ctx.signal?.aborted)
    throw Object.assign(
      new Error(`stopped before this call: ${String(ctx.signal.reason instanceof Error ? ctx.signal.reason.message : ctx.signal.reason)}`),
      { name: 'AbortError' },
    );
}

function sendOptions(ctx: Pick<CollectContext, 'signal'>): { abortSignal?: AbortSignal } {
  return ctx.signal ? { abortSignal: ctx.signal } : {};
}

/** The call's answer, or an AbortError as soon as collection is stopped (the request's own timeouts end it). */
function untilStopped<O>(ctx: Pick<CollectContext, 'signal'>, call: Promise<O>): Promise<O> {
  const signal = ctx.signal;
  if (!signal) return call;
  return new Promise<O>((resolve, reject) => {
    const onAbort = (): void =>
      reject(
        Object.assign(
          new Error(`stopped while waiting for the answer: ${String(signal.reason instanceof Error ? signal.reason.message : signal.reason)}`),
          { name: 'AbortError' },
        ),
      );
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export function clientFor<C extends SdkClient>(ctx: Pick<CollectContext, 'factory' | 'chain'>, Ctor: ClientConstructor<C>, where: AccountRegion): C {
  return ctx.factory.client(Ctor, { credentials: ctx.chain.forAccount(where.accountId), region: where.region, accountId: where.accountId });
}

/** evidence/<account>/<region>/<source>/... */
export function evidencePath(where: AccountRegion, source: string, ...rest: string[]): string {
  return joinRel('evidence', where.accountId, safeSegment(where.region), source, ...rest);
}

export function requestIdOf(output: unknown): string | null {
  return (output as { $metadata?: { requestId?: string } })?.$metadata?.requestId ?? null;
}

/** An SDK command: its class name is the API action, its input the request parameters. */
interface SdkCommand {
  constructor: { name: string };
  input?: unknown;
}

/**
 * Sends a read call and saves its response (as the SDK returned it) to the bundle. `send` is the SDK call,
 * `(c) => client.send(c)`, so the output type is the command's own.
 */
export async function apiCall<C extends SdkCommand, O extends object>(
  ctx: CollectContext,
  command: C,
  send: (command: C) => Promise<O>,
  meta: { where: AccountRegion; source: SourceName; service: string; path: string },
): Promise<O> {
  throwIfStopped(ctx);
  const output = await untilStopped(ctx, send(command));
  const action = command.constructor.name.replace(/Command$/, '');
  const origin = {
    kind: 'api' as const,
    service: meta.service,
    action,
    accountId: meta.where.accountId,
    region: meta.where.region,
    requestId: requestIdOf(output),
    params: (command.input ?? {}) as Record<string, unknown>,
  };
  const item = {
    accountId: meta.where.accountId,
    region: meta.where.region,
    source: meta.source,
    ...(ctx.phase === 'baseline' ? { baseline: true } : {}),
  };
  const raw = ctx.factory.rawResponseOf(output);
  if (raw) {
    // The response exactly as AWS sent it; the .json beside it is the SDK's parse, kept for analysis.
    const ext = raw.contentType?.includes('xml') ? 'xml' : raw.contentType?.includes('cbor') ? 'cbor' : 'json';
    await ctx.bundle.writeBytes(`${meta.path.replace(/\.json$/, '')}.response.${ext}`, raw.body, {
      ...item,
      origin: { ...origin, rawResponse: { statusCode: raw.statusCode, contentType: raw.contentType } },
    });
  }
  await ctx.bundle.writeJson(meta.path, output, { ...item, origin });
  return output;
}

/** Records why something could not be read; collection goes on. */
export async function recordGap(
  ctx: Pick<CollectContext, 'bundle'>,
  where: AccountRegion,
  source: Gap['source'],
  target: string,
  error: unknown,
  action?: string,
): Promise<void> {
  const reason = typeof error === 'string' ? error : describeError(error, action);
  await ctx.bundle.addGap({
    accountId: where.accountId,
    region: where.region,
    source,
    target,
    reason,
    ...(typeof error === 'string' ? {} : { errorCode: errorCode(error) }),
  });
}

export const isNotFound = (error: unknown): boolean => classifyError(error) === 'not-found';

// ---------------------------------------------------------------- S3 buckets in any account

export interface BucketAccess {
  bucket: string;
  /** The account whose credentials read the bucket. */
  accountId: string;
  region: string;
  s3: S3Client;
}

/**
 * Reads a bucket through its owner's role when the owner is in scope (a log archive account), else through
 * the account that referenced it; finds the bucket's region once.
 */
export class BucketResolver {
  readonly owners = new Map<string, string>();
  private readonly cache = new Map<string, Promise<BucketAccess>>();

  constructor(
    private readonly factory: ClientFactory,
    private readonly chain: AccountCredentials,
    private readonly homeRegion: string,
  ) {}

  credentialsOf(accountId: string): AwsCredentialIdentityProvider {
    return this.chain.forAccount(accountId);
  }

  access(bucket: string, referencedBy: string): Promise<BucketAccess> {
    const accountId = this.owners.get(bucket) ?? referencedBy;
    const key = `${bucket}|${accountId}`;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.locate(bucket, accountId);
      this.cache.set(key, pending);
    }
    return pending;
  }

  private async locate(bucket: string, accountId: string): Promise<BucketAccess> {
    const credentials = this.chain.forAccount(accountId);
    const home = this.factory.client(S3Client, { credentials, region: this.homeRegion, accountId });
    const out = await home.send(new GetBucketLocationCommand({ Bucket: bucket }));
    const region = regionOfLocationConstraint(out.LocationConstraint);
    return { bucket, accountId, region, s3: this.factory.client(S3Client, { credentials, region, accountId }) };
  }
}

/** Lists every object under a prefix, saving each ListObjectsV2 page; yields the objects. */
export async function* listPrefix(
  ctx: CollectContext,
  access: BucketAccess,
  prefix: string,
  meta: { where: AccountRegion; source: SourceName },
): AsyncGenerator<_Object> {
  let ContinuationToken: string | undefined;
  let page = 0;
  do {
    page++;
    const input = { Bucket: access.bucket, Prefix: prefix, ...(ContinuationToken ? { ContinuationToken } : {}) };
    const out = await apiCall(ctx, new ListObjectsV2Command(input), (c) => access.s3.send(c), {
      where: meta.where,
      source: meta.source,
      service: 's3',
      path: evidencePath(
        meta.where,
        meta.source,
        'listings',
        safeSegment(access.bucket),
        `${safeSegment(prefix || '_root')}.p${String(page).padStart(4, '0')}.json`,
      ),
    });
    for (const object of out.Contents ?? []) yield object;
    ContinuationToken = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (ContinuationToken);
}

/**
 * Streams one object (optionally one version) byte-exact into the bundle, with an optional reader parsing
 * the same bytes (made when the body starts to arrive). Null when this object is already in the bundle (an earlier, overlapping listing took it).
 */
export function copyObject(
  ctx: ObjectCopyContext,
  access: BucketAccess,
  key: string,
  meta: { where: AccountRegion; source: SourceName; versionId?: string; dir: string; inspector?: () => StreamInspector },
): Promise<WrittenItem | null> {
  const claim = `${access.bucket}\0${key}\0${meta.versionId ?? ''}`;
  if (ctx.claimed.has(claim)) return Promise.resolve(null);
  ctx.claimed.add(claim);
  return ctx.downloads(async () => {
    throwIfStopped(ctx);
    const out = await access.s3.send(
      new GetObjectCommand({ Bucket: access.bucket, Key: key, ...(meta.versionId ? { VersionId: meta.versionId } : {}) }),
      sendOptions(ctx),
    );
    if (!out.Body) throw new Error(`GetObject s3://${access.bucket}/${key} returned no body`);
    const rel = joinRel(meta.dir, safeSegment(access.bucket), objectKeyPath(key, meta.versionId));
    return ctx.bundle.writeStream(
      rel,
      out.Body as NodeJS.ReadableStream as never,
      {
        accountId: meta.where.accountId,
        region: meta.where.region,
        source: meta.source,
        ...(ctx.phase === 'baseline' ? { baseline: true } : {}),
        origin: s3Origin(access.bucket, key, access.accountId, out, meta.versionId),
      },
      meta.inspector?.(),
      ctx.signal,
    );
  });
}

/**
 * An object listed in a log folder whose name is not the log's own pattern (renamed, planted, or a format
 * this version does not know): preserved byte-exact and noted, never parsed as that log, never dropped.
 */
export async function preserveUnrecognised(
  ctx: CollectContext,
  access: BucketAccess,
  key: string,
  meta: { where: AccountRegion; source: SourceName; dir: string; expected: string },
): Promise<void> {
  const uri = `s3://${access.bucket}/${key}`;
  try {
    const written = await copyObject(ctx, access, key, { where: meta.where, source: meta.source, dir: meta.dir });
    if (written) await ctx.bundle.note('unrecognised-object-preserved', { uri, path: written.path, expected: meta.expected });
  } catch (error) {
    await recordGap(ctx, meta.where, meta.source, uri, error, 's3:GetObject');
  }
}

/** What a log folder's listing does with an object: copy it, pass over it (outside the window), or keep it as unrecognised. */
export type ListedObjectAction = 'copy' | 'skip' | 'unrecognised';

export interface LogFolderCounts {
  copied: number;
  unrecognised: number;
}

export interface LogFolderCopy {
  where: AccountRegion;
  source: SourceName;
  /** Where copied files go (bucket and key below it). */
  dir: string;
  /** Decides each listed key by the log's own naming (and the window). */
  classify: (key: string) => ListedObjectAction;
  /** Where a name the log's pattern does not know is preserved, and what name was expected. */
  unrecognised?: { dir: string; expected: string };
  /** Copies one file in place of the plain copy (CloudTrail reads its files as they stream); records its own gaps. */
  copy?: (key: string) => Promise<unknown>;
  /** A prefix whose listing failed: recorded here and the next prefix listed; without it the failure is thrown. */
  onListError?: (prefix: string, error: unknown) => Promise<void>;
}

/**
 * Lists each prefix of a log folder (each page saved) and copies the files `classify` keeps, concurrently through
 * the download limiter: a copy that fails is a gap naming the object, a name the log does not know is preserved as
 * unrecognised. A listing failure is thrown (or given to `onListError`) only after the copies already started
 * have settled, so none of them outlives the call. `counts` (returned) tallies the copies started and the
 * unrecognised objects as they are listed, so a caller that catches a listing failure still has them.
 */
export async function copyLogFolder(
  ctx: CollectContext,
  access: BucketAccess,
  prefixes: Iterable<string>,
  o: LogFolderCopy,
  counts: LogFolderCounts = { copied: 0, unrecognised: 0 },
): Promise<LogFolderCounts> {
  const copies: Promise<unknown>[] = [];
  const plainCopy = (key: string): Promise<unknown> =>
    copyObject(ctx, access, key, { where: o.where, source: o.source, dir: o.dir }).catch((error) =>
      recordGap(ctx, o.where, o.source, `s3://${access.bucket}/${key}`, error, 's3:GetObject'),
    );
  try {
    for (const prefix of prefixes) {
      try {
        for await (const object of listPrefix(ctx, access, prefix, { where: o.where, source: o.source })) {
          const key = object.Key;
          if (!key) continue;
          const action = o.classify(key);
          if (action === 'unrecognised' && o.unrecognised) {
            counts.unrecognised++;
            copies.push(preserveUnrecognised(ctx, access, key, { where: o.where, source: o.source, ...o.unrecognised }));
          } else if (action === 'copy') {
            counts.copied++;
            copies.push((o.copy ?? plainCopy)(key));
          }
        }
      } catch (error) {
        if (!o.onListError) throw error;
        await o.onListError(prefix, error);
      }
    }
  } finally {
    await Promise.all(copies);
  }
  return counts;
}

export type { LineSink };
