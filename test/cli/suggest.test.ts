// Did-you-mean through the CLI, per command: a suggestion is always a flag of that command with the same
// meaning, never one that merely looks alike (--output is a format, not the --out directory).
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('unknown flags', () => {
  it.each([
    ['scan', '--output', '--format'],
    ['report', '--output', '--format'],
    ['analyze', '--output', '--format'],
    ['collect', '--output', null], // collect has no format flag, and --out is a directory
    ['verify', '--output', null],
    ['scan', '--output-dir', '--out'],
    ['collect', '--outdir', '--out'],
    ['scan', '--regoin', '--region'],
    ['scan', '--regionz', '--region or --regions'], // equally near: both, not a guess
    ['hunt', '--home-region', '--region'],
    ['scan', '--profiel', '--profile'],
    ['export securityhub', '--dryrun', '--dry-run'],
    ['checks', '--services', '--service'],
    ['checks', '--status', null],
    ['scan', '--no-colour', '--no-color'],
    ['collect', '--start-time', null],
    ['scan', '--verbose', null],
  ])('%s %s suggests %s', async (command, typed, expected) => {
    const run = await runCli([...command.split(' '), typed, 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^forensight: unknown option '${typed}'`));
    if (expected) expect(run.stderr).toContain(`(Did you mean ${expected}?)`);
    else expect(run.stderr).not.toMatch(/Did you mean/);
  });
});
