// Runs the CLI in-process with captured stdout/stderr, as a user would from a shell.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { ScanDocument } from '../../src/model/scan.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The io of a command action that keeps what it writes: `out` and `err` hold each write. */
export function memoryIo(): {
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; stderrIsTTY: false };
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream,
      stderr: { write: (s: string) => err.push(s) } as unknown as NodeJS.WritableStream,
      stderrIsTTY: false,
    },
    out,
    err,
  };
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

export interface ScanRun extends CliRun {
  scan: ScanDocument;
}

/** `forensight scan ... --out <fresh dir>` on the emulator, returning the scan.json it wrote (which it always must). */
export async function runScanCli(endpointUrl: string, outDir: string, args: string[]): Promise<ScanRun> {
  const run = await runCli(['scan', '--regions', 'us-east-1', '--endpoint-url', endpointUrl, '--out', outDir, ...args]);
  const file = join(outDir, 'scan.json');
  if (!existsSync(file)) throw new Error(`scan wrote no scan.json (exit ${run.code}): ${run.stderr}`);
  return { ...run, scan: JSON.parse(readFileSync(file, 'utf8')) };
}
