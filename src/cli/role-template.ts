// forensight role-template: print the CloudFormation template of the scan and collection roles.
import type { Command } from 'commander';
import { renderRoleTemplate } from '../collect/role-template.js';
import { EXIT, helpExamples, UsageError, type Io } from './common.js';

export function roleTemplateAction(options: { format?: string }, io: Io): number {
  const format = (options.format ?? 'yaml').toLowerCase();
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`--format: "${options.format}" is not yaml or json.`);
  io.stdout.write(renderRoleTemplate(format));
  return EXIT.ok;
}

export function register(program: Command, io: Io): void {
  program
    .command('role-template')
    .description('print a CloudFormation template (StackSet-ready) for the read-only scan role and the collection role')
    .option('--format <fmt>', 'yaml or json', 'yaml')
    .addHelpText('after', helpExamples(['forensight role-template > forensight-roles.yaml', 'forensight role-template --format json']))
    .action((options: { format?: string }) => {
      process.exitCode = roleTemplateAction(options, io);
    });
}
