// `forensight checks | head`: when the reader closes the pipe the CLI stops quietly with 141 (128 + SIGPIPE),
// not an unhandled EPIPE stack trace.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = resolve(import.meta.dirname, '../../dist/src/cli/bin.js');

describe('stdout closed early', () => {
  it('checks into a pipe whose reader has already gone exits 141 without a stack trace', async () => {
    const child = spawn(process.execPath, [bin, 'checks'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Closed before the CLI has started (its start takes far longer than this line), so its first write fails.
    child.stdout.destroy();
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect(code).toBe(141);
  });
});
