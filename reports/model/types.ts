// The report view model's types: inputs, per-section views and the model itself.
import type { CheckMetadata } from '../../checks/types.js';
import type { AccountSummary, CheckResult, Readiness, ResultStatus, ScanDocument, Severity } from '../../src/model/scan.js';
import type { DecisionsView } from '../decisions.js';

// ---------------------------------------------------------------------------------------------------------------
// Inputs

export type { FrameworkControlInfo, FrameworkInfo } from '../../src/model/frameworks.js';
import type { FrameworkInfo } from '../../src/model/frameworks.js';
export type FrameworkCatalogue = FrameworkInfo[];

export interface ReportModelOptions {
  catalogue: CheckMetadata[];
  frameworks: FrameworkCatalogue;
  /** Earlier scans, oldest to newest. The newest one is the comparison baseline. */
  previous?: ScanDocument[];
  /** Failing results shown in full per check in the PDF (default 25). HTML and JSON always carry everything. */
  maxFailuresPerCheckInPdf?: number;
  /** Top gaps kept (default 10). */
  maxTopGaps?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Output

export type { Grade } from './grade.js';
import type { Grade } from './grade.js';

/** Weight per severity used to rank gaps: weight × accounts affected. */
export { SEVERITY_WEIGHT } from '../../src/model/scan.js';

export const SCENARIOS = ['unauthorized-model-access', 'training-data-exfiltration', 'model-tampering', 'logging-tampering'] as const;

export { CIRT_ELEMENTS } from '../../src/model/cirt.js';

export interface StatusCounts {
  PASS: number;
  FAIL: number;
  NOT_APPLICABLE: number;
  NOT_ASSESSED: number;
}

export interface InvestigabilityColumn {
  key: string;
  label: string;
  kind: 'scenario' | 'cirt' | 'other';
}

export interface InvestigabilityRow {
  accountId: string;
  name: string;
  status: AccountSummary['status'];
  cells: Readiness[]; // aligned with columns; UNKNOWN when the account has no value for a key
}

export interface InvestigabilityMatrix {
  columns: InvestigabilityColumn[];
  rows: InvestigabilityRow[];
  /** Per column, how many accounts are at each level. */
  totals: Array<Record<Readiness, number>>;
}

export interface TopGap {
  checkId: string;
  title: string;
  plain: string;
  severity: Severity;
  weight: number;
  accountsAffected: number;
  /** Denominator for "N of M accounts": assessed accounts plus any non-assessed account this check failed in. */
  accountsConsidered: number;
  failingResources: number;
  rank: number;
}

export interface NotAssessedAccount {
  accountId: string;
  name: string;
  reason: string;
}

export interface CheckView {
  checkId: string;
  title: string;
  severity: Severity;
  service: string;
  rationale: string;
  risk: string;
  remediation: CheckMetadata['remediation'] | null;
  frameworks: CheckMetadata['frameworks'];
  counts: StatusCounts;
  accountsFailing: number;
  /** All failing results, sorted by account then resource. */
  failureCount: number;
  /** The first maxFailuresPerCheckInPdf failing results (sorted). */
  pdfFailures: CheckResult[];
  /** failureCount - pdfFailures.length */
  omittedInPdf: number;
  known: boolean;
}

export type CellStatus = ResultStatus | 'NONE';

export interface AccountView {
  accountId: string;
  name: string;
  status: AccountSummary['status'];
  reason: string;
  regions: string[];
  score: number | null;
  grade: Grade;
  coverage: number;
  counts: StatusCounts;
  /** Aggregated status per check, aligned with model.checks: FAIL > NOT_ASSESSED > PASS > NOT_APPLICABLE > NONE. */
  checkStatus: CellStatus[];
  previousName?: string;
  scoreDelta?: number | null;
}

export interface ComplianceControlView {
  id: string;
  title: string;
  checkIds: string[];
  pass: number;
  fail: number;
  /** PASS / (PASS + FAIL); null when nothing was evaluated. */
  passShare: number | null;
}
export interface ComplianceFrameworkView {
  id: string;
  name: string;
  controls: ComplianceControlView[];
  passShare: number | null;
}

export interface GapRef {
  checkId: string;
  accountId: string;
  accountName: string;
  resourceArn: string;
  region: string;
  severity: Severity;
}

export interface AccountDelta {
  accountId: string;
  name: string;
  previousName: string | null;
  renamed: boolean;
  score: number | null;
  previousScore: number | null;
  delta: number | null;
}

export interface TrendView {
  baselineScanId: string;
  baselineDate: string;
  orgScore: number | null;
  previousOrgScore: number | null;
  orgScoreDelta: number | null;
  coverageDelta: number;
  accounts: AccountDelta[];
  addedAccounts: Array<{ accountId: string; name: string }>;
  removedAccounts: Array<{ accountId: string; name: string }>;
  renamedAccounts: Array<{ accountId: string; name: string; previousName: string }>;
  newGaps: GapRef[];
  fixedGaps: GapRef[];
  /** Gaps of the baseline we cannot confirm as fixed: the resource is gone, the account was removed or not assessed. */
  unconfirmedGaps: Array<GapRef & { why: 'resource-gone' | 'account-removed' | 'not-assessed' }>;
}

export interface HistoryPoint {
  scanId: string;
  date: string;
  score: number | null;
  coverage: number;
  accountsAssessed: number;
  failing: number;
}

export interface ReportModel {
  scanId: string;
  startedAt: string;
  finishedAt: string;
  toolVersion: string;
  organization: ScanDocument['organization'];
  parameters: Record<string, unknown>;
  score: number | null;
  coverage: number;
  grade: Grade;
  accountsTotal: number;
  accountsAssessed: number;
  counts: StatusCounts;
  /** Results by severity and status. */
  bySeverity: Record<Severity, StatusCounts>;
  investigability: InvestigabilityMatrix;
  topGaps: TopGap[];
  sentences: string[];
  notAssessed: NotAssessedAccount[];
  accounts: AccountView[];
  checks: CheckView[];
  compliance: ComplianceFrameworkView[];
  trend: TrendView | null;
  history: HistoryPoint[];
  /** Every result, unchanged (HTML carries all of them). */
  results: CheckResult[];
  maxFailuresPerCheckInPdf: number;
  /** Accepted risks, coverage loss and the gate (reports/decisions.ts). */
  decisions: DecisionsView;
}
