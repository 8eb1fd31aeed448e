// Incident collection: from an open session (role chain, scope) to a sealed evidence bundle. Read-only
// against every source; each failure becomes a gap in the manifest and the rest goes on.
import { hostname, userInfo } from 'node:os';
import { GetBucketTaggingCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { planRegions } from '../aws/regions.js';
import type { Session, TargetOptions } from '../aws/session.js';
import { describeError } from '../aws/errors.js';
import { compareToBaseline, type BaselineEntry, type ObservedVersion } from './baseline.js';
import { BundleWriter } from './bundle.js';
import type { CustodyActor } from './custody.js';
import { isEmptyFilter, matchesFilter, type EventFilter } from './filters.js';
import type { TimeWindow } from './layout.js';
import type { CloudTrailRecord } from './parsers/cloudtrail.js';
import type { Manifest, ManifestHeader, SourceName } from './manifest.js';
import { ProgressTracker, type ProgressListener } from './progress.js';
import { apiCall, BucketResolver, clientFor, evidencePath, type CollectContext } from './sources/context.js';
import { collectBedrock } from './sources/bedrock.js';
import { collectCloudTrail, discoverTrails, type CloudTrailStats, type TrailInfo } from './sources/cloudtrail.js';
import { collectFlowLogs } from './sources/flow-logs.js';
import { collectSageMaker } from './sources/sagemaker.js';
import { collectAccessLogs, collectModelArtifact } from './sources/s3.js';
import { RateLimiters } from './throttle.js';
import { TOOL_VERSION } from '../version.js';

export interface CollectOptions {
  incident: string;
  window: TimeWindow;
  sources: SourceName[];
  filter: EventFilter;
  outDir: string;
  target: TargetOptions;
  sessionName: string;
  baseline?: { file: string; entries: BaselineEntry[] };
  /** Concurrent object downloads (default 16). */
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
  cloudtrail: CloudTrailStats;
  events: { analysed: number; matched: number };
  tampered: number;
}

const TAG_KEY = 'forensight:role';

export async function runCollection(session: Session, options: CollectOptions): Promise<CollectResult> {
  const startedAt = new Date();
  const { factory, chain, caller, scope } = session;
  const sources = new Set(options.sources);
  const progress = new ProgressTracker(options.onProgress);
  const actor: CustodyActor = {
    tool: 'forensight',
    toolVersion: TOOL_VERSION,
    callerArn: caller.arn,
    sessionName: options.sessionName,
    osUser: safeUser(),
    host: hostname(),
  };
  const bundle = await BundleWriter.create(options.outDir, options.incident, actor, startedAt);
  bundle.onItem = (item) => {
    progress.state.gaps = bundle.gaps.length;
    progress.item(item.bytes);
  };
  const roleName = options.target.roleName ?? null;
  await bundle.note('collection-started', {
    incident: options.incident,
    window: { start: options.window.start.toISOString(), end: options.window.end.toISOString() },
    sources: [...sources],
    filters: { ...options.filter },
    selection: options.target.selection,
    regions: options.target.regions,
    roleName,
    hubRoleArn: options.target.hubRoleArn ?? null,
    endpoint: factory.endpoint ?? null,
    baseline: options.baseline ? { file: options.baseline.file, entries: options.baseline.entries.length } : null,
  });

  // Parsed CloudTrail records that pass the analysis filters.
  const eventsSink = bundle.openLineSink('analysis/events.jsonl', {
    accountId: 'all',
    region: 'all',
    source: 'analysis',
    origin: { kind: 'derived', description: `CloudTrail records in the window from the preserved trail files and LookupEvents pages${isEmptyFilter(options.filter) ? '' : `, filtered by ${JSON.stringify(options.filter)}`}` },
  });
  const eventCounts = { analysed: 0, matched: 0 };
  const ctx: CollectContext = {
    factory,
    chain,
    bundle,
    window: options.window,
    filter: options.filter,
    events: {
      add: async (record, origin) => {
        eventCounts.analysed++;
        if (!matchesFilter(record as CloudTrailRecord, options.filter)) return;
        eventCounts.matched++;
        await eventsSink.write(JSON.stringify({ origin, record }));
      },
    },
    downloads: pLimit(options.downloadConcurrency ?? 16),
    buckets: new BucketResolver(factory, chain, options.target.homeRegion),
    lookupLimiters: new RateLimiters(options.lookupRatePerSecond ?? 2),
    homeRegion: options.target.homeRegion,
    organizationId: scope.organization?.id ?? null,
    accounts: new Map(),
  };

  // ---- Accounts: role, regions, owned buckets.
  const accountLimit = pLimit(Math.max(1, Math.min(options.target.concurrency, 16)));
  const statuses = new Map<string, ManifestHeader['scope']['accounts'][number]>();
  const owned = new Map<string, string[]>();
  const targets = scope.accounts.filter((a) => !a.skippedReason);
  for (const skipped of scope.accounts.filter((a) => a.skippedReason)) {
    statuses.set(skipped.accountId, { accountId: skipped.accountId, name: skipped.name, regions: [], status: 'NOT_COLLECTED', reason: skipped.skippedReason! });
  }
  const perAccountSources = [...sources].length;
  progress.update({ phase: 'discover', accountsTotal: targets.length, sourcesTotal: targets.length * perAccountSources, message: `${targets.length} account(s)` });
  const markSource = (): void => progress.update({ sourcesDone: progress.state.sourcesDone + 1 }, false);

  await Promise.all(
    targets.map((account) =>
      accountLimit(async () => {
        const id = account.accountId;
        const access = await chain.verify(id);
        if (!access.ok) {
          statuses.set(id, { accountId: id, name: account.name, regions: [], status: 'NOT_COLLECTED', reason: access.reason });
          await bundle.addGap({ accountId: id, region: 'global', source: 'access', target: chain.roleArn(id), reason: access.reason, ...(access.errorCode ? { errorCode: access.errorCode } : {}) });
          progress.update({ accountsDone: progress.state.accountsDone + 1, sourcesDone: progress.state.sourcesDone + perAccountSources });
          return;
        }
        const plan = await planRegions(factory, chain.forAccount(id), id, options.target.regions, options.target.homeRegion);
        for (const s of plan.skipped) await bundle.note('region-skipped', { accountId: id, region: s.region, reason: s.reason });
        ctx.accounts.set(id, plan.scan);
        statuses.set(id, { accountId: id, name: account.name, regions: plan.scan, status: 'COLLECTED' });
        try {
          const where = { accountId: id, region: options.target.homeRegion };
          const out = await apiCall(ctx, new ListBucketsCommand({}), (c) => clientFor(ctx, S3Client, where).send(c), {
            where: { accountId: id, region: 'global' },
            source: sources.has('model-artifacts') || sources.has('s3-access-logs') ? 's3-access-logs' : 'cloudtrail',
            service: 's3',
            path: evidencePath({ accountId: id, region: 'global' }, 'discovery', 'list-buckets.json'),
          });
          const names = (out.Buckets ?? []).map((b) => String(b.Name));
          owned.set(id, names);
          for (const name of names) ctx.buckets.owners.set(name, id);
        } catch (error) {
          await bundle.note('bucket-discovery-failed', { accountId: id, reason: describeError(error, 's3:ListAllMyBuckets') });
        }
      }),
    ),
  );
  const reachable = [...ctx.accounts.keys()];

  // ---- Per account-region: SageMaker, Bedrock, flow logs; footprint for the S3 sources.
  progress.update({ phase: 'collect', message: 'AI services' });
  const needSageMaker = ['sagemaker', 's3-access-logs', 'model-artifacts', 'flow-logs'].some((s) => sources.has(s as SourceName));
  const needBedrock = sources.has('bedrock') || sources.has('s3-access-logs');
  const aiBuckets = new Map<string, Set<string>>();
  const artifacts = new Map<string, Set<string>>();
  const observed: ObservedVersion[] = [];
  const addTo = (map: Map<string, Set<string>>, id: string, values: Iterable<string>): void => {
    const set = map.get(id) ?? new Set<string>();
    for (const v of values) set.add(v);
    map.set(id, set);
  };
  const regionLimit = pLimit(Math.max(1, options.target.concurrency));
  await Promise.all(
    reachable.flatMap((id) =>
      (ctx.accounts.get(id) ?? []).map((region) =>
        regionLimit(async () => {
          const where = { accountId: id, region };
          progress.update({ message: `${id} ${region}` }, false);
          if (needSageMaker) {
            const fp = await collectSageMaker(ctx, where, { logs: sources.has('sagemaker') });
            addTo(aiBuckets, id, fp.buckets);
            addTo(artifacts, id, fp.modelArtifacts);
            if (sources.has('flow-logs')) await collectFlowLogs(ctx, where, fp.subnetIds);
          }
          if (needBedrock) {
            const fp = await collectBedrock(ctx, where, { logs: sources.has('bedrock') });
            addTo(aiBuckets, id, fp.buckets);
          }
        }),
      ),
    ),
  );
  for (let i = 0; i < reachable.length; i++) {
    for (const s of ['sagemaker', 'bedrock', 'flow-logs'] as const) if (sources.has(s)) markSource();
  }

  // ---- Per account: buckets tagged forensight:role, access logs, model artifacts.
  if (sources.has('s3-access-logs') || sources.has('model-artifacts')) {
    progress.update({ message: 'S3 access logs and model artifacts' });
    await Promise.all(
      reachable.map((id) =>
        accountLimit(async () => {
          if (sources.has('s3-access-logs')) {
            for (const name of owned.get(id) ?? []) {
              try {
                const where = { accountId: id, region: 'global' };
                const access = await ctx.buckets.access(name, id);
                const tags = await apiCall(ctx, new GetBucketTaggingCommand({ Bucket: name }), (c) => access.s3.send(c), {
                  where,
                  source: 's3-access-logs',
                  service: 's3',
                  path: evidencePath(where, 'discovery', 'bucket-tagging', `${name}.json`),
                });
                if ((tags.TagSet ?? []).some((t) => t.Key === TAG_KEY)) addTo(aiBuckets, id, [name]);
              } catch {
                // NoSuchTagSet: untagged bucket. Other errors only mean the tag could not be read.
              }
            }
            const mine = [...(aiBuckets.get(id) ?? [])].filter((b) => !ctx.buckets.owners.has(b) || ctx.buckets.owners.get(b) === id).sort();
            for (const bucket of mine) await collectAccessLogs(ctx, id, bucket);
            markSource();
          }
          if (sources.has('model-artifacts')) {
            for (const uri of [...(artifacts.get(id) ?? [])].sort()) observed.push(...(await collectModelArtifact(ctx, id, uri)));
            markSource();
          }
        }),
      ),
    );
  }

  // ---- CloudTrail: trail files in S3 across accounts, LookupEvents where none are readable.
  const ctStats: CloudTrailStats = { files: 0, digestFiles: 0, records: 0, parseErrors: 0, lookupAccountRegions: 0 };
  if (sources.has('cloudtrail')) {
    progress.update({ message: 'CloudTrail' });
    const trailsByAccount = new Map<string, TrailInfo[]>();
    await Promise.all(
      reachable.map((id) =>
        accountLimit(async () => {
          trailsByAccount.set(id, await discoverTrails(ctx, id, ctx.accounts.get(id) ?? []));
        }),
      ),
    );
    await collectCloudTrail(ctx, trailsByAccount, options.target.regions !== 'all', ctStats, () => markSource());
  }
  for (const id of reachable) {
    const status = statuses.get(id)!;
    if (bundle.gaps.some((g) => g.accountId === id)) status.status = 'PARTIAL';
    progress.update({ accountsDone: progress.state.accountsDone + 1 }, false);
  }

  // ---- Derived files: events, model artifact hashes against the baseline.
  await eventsSink.close();
  let tampered = 0;
  if (sources.has('model-artifacts')) {
    const comparison = compareToBaseline(observed, options.baseline?.entries ?? []);
    tampered = comparison.tampered.length;
    await bundle.writeJson(
      'analysis/model-artifacts.json',
      { baseline: options.baseline?.file ?? null, ...comparison },
      { accountId: 'all', region: 'all', source: 'analysis', origin: { kind: 'derived', description: 'SHA-256 of every collected model artifact version, compared with the known-good baseline when given' } },
    );
    if (options.baseline) await bundle.note('baseline-compared', { file: options.baseline.file, tampered: comparison.tampered, missing: comparison.missing.map((m) => m.uri) });
  }

  progress.update({ phase: 'seal', message: 'writing manifest' });
  const header: ManifestHeader = {
    bundleId: bundle.id,
    incident: options.incident,
    window: { start: options.window.start.toISOString(), end: options.window.end.toISOString() },
    scope: { organization: scope.organization, accounts: [...statuses.values()].sort((a, b) => a.accountId.localeCompare(b.accountId)) },
    sources: [...sources],
    filters: { ...options.filter },
    collector: {
      tool: 'forensight',
      version: actor.toolVersion,
      callerArn: caller.arn,
      callerAccountId: caller.accountId,
      sessionNames: [options.sessionName],
      roleName,
      osUser: actor.osUser,
      host: actor.host,
    },
    startedAt: startedAt.toISOString(),
  };
  const { manifest, manifestSha256 } = await bundle.seal(header, { apiCalls: factory.recorder.calls.length, durationMs: Date.now() - startedAt.getTime() });
  progress.update({ phase: 'done', gaps: bundle.gaps.length, message: bundle.dir });
  return { bundleDir: bundle.dir, bundleId: bundle.id, manifest, manifestSha256, cloudtrail: ctStats, events: eventCounts, tampered };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

