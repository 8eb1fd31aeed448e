// Spilled sort runs hold raw invocation content in the unfinished output folder: they are sealed with a key that
// exists only in the sorting process, so no spill file shows a prompt, a changed byte is refused rather than read,
// and a run stopped by a signal mid-sort leaves no spill behind.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareEvents, type TimelineEvent } from '../../src/analysis/event.js';
import { TimelineSorter } from '../../src/analysis/sorter.js';
import { cleanupTempDirs, tempDir, testEvent } from './helpers.js';

afterAll(cleanupTempDirs);

const PROMPT = 'summarise the merger memo for project BLUEHERON';

const events = (n: number): TimelineEvent[] =>
  Array.from({ length: n }, (_, i) => {
    const ref = { path: `f${i % 3}`, line: i };
    return testEvent({
      time: new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % 61) * 1000).toISOString(),
      evidenceRef: ref,
      evidence: [ref],
      detail: { prompt: `${PROMPT} ${i}`, long: 'x'.repeat(i % 5 === 0 ? 100_000 : 10) },
    });
  });

async function spilled(dir: string, input: TimelineEvent[]): Promise<TimelineSorter> {
  const sorter = new TimelineSorter(dir, { runSize: 7 });
  for (const e of input) if (sorter.push(e)) await sorter.spill();
  await sorter.spill();
  return sorter;
}

describe('sealed sort spills', () => {
  it('no spill file holds the prompt, and the merge gives the events back in order', async () => {
    const dir = join(await tempDir('sort-sealed'), 'runs');
    const input = events(60);
    const sorter = await spilled(dir, input);
    const files = await readdir(dir);
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const bytes = await readFile(join(dir, f));
      expect(bytes.includes(Buffer.from('BLUEHERON'))).toBe(false);
      expect(bytes.includes(Buffer.from('xxxxxxxx'))).toBe(false);
    }
    const out: TimelineEvent[] = [];
    for await (const e of sorter.sorted()) out.push(e);
    expect(out).toEqual([...input].sort(compareEvents));
    expect(existsSync(dir)).toBe(false);
  });

  it('a spill file with one byte changed is refused, not read', async () => {
    const dir = join(await tempDir('sort-tampered'), 'runs');
    const sorter = await spilled(dir, events(30));
    const file = join(dir, (await readdir(dir))[0]!);
    const bytes = await readFile(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0x01, bytes.length - 1);
    await writeFile(file, bytes);
    const drain = async (): Promise<void> => {
      for await (const batch of sorter.batches()) expect(batch.events.length).toBeGreaterThan(0);
    };
    await expect(drain()).rejects.toThrow(/authenticate/);
    expect(existsSync(dir)).toBe(false);
  });

  it('a process stopped by SIGTERM mid-sort removes its spill directory and still ends by that signal', async () => {
    const dir = join(await tempDir('sort-signal'), 'runs');
    const sorterUrl = new URL('../../dist/src/analysis/sorter.js', import.meta.url).href;
    const script = `
      import { TimelineSorter } from ${JSON.stringify(sorterUrl)};
      const sorter = new TimelineSorter(process.argv[1], { runSize: 2 });
      for (let i = 0; i < 10; i++) {
        const ref = { path: 'f', line: i };
        if (sorter.push({ time: '2024-01-01T00:00:0' + i + '.000Z', evidenceRef: ref, evidence: [ref], detail: { prompt: 'p' } })) await sorter.spill();
      }
      process.stdout.write('spilled\\n');
      setTimeout(() => {}, 60_000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let spilledDir = false;
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.stdout.on('data', (d: Buffer) => {
      if (!d.toString().includes('spilled')) return;
      spilledDir = existsSync(dir);
      child.kill('SIGTERM');
    });
    expect(await ended).toBe('SIGTERM');
    expect(spilledDir).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });
});
