// CSV for spreadsheets and SIEM imports: a header row, one row per scan result or analysis finding. Every
// cell that a spreadsheet would run as a formula (starting =, +, -, @, tab or carriage return) is prefixed
// with an apostrophe (OWASP CSV injection guidance), so hostile names stay text.
import { stringify } from 'csv-stringify/sync';
import type { Analysis } from '../../src/analysis/run.js';
import type { ScanDocument } from '../../src/model/scan.js';
import type { CheckMetadata } from '../../checks/types.js';
import { resultUid } from './common.js';

const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** One cell, safe against formula injection. */
export function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ''
      : Array.isArray(value)
        ? value.join('; ')
        : typeof value === 'object'
          ? JSON.stringify(value)
          : // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects became JSON just before; what is left is a primitive
            String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function toCsv(header: string[], rows: unknown[][]): string {
  return stringify([header, ...rows.map((row) => row.map(csvCell))], { quoted_string: true, record_delimiter: '\r\n' });
}

export const SCAN_CSV_HEADER = [
  'id',
  'scan_id',
  'account_id',
  'account_name',
  'region',
  'check_id',
  'title',
  'severity',
  'status',
  'reason_code',
  'reason',
  'resource_arn',
  'service',
  'frameworks',
  'remediation',
];

export function scanToCsv(doc: ScanDocument, checks: readonly CheckMetadata[]): string {
  const names = new Map(doc.accounts.map((a) => [a.accountId, a.name]));
  const rows = doc.results.map((r) => {
    const meta = checks.find((c) => c.id === r.checkId);
    return [
      resultUid(r),
      doc.scanId,
      r.accountId,
      names.get(r.accountId) ?? '',
      r.region,
      r.checkId,
      meta?.title ?? '',
      r.severity,
      r.status,
      r.reasonCode ?? '',
      r.reason,
      r.resourceArn,
      meta?.service ?? '',
      (meta?.frameworks ?? []).map((f) => `${f.framework} ${f.control}`),
      meta?.remediation.summary ?? '',
    ];
  });
  return toCsv(SCAN_CSV_HEADER, rows);
}

export const FINDINGS_CSV_HEADER = [
  'id',
  'bundle_id',
  'time',
  'severity',
  'rule_id',
  'title',
  'element',
  'techniques',
  'account',
  'region',
  'actor_key',
  'actor',
  'target',
  'event_count',
  'summary',
  'evidence',
  'actions',
];

export function analysisToCsv(analysis: Analysis): string {
  const rows = analysis.findings.map((f) => [
    f.id,
    analysis.derivedFrom.bundleId,
    f.time,
    f.severity,
    f.ruleId,
    f.title,
    f.element,
    f.techniques,
    f.account ?? '',
    f.region ?? '',
    f.actorKey ?? '',
    f.actor ?? '',
    f.target ?? '',
    f.eventCount,
    f.summary,
    [...f.events.map((e) => e.ref), ...f.evidence].map((ref) => `${ref.path}${ref.line !== undefined ? `:${ref.line}` : ''}`),
    f.actions.map((a) => a.text),
  ]);
  return toCsv(FINDINGS_CSV_HEADER, rows);
}
