// forensight command line. The only place that prints; every failure maps to the exit codes of DESIGN.md
// (0 ok, 1 gate failed/findings/tampering, 2 bad usage, 3 nothing could be scanned or internal error,
// 130 interrupted) through the error's own exitCode.
import { Command, CommanderError } from 'commander';
import { redactSecrets } from '../aws/errors.js';
import { ERROR_PREFIX, EXIT, EXIT_CODE_TABLE, exitCodeOf, helpExamples, processIo, type Io } from './common.js';
import { installInterruptHandler } from './interrupt.js';
import { guardIo, sanitizeInline } from './terminal.js';
import { suggestFlag } from './suggest.js';
import { TOOL_VERSION } from '../version.js';

interface CommandModule {
  register(program: Command, io: Io): void;
}

/**
 * Every command, in the order help lists them. A run loads only the module of the command it names: loading them
 * all (every SDK client, the checks, the report renderers) cost about 2 s of CPU before `--version` could answer.
 */
const COMMAND_MODULES: ReadonlyArray<readonly [names: readonly string[], load: () => Promise<CommandModule>]> = [
  [['scan'], () => import('./scan.js')],
  [['report'], () => import('./report.js')],
  [['checks', 'frameworks'], () => import('./checks.js')],
  [['collect'], () => import('./collect.js')],
  [['verify'], () => import('./verify.js')],
  [['analyze'], () => import('./analyze.js')],
  [['hunt'], () => import('./hunt.js')],
  [['export'], () => import('./export.js')],
  [['role-template'], () => import('./role-template.js')],
  [['demo'], () => import('./demo.js')],
  [['completion'], () => import('./completion.js')],
];

/** `completion` writes a script for every command, so it needs them all. */
const NEEDS_EVERY_COMMAND = new Set(['completion']);

/**
 * The command modules a run needs: the one it names, or all of them (top-level help, `help`, a mistyped command).
 * The first argument that is not a flag names the command: no top-level flag takes a value.
 */
async function commandModulesFor(argv: readonly string[]): Promise<CommandModule[]> {
  const named = argv.find((arg) => !arg.startsWith('-'));
  if (named === undefined && argv.some((arg) => arg === '--version' || arg === '-V')) return [];
  const only = NEEDS_EVERY_COMMAND.has(named ?? '') ? [] : COMMAND_MODULES.filter(([names]) => names.includes(named ?? ''));
  return Promise.all((only.length > 0 ? only : COMMAND_MODULES).map(([, load]) => load()));
}

// The SDK warns that Node 20 support ends; that is for us to act on, not noise in the user's output.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (/NodeVersionSupportWarning|AWS SDK for JavaScript \(v3\)/.test(text)) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
};

/** Long flags a command accepts, its own and its parents'. */
function flagsOf(command: Command): string[] {
  const flags: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) flags.push(...c.options.flatMap((o) => (o.long ? [o.long] : [])));
  return flags;
}

/** Commander's errors get the one prefix, and unknown flags our did-you-mean (see suggest.ts). */
export function rewriteCommanderError(text: string, command: Command): string {
  let out = text.replace(/^error: /, ERROR_PREFIX);
  const unknown = /unknown option '([^']+)'/.exec(out);
  if (unknown) {
    const suggestion = suggestFlag(unknown[1]!, flagsOf(command));
    out = out
      .replace(/\n?\(Did you mean [^)]*\)/, '')
      .replace(/(unknown option '[^']+')/, `$1${suggestion ? `\n(Did you mean ${suggestion}?)` : ''}`);
  }
  return out;
}

/** The (sub)command the arguments name: commander shares one output configuration between all commands. */
function commandNamed(program: Command, argv: readonly string[]): Command {
  let command = program;
  for (const arg of argv) {
    const sub = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (sub) command = sub;
  }
  return command;
}

function configure(command: Command): void {
  command.exitOverride().showSuggestionAfterError(false);
  for (const sub of command.commands) configure(sub);
}

export async function buildProgram(io: Io, argv: readonly string[] = []): Promise<Command> {
  const program = new Command('forensight')
    .description('Forensic readiness and evidence collection for AI workloads (SageMaker, Bedrock) across an AWS Organization')
    .version(TOOL_VERSION, '-V, --version', 'print the version')
    .option('--debug', 'print the stack trace of an internal error')
    .option('-q, --quiet', 'no progress and no summary on stderr (errors still print; the exit code tells the outcome)')
    .option('--no-color', 'no colour on stderr (also when NO_COLOR is set or stderr is not a terminal)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `${helpExamples(['forensight scan --org --fail-on high', 'forensight collect --incident INC-42 --start 2026-11-30T00:00Z --end 2026-12-01T12:00Z', 'forensight analyze ./INC-42-a1b2c3', 'forensight scan --help'])}\nExit codes: ${EXIT_CODE_TABLE}\n`,
    );
  program.hook('preAction', () => {
    const opts = program.opts<{ quiet?: boolean; color?: boolean }>();
    io.quiet = opts.quiet === true;
    io.color = opts.color !== false && !process.env.NO_COLOR && io.stderrIsTTY;
  });
  for (const command of await commandModulesFor(argv)) command.register(program, io);
  configure(program);
  program.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    outputError: (s, write) => write(rewriteCommanderError(s, commandNamed(program, argv))),
  });
  return program;
}

/** The one line an unexpected error prints; the stack only with --debug. Secrets are redacted either way. */
export function internalErrorLine(error: unknown, debug: boolean): string {
  const err = error instanceof Error ? error : new Error(String(error));
  const detail = debug
    ? (err.stack ?? err.message)
    : `${err.name === 'Error' ? '' : `${err.name}: `}${sanitizeInline(err.message)} (run with --debug for the stack trace)`;
  return `${ERROR_PREFIX}internal error: ${redactSecrets(detail)}\n`;
}

export async function main(argv: string[], rawIo: Io = processIo()): Promise<number> {
  const io = guardIo(rawIo);
  const debug = argv.includes('--debug') || process.env.FORENSIGHT_DEBUG === '1';
  const program = await buildProgram(io, argv);
  const removeInterruptHandler = installInterruptHandler(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)) return EXIT.ok;
      return EXIT.usage; // commander already printed what was wrong
    }
    const code = exitCodeOf(error);
    const known = (error as { exitCode?: unknown })?.exitCode === code;
    io.stderr.write(known ? `${ERROR_PREFIX}${redactSecrets((error as Error).message)}\n` : internalErrorLine(error, debug));
    return code;
  } finally {
    removeInterruptHandler();
  }
}
