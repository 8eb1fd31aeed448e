// forensight scan: readiness scan of one account, a list, an OU subtree or the whole Organization.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { allChecks } from '../../checks/index.js';
import type { Check } from '../../checks/types.js';
import { loadConfigFile } from '../config/load.js';
import { SEVERITIES, type Severity } from '../model/scan.js';
import { loadAcceptFile } from '../scan/accept.js';
import { applyScanPolicy } from '../scan/policy.js';
import type { ClientFactory } from '../aws/clients.js';
import {
  addTargetOptions,
  assertOutputDirectory,
  EXIT,
  helpExamples,
  parseDuration,
  parseTargetOptions,
  splitList,
  UsageError,
  writeFileAtomic,
  type Io,
  type RawTargetOptions,
} from './common.js';
import { resolveProfile } from './profile.js';
import { scanProgressDisplay } from './progress.js';
import { printScanSummary } from './summary.js';
import { addFilterOptions, parseFormats, parseOutputFilter, writeReports, type ReportFormat } from './report.js';
import { jsonLines, scanJsonChunks } from '../scan/output.js';
import { TOOL_VERSION } from '../version.js';
import { terminalSafeJson } from './terminal.js';

interface RawScanOptions extends RawTargetOptions {
  checks?: string;
  config?: string;
  out?: string;
  format?: string;
  previous?: string;
  failOn?: string;
  minCoverage?: string;
  accept?: string;
  deadline?: string;
  status?: string;
  severity?: string;
  progress?: boolean;
}

export function selectChecks(ids: string[] | undefined): Check[] {
  if (!ids || ids.length === 0) return [...allChecks];
  const known = new Map(allChecks.map((c) => [c.meta.id, c]));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new UsageError(`--checks: unknown check id ${unknown.map((u) => `"${u}"`).join(', ')}. Run "forensight checks" for the list.`);
  return ids.map((id) => known.get(id)!);
}

export function parseFailOn(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(v))
    throw new UsageError(`--fail-on: "${value}" is not a severity; use one of ${SEVERITIES.join(', ')}.`);
  return v as Severity;
}

export function parseMinCoverage(value: string | undefined, failOn: Severity | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ratio = Number(value);
  if (value.trim() === '' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1)
    throw new UsageError(`--min-coverage: "${value}" is not a ratio between 0 and 1 (for example 0.9).`);
  if (!failOn) throw new UsageError('--min-coverage only applies with --fail-on: give the severity the gate fails on.');
  return ratio;
}

export interface ScanCommandDeps {
  /** The demo and tests inject a factory pointed at the emulator. */
  factory?: ClientFactory;
  /** The demo names its output folder after the scan, so it chooses the id. */
  scanId?: string;
}

export async function scanAction(raw: RawScanOptions, io: Io, deps: ScanCommandDeps = {}): Promise<number> {
  // Validate everything before the first AWS call, so bad input costs nothing and writes nothing.
  const target = parseTargetOptions(raw, (await resolveProfile(raw.profile)).region);
  const config = await loadConfigFile(raw.config);
  const checks = selectChecks(raw.checks !== undefined ? splitList(raw.checks) : config.checks);
  const failOn = parseFailOn(raw.failOn);
  const minCoverage = parseMinCoverage(raw.minCoverage, failOn);
  const accept =
    raw.accept !== undefined
      ? await loadAcceptFile(
          raw.accept,
          allChecks.map((c) => c.meta.id),
        )
      : undefined;
  const deadlineMs = parseDuration('--deadline', raw.deadline);
  const formats = parseFormats(raw.format ?? 'json');
  const filter = parseOutputFilter(raw);
  const toStdout = raw.out === '-';
  if (toStdout && formats.some((f) => f !== 'json'))
    throw new UsageError('--out -: only scan.json can go to stdout; give a directory for html, pdf, ocsf, asff or csv.');
  let previous: string | undefined;
  if (raw.previous !== undefined) {
    previous = resolve(raw.previous);
    if (!existsSync(previous)) throw new UsageError(`--previous: "${raw.previous}" does not exist. Give a scan.json or a directory of past scans.`);
  }
  // Loaded here, after the arguments are checked: the runner brings every SDK client with it.
  const { newScanId, runScan } = await import('../scan/runner.js');
  const scanId = deps.scanId ?? newScanId();
  const outDir = toStdout ? undefined : resolve(raw.out ?? join('forensight-out', scanId));
  if (outDir && existsSync(join(outDir, 'scan.json'))) {
    const prior = JSON.parse(await readFile(join(outDir, 'scan.json'), 'utf8').catch(() => '{}')) as { scanId?: string };
    throw new UsageError(
      `--out: ${outDir} already holds a scan (${prior.scanId ?? 'scan.json'}); choose a new directory so no earlier scan is overwritten.`,
    );
  }
  if (outDir) await assertOutputDirectory('--out', outDir);

  const deadline = deadlineMs !== undefined ? AbortSignal.timeout(deadlineMs) : undefined;
  const display = scanProgressDisplay(io, { enabled: raw.progress !== false });
  let run;
  try {
    run = await runScan({
      scanId,
      target,
      checks,
      params: config.parameters,
      toolVersion: TOOL_VERSION,
      onProgress: (p) => display.update(p),
      ...(deps.factory ? { factory: deps.factory } : {}),
      ...(deadline ? { deadline } : {}),
    });
  } finally {
    display.stop();
  }
  const { document, gate } = applyScanPolicy(run.document, {
    now: new Date(),
    ...(accept ? { accept } : {}),
    ...(failOn ? { gate: { failOn, ...(minCoverage !== undefined ? { minCoverage } : {}) } } : {}),
  });
  if (deadline?.aborted)
    io.stderr.write(`forensight: the --deadline of ${raw.deadline} passed; everything not read by then is NOT_ASSESSED with that reason.\n`);

  if (toStdout) {
    io.stdout.write(`${terminalSafeJson(document)}\n`);
  } else if (outDir) {
    await mkdir(outDir, { recursive: true });
    // Streamed: an Organization's scan.json and call log are too large to build as one string first.
    await writeFileAtomic(join(outDir, 'scan.json'), scanJsonChunks(document));
    await writeFileAtomic(join(outDir, 'api-calls.jsonl'), jsonLines(run.session.factory.recorder.entries()));
    const reportFormats = formats.filter((f): f is Exclude<ReportFormat, 'json'> => f !== 'json');
    const written =
      reportFormats.length > 0
        ? await writeReports(document, { formats: reportFormats, outDir, filter, homeRegion: target.homeRegion, ...(previous ? { previous } : {}) })
        : [];
    printScanSummary(io, document, [join(outDir, 'scan.json'), ...written]);
  }
  if (!toStdout) run.session.factory.destroy();
  if (document.accounts.length > 0 && document.accounts.every((a) => a.status === 'NOT_ASSESSED')) {
    io.stderr.write('forensight: no account could be assessed (see the reasons above).\n');
    return EXIT.nothingScanned;
  }
  if (gate && !gate.passed) return EXIT.findings;
  return EXIT.ok;
}

export function register(program: Command, io: Io): void {
  const cmd = program.command('scan').description('readiness scan: could you investigate an incident in these accounts?');
  addTargetOptions(cmd)
    .option('-c, --checks <ids>', 'run only these check ids (comma-separated)')
    .option('--config <file>', 'YAML or JSON file with check parameters')
    .option('-o, --out <dir>', 'output directory (default forensight-out/<scan id>; must not already hold a scan), or "-" for scan.json on stdout')
    .option(
      '-f, --format <list>',
      'json, html, pdf, ocsf (scan.ocsf.json), asff (scan.asff.json), csv (scan.csv); scan.json is always written',
      'json',
    )
    .option('-p, --previous <path>', 'earlier scan.json (or a directory of them) for the trend section of the reports')
    .option('--deadline <duration>', 'finish by this time (e.g. 30m, 2h): calls still pending then are abandoned and their results NOT_ASSESSED')
    .option(
      '--fail-on <severity>',
      'exit 1 when a FAIL (not accepted) or a NOT_ASSESSED result at or above this severity exists (critical, high, medium, low)',
    )
    .option(
      '--min-coverage <ratio>',
      'with --fail-on: NOT_ASSESSED results fail the gate only when coverage, per account or overall, is under this ratio (0-1)',
    )
    .option('--accept <file>', 'YAML file of accepted risks (check, accounts, resources, reason, owner, expires); matching FAILs are marked accepted')
    .option('--no-progress', 'no progress bar or progress lines on stderr');
  addFilterOptions(cmd)
    .addHelpText(
      'after',
      helpExamples([
        'forensight scan                                   # your own account, every enabled region',
        'forensight scan --org --role-name ForensightReadOnly --format html,pdf',
        'forensight scan --accounts 111111111111,222222222222 --regions us-east-1,eu-west-1 --fail-on high',
        'forensight scan --org --format ocsf,asff,csv --status FAIL,NOT_ASSESSED --out ./scan-out',
      ]),
    )
    .action(async (opts: RawScanOptions) => {
      process.exitCode = await scanAction(opts, io);
    });
}
