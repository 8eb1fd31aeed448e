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
  reasonCode?: string;
  evidence: Record<string, unknown>;
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
  score: { organization: number | null; coverage: number };
  stats: { apiCalls: number; durationMs: number; errors: number };
}
