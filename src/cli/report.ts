// forensight report: re-render any saved scan.json (optionally with earlier scans for the trend), no AWS access.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { allChecks } from '../../checks/index.js';
import { frameworkCatalogue } from '../../checks/frameworks.js';
import { buildReportModel } from '../../reports/model.js';
import { loadScan, loadScans } from '../../reports/load.js';
import { renderHtml } from '../../reports/html.js';
import { renderPdf } from '../../reports/pdf.js';
import { existsSync } from 'node:fs';
import { scanToAsff } from '../../reports/machine/asff.js';
import { filteredScan, type OutputFilter } from '../../reports/machine/common.js';
import { scanToCsv } from '../../reports/machine/csv.js';
import { scanToOcsf } from '../../reports/machine/ocsf.js';
import { RESULT_STATUSES, SEVERITIES, type ResultStatus, type ScanDocument, type Severity } from '../model/scan.js';
import { assertOutputDirectory, EXIT, helpExamples, splitList, UsageError, writeFileAtomic, type Io } from './common.js';

export type ReportFormat = 'json' | 'html' | 'pdf' | 'ocsf' | 'asff' | 'csv';
const FORMATS: ReportFormat[] = ['json', 'html', 'pdf', 'ocsf', 'asff', 'csv'];
export type RenderedFormat = Exclude<ReportFormat, 'json'>;

/** The file each format writes into the output directory. */
export const REPORT_FILES: Record<RenderedFormat, string> = {
  html: 'report.html',
  pdf: 'report.pdf',
  ocsf: 'scan.ocsf.json',
  asff: 'scan.asff.json',
  csv: 'scan.csv',
};

export function parseFormats(value: string): ReportFormat[] {
  const formats = splitList(value).map((f) => f.toLowerCase());
  if (formats.length === 0) throw new UsageError(`--format: give one or more of ${FORMATS.join(', ')}.`);
  for (const f of formats) {
    if (!(FORMATS as string[]).includes(f)) throw new UsageError(`--format: "${f}" is not a format; use ${FORMATS.join(', ')} (comma-separated).`);
  }
  return [...new Set(formats)] as ReportFormat[];
}

const STATUS_WORDS: Record<string, ResultStatus> = { pass: 'PASS', fail: 'FAIL', not_assessed: 'NOT_ASSESSED', not_applicable: 'NOT_APPLICABLE' };

/** `--status FAIL,NOT_ASSESSED` (any case, - or _). */
export function parseStatusFilter(value: string | undefined): ResultStatus[] | undefined {
  if (value === undefined) return undefined;
  const list = splitList(value);
  if (list.length === 0) throw new UsageError(`--status: give one or more of ${RESULT_STATUSES.join(', ')}.`);
  return [
    ...new Set(
      list.map((v) => {
        const status = STATUS_WORDS[v.toLowerCase().replace(/-/g, '_')];
        if (!status) throw new UsageError(`--status: "${v}" is not a result status; use ${RESULT_STATUSES.join(', ')} (comma-separated).`);
        return status;
      }),
    ),
  ];
}

/** `--severity high,critical`. */
export function parseSeverityFilter(value: string | undefined): Severity[] | undefined {
  if (value === undefined) return undefined;
  const list = splitList(value);
  if (list.length === 0) throw new UsageError(`--severity: give one or more of ${SEVERITIES.join(', ')}.`);
  return [
    ...new Set(
      list.map((v) => {
        const s = v.toLowerCase();
        if (!(SEVERITIES as readonly string[]).includes(s))
          throw new UsageError(`--severity: "${v}" is not a severity; use ${SEVERITIES.join(', ')} (comma-separated).`);
        return s as Severity;
      }),
    ),
  ];
}

export function parseOutputFilter(raw: { status?: string; severity?: string }): OutputFilter {
  const statuses = parseStatusFilter(raw.status);
  const severities = parseSeverityFilter(raw.severity);
  return { ...(statuses ? { statuses } : {}), ...(severities ? { severities } : {}) };
}

function loadPrevious(path: string | undefined, current: ScanDocument): ScanDocument[] {
  if (!path) return [];
  try {
    return loadScans(path).filter((s) => s.scanId !== current.scanId);
  } catch (error) {
    throw new UsageError(`--previous: ${(error as Error).message}`);
  }
}

export interface WriteReportsOptions {
  formats: RenderedFormat[];
  outDir: string;
  previous?: string;
  filter?: OutputFilter;
  /** Region for account-wide ("global") results in ASFF, which needs one. */
  homeRegion?: string;
  /** Replace report files that already exist (else a usage error names them). */
  force?: boolean;
}

/** Refuses before writing anything when a report file is already there, unless --force. */
export function assertReportsAbsent(outDir: string, formats: RenderedFormat[]): void {
  const existing = formats.map((f) => join(outDir, REPORT_FILES[f])).filter((f) => existsSync(f));
  if (existing.length > 0)
    throw new UsageError(
      `--out: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}; add --force to replace, or give another --out directory.`,
    );
}

async function render(
  format: RenderedFormat,
  doc: ScanDocument,
  options: WriteReportsOptions,
  previous: ScanDocument[],
): Promise<string | Uint8Array> {
  const catalogue = { checks: allChecks.map((c) => c.meta), frameworks: frameworkCatalogue };
  switch (format) {
    case 'html':
    case 'pdf': {
      const model = buildReportModel(doc, { catalogue: catalogue.checks, frameworks: frameworkCatalogue, previous });
      return format === 'html' ? renderHtml(model) : renderPdf(model);
    }
    case 'ocsf':
      return `${JSON.stringify(scanToOcsf(doc, catalogue), null, 2)}\n`;
    case 'asff':
      return `${JSON.stringify(scanToAsff(doc, catalogue, options.homeRegion), null, 2)}\n`;
    case 'csv':
      return scanToCsv(doc, catalogue.checks);
  }
}

/** Writes the requested reports of a scan (filtered; the scan.json itself is never filtered). */
export async function writeReports(doc: ScanDocument, options: WriteReportsOptions): Promise<string[]> {
  if (!options.force) assertReportsAbsent(options.outDir, options.formats);
  const shown = filteredScan(doc, options.filter ?? {});
  // Earlier scans are read before anything is written: a bad one is a usage error with nothing created.
  const previous = options.formats.some((f) => f === 'html' || f === 'pdf') ? loadPrevious(options.previous, doc) : [];
  await mkdir(options.outDir, { recursive: true });
  const written: string[] = [];
  for (const format of FORMATS.filter((f): f is RenderedFormat => f !== 'json' && options.formats.includes(f))) {
    const file = join(options.outDir, REPORT_FILES[format]);
    await writeFileAtomic(file, await render(format, shown, options, previous));
    written.push(file);
  }
  return written;
}

export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('-s, --status <list>', 'list only results with these statuses in reports and machine outputs: PASS, FAIL, NOT_ASSESSED, NOT_APPLICABLE')
    .option('--severity <list>', 'list only results of these severities in reports and machine outputs: critical, high, medium, low');
}

interface RawReportOptions {
  previous?: string;
  format: string;
  out?: string;
  force?: boolean;
  status?: string;
  severity?: string;
}

export async function reportAction(scanPath: string, opts: RawReportOptions, io: Io): Promise<number> {
  const formats = parseFormats(opts.format).filter((f): f is RenderedFormat => f !== 'json');
  if (formats.length === 0)
    throw new UsageError('--format: the report command writes html, pdf, ocsf, asff and/or csv (scan.json is already there).');
  const filter = parseOutputFilter(opts);
  const outDir = resolve(opts.out ?? join(resolve(scanPath), '..'));
  await assertOutputDirectory('--out', outDir);
  if (!opts.force) assertReportsAbsent(outDir, formats);
  let doc: ScanDocument;
  try {
    doc = loadScan(resolve(scanPath));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const homeRegion = doc.accounts.flatMap((a) => a.regions)[0] ?? 'us-east-1';
  const written = await writeReports(doc, {
    formats,
    outDir,
    filter,
    homeRegion,
    force: opts.force === true,
    ...(opts.previous ? { previous: resolve(opts.previous) } : {}),
  });
  for (const f of written) io.stderr.write(`Wrote ${f}\n`);
  return EXIT.ok;
}

export function register(program: Command, io: Io): void {
  const cmd = program
    .command('report')
    .description('render reports and machine outputs from a saved scan.json (no AWS access)')
    .argument('<scan>', 'scan.json written by forensight scan')
    .option('-p, --previous <path>', 'earlier scan.json, or a directory of them, for the trend')
    .option('-f, --format <list>', 'html, pdf, ocsf (scan.ocsf.json), asff (scan.asff.json), csv (scan.csv); comma-separated', 'html,pdf')
    .option('-o, --out <dir>', 'where to write the reports (default: next to the scan)')
    .option('--force', 'replace report files that already exist');
  addFilterOptions(cmd)
    .addHelpText(
      'after',
      helpExamples([
        'forensight report forensight-out/scan-20261201/scan.json',
        'forensight report scan.json --format ocsf,csv --status FAIL,NOT_ASSESSED --severity critical,high --out ./siem',
        'forensight report scan.json --previous forensight-out/ --force',
      ]),
    )
    .action(async (scanPath: string, opts: RawReportOptions) => {
      process.exitCode = await reportAction(scanPath, opts, io);
    });
}
