// forensight analyze BUNDLE_DIR: verify the bundle, then build the timeline and findings into a new directory
// beside it (never inside the sealed bundle). Summary on stderr; stdout carries only the --actor storyline.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { MANIFEST_FILE } from '../collect/manifest.js';
import { verifyBundle } from '../collect/verify.js';
import { refLabel } from '../analysis/event.js';
import { SEVERITY_ORDER } from '../analysis/rules/index.js';
import { AnalysisConfigError, loadAnalysisConfig, type AnalysisConfig } from '../analysis/rules/config.js';
import { isSeverity, SEVERITIES } from '../model/severity.js';
import { analyzeBundle, AnalysisOutputExistsError, defaultOutDir, type AnalysisFormat, type Storyline } from '../analysis/run.js';
import { EXIT, helpExamples, splitList, UsageError, type Io } from './common.js';
import { sanitizeInline } from './terminal.js';

export interface AnalyzeCliOptions {
  config?: string;
  format?: string;
  out?: string;
  failOn?: string;
  actor?: string;
}

const FORMATS: AnalysisFormat[] = ['json', 'html', 'pdf', 'ocsf', 'csv'];

export function parseFormats(value: string | undefined): AnalysisFormat[] {
  const list = splitList(value ?? 'json');
  if (list.length === 0) throw new UsageError(`--format: give one or more of ${FORMATS.join(', ')} (e.g. json,html,pdf).`);
  for (const f of list) {
    if (!FORMATS.includes(f as AnalysisFormat)) throw new UsageError(`--format: "${f}" is not one of ${FORMATS.join(', ')}.`);
  }
  // findings.json and timeline.jsonl are always written; html and pdf add the incident report in that format.
  return [...new Set(['json', ...list])] as AnalysisFormat[];
}

const isDir = async (p: string): Promise<boolean> =>
  stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
const isFile = async (p: string): Promise<boolean> =>
  stat(p).then(
    (s) => s.isFile(),
    () => false,
  );

export async function analyzeAction(bundleDir: string, options: AnalyzeCliOptions, io: Io): Promise<number> {
  const formats = parseFormats(options.format);
  if (options.failOn !== undefined && !isSeverity(options.failOn))
    throw new UsageError(`--fail-on: "${options.failOn}" is not one of ${SEVERITIES.join(', ')}.`);
  const config: Partial<AnalysisConfig> =
    options.config !== undefined
      ? await loadAnalysisConfig(options.config).catch((error: unknown) => {
          throw error instanceof AnalysisConfigError ? new UsageError(error.message) : error;
        })
      : {};
  if (!(await isDir(bundleDir)))
    throw new UsageError(`analyze: "${bundleDir}" is not a directory; give the path of an evidence bundle (the directory holding manifest.json).`);
  if (!(await isFile(join(bundleDir, MANIFEST_FILE))))
    throw new UsageError(
      `analyze: "${bundleDir}" has no ${MANIFEST_FILE}: not a sealed evidence bundle (run forensight verify on it to see what is wrong).`,
    );

  const report = await verifyBundle(bundleDir);
  if (!report.ok) {
    io.stderr.write(
      `forensight: refusing to analyse ${bundleDir}: the bundle does not verify (${report.problems.length} problem(s)); tampered or incomplete evidence is not analysed.\n`,
    );
    for (const p of report.problems)
      io.stderr.write(`  ${p.kind.toUpperCase().padEnd(8)} ${sanitizeInline(p.path ?? '')}${p.path ? ': ' : ''}${sanitizeInline(p.message)}\n`);
    return EXIT.findings;
  }

  const outDir = options.out ?? defaultOutDir(bundleDir);
  let result;
  try {
    result = await analyzeBundle({
      bundleDir,
      outDir,
      formats,
      ...config,
      ...(options.actor !== undefined ? { actor: parseActor(options.actor) } : {}),
    });
  } catch (error) {
    if (error instanceof AnalysisOutputExistsError) throw new UsageError(error.message);
    throw error;
  }
  const a = result.analysis;
  io.stderr.write(`Verified ${a.derivedFrom.bundleId} (manifest sha256 ${a.derivedFrom.manifestSha256}).\n`);
  io.stderr.write(
    `${a.stats.events} events from ${a.stats.filesRead} files (${
      Object.entries(a.stats.bySource)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ') || 'none'
    }); ${a.stats.problems} unreadable record(s); ${a.collectionGaps.length} collection gap(s).\n`,
  );
  io.stderr.write(
    `${a.stats.records} records are ${a.stats.events} requests (${a.stats.merged} seen by more than one source); ${a.stats.baselineEvents} in the baseline${a.baselineWindow ? ` ${a.baselineWindow.start} → ${a.baselineWindow.end}` : ' (none collected: rules comparing with normal are not assessed)'}.\n`,
  );
  io.stderr.write(`${a.stats.actors} actor(s), most suspicious first:\n`);
  for (const actor of a.actors.slice(0, 5))
    io.stderr.write(
      `  ${sanitizeInline(actor.key)}: ${actor.events} request(s), ${actor.findings.length} finding(s). ${sanitizeInline(actor.note)}\n`,
    );
  io.stderr.write(`${a.findings.length} finding(s):\n`);
  for (const f of a.findings.slice(0, 50)) {
    const ref = f.events[0]?.ref ?? f.evidence[0];
    io.stderr.write(
      `  ${f.severity.toUpperCase().padEnd(8)} ${f.id} ${f.ruleId}: ${sanitizeInline(f.summary)}${ref ? ` [${sanitizeInline(refLabel(ref))}]` : ''}\n`,
    );
  }
  if (a.findings.length > 50) io.stderr.write(`  … ${a.findings.length - 50} more in findings.json\n`);
  for (const r of a.rules.filter((x) => x.notAssessed)) io.stderr.write(`  not assessed ${r.id}: ${sanitizeInline(r.notAssessed ?? '')}\n`);
  io.stderr.write(`Wrote ${result.files.join(', ')} to ${result.outDir}\n`);
  if (result.storyline) io.stdout.write(storylineText(result.storyline));
  if (options.failOn) {
    const limit = SEVERITY_ORDER[options.failOn];
    if (a.findings.some((f) => SEVERITY_ORDER[f.severity] <= limit)) return EXIT.findings;
  }
  return EXIT.ok;
}

/** KEY|ARN|IP as given; refused when empty or not a single printable token. */
export function parseActor(value: string): string {
  const v = value.trim();
  if (!v || /[\s\u0000-\u001f\u007f-\u009f]/.test(v))
    throw new UsageError(
      `--actor: "${sanitizeInline(value)}" is not an access key id, ARN or IP address (give one, e.g. --actor AKIAIOSFODNN7EXAMPLE).`,
    );
  return v;
}

const bytes = (n: number): string =>
  n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`;

/** One actor's storyline as text: who, what it touched, then every event in order with its evidence. */
export function storylineText(story: Storyline): string {
  const lines: string[] = [];
  if (story.actors.length === 0 && story.total === 0) return `No event in the bundle belongs to ${sanitizeInline(story.query)}.\n`;
  for (const a of story.actors) {
    lines.push(`Actor ${a.key} (${a.kind}${a.class !== 'credential' ? `, ${a.class}` : ''})`, `  ${a.note}`);
    if (a.principal && a.principal !== a.key) lines.push(`  principal ${a.principal}`);
    if (a.accessKeyIds.length) lines.push(`  access keys ${a.accessKeyIds.join(', ')}`);
    if (a.sessionIssuer) lines.push(`  session issuer ${a.sessionIssuer}`);
    lines.push(`  accounts ${a.accounts.join(', ') || '-'}; regions ${a.regions.join(', ') || '-'}`);
    lines.push(
      `  first seen ${a.firstSeen}, last seen ${a.lastSeen}; ${a.events} request(s), ${a.errors} error(s); ${a.baselineEvents} in the baseline`,
    );
    lines.push(`  source IPs ${a.sourceIps.map((s) => `${s.ip} x${s.count}${s.new ? ' (new)' : ''}`).join(', ') || '-'}`);
    lines.push(
      `  read ${a.read.objectsCapped ? '>= ' : ''}${a.read.objects} object(s), ${bytes(a.read.bytes)}${a.read.buckets.length ? ` from ${a.read.buckets.join(', ')}` : ''}; wrote ${a.written.objects} object(s), ${bytes(a.written.bytes)}`,
    );
    if (a.network)
      lines.push(
        `  network: ${a.network.flows} flow(s), ${bytes(a.network.bytesOut)} out, ${bytes(a.network.bytesIn)} in${a.network.workloads.length ? ` via AI workloads ${a.network.workloads.join(', ')}` : ''}`,
      );
    lines.push(
      `  actions: ${a.actions
        .slice(0, 30)
        .map((x) => `${x.action} x${x.count}${x.errors ? ` (${x.errors} failed)` : ''}`)
        .join(', ')}`,
    );
    if (a.changedCount)
      lines.push(
        `  created or changed ${a.changedCount}: ${a.changed
          .slice(0, 20)
          .map((c) => `${c.action} ${c.target ?? ''}`.trim())
          .join('; ')}`,
      );
    if (a.findings.length) lines.push(`  findings ${a.findings.join(', ')}`);
  }
  lines.push(
    '',
    `Storyline of ${story.query}: ${story.total} event(s)${story.total > story.events.length ? `, first ${story.events.length} shown (all in timeline.jsonl)` : ''}`,
  );
  for (const e of story.events) {
    lines.push(
      `${e.time}  ${e.phase === 'baseline' ? '[baseline] ' : ''}${e.action}${e.target ? ` ${e.target}` : ''}  ${e.outcome}${e.sourceIp ? `  from ${e.sourceIp}` : ''}  [${e.evidence.map(refLabel).join(', ')}]`,
    );
  }
  return `${lines.map((l) => sanitizeInline(l)).join('\n')}\n`;
}

export function register(program: Command, io: Io): void {
  program
    .command('analyze')
    .description('verify an evidence bundle, then write its timeline, findings and an incident report to a new directory beside it')
    .argument('<bundle>', 'bundle directory')
    .option(
      '-f, --format <list>',
      'json (timeline.jsonl + findings.json, always written), html (incident-report.html), pdf (incident-report.pdf), ocsf (findings.ocsf.json), csv (findings.csv)',
      'json',
    )
    .option('--out <dir>', 'output directory, must not exist (default <BUNDLE_DIR>-analysis)')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
    .option('--config <file>', 'YAML or JSON: expectedIps, expectedPrincipals and rules.<rule-id>.<param> (thresholds, pattern lists)')
    .option('--actor <KEY|ARN|IP>', "print one actor's storyline on stdout: an access key id, a principal or role-session ARN, or a source IP")
    .addHelpText(
      'after',
      helpExamples([
        'forensight analyze ./INC-42-a1b2c3',
        'forensight analyze ./INC-42-a1b2c3 --format json,html,pdf,ocsf --fail-on high',
        'forensight analyze ./INC-42-a1b2c3 --config ir.yaml --actor AKIAIOSFODNN7EXAMPLE',
      ]),
    )
    .action(async (bundle: string, options: AnalyzeCliOptions) => {
      process.exitCode = await analyzeAction(bundle, options, io);
    });
}
