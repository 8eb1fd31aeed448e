// The contract of a check module: typed metadata (data, like Prowler's metadata) plus a pure evaluate().
import type { AccountInventory, Inventory } from '../src/model/inventory.js';
import type { CheckResult, ResultStatus, Severity } from '../src/model/scan.js';

export type FrameworkId = 'nist-800-53-r5' | 'iso-27001-2022' | 'soc2' | 'eu-ai-act' | 'iso-42001' | 'cis-aws-foundations';

export interface FrameworkControl {
  framework: FrameworkId;
  /** Control id as published, e.g. "AU-9", "A.8.15", "CC7.2", "Art. 12", "3.2". */
  control: string;
}

export interface ParameterSpec<T = unknown> {
  /** JSON Schema fragment for the value (used to validate the config file). */
  schema: Record<string, unknown>;
  default: T;
  description: string;
}

export type CheckScope = 'account' | 'trail' | 'event-data-store' | 'account-type' | 'bucket' | 'region' | 'endpoint' | 'vpc' | 'log-group';

export interface CheckMetadata {
  id: string;
  /** States the good state, e.g. "A multi-region trail records all management events". */
  title: string;
  /** Default severity; a check may lower it per result (e.g. Bedrock logging without footprint). */
  severity: Severity;
  scope: CheckScope;
  service: string;
  /** Why an investigator needs this, in our own words. */
  rationale: string;
  /** What an investigation loses when this fails. */
  risk: string;
  remediation: {
    summary: string;
    cli: string;
    /** CloudFormation (YAML) or Terraform snippet. */
    iac: { kind: 'cloudformation' | 'terraform'; snippet: string };
    docs: string[];
  };
  /** Parameter names this check reads (declared in checks/parameters.ts). */
  parameters: (keyof CheckParameters)[];
  frameworks: FrameworkControl[];
  /**
   * Every reasonCode this check's results may carry (kebab-case, stable) -> what it means. Reports group results
   * by cause and tests assert codes, not prose.
   */
  reasonCodes: Record<string, string>;
}

/** A result before the engine stamps checkId; severity defaults to the metadata's. */
export interface Finding {
  accountId: string;
  region: string;
  resourceArn: string;
  status: ResultStatus;
  reason: string;
  /** Stable kebab-case cause of the status, one of the check's meta.reasonCodes (e.g. destination-missing). */
  reasonCode: string;
  evidence?: Record<string, unknown>;
  severity?: Severity;
}

export interface CheckParameters {
  minRetentionDays: number;
  minSamplingPercent: number;
  objectLockMode: 'COMPLIANCE' | 'GOVERNANCE';
  bucketRoleTagKey: string;
  requireCaptureModes: ('Input' | 'Output')[];
}

/** One spec per parameter, keyed like CheckParameters (checks/parameters.ts; the defaults are derived from it). */
export type ParameterSpecs = { [K in keyof CheckParameters]: ParameterSpec<CheckParameters[K]> };

/** Per-evaluation cache for Organization-wide facts (e.g. bucket classification) that every account reuses. */
export type Memo = <T>(key: string, compute: () => T) => T;

export interface CheckContext {
  inventory: Inventory;
  /** The account under evaluation. Its forensic role was assumed unless the check is forensic-role-access. */
  account: AccountInventory;
  params: CheckParameters;
  /** Set by the engine for one evaluation of a finished inventory; absent, facts are computed each time. */
  memo?: Memo;
}

export interface Check {
  meta: CheckMetadata;
  /** When false the engine evaluates the check even for accounts whose role could not be assumed. */
  requiresAccess?: boolean;
  evaluate(ctx: CheckContext): Finding[];
}

/** Codes the engine itself stamps (for every check), so no check lists them. */
export const ENGINE_REASON_CODES = {
  'account-not-assessed': 'The forensic role could not be assumed, so no data was read.',
  'account-inactive': 'The account is suspended or closed in the Organization and was deliberately not scanned; it never fails the CI gate.',
  'check-error': 'The check threw while evaluating; nothing was judged.',
  'no-region-scanned': 'No requested region is enabled in the account (every one was skipped by its DescribeRegions), so nothing was read.',
} as const;

export type { CheckResult };
