// The analysis output model (findings.json, schemaVersion 2): what the renderers read. Types only, so the
// renderers and the pipeline (run.ts) do not import each other.
import type { Gap } from '../collect/manifest.js';
import type { ActorSummary } from './actors.js';
import type { RuleSummary } from './engine.js';
import type { EventSource, TimelineEvent } from './event.js';
import type { Finding } from './rules/index.js';

/** 2: actors, correlated events, correlation and baseline stats. */
export const ANALYSIS_SCHEMA_VERSION = 2;

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

export interface AnalysisStats {
  /** Timeline events: one per real request, after correlation. */
  events: number;
  /** Records read from the sources (a request seen by two sources is two records, one event). */
  records: number;
  /** Records folded into an event another source already had. */
  merged: number;
  /** Records by source. */
  bySource: Partial<Record<EventSource, number>>;
  filesRead: number;
  problems: number;
  eventsInWindow: number;
  baselineEvents: number;
  actors: number;
}

export interface Analysis {
  schemaVersion: typeof ANALYSIS_SCHEMA_VERSION;
  kind: 'forensight-analysis';
  tool: { name: 'forensight'; version: string };
  generatedAt: string;
  derivedFrom: BundleRef;
  /** The lookback collected before the window, if any: rules comparing with normal need it. */
  baselineWindow: { start: string; end: string } | null;
  stats: AnalysisStats;
  rules: RuleSummary[];
  findings: (Finding & { id: string })[];
  /** Actors, most suspicious first (first MAX_ACTORS_OUT; stats.actors has the count). */
  actors: ActorSummary[];
  /** Actors left out of `actors` (stats.actors - actors.length). */
  actorsOmitted?: number;
  /** The correlated events the findings rest on, with every evidence reference (bounded). */
  events: TimelineEvent[];
  /** Events the findings rest on that `events` leaves out. */
  eventsOmitted?: number;
  /** What the collection could not read (from the manifest): the analysis is blind there. */
  collectionGaps: Gap[];
  /** Records that could not be read (first 500; stats.problems has the count). */
  problems: AnalysisProblem[];
  /** Unreadable records left out of `problems` (stats.problems - problems.length). */
  problemsOmitted?: number;
}
