// forensight verify BUNDLE_DIR: recompute every hash and the custody chain; exit 1 on any problem.
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { verifyBundle, type VerifyReport } from '../collect/verify.js';
import { EXIT, UsageError, type Io } from './common.js';
import { sanitizeInline, terminalSafeJson } from './terminal.js';

export async function verifyAction(bundleDir: string, options: { json?: boolean }, io: Io): Promise<number> {
  let isDir = false;
  try {
    isDir = (await stat(bundleDir)).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`verify: "${bundleDir}" is not a directory; give the path of an evidence bundle (the directory holding manifest.json).`);
  const report = await verifyBundle(bundleDir);
  if (options.json) io.stdout.write(`${terminalSafeJson(report)}\n`);
  else printReport(report, io);
  return report.ok ? EXIT.ok : EXIT.findings;
}

function printReport(report: VerifyReport, io: Io): void {
  const label = sanitizeInline(report.manifest ? `${report.manifest.bundleId} (incident ${report.manifest.incident})` : report.bundleDir);
  if (report.ok) {
    io.stdout.write(`OK ${label}: ${report.filesChecked} files match the manifest; custody chain of ${report.custodyEntries} entries intact.\n`);
    return;
  }
  io.stdout.write(`FAILED ${label}: ${report.problems.length} problem(s)\n`);
  for (const p of report.problems) io.stdout.write(`  ${p.kind.toUpperCase().padEnd(8)} ${sanitizeInline(p.path ?? '')}${p.path ? ': ' : ''}${sanitizeInline(p.message)}\n`);
}

export function register(program: Command, io: Io): void {
  program
    .command('verify')
    .description('recompute every hash of an evidence bundle and its custody chain; exit 1 if anything is missing, extra or altered')
    .argument('<bundle>', 'bundle directory')
    .option('--json', 'print the report as JSON')
    .action(async (bundle: string, options: { json?: boolean }) => {
      process.exitCode = await verifyAction(bundle, options, io);
    });
}
