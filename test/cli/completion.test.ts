// forensight completion bash|zsh: generated from the commander tree, so every command and visible flag is in
// both scripts; bash accepts the script, and completing words in a real bash gives the right candidates.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { completionTree } from '../../src/cli/completion.js';
import { buildProgram } from '../../src/cli/main.js';
import { processIo } from '../../src/cli/common.js';
import { runCli } from '../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'forensight-completion-'));
const program = await buildProgram(processIo());

function allCommands(command: Command, path = ''): { path: string; command: Command }[] {
  return [{ path, command }, ...command.commands.flatMap((c) => allCommands(c, path ? `${path} ${c.name()}` : c.name()))];
}

async function script(shell: 'bash' | 'zsh'): Promise<string> {
  const run = await runCli(['completion', shell]);
  expect(run.code).toBe(0);
  return run.stdout;
}

/** Sources the bash script and completes `words` (the last one being the word under the cursor). */
function complete(bashScript: string, words: string[]): string[] {
  const file = join(tmp, 'forensight.bash');
  writeFileSync(file, bashScript);
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const body = `source '${file}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _forensight; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const run = spawnSync('bash', ['-c', body], { cwd: tmp, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split('\n').filter(Boolean);
}

describe('completion scripts', () => {
  const commands = allCommands(program);

  it('the tree has every command, and each command every visible flag it accepts (its own and inherited)', () => {
    const tree = new Map(completionTree(program).map((n) => [n.path, n]));
    expect([...tree.keys()].sort()).toEqual(commands.map((c) => c.path).sort());
    for (const { path, command } of commands) {
      const flags = tree.get(path)!.flags.map((f) => f.flag);
      for (let c: Command | null = command; c; c = c.parent) {
        for (const o of c.options.filter((x) => !x.hidden)) {
          if (c !== command && ['--version', '-V'].includes(o.long ?? '')) continue;
          expect(flags, `${path || 'forensight'} ${o.flags}`).toContain(o.long);
          if (o.short) expect(flags, `${path} ${o.flags}`).toContain(o.short);
        }
      }
      expect(flags).toContain('--help');
      expect(tree.get(path)!.subcommands.map((s) => s.name)).toEqual(command.commands.map((c) => c.name()));
    }
  });

  it('hidden flags are not offered', () => {
    const scan = completionTree(program).find((n) => n.path === 'scan')!;
    expect(scan.flags.map((f) => f.flag)).not.toContain('--max-attempts');
  });

  it.each(['bash', 'zsh'] as const)('the %s script names every command and every visible flag', async (shell) => {
    const text = await script(shell);
    for (const { path, command } of commands) {
      expect(text).toContain(`"${path}")`);
      for (const o of command.options.filter((x) => !x.hidden)) expect(text, `${path} ${o.flags}`).toContain(o.long!);
    }
  });

  it('bash -n accepts the bash script', async () => {
    const file = join(tmp, 'syntax.bash');
    writeFileSync(file, await script('bash'));
    const run = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('the zsh script registers itself with compdef and describes flags with escaped colons', async () => {
    const text = await script('zsh');
    expect(text.startsWith('#compdef forensight\n')).toBe(true);
    expect(text).toContain('compdef _forensight forensight');
    expect(text).toContain(`'--start:window start, ISO-8601 with zone (2026-11-01T00\\:00Z)'`);
    expect(text).not.toMatch(/\bpath=/); // $path is zsh's PATH array
  });

  it('an unknown shell is exit 2 naming the choices', async () => {
    const run = await runCli(['completion', 'fish']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^forensight: .*'fish' is invalid.*bash, zsh/);
  });
});

describe('bash completes', () => {
  it.each([
    ['commands at the root', ['forensight', 'co'], ['collect', 'completion']],
    ['a subcommand', ['forensight', 'export', 's'], ['securityhub']],
    ['the flags of the command', ['forensight', 'scan', '--reg'], ['--region', '--regions']],
    ['after a global flag', ['forensight', '-q', 'verify', '--ex'], ['--expect']],
    ['the flags of a nested command', ['forensight', 'export', 'securityhub', '--d'], ['--debug', '--dry-run']],
    ['argument choices', ['forensight', 'completion', ''], ['bash', 'zsh']],
    ['a flag value as a file, not a command', ['forensight', 'scan', '--out', 'sca'], ['scan-results']],
    ['flags after a flag value that looks like a command', ['forensight', 'report', '--out', 'scan', '--for'], ['--force', '--format']],
  ])('%s', async (_name, words, expected) => {
    writeFileSync(join(tmp, 'scan-results'), '');
    expect(complete(await script('bash'), words).sort()).toEqual(expected);
  });
});
