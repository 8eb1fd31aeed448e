// Severity-weighted readiness score over assessed results only, with coverage reported beside it.
import { SEVERITY_WEIGHT, type CheckResult } from '../model/scan.js';

/**
 * PASS results left out of the score and coverage like NOT_APPLICABLE: cloudtrail-ai-data-events'
 * data-events-recorded-type-wide says every resource of a type would be recorded, but whether the type is in use
 * was not listed (the scan skips a listing that cannot change the answer). Scored, each such row would add a
 * high-severity PASS per type and account to a prepared Organization's score that the same scan without the skip
 * reports as NOT_APPLICABLE.
 */
const UNSCORED = new Set(['cloudtrail-ai-data-events/data-events-recorded-type-wide']);
const unscored = (r: CheckResult): boolean => r.status === 'NOT_APPLICABLE' || UNSCORED.has(`${r.checkId}/${r.reasonCode}`);

export { SEVERITY_WEIGHT };

export interface Score {
  /** 0-100, or null when nothing could be assessed. */
  score: number | null;
  /** Share of applicable results that could be assessed (PASS or FAIL), 0-1. */
  coverage: number;
}

export interface ScoreOptions {
  /** Leave accepted FAILs out of the score (and of coverage's denominator), as if not applicable. */
  excludeAccepted?: boolean;
}

export function scoreResults(results: readonly CheckResult[], options: ScoreOptions = {}): Score {
  let passed = 0;
  let assessed = 0;
  let assessedCount = 0;
  let applicableCount = 0;
  for (const r of results) {
    if (unscored(r) || (options.excludeAccepted && r.accepted)) continue;
    applicableCount++;
    if (r.status === 'NOT_ASSESSED') continue;
    assessedCount++;
    const weight = SEVERITY_WEIGHT[r.severity];
    assessed += weight;
    if (r.status === 'PASS') passed += weight;
  }
  return {
    score: assessed === 0 ? null : Math.round((1000 * passed) / assessed) / 10,
    coverage: applicableCount === 0 ? 1 : Math.round((10_000 * assessedCount) / applicableCount) / 10_000,
  };
}
