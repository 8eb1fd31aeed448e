// Analysis of a verified evidence bundle: timeline.jsonl, findings.json and optionally incident-report.html/.pdf,
// written to a new directory outside the sealed bundle. Records stream from the bundle into an on-disk sort, then
// once through the correlator (one event per request) into the timeline, the actor index and the rules. Nothing
// here prints.
import { analysisToCsv } from '../../reports/machine/csv.js';
import { analysisToOcsf } from '../../reports/machine/ocsf.js';
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { MANIFEST_FILE, type Manifest } from '../collect/manifest.js';
import { TOOL_VERSION } from '../version.js';
import { bucketNameOf } from '../model/s3-location.js';
import { ActorIndex, type ActorSummary } from './actors.js';
import { loadBundleContext, type BundleContext } from './bundle-context.js';
import { Correlator, DEFAULT_CORRELATE, type Correlated } from './correlate.js';
import { RuleEngine, wantedByAnyRule, type RuleParamOverrides } from './engine.js';
import type { EventSource, TimelineEvent } from './event.js';
import { renderIncidentReport } from '../../reports/incident/html.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './lines.js';
import { ANALYSIS_SCHEMA_VERSION, type Analysis, type AnalysisProblem, type BundleRef } from './model.js';
import { renderIncidentPdf } from '../../reports/incident/pdf.js';
import { aiBucketsOf, classifyItem, loadModelArtifacts, problemOf, readAhead, readItem } from './read-bundle.js';
import { defaultReadWorkerUrl, ReadPool, type ReadJob } from './read-pool.js';
import type { AnalysisContext } from './rules/index.js';
import { IdentityResolver } from './identity.js';
import { publicEvent } from './public-event.js';
import { TimelineSorter, type SorterLimits } from './sorter.js';
import { ChunkedWriter, writePrettyJson } from './chunked-writer.js';

export { ANALYSIS_SCHEMA_VERSION, type Analysis, type AnalysisProblem, type BundleRef } from './model.js';

export const TIMELINE_FILE = 'timeline.jsonl';
export const FINDINGS_FILE = 'findings.json';
export const REPORT_FILE = 'incident-report.html';
export const PDF_REPORT_FILE = 'incident-report.pdf';
export const OUTPUTS_FILE = 'analysis-manifest.json';

/** Machine outputs of `analyze --format ocsf,csv` (OCSF Detection Findings; one CSV row per finding). */
export const OCSF_FINDINGS_FILE = 'findings.ocsf.json';
export const CSV_FINDINGS_FILE = 'findings.csv';
export type AnalysisFormat = 'json' | 'html' | 'pdf' | 'ocsf' | 'csv';

export class AnalysisOutputExistsError extends Error {}

export interface AnalyzeOptions {
  bundleDir: string;
  outDir: string;
  formats: AnalysisFormat[];
  /** Rule parameters from `analyze --config` (validated). */
  ruleParams?: RuleParamOverrides;
  /**
   * From `analyze --config`: addresses and principals the organisation expects (CI runners, partners) and its own
   * applications. Rules treat all of them as expected; the actors table labels them the organisation's own.
   */
  expected?: ExpectedConfig;
  /** KEY|ARN|IP: also return that actor's storyline (every event, in order). */
  actor?: string;
  /** Events per sorted run before spilling to disk. */
  runSize?: number;
  /** Memory budget of the sort (events and bytes per run); tests shrink it to force spills. */
  sortLimits?: SorterLimits;
  /** Record and document size limits of the readers. */
  limits?: ReadLimits;
  /** Reader threads of phase 1 (0: read in this thread). The outputs are the same whatever the number. */
  readWorkers?: number;
  /** How far apart two records of one request may be stamped (ms). */
  correlationWindowMs?: number;
  now?: Date;
}

export interface Storyline {
  query: string;
  actors: ActorSummary[];
  /** The actor's events in timeline order (first MAX_STORYLINE_EVENTS; total has the count). */
  events: TimelineEvent[];
  total: number;
}

export interface AnalyzeResult {
  outDir: string;
  analysis: Analysis;
  files: string[];
  /** Retained events (those rules looked at) in timeline order, for the report. */
  keyEvents: TimelineEvent[];
  storyline: Storyline | null;
  /** Wall milliseconds of phase 1 (read into the sort) and phase 2 (sorted stream, rules, outputs), for the benchmark. */
  timings: { readMs: number; streamMs: number };
}

export const MAX_PROBLEMS = 500;
const MAX_REPORT_EVENTS = 2000;
export const MAX_ACTORS_OUT = 500;
/** Correlated events findings.json lists beside the findings (`events`; `eventsOmitted` counts the rest). */
export const MAX_FINDING_EVENTS_OUT = 5000;
export const MAX_STORYLINE_EVENTS = 10_000;
const MAX_KEY_EVENTS = 50_000;

export function defaultOutDir(bundleDir: string): string {
  return `${resolve(bundleDir).replace(/\/+$/, '')}-analysis`;
}

export async function analyzeBundle(options: AnalyzeOptions): Promise<AnalyzeResult> {
  const bundleDir = resolve(options.bundleDir);
  const manifestBytes = await readFile(join(bundleDir, MANIFEST_FILE));
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
  const derivedFrom: BundleRef = {
    path: bundleDir,
    bundleId: manifest.bundleId,
    incident: manifest.incident,
    window: manifest.window,
    manifestSha256: createHash('sha256').update(manifestBytes).digest('hex'),
  };

  const finalDir = resolve(options.outDir);
  await refuseOutputInBundle(bundleDir, finalDir);
  if (await exists(finalDir))
    throw new AnalysisOutputExistsError(`${finalDir} already exists; analysis output is never overwritten. Remove it or give another --out.`);
  await mkdir(dirname(finalDir), { recursive: true });
  // Written into a fresh sibling directory renamed into place at the end: a failed run leaves nothing at --out.
  const outDir = await mkdtemp(join(dirname(finalDir), `.${basename(finalDir)}.partial-`));
  try {
    const result = await analyzeInto(bundleDir, outDir, manifest, derivedFrom, options);
    if (await exists(finalDir))
      throw new AnalysisOutputExistsError(`${finalDir} appeared while the analysis ran; analysis output is never overwritten.`);
    await rename(outDir, finalDir);
    return { ...result, outDir: finalDir };
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
}

const exists = async (p: string): Promise<boolean> =>
  lstat(p).then(
    () => true,
    () => false,
  );

/** The real path of `p`: its deepest existing ancestor resolved through symlinks, plus the segments that do not exist yet. */
async function realPathOf(p: string): Promise<string> {
  const rest: string[] = [];
  let cur = p;
  for (;;) {
    try {
      return join(await realpath(cur), ...rest.reverse());
    } catch {
      const parent = dirname(cur);
      if (parent === cur) return p;
      rest.push(basename(cur));
      cur = parent;
    }
  }
}

/** Nothing may be added to a sealed bundle, whether --out names it directly or reaches it through a symlink. */
async function refuseOutputInBundle(bundleDir: string, outDir: string): Promise<void> {
  const bundleReal = await realpath(bundleDir);
  const outReal = await realPathOf(outDir);
  for (const [b, o] of [
    [bundleDir, outDir],
    [bundleReal, outReal],
  ] as const) {
    if (o === b || o.startsWith(`${b}/`))
      throw new AnalysisOutputExistsError(
        `${outDir} is inside the sealed bundle${o !== outDir ? ` (it resolves to ${o})` : ''}; nothing may be added to a bundle. Choose another --out.`,
      );
  }
}

interface ReadStats {
  records: number;
  bySource: Partial<Record<EventSource, number>>;
  filesRead: number;
  problemCount: number;
  problems: AnalysisProblem[];
  aiBuckets: Set<string>;
}

/** Phase 1: every record of every evidence item into the on-disk sort, in manifest path order. */
async function readRecords(
  bundleDir: string,
  manifest: Manifest,
  sorter: TimelineSorter,
  identities: IdentityResolver,
  options: AnalyzeOptions,
  extraProblems: AnalysisProblem[],
): Promise<ReadStats> {
  const stats: ReadStats = { records: 0, bySource: {}, filesRead: 0, problemCount: 0, problems: [], aiBuckets: aiBucketsOf(manifest) };
  for (const p of extraProblems) addProblem(stats, p);
  const windowStart = new Date(manifest.window.start).toISOString();
  const limits = options.limits ?? DEFAULT_READ_LIMITS;
  const jobs: ReadJob[] = [];
  for (const item of [...manifest.items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const kind = classifyItem(item);
    if (kind) jobs.push({ bundleDir, item, kind, windowStart, limits });
  }
  stats.filesRead = jobs.length;
  const workers = options.readWorkers ?? 0;
  const url = workers > 0 ? defaultReadWorkerUrl() : null;
  if (url) await readPooled(new ReadPool(workers, url), jobs, sorter, identities, stats);
  else await readInThread(jobs, sorter, identities, stats);
  return stats;
}

function addProblem(stats: ReadStats, p: AnalysisProblem): void {
  stats.problemCount++;
  if (stats.problems.length < MAX_PROBLEMS) stats.problems.push(p);
}

const couldNotRead = (path: string, why: string): AnalysisProblem => ({ path, message: `could not be read: ${why}` });

async function readInThread(jobs: readonly ReadJob[], sorter: TimelineSorter, identities: IdentityResolver, stats: ReadStats): Promise<void> {
  // The next trail file is read (disk, gunzip) while this item is parsed: one document ahead, bounded by readAhead.
  let next = jobs[0] ? readAhead(jobs[0].bundleDir, jobs[0].item, jobs[0].kind, jobs[0].limits) : undefined;
  for (let j = 0; j < jobs.length; j++) {
    const job = jobs[j]!;
    const document = next;
    const after = jobs[j + 1];
    next = after ? readAhead(after.bundleDir, after.item, after.kind, after.limits) : undefined;
    try {
      for await (const r of readItem(job.bundleDir, job.item, job.kind, { windowStart: job.windowStart, limits: job.limits, document })) {
        if (r.kind === 'problem') {
          addProblem(stats, problemOf(r));
          continue;
        }
        stats.records++;
        stats.bySource[r.event.source] = (stats.bySource[r.event.source] ?? 0) + 1;
        identities.learn(r.event);
        // Access-log records name the bucket they are about: those buckets were collected because they are AI buckets.
        if (r.event.source === 's3-access-log' && r.event.target) stats.aiBuckets.add(bucketNameOf(r.event.target));
        if (sorter.push(r.event)) await sorter.spill();
      }
    } catch (error) {
      addProblem(stats, couldNotRead(job.item.path, (error as Error).message));
    }
  }
}

/** readInThread on reader threads: the same events, problems, counts and identities in the same order. */
async function readPooled(
  pool: ReadPool,
  jobs: readonly ReadJob[],
  sorter: TimelineSorter,
  identities: IdentityResolver,
  stats: ReadStats,
): Promise<void> {
  try {
    for await (const item of pool.read(jobs)) {
      const path = item.job.item.path;
      for await (const b of item.batches()) {
        let other = 0;
        let start = 0;
        for (let i = 0; i < b.ends.length; i++) {
          const at = other < b.otherPaths.length && b.otherPaths[other]![0] === i ? b.otherPaths[other++]![1] : path;
          const end = b.ends[i]!;
          if (sorter.pushEncoded([b.times[i]!, at, b.refs[2 * i]!, b.refs[2 * i + 1]!], b.bytes.subarray(start, end))) await sorter.spill();
          start = end;
        }
        stats.records += b.ends.length;
        for (const [source, n] of b.bySource) stats.bySource[source] = (stats.bySource[source] ?? 0) + n;
        for (const bucket of b.buckets) stats.aiBuckets.add(bucket);
        for (const p of b.problems) addProblem(stats, p);
      }
      identities.absorb(item.summary!.learned);
      if (item.summary!.failure !== null) addProblem(stats, couldNotRead(path, item.summary!.failure));
    }
  } finally {
    await pool.close();
  }
}

const matchesActor = (e: TimelineEvent, q: string): boolean => e.actorKey === q || e.principal === q || e.accessKeyId === q || e.sourceIp === q;

interface StreamResult {
  events: number;
  inWindow: number;
  baselineEvents: number;
  merged: number;
  /** Key events (changes, failures) for the report and findings.json, the first MAX_KEY_EVENTS of keyEvents. */
  retained: TimelineEvent[];
  keyEvents: number;
  story: TimelineEvent[];
  storyTotal: number;
  /** SHA-256 of timeline.jsonl, computed as it was written. */
  sha256: string;
}

/** Phase 2: the sorted records once through the correlator into timeline.jsonl, the actor index and the rules' input. */
async function streamTimeline(
  sorter: TimelineSorter,
  outDir: string,
  manifest: Manifest,
  sinks: { actors: ActorIndex; engine: RuleEngine; identities: IdentityResolver },
  options: AnalyzeOptions,
): Promise<StreamResult> {
  const r: StreamResult = { events: 0, inWindow: 0, baselineEvents: 0, merged: 0, retained: [], keyEvents: 0, story: [], storyTotal: 0, sha256: '' };
  const start = new Date(manifest.window.start).toISOString();
  const end = new Date(manifest.window.end).toISOString();
  const timeline = new ChunkedWriter(join(outDir, TIMELINE_FILE));
  const correlator = new Correlator({ windowMs: options.correlationWindowMs ?? DEFAULT_CORRELATE.windowMs });
  const take = async (done: Correlated[]): Promise<void> => {
    for (const { event: e, line } of done) {
      r.events++;
      if (e.phase === 'baseline') r.baselineEvents++;
      else if (e.time >= start && e.time <= end) r.inWindow++;
      // Rules read the raw event; every output gets invocation content only redacted and bounded.
      const shown = publicEvent(e);
      // Two writes, not one `${line}\n`: the joined string would be copied once more before it is encoded.
      let wrote = timeline.write(shown === e && line !== null ? line : JSON.stringify(shown));
      if (wrote) await wrote;
      wrote = timeline.write('\n');
      if (wrote) await wrote;
      sinks.actors.add(e);
      sinks.engine.event(e);
      if (wantedByAnyRule(e)) {
        r.keyEvents++;
        if (r.retained.length < MAX_KEY_EVENTS) r.retained.push(shown);
      }
      if (options.actor && matchesActor(e, options.actor)) {
        r.storyTotal++;
        if (r.story.length < MAX_STORYLINE_EVENTS) r.story.push(shown);
      }
    }
  };
  for await (const { events, lines } of sorter.batches()) {
    for (let i = 0; i < events.length; i++) {
      // An event that names only a principal belongs to the actor CloudTrail shows that principal acting as.
      const read = events[i]!;
      const e = sinks.identities.resolve(read);
      const done = correlator.pushLine(e, e === read ? lines[i]! : null);
      if (done.length) await take(done);
    }
  }
  await take(correlator.flushLines());
  r.merged = correlator.merged;
  r.sha256 = await timeline.close();
  return r;
}

export interface ExpectedConfig {
  ips: string[];
  principals: string[];
  ownApplications?: string[];
}

const expectedPrincipals = (options: AnalyzeOptions): string[] => [
  ...(options.expected?.principals ?? []),
  ...(options.expected?.ownApplications ?? []),
];

function analysisContext(
  manifest: Manifest,
  aiBuckets: ReadonlySet<string>,
  bundle: BundleContext,
  modelArtifacts: AnalysisContext['modelArtifacts'],
  options: AnalyzeOptions,
): AnalysisContext {
  return {
    window: { start: new Date(manifest.window.start).toISOString(), end: new Date(manifest.window.end).toISOString() },
    baseline: bundle.baseline,
    knownAccounts: new Set([
      ...manifest.scope.accounts.map((a) => a.accountId),
      ...(manifest.scope.organization ? [manifest.scope.organization.managementAccountId] : []),
    ]),
    aiBuckets,
    modelArtifacts,
    artifactVersions: bundle.artifactVersions,
    aiNetwork: bundle.aiNetwork,
    expected: { ips: new Set(options.expected?.ips ?? []), principals: new Set(expectedPrincipals(options)) },
  };
}

/** The correlated events the findings point at (by their first evidence ref): the first `cap`, and how many more. */
export function findingEvents(
  analysisFindings: Pick<Analysis['findings'][number], 'events'>[],
  retained: readonly TimelineEvent[],
  cap = MAX_FINDING_EVENTS_OUT,
): { events: TimelineEvent[]; omitted: number } {
  const wanted = new Set<string>();
  for (const f of analysisFindings) for (const e of f.events) wanted.add(`${e.ref.path}|${e.ref.line ?? ''}|${e.ref.record ?? ''}`);
  const events: TimelineEvent[] = [];
  let omitted = 0;
  for (const e of retained) {
    if (!e.evidence.some((r) => wanted.has(`${r.path}|${r.line ?? ''}|${r.record ?? ''}`))) continue;
    if (events.length < cap) events.push(e);
    else omitted++;
  }
  return { events, omitted };
}

async function analyzeInto(
  bundleDir: string,
  outDir: string,
  manifest: Manifest,
  derivedFrom: BundleRef,
  options: AnalyzeOptions,
): Promise<AnalyzeResult> {
  const limits = options.limits ?? DEFAULT_READ_LIMITS;
  const bundle = await loadBundleContext(bundleDir, manifest, limits.maxDocumentBytes);
  const sorter = new TimelineSorter(join(outDir, '.sort-runs'), {
    ...options.sortLimits,
    ...(options.runSize !== undefined ? { runSize: options.runSize } : {}),
  });
  const identities = new IdentityResolver();
  const t0 = performance.now();
  const read = await readRecords(bundleDir, manifest, sorter, identities, options, bundle.problems);
  const t1 = performance.now();
  const actors = new ActorIndex({
    hasBaseline: bundle.baseline !== null,
    aiNetwork: bundle.aiNetwork,
    expectedPrincipals: expectedPrincipals(options),
    expectedIps: options.expected?.ips ?? [],
    window: manifest.window,
  });
  const engine = new RuleEngine(
    analysisContext(manifest, read.aiBuckets, bundle, await loadModelArtifacts(bundleDir, manifest), options),
    options.ruleParams,
  );
  const streamed = await streamTimeline(sorter, outDir, manifest, { actors, engine, identities }, options);
  const { findings, rules } = engine.finish();
  const allActors = actors.summaries(findings);
  const cited = findingEvents(findings, streamed.retained);

  const analysis: Analysis = {
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    kind: 'forensight-analysis',
    tool: { name: 'forensight', version: TOOL_VERSION },
    generatedAt: (options.now ?? new Date()).toISOString(),
    derivedFrom,
    baselineWindow: bundle.baseline,
    stats: {
      events: streamed.events,
      records: read.records,
      merged: streamed.merged,
      bySource: read.bySource,
      filesRead: read.filesRead,
      problems: read.problemCount,
      eventsInWindow: streamed.inWindow,
      baselineEvents: streamed.baselineEvents,
      actors: allActors.length,
    },
    rules,
    findings,
    actors: allActors.slice(0, MAX_ACTORS_OUT),
    actorsOmitted: Math.max(0, allActors.length - MAX_ACTORS_OUT),
    events: cited.events,
    eventsOmitted: cited.omitted,
    collectionGaps: manifest.gaps ?? [],
    problems: read.problems,
    problemsOmitted: Math.max(0, read.problemCount - read.problems.length),
  };

  const outputs = await writeOutputs(outDir, analysis, streamed, options.formats);
  await writeFile(
    join(outDir, OUTPUTS_FILE),
    `${JSON.stringify({ kind: 'forensight-analysis-outputs', derivedFrom, generatedAt: analysis.generatedAt, files: outputs }, null, 2)}\n`,
    { flag: 'wx' },
  );
  const files = [...outputs.map((o) => o.path), OUTPUTS_FILE];
  const keyEvents = streamed.retained.slice(0, MAX_REPORT_EVENTS);
  const storyline = options.actor
    ? {
        query: options.actor,
        actors: allActors.filter(
          (a) =>
            a.key === options.actor ||
            a.principal === options.actor ||
            a.accessKeyIds.includes(options.actor!) ||
            a.sourceIps.some((s) => s.ip === options.actor),
        ),
        events: streamed.story,
        total: streamed.storyTotal,
      }
    : null;
  return { outDir, analysis, files, keyEvents, storyline, timings: { readMs: t1 - t0, streamMs: performance.now() - t1 } };
}

/** findings.json and the asked-for formats beside the timeline, each hashed as it is written (never re-read). */
async function writeOutputs(
  outDir: string,
  analysis: Analysis,
  streamed: StreamResult,
  formats: readonly AnalysisFormat[],
): Promise<{ path: string; sha256: string }[]> {
  const hashes = [{ path: TIMELINE_FILE, sha256: streamed.sha256 }];
  const streamJson = async (file: string, value: object): Promise<void> => {
    const out = new ChunkedWriter(join(outDir, file));
    await writePrettyJson(out, value);
    hashes.push({ path: file, sha256: await out.close() });
  };
  const whole = async (file: string, body: string | Uint8Array): Promise<void> => {
    await writeFile(join(outDir, file), body, { flag: 'wx' });
    hashes.push({ path: file, sha256: createHash('sha256').update(body).digest('hex') });
  };
  await streamJson(FINDINGS_FILE, analysis);
  const keyEvents = streamed.retained.slice(0, MAX_REPORT_EVENTS);
  if (formats.includes('html')) await whole(REPORT_FILE, renderIncidentReport(analysis, keyEvents, streamed.keyEvents));
  if (formats.includes('pdf')) await whole(PDF_REPORT_FILE, await renderIncidentPdf(analysis, keyEvents, streamed.keyEvents));
  if (formats.includes('ocsf')) await streamJson(OCSF_FINDINGS_FILE, analysisToOcsf(analysis));
  if (formats.includes('csv')) await whole(CSV_FINDINGS_FILE, analysisToCsv(analysis));
  return hashes;
}
