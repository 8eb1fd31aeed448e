// Runs the CLI in-process with captured stdout/stderr, as a user would from a shell.
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[]): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const previous = process.exitCode;
  process.exitCode = undefined;
  const code = await main(args, { stdout, stderr, stderrIsTTY: false });
  process.exitCode = previous;
  return { code, stdout: out, stderr: err };
}
