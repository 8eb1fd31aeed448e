// forensight role-template: print the CloudFormation template of the scan and collection roles.
import type { Command } from 'commander';
import { EXIT, helpExamples, UsageError, type Io } from './common.js';

export async function roleTemplateAction(options: { format?: string }, io: Io): Promise<number> {
  const format = (options.format ?? 'yaml').toLowerCase();
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`--format: "${options.format}" is not yaml or json.`);
  // Loaded only to print: the template is built from every collector's IAM declarations, which load their SDK clients.
  const { renderRoleTemplate } = await import('../collect/role-template.js');
  io.stdout.write(renderRoleTemplate(format));
  return EXIT.ok;
}

export function register(program: Command, io: Io): void {
  program
    .command('role-template')
    .description('print a CloudFormation template (StackSet-ready) for the read-only scan role and the collection role')
    .option('--format <fmt>', 'yaml or json', 'yaml')
    .addHelpText('after', helpExamples(['forensight role-template > forensight-roles.yaml', 'forensight role-template --format json']))
    .action(async (options: { format?: string }) => {
      process.exitCode = await roleTemplateAction(options, io);
    });
}
