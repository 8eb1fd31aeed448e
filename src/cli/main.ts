// forensight command line. The only place that prints; every command maps failures to the exit codes
// of DESIGN.md (0 ok, 1 findings/tampering, 2 bad usage, 3 nothing could be scanned).
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/load.js';
import { DiscoveryError } from '../aws/organization.js';
import { redactSecrets } from '../aws/errors.js';
import { EXIT, NothingScannedError, processIo, UsageError, type Io } from './common.js';
import { TOOL_VERSION } from '../version.js';
import * as scanCommand from './scan.js';
import * as checksCommand from './checks.js';
import * as reportCommand from './report.js';
import * as demoCommand from './demo.js';
import * as collectCommand from './collect.js';
import * as verifyCommand from './verify.js';
import * as analyzeCommand from './analyze.js';
import * as roleTemplateCommand from './role-template.js';

// The SDK warns that Node 20 support ends; that is for us to act on, not noise in the user's output.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (/NodeVersionSupportWarning|AWS SDK for JavaScript \(v3\)/.test(text)) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

export function buildProgram(io: Io): Command {
  const program = new Command('forensight')
    .description('Forensic readiness and evidence collection for AI workloads (SageMaker, Bedrock) across an AWS Organization')
    .version(TOOL_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  for (const command of [scanCommand, reportCommand, checksCommand, collectCommand, verifyCommand, analyzeCommand, roleTemplateCommand, demoCommand]) {
    command.register(program, io);
  }
  for (const sub of program.commands) sub.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return program;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)) return EXIT.ok;
      return EXIT.usage; // commander already printed what was wrong
    }
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr.write(`forensight: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof NothingScannedError || error instanceof DiscoveryError) {
      io.stderr.write(`forensight: ${error.message}\n`);
      return EXIT.nothingScanned;
    }
    io.stderr.write(`forensight: internal error: ${redactSecrets((error as Error)?.stack ?? String(error))}\n`);
    return EXIT.nothingScanned;
  }
}
