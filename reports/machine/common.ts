// What the machine outputs (OCSF, ASFF, CSV) share: one stable id per result and per finding, so a re-import
// updates the same finding instead of adding a copy, and one filter of what the outputs list.
import { createHash } from 'node:crypto';
import type { CheckMetadata } from '../../checks/types.js';
import type { FrameworkInfo } from '../../src/model/frameworks.js';
import type { CheckResult, ResultStatus, ScanDocument, Severity } from '../../src/model/scan.js';

export const PRODUCT_NAME = 'forensight';

/** Stable across scans: the same check on the same resource in the same account and region is the same finding. */
export function resultUid(r: Pick<CheckResult, 'checkId' | 'accountId' | 'region' | 'resourceArn'>): string {
  const resource = createHash('sha256').update(r.resourceArn).digest('hex').slice(0, 24);
  return `forensight/${r.checkId}/${r.accountId}/${r.region}/${resource}`;
}

/** Stable for one bundle: a finding id is unique within its analysis, the bundle id makes it unique across them. */
export function findingUid(bundleId: string, findingId: string): string {
  return `forensight/${bundleId}/${findingId}`;
}

export interface OutputFilter {
  statuses?: readonly ResultStatus[];
  severities?: readonly Severity[];
}

/** The results the reports and machine outputs list (scan.json itself always stays complete). */
export function filterResults(results: readonly CheckResult[], filter: OutputFilter): CheckResult[] {
  return results.filter(
    (r) => (!filter.statuses?.length || filter.statuses.includes(r.status)) && (!filter.severities?.length || filter.severities.includes(r.severity)),
  );
}

export function filteredScan(doc: ScanDocument, filter: OutputFilter): ScanDocument {
  return filter.statuses?.length || filter.severities?.length ? { ...doc, results: filterResults(doc.results, filter) } : doc;
}

export const epochMs = (iso: string): number => {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
};

/** An accepted risk on a result (set by `scan --accept`; absent before that lands or when none applies). */
export function acceptedOf(r: CheckResult): { reason: string; owner?: string; expires?: string } | undefined {
  return (r as CheckResult & { accepted?: { reason: string; owner?: string; expires?: string } }).accepted;
}

/** What the writers look results up in: the check metadata and the framework catalogue. */
export interface MachineCatalogue {
  checks: readonly CheckMetadata[];
  frameworks: readonly FrameworkInfo[];
}

/** "NIST SP 800-53 Rev. 5 AU-2": a check's controls as a reader of another tool names them. */
export function controlLabels(meta: CheckMetadata | undefined, catalogue: MachineCatalogue): string[] {
  return (meta?.frameworks ?? []).map((f) => `${catalogue.frameworks.find((x) => x.id === f.framework)?.name ?? f.framework} ${f.control}`);
}

export function frameworkNames(meta: CheckMetadata | undefined, catalogue: MachineCatalogue): string[] {
  return [...new Set((meta?.frameworks ?? []).map((f) => catalogue.frameworks.find((x) => x.id === f.framework)?.name ?? f.framework))];
}
