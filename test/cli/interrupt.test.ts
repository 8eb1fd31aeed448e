// Ctrl-C during a progress bar, as a user presses it: the built CLI runs on a pseudo-terminal (util-linux
// `script`), a stalled emulator call keeps the bar up, and ^C goes through the terminal's line discipline, which
// sends SIGINT to the process. The terminal is given back (cursor shown, wrap on) after the bar, the run says
// what it wrote, and exits 130: scan writes nothing (its files are only written complete, at the end); collect
// seals what it collected as incomplete.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/collect/manifest.js';
import { verifyBundle } from '../../src/collect/verify.js';
import { TERMINAL_RESTORE } from '../../src/cli/interrupt.js';
import { useEmulator } from '../support/emulator.js';

const env = useEmulator();
const bin = resolve(import.meta.dirname, '../../dist/src/cli/bin.js');
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** cli-progress draws its bar with these block characters (shades_classic). */
const BAR_GLYPH = /[\u2588\u2591]/g;
const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

interface TerminalRun {
  code: number | null;
  output: string;
}

/**
 * Runs the CLI on a pseudo-terminal and types ^C once `ready(output)` holds and the proxy has seen the stalled
 * call (checked as output arrives and as requests come in, never after a fixed time).
 */
async function runOnTerminalAndInterrupt(args: string[], stalled: { service: string; action: string }): Promise<TerminalRun> {
  const seen = env.proxy.requests.length;
  const command = `exec ${[process.execPath, bin, ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      NO_COLOR: '1',
      COLUMNS: '100',
      TERM: 'xterm',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let sent = false;
  const poll = setInterval(() => maybeInterrupt(), 25);
  const maybeInterrupt = (): void => {
    const barUp = (output.match(BAR_GLYPH) ?? []).length > 0;
    const hung = env.proxy.requests.slice(seen).some((r) => r.service === stalled.service && r.action === stalled.action);
    if (!sent && barUp && hung) {
      sent = true;
      clearInterval(poll);
      child.stdin.write('\u0003');
    }
  };
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString('utf8');
    maybeInterrupt();
  });
  child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  clearInterval(poll);
  child.stdin.destroy();
  if (!sent) throw new Error(`the run ended (exit ${code}) before the bar was up on the stalled call:\n${output}`);
  return { code, output };
}

/** The part of the output after the bar's last frame. */
function afterBar(output: string): string {
  const last = Math.max(...[...output.matchAll(BAR_GLYPH)].map((m) => m.index));
  return output.slice(last);
}

async function freshDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `forensight-${name}-`));
  dirs.push(dir);
  return dir;
}

describe('Ctrl-C during a progress bar', () => {
  it('scan: restores the terminal after the bar, says nothing was written, leaves no scan.json, exits 130', async () => {
    env.proxy.addRule({ match: { service: 'sagemaker', action: 'ListEndpoints' }, stall: 'no-response' });
    const out = join(await freshDir('scan-int'), 'scan');
    const run = await runOnTerminalAndInterrupt(
      ['scan', '--endpoint-url', env.url, '--regions', 'us-east-1', '--max-attempts', '1', '--request-timeout-ms', '120000', '--out', out],
      { service: 'sagemaker', action: 'ListEndpoints' },
    );
    env.proxy.clearRules();
    expect(run.code).toBe(130);
    const tail = afterBar(run.output);
    expect(tail).toContain('\u001b[?25h');
    expect(tail).toContain(TERMINAL_RESTORE);
    expect(tail.indexOf(TERMINAL_RESTORE)).toBeLessThan(tail.indexOf('interrupted (Ctrl-C)'));
    expect(tail).toMatch(/forensight: interrupted \(Ctrl-C\)\. No output file was written \(files are written only once complete\)\./);
    // Nothing half-written: no scan.json, no temporary file, not even the directory.
    expect(existsSync(out)).toBe(false);
  });

  it('collect: seals what was collected as incomplete, names the bundle after the restored terminal, exits 130', async () => {
    env.proxy.addRule({ match: { service: 'sagemaker', action: 'ListEndpoints' }, stall: 'no-response' });
    const out = await freshDir('collect-int');
    const run = await runOnTerminalAndInterrupt(
      [
        'collect',
        '--incident',
        'INC-TTY',
        '--start',
        '2026-11-01T00:00Z',
        '--end',
        '2026-11-02T00:00Z',
        '--endpoint-url',
        env.url,
        '--regions',
        'us-east-1',
        '--sources',
        'sagemaker,cloudtrail',
        '--max-attempts',
        '1',
        '--request-timeout-ms',
        '120000',
        '--out',
        out,
      ],
      { service: 'sagemaker', action: 'ListEndpoints' },
    );
    env.proxy.clearRules();
    expect(run.code).toBe(130);
    const [name] = await readdir(out);
    const bundle = join(out, name!);
    const manifest = JSON.parse(await readFile(join(bundle, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.incomplete).toEqual({ reason: 'interrupted by SIGINT' });
    expect((await verifyBundle(bundle)).ok).toBe(true);
    const tail = afterBar(run.output);
    expect(tail).toContain(TERMINAL_RESTORE);
    const message = tail.slice(tail.lastIndexOf(TERMINAL_RESTORE));
    expect(message).toMatch(/forensight: interrupted \(Ctrl-C\)\. Files written:\r?\n/);
    expect(message).toContain(`${bundle} (evidence bundle, sealed as INCOMPLETE: interrupted by SIGINT)`);
    expect(tail).toMatch(/sealed INC-TTY-\S+: manifest\.json sha256 [0-9a-f]{64} \(INCOMPLETE: interrupted by SIGINT\)/);
  });
});
