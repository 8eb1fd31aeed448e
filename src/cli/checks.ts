// forensight checks: the catalogue, as a table (with a header) or as JSON metadata, filtered by severity and
// service; forensight frameworks: the compliance frameworks with their controls and the checks behind each.
import type { Command } from 'commander';
import { allChecks } from '../../checks/index.js';
import { frameworkCatalogue } from '../../checks/frameworks.js';
import type { CheckMetadata } from '../../checks/types.js';
import { helpExamples, splitList, UsageError, type Io } from './common.js';
import { parseSeverityFilter } from './report.js';
import { terminalSafeJson } from './terminal.js';

interface RawChecksOptions {
  json?: boolean;
  severity?: string;
  service?: string;
}

export function selectCatalogue(opts: RawChecksOptions): CheckMetadata[] {
  const severities = parseSeverityFilter(opts.severity);
  const services = opts.service === undefined ? undefined : splitList(opts.service).map((s) => s.toLowerCase());
  const known = [...new Set(allChecks.map((c) => c.meta.service.toLowerCase()))].sort();
  for (const s of services ?? [])
    if (!known.includes(s)) throw new UsageError(`--service: "${s}" is not a service of any check; use ${known.join(', ')}.`);
  return allChecks
    .map((c) => c.meta)
    .filter((m) => (!severities || severities.includes(m.severity)) && (!services || services.includes(m.service.toLowerCase())));
}

export function register(program: Command, io: Io): void {
  program
    .command('checks')
    .description('list the check catalogue')
    .option('--json', 'full metadata as JSON (rationale, remediation, frameworks, parameters)')
    .option('--severity <list>', 'only checks of these severities (critical, high, medium, low)')
    .option('--service <list>', 'only checks of these services (cloudtrail, bedrock, sagemaker, s3, ...)')
    .addHelpText(
      'after',
      helpExamples(['forensight checks', 'forensight checks --severity critical,high --service cloudtrail', 'forensight checks --json']),
    )
    .action((opts: RawChecksOptions) => {
      const list = selectCatalogue(opts);
      if (opts.json) {
        io.stdout.write(`${terminalSafeJson(list)}\n`);
        return;
      }
      const width = Math.max('id'.length, ...list.map((m) => m.id.length));
      io.stdout.write(`${'id'.padEnd(width)}  ${'severity'.padEnd(8)}  ${'service'.padEnd(10)}  ${'scope'.padEnd(12)}  title\n`);
      for (const m of list)
        io.stdout.write(`${m.id.padEnd(width)}  ${m.severity.padEnd(8)}  ${m.service.padEnd(10)}  ${m.scope.padEnd(12)}  ${m.title}\n`);
    });
  program
    .command('frameworks')
    .description('list the compliance frameworks, their controls and the checks that support each')
    .option('--json', 'as JSON')
    .addHelpText('after', helpExamples(['forensight frameworks', 'forensight frameworks --json']))
    .action((opts: { json?: boolean }) => {
      const withChecks = frameworkCatalogue.map((f) => ({
        ...f,
        controls: f.controls.map((c) => ({
          ...c,
          checks: allChecks.filter((k) => k.meta.frameworks.some((x) => x.framework === f.id && x.control === c.id)).map((k) => k.meta.id),
        })),
      }));
      if (opts.json) {
        io.stdout.write(`${terminalSafeJson(withChecks)}\n`);
        return;
      }
      for (const f of withChecks) {
        io.stdout.write(`${f.name} (${f.id}, ${f.version})\n`);
        for (const c of f.controls) io.stdout.write(`  ${c.id.padEnd(12)} ${c.title}${c.checks.length ? `  [${c.checks.join(', ')}]` : ''}\n`);
      }
    });
}
