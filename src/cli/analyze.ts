// forensight analyze BUNDLE_DIR: verify the bundle, then build the timeline and findings into a new directory
// beside it (never inside the sealed bundle). Summary on stderr; stdout stays clean.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { MANIFEST_FILE } from '../collect/manifest.js';
import { verifyBundle } from '../collect/verify.js';
import { refLabel } from '../analysis/event.js';
import { SEVERITY_ORDER, type Severity } from '../analysis/rules/index.js';
import { isSeverity, SEVERITIES } from '../model/severity.js';
import { analyzeBundle, AnalysisOutputExistsError, defaultOutDir, type AnalysisFormat } from '../analysis/run.js';
import { EXIT, splitList, UsageError, type Io } from './common.js';
import { sanitizeInline } from './terminal.js';

export interface AnalyzeCliOptions {
  format?: string;
  out?: string;
  failOn?: string;
}

const FORMATS: AnalysisFormat[] = ['json', 'html', 'pdf'];

export function parseFormats(value: string | undefined): AnalysisFormat[] {
  const list = splitList(value ?? 'json');
  if (list.length === 0) throw new UsageError('--format: give one or more of json, html, pdf (e.g. json,html,pdf).');
  for (const f of list) {
    if (!FORMATS.includes(f as AnalysisFormat)) throw new UsageError(`--format: "${f}" is not one of ${FORMATS.join(', ')}.`);
  }
  // findings.json and timeline.jsonl are always written; html and pdf add the incident report in that format.
  return [...new Set(['json', ...list])] as AnalysisFormat[];
}

const isDir = async (p: string): Promise<boolean> => stat(p).then((s) => s.isDirectory(), () => false);
const isFile = async (p: string): Promise<boolean> => stat(p).then((s) => s.isFile(), () => false);

export async function analyzeAction(bundleDir: string, options: AnalyzeCliOptions, io: Io): Promise<number> {
  const formats = parseFormats(options.format);
  if (options.failOn !== undefined && !isSeverity(options.failOn)) throw new UsageError(`--fail-on: "${options.failOn}" is not one of ${SEVERITIES.join(', ')}.`);
  if (!(await isDir(bundleDir))) throw new UsageError(`analyze: "${bundleDir}" is not a directory; give the path of an evidence bundle (the directory holding manifest.json).`);
  if (!(await isFile(join(bundleDir, MANIFEST_FILE)))) throw new UsageError(`analyze: "${bundleDir}" has no ${MANIFEST_FILE}: not a sealed evidence bundle (run forensight verify on it to see what is wrong).`);

  const report = await verifyBundle(bundleDir);
  if (!report.ok) {
    io.stderr.write(`forensight: refusing to analyse ${bundleDir}: the bundle does not verify (${report.problems.length} problem(s)); tampered or incomplete evidence is not analysed.\n`);
    for (const p of report.problems) io.stderr.write(`  ${p.kind.toUpperCase().padEnd(8)} ${sanitizeInline(p.path ?? '')}${p.path ? ': ' : ''}${sanitizeInline(p.message)}\n`);
    return EXIT.findings;
  }

  const outDir = options.out ?? defaultOutDir(bundleDir);
  let result;
  try {
    result = await analyzeBundle({ bundleDir, outDir, formats });
  } catch (error) {
    if (error instanceof AnalysisOutputExistsError) throw new UsageError(error.message);
    throw error;
  }
  const a = result.analysis;
  io.stderr.write(`Verified ${a.derivedFrom.bundleId} (manifest sha256 ${a.derivedFrom.manifestSha256}).\n`);
  io.stderr.write(`${a.stats.events} events from ${a.stats.filesRead} files (${Object.entries(a.stats.bySource).map(([s, n]) => `${s} ${n}`).join(', ') || 'none'}); ${a.stats.problems} unreadable record(s); ${a.collectionGaps.length} collection gap(s).\n`);
  io.stderr.write(`${a.findings.length} finding(s):\n`);
  for (const f of a.findings.slice(0, 50)) {
    const ref = f.events[0]?.ref ?? f.evidence[0];
    io.stderr.write(`  ${f.severity.toUpperCase().padEnd(8)} ${f.id} ${f.ruleId}: ${sanitizeInline(f.summary)}${ref ? ` [${sanitizeInline(refLabel(ref))}]` : ''}\n`);
  }
  if (a.findings.length > 50) io.stderr.write(`  … ${a.findings.length - 50} more in findings.json\n`);
  for (const r of a.rules.filter((x) => x.notAssessed)) io.stderr.write(`  not assessed ${r.id}: ${sanitizeInline(r.notAssessed ?? '')}\n`);
  io.stderr.write(`Wrote ${result.files.join(', ')} to ${result.outDir}\n`);
  if (options.failOn) {
    const limit = SEVERITY_ORDER[options.failOn as Severity];
    if (a.findings.some((f) => SEVERITY_ORDER[f.severity] <= limit)) return EXIT.findings;
  }
  return EXIT.ok;
}

export function register(program: Command, io: Io): void {
  program
    .command('analyze')
    .description('verify an evidence bundle, then write its timeline, findings and an incident report to a new directory beside it')
    .argument('<bundle>', 'bundle directory')
    .option('--format <list>', 'json (timeline.jsonl + findings.json, always written), html (incident-report.html) and/or pdf (incident-report.pdf)', 'json')
    .option('--out <dir>', 'output directory, must not exist (default <BUNDLE_DIR>-analysis)')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
    .action(async (bundle: string, options: AnalyzeCliOptions) => {
      process.exitCode = await analyzeAction(bundle, options, io);
    });
}
