// Incident collection: from an open session (role chain, scope) to a sealed evidence bundle. Read-only
// against every source; each failure becomes a gap in the manifest and the rest goes on. The phases run in
// the order of PHASES; an interruption (SIGINT, --deadline) stops new work and the bundle is still sealed,
// marked incomplete.
import { hostname } from 'node:os';
import { GetBucketTaggingCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import pLimit, { type LimitFunction } from 'p-limit';
import { TAG_ROLES } from '../../checks/lib/buckets.js';
import { planRegions } from '../aws/regions.js';
import type { Session, TargetOptions } from '../aws/session.js';
import { classifyError } from '../aws/errors.js';
import { paginate } from '../inventory/util.js';
import { compareToBaseline, type BaselineEntry, type ObservedVersion } from './baseline.js';
import { BundleWriter, type LineSink } from './bundle.js';
import { osUser, type CustodyActor } from './custody.js';
import { isEmptyFilter, matchesFilter, type EventFilter } from './filters.js';
import type { TimeWindow } from './layout.js';
import type { CloudTrailRecord } from './parsers/cloudtrail.js';
import { defaultParseWorkers, defaultWorkerUrl, ParsePool } from './parsers/parse-pool.js';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './parsers/stream-reader.js';
import { DEFAULT_BASELINE_DAYS, type Manifest, type ManifestHeader, type SourceName } from './manifest.js';
import { ProgressTracker, type ProgressListener } from './progress.js';
import { apiCall, BucketResolver, clientFor, DEFAULT_DOWNLOAD_CONCURRENCY, evidencePath, recordGap, type CollectContext } from './sources/context.js';
import { collectAiInterfaces, writeAiNetwork, type AiInterface } from './sources/ai-network.js';
import { collectBedrock, collectInvocationLogs, type InvocationLogging } from './sources/bedrock.js';
import { collectCloudTrail, discoverTrails, type CloudTrailStats, type TrailInfo } from './sources/cloudtrail.js';
import { collectFlowLogs } from './sources/flow-logs.js';
import { collectSageMaker } from './sources/sagemaker.js';
import { collectAccessLogs, collectModelArtifact } from './sources/s3.js';
import { RateLimiters } from './throttle.js';
import { TOOL_VERSION } from '../version.js';
import type { IamAction } from '../model/iam.js';

/** The IAM actions of bucket discovery: ListBuckets is s3:ListAllMyBuckets. */
export const IAM_ACTIONS: readonly IamAction[] = ['s3:ListAllMyBuckets', 's3:GetBucketTagging'];

export const DEFAULT_BUCKET_ROLE_TAG_KEY = 'forensight:role';

export interface CollectOptions {
  incident: string;
  window: TimeWindow;
  sources: SourceName[];
  filter: EventFilter;
  outDir: string;
  target: TargetOptions;
  sessionName: string;
  baseline?: { file: string; entries: BaselineEntry[] };
  /** Days of lookback before the window start (CloudTrail, Bedrock invocation logs, access logs of AI buckets); 0 = none. */
  baselineDays?: number;
  /** Tag key that marks AI buckets (`bucketRoleTagKey` of the config file, as scan reads it). */
  bucketRoleTagKey?: string;
  /** Expanded-size and record-size limits of the log files read while streaming. */
  limits?: StreamLimits;
  /** Write analysis/events.jsonl, the parsed CloudTrail records (analyze does not need it). */
  eventsCopy?: boolean;
  /** Worker threads parsing CloudTrail files (default: one per core, at most 8; 0 parses in-thread). */
  parseWorkers?: number;
  /** HMAC key for the seal (never written to the bundle): verify --seal-key checks it. */
  sealKey?: Buffer;
  /** Aborting stops new work; the bundle is sealed as incomplete with the signal's reason. */
  signal?: AbortSignal;
  /** Concurrent object downloads (default DEFAULT_DOWNLOAD_CONCURRENCY, 16). */
  downloadConcurrency?: number;
  /** LookupEvents requests per second per account-region (AWS allows 2). */
  lookupRatePerSecond?: number;
  onProgress?: ProgressListener;
}

export interface CollectResult {
  bundleDir: string;
  bundleId: string;
  manifest: Manifest;
  manifestSha256: string;
  manifestHmacSha256: string | null;
  cloudtrail: CloudTrailStats;
  events: { analysed: number; matched: number };
  tampered: number;
  /** Why collection stopped early (the manifest says so too); null when it ran to the end. */
  incomplete: string | null;
}

type AccountStatus = ManifestHeader['scope']['accounts'][number];

/** What the phases share while a collection runs. */
interface Run {
  options: CollectOptions;
  session: Session;
  sources: Set<SourceName>;
  bundle: BundleWriter;
  ctx: CollectContext;
  progress: ProgressTracker;
  statuses: Map<string, AccountStatus>;
  /** Buckets each account owns (ListBuckets). */
  owned: Map<string, string[]>;
  aiBuckets: Map<string, Set<string>>;
  artifacts: Map<string, Set<string>>;
  /** Bedrock invocation logging per `account|region`, for the lookback. */
  invocationLogging: Map<string, InvocationLogging>;
  trailsByAccount: Map<string, TrailInfo[]>;
  /** Network interfaces of AI workloads, every account-region. */
  aiInterfaces: AiInterface[];
  observed: ObservedVersion[];
  cloudtrail: CloudTrailStats;
  eventCounts: { analysed: number; matched: number };
  eventsSink: LineSink | null;
  tampered: number;
  accountLimit: LimitFunction;
  regionLimit: LimitFunction;
}

interface Phase {
  name: string;
  run(run: Run): Promise<void>;
}

/** The phases of a collection, in order. */
const PHASES: Phase[] = [
  { name: 'accounts (role, regions, buckets)', run: discoverAccounts },
  { name: 'AI services (SageMaker, Bedrock, flow logs)', run: collectAiServices },
  { name: 'S3 access logs and model artifacts', run: collectS3Sources },
  { name: 'CloudTrail', run: collectCloudTrailPhase },
  { name: 'baseline lookback', run: collectLookback },
  { name: 'derived files', run: writeDerived },
];

export async function runCollection(session: Session, options: CollectOptions): Promise<CollectResult> {
  const startedAt = new Date();
  const run = await startRun(session, options, startedAt);
  let incomplete: string | null = null;
  try {
    for (const phase of PHASES) {
      if (options.signal?.aborted) {
        incomplete ??= stopReason(options.signal);
        await run.bundle.addGap({
          accountId: 'all',
          region: 'all',
          source: 'discovery',
          target: phase.name,
          reason: `Not collected: ${incomplete} before this phase started`,
        });
        continue;
      }
      await phase.run(run);
    }
  } finally {
    await run.ctx.parsers?.close();
  }
  if (options.signal?.aborted) incomplete ??= stopReason(options.signal);
  await run.eventsSink?.close();
  markPartialAccounts(run);
  if (incomplete) await run.bundle.note('collection-interrupted', { reason: incomplete, at: new Date().toISOString() });
  return seal(run, startedAt, incomplete);
}

function stopReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (typeof reason === 'string') return reason;
  return reason instanceof Error && reason.message ? reason.message : 'collection was interrupted';
}

async function startRun(session: Session, options: CollectOptions, startedAt: Date): Promise<Run> {
  const { factory, chain, caller, scope } = session;
  const sources = new Set(options.sources);
  const progress = new ProgressTracker(options.onProgress);
  const actor: CustodyActor = {
    tool: 'forensight',
    toolVersion: TOOL_VERSION,
    callerArn: caller.arn,
    sessionName: options.sessionName,
    osUser: osUser(),
    host: hostname(),
  };
  const bundle = await BundleWriter.create(options.outDir, options.incident, actor, startedAt);
  bundle.onItem = (item) => {
    progress.state.gaps = bundle.gaps.length;
    progress.item(item.bytes);
  };
  const baselineWindow = lookbackWindow(options);
  await bundle.note('collection-started', {
    incident: options.incident,
    window: { start: options.window.start.toISOString(), end: options.window.end.toISOString() },
    baselineWindow: baselineWindow ? { start: baselineWindow.start.toISOString(), end: baselineWindow.end.toISOString() } : null,
    sources: [...sources],
    filters: { ...options.filter },
    selection: options.target.selection,
    regions: options.target.regions,
    roleName: options.target.roleName ?? null,
    hubRoleArn: options.target.hubRoleArn ?? null,
    endpoint: factory.endpoint ?? null,
    baseline: options.baseline ? { file: options.baseline.file, entries: options.baseline.entries.length } : null,
    limits: options.limits ?? DEFAULT_STREAM_LIMITS,
  });
  const eventCounts = { analysed: 0, matched: 0 };
  const eventsSink = options.eventsCopy
    ? bundle.openLineSink('analysis/events.jsonl', {
        accountId: 'all',
        region: 'all',
        source: 'analysis',
        origin: {
          kind: 'derived',
          description: `CloudTrail records in the window from the preserved trail files and LookupEvents pages${isEmptyFilter(options.filter) ? '' : `, filtered by ${JSON.stringify(options.filter)}`}`,
        },
      })
    : null;
  const ctx: CollectContext = {
    factory,
    chain,
    bundle,
    window: options.window,
    filter: options.filter,
    events: countingEvents(options.filter, eventCounts, eventsSink),
    downloads: pLimit(options.downloadConcurrency ?? DEFAULT_DOWNLOAD_CONCURRENCY),
    buckets: new BucketResolver(factory, chain, options.target.homeRegion),
    lookupLimiters: new RateLimiters(options.lookupRatePerSecond ?? 2),
    homeRegion: options.target.homeRegion,
    organizationId: scope.organization?.id ?? null,
    accounts: new Map(),
    limits: options.limits ?? DEFAULT_STREAM_LIMITS,
    parsers: eventsSink ? null : parsePoolFor(options.parseWorkers),
    phase: 'incident',
    claimed: new Set(),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return {
    options,
    session,
    sources,
    bundle,
    ctx,
    progress,
    statuses: new Map(),
    owned: new Map(),
    aiBuckets: new Map(),
    artifacts: new Map(),
    invocationLogging: new Map(),
    trailsByAccount: new Map(),
    aiInterfaces: [],
    observed: [],
    cloudtrail: { files: 0, digestFiles: 0, records: 0, parseErrors: 0, unrecognised: 0, lookupAccountRegions: 0 },
    eventCounts,
    eventsSink,
    tampered: 0,
    accountLimit: pLimit(Math.max(1, Math.min(options.target.concurrency, 16))),
    regionLimit: pLimit(Math.max(1, options.target.concurrency)),
  };
}

/** A pool of parse workers, unless asked for none or there is no compiled worker to run. */
function parsePoolFor(workers = defaultParseWorkers()): ParsePool | null {
  const url = workers > 0 ? defaultWorkerUrl() : null;
  return url ? new ParsePool(workers, url) : null;
}

/** The sink parsed records go to: counted, filtered, and written to the analysis copy when there is one. */
export function countingEvents(filter: EventFilter, counts: { analysed: number; matched: number }, copy: LineSink | null): CollectContext['events'] {
  return {
    add: (record, origin) => {
      counts.analysed++;
      if (!matchesFilter(record as CloudTrailRecord, filter)) return undefined;
      counts.matched++;
      return copy?.write(JSON.stringify({ origin, record }));
    },
    tally: (analysed, matched) => {
      counts.analysed += analysed;
      counts.matched += matched;
    },
    keepsRecords: copy !== null,
  };
}

/** [start - N days, start): the lookback that defines normal; null when none is asked for. */
export function lookbackWindow(options: Pick<CollectOptions, 'window' | 'baselineDays'>): TimeWindow | null {
  const days = options.baselineDays ?? DEFAULT_BASELINE_DAYS;
  if (days <= 0) return null;
  return { start: new Date(options.window.start.getTime() - days * 86_400_000), end: new Date(options.window.start.getTime() - 1) };
}

const reachable = (run: Run): string[] => [...run.ctx.accounts.keys()];

function addTo(map: Map<string, Set<string>>, id: string, values: Iterable<string>): void {
  const set = map.get(id) ?? new Set<string>();
  for (const v of values) set.add(v);
  map.set(id, set);
}

function markSource(run: Run): void {
  run.progress.update({ sourcesDone: run.progress.state.sourcesDone + 1 }, false);
}

/** Starts `fn` for each item unless collection was stopped; what never started is covered by the phase gap. */
function eachUnlessStopped<T>(run: Run, limit: LimitFunction, items: T[], fn: (item: T) => Promise<void>): Promise<void[]> {
  return Promise.all(items.map((item) => limit(async () => (run.options.signal?.aborted ? undefined : fn(item)))));
}

// ---------------------------------------------------------------- phases

async function discoverAccounts(run: Run): Promise<void> {
  const { session, bundle, ctx, progress, statuses, options } = run;
  const targets = session.scope.accounts.filter((a) => !a.skippedReason);
  for (const skipped of session.scope.accounts.filter((a) => a.skippedReason)) {
    statuses.set(skipped.accountId, {
      accountId: skipped.accountId,
      name: skipped.name,
      regions: [],
      status: 'NOT_COLLECTED',
      reason: skipped.skippedReason!,
    });
  }
  const perAccountSources = run.sources.size;
  progress.update({
    phase: 'discover',
    accountsTotal: targets.length,
    sourcesTotal: targets.length * perAccountSources,
    message: `${targets.length} account(s)`,
  });
  await eachUnlessStopped(run, run.accountLimit, targets, async (account) => {
    const id = account.accountId;
    const access = await session.chain.verify(id);
    if (!access.ok) {
      statuses.set(id, { accountId: id, name: account.name, regions: [], status: 'NOT_COLLECTED', reason: access.reason });
      await bundle.addGap({
        accountId: id,
        region: 'global',
        source: 'access',
        target: session.chain.roleArn(id),
        reason: access.reason,
        ...(access.errorCode ? { errorCode: access.errorCode } : {}),
      });
      progress.update({ accountsDone: progress.state.accountsDone + 1, sourcesDone: progress.state.sourcesDone + perAccountSources });
      return;
    }
    const plan = await planRegions(session.factory, session.chain.forAccount(id), id, options.target.regions, options.target.homeRegion);
    for (const s of plan.skipped) await bundle.note('region-skipped', { accountId: id, region: s.region, reason: s.reason });
    ctx.accounts.set(id, plan.scan);
    statuses.set(id, { accountId: id, name: account.name, regions: plan.scan, status: 'COLLECTED' });
    await discoverOwnedBuckets(run, id);
  });
}

/** ListBuckets (every page, each saved); a failure is a gap: the account's AI buckets may be missed. */
async function discoverOwnedBuckets(run: Run, id: string): Promise<void> {
  const { ctx, sources } = run;
  const where = { accountId: id, region: 'global' };
  const source: SourceName = sources.has('model-artifacts') || sources.has('s3-access-logs') ? 's3-access-logs' : 'cloudtrail';
  const s3 = clientFor(ctx, S3Client, { accountId: id, region: run.options.target.homeRegion });
  let page = 0;
  try {
    const buckets = await paginate(async (token) => {
      page++;
      const out = await apiCall(ctx, new ListBucketsCommand(token ? { ContinuationToken: token } : {}), (c) => s3.send(c), {
        where,
        source,
        service: 's3',
        path: evidencePath(where, 'discovery', page === 1 ? 'list-buckets.json' : `list-buckets.p${page}.json`),
      });
      return { items: out.Buckets, next: out.ContinuationToken };
    });
    const names = [...new Set(buckets.map((b) => String(b.Name ?? '')).filter(Boolean))].sort();
    run.owned.set(id, names);
    for (const name of names) ctx.buckets.owners.set(name, id);
  } catch (error) {
    await recordGap(ctx, where, 'discovery', 's3:ListAllMyBuckets', error, 's3:ListAllMyBuckets');
  }
}

async function collectAiServices(run: Run): Promise<void> {
  const { ctx, sources, progress } = run;
  progress.update({ phase: 'collect', message: 'AI services' });
  const needSageMaker = ['sagemaker', 's3-access-logs', 'model-artifacts', 'flow-logs'].some((s) => sources.has(s as SourceName));
  const needBedrock = sources.has('bedrock') || sources.has('s3-access-logs');
  const accountRegions = reachable(run).flatMap((accountId) => (ctx.accounts.get(accountId) ?? []).map((region) => ({ accountId, region })));
  await eachUnlessStopped(run, run.regionLimit, accountRegions, async (where) => {
    progress.update({ message: `${where.accountId} ${where.region}` }, false);
    if (needSageMaker) {
      const fp = await collectSageMaker(ctx, where, { logs: sources.has('sagemaker') });
      addTo(run.aiBuckets, where.accountId, fp.buckets);
      addTo(run.artifacts, where.accountId, fp.modelArtifacts);
      run.aiInterfaces.push(...(await collectAiInterfaces(ctx, where, fp.workloads)));
      if (sources.has('flow-logs')) await collectFlowLogs(ctx, where, fp.subnetIds);
    }
    if (needBedrock) {
      const fp = await collectBedrock(ctx, where, { logs: sources.has('bedrock') });
      addTo(run.aiBuckets, where.accountId, fp.buckets);
      if (fp.logging) run.invocationLogging.set(`${where.accountId}|${where.region}`, fp.logging);
    }
  });
  if (needSageMaker) await writeAiNetwork(ctx, run.aiInterfaces);
  for (let i = 0; i < reachable(run).length; i++) {
    for (const s of ['sagemaker', 'bedrock', 'flow-logs'] as const) if (sources.has(s)) markSource(run);
  }
}

/** Buckets tagged <bucket-role tag key> = a bucket role (as scan reads it) join the AI buckets; NoSuchTagSet means untagged. */
async function addTaggedBuckets(run: Run, id: string): Promise<void> {
  const { ctx } = run;
  const tagKey = run.options.bucketRoleTagKey ?? DEFAULT_BUCKET_ROLE_TAG_KEY;
  for (const name of run.owned.get(id) ?? []) {
    const where = { accountId: id, region: 'global' };
    try {
      const access = await ctx.buckets.access(name, id);
      const tags = await apiCall(ctx, new GetBucketTaggingCommand({ Bucket: name }), (c) => access.s3.send(c), {
        where,
        source: 's3-access-logs',
        service: 's3',
        path: evidencePath(where, 'discovery', 'bucket-tagging', `${name}.json`),
      });
      // The same rule as scan's classification: the key names the bucket's role, and only a role value counts.
      if ((tags.TagSet ?? []).some((t) => t.Key === tagKey && (TAG_ROLES as readonly string[]).includes(t.Value ?? '')))
        addTo(run.aiBuckets, id, [name]);
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchTagSet' || classifyError(error) === 'not-found') continue;
      await recordGap(ctx, where, 's3-access-logs', `s3://${name}`, error, 's3:GetBucketTagging');
    }
  }
}

/** The AI buckets an account owns (or whose owner is not in scope): their access logs are this account's to collect. */
function ownAiBuckets(run: Run, id: string): string[] {
  const owners = run.ctx.buckets.owners;
  return [...(run.aiBuckets.get(id) ?? [])].filter((b) => !owners.has(b) || owners.get(b) === id).sort();
}

async function collectS3Sources(run: Run): Promise<void> {
  const { ctx, sources } = run;
  if (!sources.has('s3-access-logs') && !sources.has('model-artifacts')) return;
  run.progress.update({ message: 'S3 access logs and model artifacts' });
  await eachUnlessStopped(run, run.accountLimit, reachable(run), async (id) => {
    if (sources.has('s3-access-logs')) {
      await addTaggedBuckets(run, id);
      for (const bucket of ownAiBuckets(run, id)) await collectAccessLogs(ctx, id, bucket);
      markSource(run);
    }
    if (sources.has('model-artifacts')) {
      for (const uri of [...(run.artifacts.get(id) ?? [])].sort()) run.observed.push(...(await collectModelArtifact(ctx, id, uri)));
      markSource(run);
    }
  });
}

async function collectCloudTrailPhase(run: Run): Promise<void> {
  if (!run.sources.has('cloudtrail')) return;
  run.progress.update({ message: 'CloudTrail' });
  await eachUnlessStopped(run, run.accountLimit, reachable(run), async (id) => {
    run.trailsByAccount.set(id, await discoverTrails(run.ctx, id, run.ctx.accounts.get(id) ?? []));
  });
  await collectCloudTrail(run.ctx, run.trailsByAccount, run.options.target.regions !== 'all', run.cloudtrail, () => markSource(run));
}

/**
 * The lookback before the window, which defines normal for analysis: the same CloudTrail, Bedrock
 * invocation-log and AI-bucket access-log sources over [start - N days, start). Objects the incident
 * window already took are not copied twice; everything else is marked `baseline` in the manifest.
 */
async function collectLookback(run: Run): Promise<void> {
  const window = lookbackWindow(run.options);
  if (!window) return;
  const { sources } = run;
  const ctx: CollectContext = { ...run.ctx, window, phase: 'baseline' };
  run.progress.update({ message: 'baseline lookback' });
  await run.bundle.note('baseline-lookback-started', { start: window.start.toISOString(), end: window.end.toISOString() });
  if (sources.has('cloudtrail')) {
    const lookback: CloudTrailStats = { files: 0, digestFiles: 0, records: 0, parseErrors: 0, unrecognised: 0, lookupAccountRegions: 0 };
    await collectCloudTrail(ctx, run.trailsByAccount, run.options.target.regions !== 'all', lookback);
    run.cloudtrail.parseErrors += lookback.parseErrors;
    run.cloudtrail.unrecognised += lookback.unrecognised;
    await run.bundle.note('baseline-cloudtrail', { ...lookback });
  }
  if (sources.has('bedrock')) {
    const entries = [...run.invocationLogging].map(([key, logging]) => ({ key, logging }));
    await eachUnlessStopped(run, run.regionLimit, entries, async ({ key, logging }) => {
      const [accountId, region] = key.split('|') as [string, string];
      await collectInvocationLogs(ctx, { accountId, region }, logging);
    });
  }
  if (sources.has('s3-access-logs')) {
    await eachUnlessStopped(run, run.accountLimit, reachable(run), async (id) => {
      for (const bucket of ownAiBuckets(run, id)) await collectAccessLogs(ctx, id, bucket);
    });
  }
}

async function writeDerived(run: Run): Promise<void> {
  if (!run.sources.has('model-artifacts')) return;
  const { options, bundle } = run;
  const comparison = compareToBaseline(run.observed, options.baseline?.entries ?? []);
  run.tampered = comparison.tampered.length;
  await bundle.writeJson(
    'analysis/model-artifacts.json',
    { baseline: options.baseline?.file ?? null, ...comparison },
    {
      accountId: 'all',
      region: 'all',
      source: 'analysis',
      origin: { kind: 'derived', description: 'SHA-256 of every collected model artifact version, compared with the known-good baseline when given' },
    },
  );
  if (options.baseline)
    await bundle.note('baseline-compared', {
      file: options.baseline.file,
      tampered: comparison.tampered,
      missing: comparison.missing.map((m) => m.uri),
    });
}

function markPartialAccounts(run: Run): void {
  for (const id of reachable(run)) {
    const status = run.statuses.get(id)!;
    if (run.bundle.gaps.some((g) => g.accountId === id)) status.status = 'PARTIAL';
    run.progress.update({ accountsDone: run.progress.state.accountsDone + 1 }, false);
  }
}

async function seal(run: Run, startedAt: Date, incomplete: string | null): Promise<CollectResult> {
  const { options, session, bundle, progress } = run;
  progress.update({ phase: 'seal', message: 'writing manifest' });
  const lookback = lookbackWindow(options);
  const header: ManifestHeader = {
    bundleId: bundle.id,
    incident: options.incident,
    window: { start: options.window.start.toISOString(), end: options.window.end.toISOString() },
    baselineWindow: lookback ? { start: lookback.start.toISOString(), end: lookback.end.toISOString() } : null,
    scope: { organization: session.scope.organization, accounts: [...run.statuses.values()].sort((a, b) => a.accountId.localeCompare(b.accountId)) },
    sources: [...run.sources],
    filters: { ...options.filter },
    collector: {
      tool: 'forensight',
      version: TOOL_VERSION,
      callerArn: session.caller.arn,
      callerAccountId: session.caller.accountId,
      sessionNames: [options.sessionName],
      roleName: options.target.roleName ?? null,
      osUser: osUser(),
      host: hostname(),
    },
    startedAt: startedAt.toISOString(),
    ...(incomplete ? { incomplete: { reason: incomplete } } : {}),
  };
  const { manifest, manifestSha256, manifestHmacSha256 } = await bundle.seal(
    header,
    { apiCalls: session.factory.recorder.count, durationMs: Date.now() - startedAt.getTime() },
    options.sealKey ? { sealKey: options.sealKey } : {},
  );
  progress.update({ phase: 'done', gaps: bundle.gaps.length, message: bundle.dir });
  return {
    bundleDir: bundle.dir,
    bundleId: bundle.id,
    manifest,
    manifestSha256,
    manifestHmacSha256,
    cloudtrail: run.cloudtrail,
    events: run.eventCounts,
    tampered: run.tampered,
    incomplete,
  };
}
