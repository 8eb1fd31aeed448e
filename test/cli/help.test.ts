// Every command's help ends with examples that use only the flags that command accepts, and the help text
// follows one style: descriptions start lower-case (as commander's own do) and end without a full stop.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { processIo } from '../../src/cli/common.js';
import { buildProgram } from '../../src/cli/main.js';
import { runCli } from '../support/cli.js';

function allCommands(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return [{ path, command }, ...command.commands.flatMap((c) => allCommands(c, [...path, c.name()]))];
}

function acceptedFlags(command: Command): string[] {
  const flags = ['--help', '-h'];
  for (let c: Command | null = command; c; c = c.parent)
    flags.push(...c.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f))));
  return flags;
}

const commands = allCommands(await buildProgram(processIo()));

describe('help', () => {
  it.each(commands.map((c) => [c.path.join(' ') || 'forensight', c] as const))(
    '%s --help has examples that use its own flags',
    async (_name, { path, command }) => {
      const run = await runCli([...path, '--help']);
      expect(run.code).toBe(0);
      const block = run.stdout.split('\nExamples:\n')[1];
      expect(block, run.stdout).toBeDefined();
      const examples = block!.split('\n').filter((l) => l.startsWith('  $ '));
      expect(examples.length).toBeGreaterThan(0);
      for (const line of examples) {
        const words = line
          .slice(4)
          .replace(/\s#.*$/, '')
          .split(/\s+/);
        expect(words.join(' '), line).toContain(['forensight', ...path].join(' '));
        // An example may go on to a subcommand (the root's examples do): its flags are that subcommand's.
        let named = command;
        for (const w of words.slice(words.indexOf('forensight') + 1 + path.length)) named = named.commands.find((c) => c.name() === w) ?? named;
        const flags = acceptedFlags(named);
        for (const flag of words.filter((w) => /^--?[a-zA-Z]/.test(w)).map((w) => w.split('=')[0]!))
          expect(flags, `${line}: ${flag}`).toContain(flag);
      }
    },
  );

  it.each(commands.filter((c) => c.path.length > 0).map((c) => [c.path.join(' '), c.command] as const))(
    '%s: one style for descriptions',
    (_name, command) => {
      expect(command.description()).toMatch(/^[a-z]/);
      expect(command.description()).not.toMatch(/\.$/);
      for (const o of command.options) expect(o.description, o.flags).not.toMatch(/\.$/);
      for (const a of command.registeredArguments) expect(a.description, a.name()).not.toMatch(/\.$/);
    },
  );

  it('the root help ends with the exit-code table', async () => {
    const run = await runCli(['--help']);
    expect(run.stdout).toMatch(/Exit codes: 0 done; 1 .*; 2 bad usage .*; 3 .*; 130 interrupted/);
  });
});
