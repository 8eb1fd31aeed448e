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
import type { ScanDocument } from '../model/scan.js';
import { EXIT, splitList, UsageError, writeFileAtomic, type Io } from './common.js';

export type ReportFormat = 'json' | 'html' | 'pdf';
const FORMATS: ReportFormat[] = ['json', 'html', 'pdf'];

export function parseFormats(value: string): ReportFormat[] {
  const formats = splitList(value);
  if (formats.length === 0) throw new UsageError('--format: give one or more of json, html, pdf.');
  for (const f of formats) {
    if (!(FORMATS as string[]).includes(f)) throw new UsageError(`--format: "${f}" is not a format; use json, html or pdf (comma-separated).`);
  }
  return [...new Set(formats)] as ReportFormat[];
}

async function loadPrevious(path: string | undefined, current: ScanDocument): Promise<ScanDocument[]> {
  if (!path) return [];
  try {
    return (await loadScans(path)).filter((s) => s.scanId !== current.scanId);
  } catch (error) {
    throw new UsageError(`--previous: ${(error as Error).message}`);
  }
}

export async function writeReports(doc: ScanDocument, options: { formats: ('html' | 'pdf')[]; outDir: string; previous?: string }): Promise<string[]> {
  const previous = await loadPrevious(options.previous, doc);
  const model = buildReportModel(doc, { catalogue: allChecks.map((c) => c.meta), frameworks: frameworkCatalogue, previous });
  await mkdir(options.outDir, { recursive: true });
  const written: string[] = [];
  if (options.formats.includes('html')) {
    const file = join(options.outDir, 'report.html');
    await writeFileAtomic(file, renderHtml(model));
    written.push(file);
  }
  if (options.formats.includes('pdf')) {
    const file = join(options.outDir, 'report.pdf');
    await writeFileAtomic(file, await renderPdf(model));
    written.push(file);
  }
  return written;
}

export function register(program: Command, io: Io): void {
  program
    .command('report')
    .description('Render HTML and PDF reports from a saved scan.json (no AWS access)')
    .argument('<scan>', 'scan.json written by forensight scan')
    .option('--previous <path>', 'earlier scan.json, or a directory of them, for the trend')
    .option('--format <list>', 'html,pdf', 'html,pdf')
    .option('--out <dir>', 'where to write the reports (default: next to the scan)')
    .action(async (scanPath: string, opts: { previous?: string; format: string; out?: string }) => {
      const formats = parseFormats(opts.format).filter((f): f is 'html' | 'pdf' => f !== 'json');
      if (formats.length === 0) throw new UsageError('--format: the report command writes html and/or pdf.');
      let doc: ScanDocument;
      try {
        doc = await loadScan(resolve(scanPath));
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const outDir = resolve(opts.out ?? join(resolve(scanPath), '..'));
      const written = await writeReports(doc, { formats, outDir, ...(opts.previous ? { previous: resolve(opts.previous) } : {}) });
      for (const f of written) io.stderr.write(`Wrote ${f}\n`);
      process.exitCode = EXIT.ok;
    });
}
