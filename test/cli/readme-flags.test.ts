// The README's command reference is the commander tree's: every command with every flag it shows in --help
// (short alias, long form, value, description, default), so the docs cannot drift from the CLI.
// Regenerate after changing a flag: UPDATE_README_FLAGS=1 npx vitest run test/cli/readme-flags.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { memoryIo } from '../support/cli.js';

const START = '<!-- cli-flags:start (generated from the commander tree by test/cli/readme-flags.test.ts) -->';
const END = '<!-- cli-flags:end -->';
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

function commands(program: Command): { path: string; command: Command }[] {
  const all: { path: string; command: Command }[] = [];
  const visit = (c: Command, path: string): void => {
    all.push({ path, command: c });
    for (const sub of c.commands) visit(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  visit(program, '');
  return all;
}

function usageOf(path: string, command: Command): string {
  const args = command.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
  return `forensight${path ? ` ${path}` : ''}${args ? ` ${args}` : ''}`;
}

async function referenceMarkdown(): Promise<string> {
  const program = await buildProgram(memoryIo().io);
  const sections = commands(program).flatMap(({ path, command }) => {
    const visible = command.options.filter((o) => !o.hidden);
    const head = `**\`${usageOf(path, command)}\`**${path ? '' : ' (global flags, before the command)'}: ${cell(command.description())}`;
    if (visible.length === 0) return [head, ''];
    const rows = visible.map((o) => {
      const fallback = o.defaultValue !== undefined && typeof o.defaultValue !== 'boolean' ? ` (default \`${String(o.defaultValue)}\`)` : '';
      return `| \`${o.flags}\` | ${cell(o.description)}${fallback} |`;
    });
    return [head, '', '| flag | meaning |', '| --- | --- |', ...rows, ''];
  });
  return [START, ...sections, END].join('\n');
}

describe('README command reference', () => {
  it('lists every command and every visible flag of the commander tree', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const expected = await referenceMarkdown();
    if (process.env.UPDATE_README_FLAGS === '1') {
      const at = readme.indexOf(START);
      const next =
        at >= 0
          ? readme.slice(0, at) + expected + readme.slice(readme.indexOf(END) + END.length)
          : readme.replace('## Hunting across the Organization', `### Command reference\n\n${expected}\n\n## Hunting across the Organization`);
      writeFileSync('README.md', next);
      return;
    }
    const at = readme.indexOf(START);
    expect(at, 'README has no generated command reference').toBeGreaterThanOrEqual(0);
    expect(readme.slice(at, readme.indexOf(END) + END.length)).toBe(expected);
  });

  it('every long flag of every command also appears in the hand-written usage text outside the generated reference', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const prose = readme.slice(0, readme.indexOf(START)) + readme.slice(readme.indexOf(END) + END.length);
    const program = await buildProgram(memoryIo().io);
    const missing = commands(program).flatMap(({ path, command }) =>
      command.options
        .filter((o) => !o.hidden && o.long && !new RegExp(`${o.long}(?![\\w-])`).test(prose))
        .map((o) => `${path || '(global)'} ${o.long}`),
    );
    expect(missing).toEqual([]);
  });
});
