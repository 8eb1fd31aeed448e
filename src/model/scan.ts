// The scan.json contract (schemaVersion 1). See src/model/schemas/scan.schema.json and DESIGN.md.

export const SCAN_SCHEMA_VERSION = 1 as const;

import type { Severity } from './severity.js';

export { SEVERITIES, SEVERITY_WEIGHT, type Severity } from './severity.js';

export const RESULT_STATUSES = ['PASS', 'FAIL', 'NOT_APPLICABLE', 'NOT_ASSESSED'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export const READINESS_LEVELS = ['READY', 'PARTIAL', 'BLIND', 'NOT_APPLICABLE', 'UNKNOWN'] as const;
export type Readiness = (typeof READINESS_LEVELS)[number];

/** One verdict of one check on one resource. `region` is "global" for account-wide results. */
export interface CheckResult {
  checkId: string;
  accountId: string;
  region: string;
  resourceArn: string;
  status: ResultStatus;
  severity: Severity;
  reason: string;
  /** Stable kebab-case cause (checks/types.ts); reports group by it, tests assert it. */
  reasonCode: string;
  /** Set on a FAIL that an unexpired entry of `scan --accept` covers; the status stays FAIL. */
  accepted?: AcceptedRiskRef;
  evidence: Record<string, unknown>;
}

/** Who accepted a gap, why and until when; `source` names the file and entry ("accepted.yaml#2"). */
export interface AcceptedRiskRef {
  reason: string;
  owner: string;
  /** YYYY-MM-DD; the acceptance holds through that day (UTC). */
  expires: string;
  source: string;
}

/** One entry of the accept file as the scan applied it. */
export interface AcceptedRiskEntry extends AcceptedRiskRef {
  checkId: string;
  accounts: string[];
  resources: string[];
  status: 'active' | 'expired';
  /** FAIL results the entry matched (expired entries match but no longer apply). */
  matched: number;
}

/** Why results of an account could not be assessed, and how many (scan.json `coverageLoss`). */
export interface CoverageLoss {
  accountId: string;
  name: string;
  coverage: number;
  notAssessed: number;
  /** Results of suspended or closed accounts, deliberately not scanned: they never fail the gate. */
  inactive: boolean;
  causes: { reasonCode: string; count: number; example: string }[];
}

export type GateFailure = 'findings' | 'not-assessed' | 'coverage';

/** The `--fail-on` / `--min-coverage` verdict, as scan.json records it. */
export interface GateOutcome {
  failOn: Severity;
  minCoverage: number | null;
  passed: boolean;
  failedBy: GateFailure[];
  /** FAIL results at or above failOn that no unexpired acceptance covers. */
  findings: number;
  /** NOT_ASSESSED results at or above failOn in active accounts. */
  notAssessed: number;
  /** Active accounts under minCoverage (empty without it). */
  accountsUnderCoverage: string[];
  /** Coverage of the active accounts together. */
  coverage: number;
}

export interface AccountSummary {
  accountId: string;
  name: string;
  status: 'ASSESSED' | 'NOT_ASSESSED';
  reason: string;
  regions: string[];
  score: number | null;
  coverage: number;
  investigability: Record<string, Readiness>;
}

export interface ScanDocument {
  schemaVersion: typeof SCAN_SCHEMA_VERSION;
  tool: { name: 'forensight'; version: string };
  scanId: string;
  startedAt: string;
  finishedAt: string;
  organization: { id: string; managementAccountId: string } | null;
  parameters: Record<string, unknown>;
  accounts: AccountSummary[];
  results: CheckResult[];
  score: {
    organization: number | null;
    coverage: number;
    /** The score with accepted FAILs left out (present when --accept was given). */
    organizationExcludingAccepted?: number | null;
  };
  acceptedRisks?: { file: string; entries: AcceptedRiskEntry[] };
  coverageLoss?: CoverageLoss[];
  gate?: GateOutcome;
  /** What the scan could not establish that changes how it read (e.g. which Regions offer a service), once each. */
  notes?: string[];
  stats: { apiCalls: number; durationMs: number; errors: number };
}
