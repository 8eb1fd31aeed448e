// A run loads only the command it names: each command must be reachable through its own entry, with every option
// the whole program gives it, or `forensight <command>` would fail where `forensight --help` lists it.
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { memoryIo } from '../support/cli.js';

const everyCommand = (await buildProgram(memoryIo().io)).commands;

describe('commands loaded on demand', () => {
  it.each(everyCommand.map((c) => [c.name(), c] as const))('%s alone has the same options as in the whole program', async (name, whole) => {
    const alone = await buildProgram(memoryIo().io, [name]);
    const longFlags = (c: { options: readonly { long?: string }[] }): (string | undefined)[] => c.options.map((o) => o.long);
    const names = alone.commands.map((c) => c.name());
    // completion writes a script for every command, so it loads them all.
    expect(names).toEqual(name === 'completion' ? everyCommand.map((c) => c.name()) : expect.arrayContaining([name]));
    expect(names.length).toBeLessThanOrEqual(name === 'completion' ? everyCommand.length : 2);
    expect(longFlags(alone.commands.find((c) => c.name() === name)!)).toEqual(longFlags(whole));
  });

  it('loads every command for top-level help and a mistyped command, and none for --version', async () => {
    const all = everyCommand.map((c) => c.name());
    expect((await buildProgram(memoryIo().io, ['--help'])).commands.map((c) => c.name())).toEqual(all);
    expect((await buildProgram(memoryIo().io, ['scna'])).commands.map((c) => c.name())).toEqual(all);
    expect((await buildProgram(memoryIo().io, ['--version'])).commands).toEqual([]);
  });
});
