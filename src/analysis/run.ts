// Analysis of a verified evidence bundle: timeline.jsonl, findings.json and optionally incident-report.html/.pdf,
// written to a new directory outside the sealed bundle. Nothing here prints.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MANIFEST_FILE, type Gap, type Manifest } from '../collect/manifest.js';
import { TOOL_VERSION } from '../version.js';
import { compareEvents, type EventSource, type TimelineEvent } from './event.js';
import { RuleEngine, wantedByAnyRule, type RuleParamOverrides, type RuleSummary } from './engine.js';
import { renderIncidentReport } from './html.js';
import { renderIncidentPdf } from './pdf.js';
import { aiBucketsOf, classifyItem, loadModelArtifacts, readItem } from './read-bundle.js';
import type { AnalysisContext, Finding } from './rules/index.js';
import { TimelineSorter } from './sorter.js';
import type { ReadLimits } from './lines.js';

export const ANALYSIS_SCHEMA_VERSION = 1;
export const TIMELINE_FILE = 'timeline.jsonl';
export const FINDINGS_FILE = 'findings.json';
export const REPORT_FILE = 'incident-report.html';
export const PDF_REPORT_FILE = 'incident-report.pdf';
export const OUTPUTS_FILE = 'analysis-manifest.json';

export type AnalysisFormat = 'json' | 'html' | 'pdf';

export class AnalysisOutputExistsError extends Error {}

export interface AnalysisProblem {
  path: string;
  line?: number;
  record?: number;
  message: string;
}

export interface BundleRef {
  path: string;
  bundleId: string;
  incident: string;
  window: { start: string; end: string };
  manifestSha256: string;
}

export interface Analysis {
  schemaVersion: typeof ANALYSIS_SCHEMA_VERSION;
  kind: 'forensight-analysis';
  tool: { name: 'forensight'; version: string };
  generatedAt: string;
  derivedFrom: BundleRef;
  stats: { events: number; bySource: Partial<Record<EventSource, number>>; filesRead: number; problems: number; eventsInWindow: number };
  rules: RuleSummary[];
  findings: (Finding & { id: string })[];
  /** What the collection could not read (from the manifest): the analysis is blind there. */
  collectionGaps: Gap[];
  /** Records that could not be read (first 500; stats.problems has the count). */
  problems: AnalysisProblem[];
}

export interface AnalyzeOptions {
  bundleDir: string;
  outDir: string;
  formats: AnalysisFormat[];
  /** Rule parameters from `analyze --config` (validated). */
  ruleParams?: RuleParamOverrides;
  /** Expected IPs and principals from `analyze --config`. */
  expected?: { ips: string[]; principals: string[] };
  /** Events per sorted run before spilling to disk. */
  runSize?: number;
  /** Record and document size limits of the readers. */
  limits?: ReadLimits;
  now?: Date;
}

export interface AnalyzeResult {
  outDir: string;
  analysis: Analysis;
  files: string[];
  /** Retained events (those rules looked at) in timeline order, for the report. */
  keyEvents: TimelineEvent[];
}

const MAX_PROBLEMS = 500;
const MAX_REPORT_EVENTS = 2000;

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
  if (await exists(finalDir)) throw new AnalysisOutputExistsError(`${finalDir} already exists; analysis output is never overwritten. Remove it or give another --out.`);
  await mkdir(dirname(finalDir), { recursive: true });
  // Written into a fresh sibling directory renamed into place at the end: a failed run leaves nothing at --out.
  const outDir = await mkdtemp(join(dirname(finalDir), `.${basename(finalDir)}.partial-`));
  try {
    const result = await analyzeInto(bundleDir, outDir, manifest, derivedFrom, options);
    if (await exists(finalDir)) throw new AnalysisOutputExistsError(`${finalDir} appeared while the analysis ran; analysis output is never overwritten.`);
    await rename(outDir, finalDir);
    return { ...result, outDir: finalDir };
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
}

const exists = async (p: string): Promise<boolean> => lstat(p).then(() => true, () => false);

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
  for (const [b, o] of [[bundleDir, outDir], [bundleReal, outReal]] as const) {
    if (o === b || o.startsWith(`${b}/`)) throw new AnalysisOutputExistsError(`${outDir} is inside the sealed bundle${o !== outDir ? ` (it resolves to ${o})` : ''}; nothing may be added to a bundle. Choose another --out.`);
  }
}

async function analyzeInto(bundleDir: string, outDir: string, manifest: Manifest, derivedFrom: BundleRef, options: AnalyzeOptions): Promise<AnalyzeResult> {
  const sorter = new TimelineSorter(join(outDir, '.sort-runs'), options.runSize);
  const retained: TimelineEvent[] = [];
  const problems: AnalysisProblem[] = [];
  let problemCount = 0;
  const bySource: Partial<Record<EventSource, number>> = {};
  let filesRead = 0;
  let inWindow = 0;
  const windowStart = new Date(manifest.window.start).toISOString();
  // Access-log records name the bucket they are about: those buckets were collected because they are AI buckets.
  const aiBuckets = aiBucketsOf(manifest);
  const items = [...manifest.items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const item of items) {
    const kind = classifyItem(item);
    if (!kind) continue;
    filesRead++;
    try {
      for await (const r of readItem(bundleDir, item, kind, { windowStart, ...(options.limits ? { limits: options.limits } : {}) })) {
        if (r.kind === 'problem') {
          problemCount++;
          if (problems.length < MAX_PROBLEMS) problems.push({ path: r.path, ...(r.line !== undefined ? { line: r.line } : {}), ...(r.record !== undefined ? { record: r.record } : {}), message: r.message });
          continue;
        }
        const e = r.event;
        bySource[e.source] = (bySource[e.source] ?? 0) + 1;
        if (e.time >= manifest.window.start && e.time <= manifest.window.end) inWindow++;
        await sorter.add(e);
        if (e.source === 's3-access-log' && e.target) aiBuckets.add(e.target.replace(/^s3:\/\//, '').split('/')[0]!);
        if (wantedByAnyRule(e)) retained.push(e);
      }
    } catch (error) {
      problemCount++;
      if (problems.length < MAX_PROBLEMS) problems.push({ path: item.path, message: `could not be read: ${(error as Error).message}` });
    }
  }
  retained.sort(compareEvents);

  const ctx: AnalysisContext = {
    window: { start: new Date(manifest.window.start).toISOString(), end: new Date(manifest.window.end).toISOString() },
    baseline: null,
    knownAccounts: new Set([...manifest.scope.accounts.map((a) => a.accountId), ...(manifest.scope.organization ? [manifest.scope.organization.managementAccountId] : [])]),
    aiBuckets,
    modelArtifacts: await loadModelArtifacts(bundleDir, manifest),
    artifactVersions: [],
    aiNetwork: new Map(),
    expected: { ips: new Set(options.expected?.ips ?? []), principals: new Set(options.expected?.principals ?? []) },
  };
  // Rules see every event in timeline order, as the timeline is written.
  const engine = new RuleEngine(ctx, options.ruleParams);
  const files: string[] = [];
  const timelinePath = join(outDir, TIMELINE_FILE);
  const stream = createWriteStream(timelinePath, { flags: 'wx' });
  for await (const e of sorter.sorted()) {
    engine.event(e);
    if (!stream.write(`${JSON.stringify(e)}\n`)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
  files.push(TIMELINE_FILE);
  const { findings, rules } = engine.finish();

  const analysis: Analysis = {
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    kind: 'forensight-analysis',
    tool: { name: 'forensight', version: TOOL_VERSION },
    generatedAt: (options.now ?? new Date()).toISOString(),
    derivedFrom,
    stats: { events: sorter.count, bySource, filesRead, problems: problemCount, eventsInWindow: inWindow },
    rules,
    findings,
    collectionGaps: manifest.gaps ?? [],
    problems,
  };

  // Outputs: each created exclusively inside the new directory.
  await writeFile(join(outDir, FINDINGS_FILE), `${JSON.stringify(analysis, null, 2)}\n`, { flag: 'wx' });
  files.push(FINDINGS_FILE);
  const keyEvents = retained.slice(0, MAX_REPORT_EVENTS);
  if (options.formats.includes('html')) {
    await writeFile(join(outDir, REPORT_FILE), renderIncidentReport(analysis, keyEvents, retained.length), { flag: 'wx' });
    files.push(REPORT_FILE);
  }
  if (options.formats.includes('pdf')) {
    await writeFile(join(outDir, PDF_REPORT_FILE), await renderIncidentPdf(analysis, keyEvents, retained.length), { flag: 'wx' });
    files.push(PDF_REPORT_FILE);
  }
  const hashes = [];
  for (const f of files) hashes.push({ path: f, sha256: await sha256File(join(outDir, f)) });
  await writeFile(join(outDir, OUTPUTS_FILE), `${JSON.stringify({ kind: 'forensight-analysis-outputs', derivedFrom, generatedAt: analysis.generatedAt, files: hashes }, null, 2)}\n`, { flag: 'wx' });
  files.push(OUTPUTS_FILE);
  return { outDir, analysis, files, keyEvents };
}

/** SHA-256 of a file, streamed (outputs may exceed what one Buffer can hold). */
export async function sha256File(abs: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(abs), hash);
  return hash.digest('hex');
}
