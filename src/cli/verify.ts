// forensight verify BUNDLE_DIR: recompute every hash and the custody chain; exit 1 on any problem.
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { readSealKey, SealKeyError, SHA256_HEX } from '../collect/seal.js';
import { assertBundleDir, NotABundleError, verifyBundle, type VerifyOptions, type VerifyReport } from '../collect/verify.js';
import { EXIT, helpExamples, UsageError, type Io } from './common.js';
import { sanitizeInline, terminalSafeJson } from './terminal.js';

export interface RawVerifyOptions {
  json?: boolean;
  expect?: string;
  sealKey?: string;
}

async function verifyOptions(options: RawVerifyOptions): Promise<VerifyOptions> {
  const out: VerifyOptions = {};
  if (options.expect !== undefined) {
    const expected = options.expect.trim().toLowerCase();
    if (!SHA256_HEX.test(expected))
      throw new UsageError(`--expect: "${options.expect}" is not a SHA-256 (64 hex digits); give the manifest.json sha256 that collect printed.`);
    out.expectSha256 = expected;
  }
  if (options.sealKey !== undefined) {
    try {
      out.sealKey = await readSealKey(options.sealKey);
    } catch (error) {
      if (error instanceof SealKeyError) throw new UsageError(`--seal-key: ${error.message}.`);
      throw error;
    }
  }
  return out;
}

export async function verifyAction(bundleDir: string, options: RawVerifyOptions, io: Io): Promise<number> {
  const isDir = await stat(bundleDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir)
    throw new UsageError(`verify: "${bundleDir}" is not a directory; give the path of an evidence bundle (the directory holding manifest.json).`);
  const checks = await verifyOptions(options);
  try {
    await assertBundleDir(bundleDir);
  } catch (error) {
    if (error instanceof NotABundleError) throw new UsageError(`verify: ${error.message}`);
    throw error;
  }
  const report = await verifyBundle(bundleDir, checks);
  if (options.json) io.stdout.write(`${terminalSafeJson(report)}\n`);
  else printReport(report, io);
  return report.ok ? EXIT.ok : EXIT.findings;
}

function printReport(report: VerifyReport, io: Io): void {
  const label = sanitizeInline(report.manifest ? `${report.manifest.bundleId} (incident ${report.manifest.incident})` : report.bundleDir);
  if (report.ok) {
    io.stdout.write(`OK ${label}: ${report.filesChecked} files match the manifest; custody chain of ${report.custodyEntries} entries intact.\n`);
    if (report.anchoredBy.length === 0) {
      io.stdout.write(
        '  Self-consistent only: nothing outside the bundle was checked, so a bundle rewritten with recomputed hashes would also pass. Give --expect <manifest sha256 recorded at collection> or --seal-key.\n',
      );
    } else {
      io.stdout.write(
        `  Anchored: ${report.anchoredBy.map((a) => (a === 'expected-sha256' ? 'manifest.json matches the expected SHA-256' : 'the seal HMAC matches under the seal key')).join('; ')}.\n`,
      );
    }
    if (report.incomplete)
      io.stdout.write(
        `  INCOMPLETE collection: ${sanitizeInline(report.incomplete)}. The files are intact, but evidence after that point was never collected.\n`,
      );
    return;
  }
  io.stdout.write(`FAILED ${label}: ${report.problems.length} problem(s)\n`);
  for (const p of report.problems)
    io.stdout.write(`  ${p.kind.toUpperCase().padEnd(8)} ${sanitizeInline(p.path ?? '')}${p.path ? ': ' : ''}${sanitizeInline(p.message)}\n`);
}

export function register(program: Command, io: Io): void {
  program
    .command('verify')
    .description('recompute every hash of an evidence bundle and its custody chain; exit 1 if anything is missing, extra or altered')
    .argument('<bundle>', 'bundle directory')
    .option(
      '--expect <sha256>',
      'the manifest.json SHA-256 recorded outside the bundle at collection (collect prints it; the Object Lock copy keeps it)',
    )
    .option('--seal-key <file>', 'the key file given to collect --seal-key: the seal HMAC must match')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      helpExamples([
        'forensight verify ./INC-42-a1b2c3',
        'forensight verify ./INC-42-a1b2c3 --expect 3f5a...e9 --seal-key ~/ir/seal.key',
        'forensight verify ./INC-42-a1b2c3 --json',
      ]),
    )
    .action(async (bundle: string, options: RawVerifyOptions) => {
      process.exitCode = await verifyAction(bundle, options, io);
    });
}
