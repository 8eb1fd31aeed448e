// The report view model: a pure function of one scan.json (plus optional earlier scans) and the check catalogue.
// No I/O, no AWS: HTML and PDF renderers only read this model. Each part is built in its own module under model/.
import type { ScanDocument } from '../src/model/scan.js';
import { buildDecisionsView } from './decisions.js';
import { topGaps } from './gaps.js';
import { accountsConsidered, aggregateResults, buildAccountViews, buildCheckViews } from './model/aggregate.js';
import { buildCompliance } from './model/compliance.js';
import { gradeFor } from './model/grade.js';
import { buildInvestigability } from './model/investigability.js';
import { leadershipSentences } from './model/sentences.js';
import { buildTrend, earlierScans, historyPoint } from './model/trend.js';
import type { NotAssessedAccount, ReportModel, ReportModelOptions } from './model/types.js';

export * from './model/types.js';
export { GRADE_THRESHOLDS, gradeFor } from './model/grade.js';
export { columnLabel } from './model/investigability.js';

export function buildReportModel(scan: ScanDocument, opts: ReportModelOptions): ReportModel {
  const maxFailures = Math.max(0, Math.floor(opts.maxFailuresPerCheckInPdf ?? 25));
  const maxTopGaps = Math.max(1, Math.floor(opts.maxTopGaps ?? 10));
  const agg = aggregateResults(scan, opts.catalogue);
  const checks = buildCheckViews(agg, opts.catalogue, maxFailures);
  const accountsAssessed = scan.accounts.filter((a) => a.status === 'ASSESSED').length;
  const gaps = topGaps(scan.results, checks, agg.checkIndex, accountsConsidered(agg, scan.accounts), maxTopGaps);
  const investigability = buildInvestigability(scan.accounts);
  const notAssessed: NotAssessedAccount[] = scan.accounts
    .filter((a) => a.status === 'NOT_ASSESSED')
    .map((a) => ({ accountId: a.accountId, name: a.name, reason: a.reason || 'no reason recorded' }));
  const { previous, baseline } = earlierScans(scan, opts.previous);
  const trend = baseline ? buildTrend(scan, baseline) : null;

  return {
    scanId: scan.scanId,
    startedAt: scan.startedAt,
    finishedAt: scan.finishedAt,
    toolVersion: scan.tool.version,
    organization: scan.organization,
    parameters: scan.parameters,
    score: scan.score.organization,
    coverage: scan.score.coverage,
    grade: gradeFor(scan.score.organization),
    accountsTotal: scan.accounts.length,
    accountsAssessed,
    counts: agg.counts,
    bySeverity: agg.bySeverity,
    investigability,
    topGaps: gaps,
    sentences: leadershipSentences({ scan, accountsAssessed, gaps, checks, checkIndex: agg.checkIndex, investigability, notAssessed, trend }),
    notAssessed,
    accounts: buildAccountViews(scan.accounts, agg, baseline),
    checks,
    compliance: buildCompliance(opts.frameworks, checks),
    trend,
    history: [...previous, scan].map(historyPoint),
    results: scan.results,
    maxFailuresPerCheckInPdf: maxFailures,
    decisions: buildDecisionsView(scan),
  };
}
