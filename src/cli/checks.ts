// forensight checks: the catalogue, as a table or as JSON metadata.
import type { Command } from 'commander';
import { allChecks } from '../../checks/index.js';
import type { Io } from './common.js';

export function register(program: Command, io: Io): void {
  program
    .command('checks')
    .description('List the check catalogue')
    .option('--json', 'full metadata as JSON (rationale, remediation, frameworks, parameters)')
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        io.stdout.write(`${JSON.stringify(allChecks.map((c) => c.meta), null, 2)}\n`);
        return;
      }
      const width = Math.max(...allChecks.map((c) => c.meta.id.length));
      for (const { meta } of allChecks) {
        io.stdout.write(`${meta.id.padEnd(width)}  ${meta.severity.padEnd(8)}  ${meta.scope.padEnd(12)}  ${meta.title}\n`);
      }
    });
}
