// Outputs written as streams: findings.json is byte for byte what JSON.stringify(value, null, 2) gives, the hash
// returned is the SHA-256 of the bytes on disk, nothing is overwritten, and the sort's read-back survives lines
// longer than its read chunk and text that is not ASCII.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChunkedWriter, writePrettyJson } from '../../src/analysis/chunked-writer.js';
import { compareEvents, type TimelineEvent } from '../../src/analysis/event.js';
import { TimelineSorter, type SortedBatch } from '../../src/analysis/sorter.js';
import { cleanupTempDirs, tempDir, testEvent } from './helpers.js';

afterAll(cleanupTempDirs);

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('writePrettyJson', () => {
  it.each([
    [
      'an object with arrays, nested objects and skipped undefined members',
      { a: 1, b: [1, { c: [2, 3], d: 'x\ny' }, null], e: undefined, f: {}, g: [], h: { i: [{ j: 'é€😀' }] } },
    ],
    ['an empty object', {}],
    ['an array of objects (OCSF output)', [{ a: 1 }, { b: [true, false] }]],
    ['an empty array', []],
    ['array members JSON writes as null', { a: [undefined, () => 1, 2] }],
  ])('%s: the same bytes as JSON.stringify(value, null, 2), and the returned hash is of those bytes', async (_name, value) => {
    const path = join(await tempDir('pretty'), 'out.json');
    const out = new ChunkedWriter(path);
    await writePrettyJson(out, value);
    const hash = await out.close();
    const bytes = await readFile(path);
    expect(bytes.toString('utf8')).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect(hash).toBe(sha256(bytes));
  });

  it('a document of many megabytes streams through in pieces with the right hash', async () => {
    const path = join(await tempDir('pretty'), 'big.json');
    const value = { rows: Array.from({ length: 30_000 }, (_, i) => ({ i, text: 'x'.repeat(100) })) };
    const out = new ChunkedWriter(path);
    await writePrettyJson(out, value);
    const hash = await out.close();
    const bytes = await readFile(path);
    expect(bytes.length).toBeGreaterThan(3 * 1024 * 1024);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(value);
    expect(hash).toBe(sha256(bytes));
  });

  it('never overwrites: an existing file makes close() fail and stays as it was', async () => {
    const path = join(await tempDir('pretty'), 'exists.json');
    await writeFile(path, 'keep');
    const out = new ChunkedWriter(path);
    await out.write('new');
    await expect(out.close()).rejects.toThrow(/EEXIST/);
    expect(await readFile(path, 'utf8')).toBe('keep');
  });
});

describe('TimelineSorter read-back', () => {
  const ev = (i: number, note: string): TimelineEvent => {
    const ref = { path: `f${i % 3}`, line: i };
    return testEvent({
      time: new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % 61) * 1000).toISOString(),
      evidenceRef: ref,
      evidence: [ref],
      detail: { note },
    });
  };

  it('lines longer than a spill frame, and non-ASCII text, come back whole and in order', async () => {
    const dir = await tempDir('sort-long');
    const events = Array.from({ length: 60 }, (_, i) => ev(i, i % 7 === 0 ? `${'é'.repeat(150_000)}${i}` : `klein ü ${i} 😀`));
    const sorter = new TimelineSorter(join(dir, 'runs'), { runSize: 8 }); // 64 KiB spill frames: shorter than the long lines
    for (const e of events) await sorter.add(e);
    const out: TimelineEvent[] = [];
    const lines: string[] = [];
    for await (const batch of sorter.batches()) {
      out.push(...batch.events);
      lines.push(...batch.lines);
    }
    expect(out).toEqual([...events].sort(compareEvents));
    // The line handed out with an event is exactly its JSON: the timeline is written from it.
    expect(lines).toEqual(out.map((e) => JSON.stringify(e)));
  });

  it('without a spill, events come back sorted in batches with their lines, and no run file is written', async () => {
    const dir = join(await tempDir('sort-mem'), 'runs');
    const sorter = new TimelineSorter(dir, 10_000);
    const events = Array.from({ length: 2500 }, (_, i) => ev(i, `n${i}`));
    for (const e of events) expect(sorter.push(e)).toBe(false);
    const batches: SortedBatch[] = [];
    for await (const b of sorter.batches()) batches.push(b);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flatMap((b) => b.events)).toEqual([...events].sort(compareEvents));
    expect(batches.flatMap((b) => b.lines)).toEqual(batches.flatMap((b) => b.events).map((e) => JSON.stringify(e)));
    await expect(readdir(dir)).rejects.toThrow(/ENOENT/); // not even the spill directory
  });

  it.each([
    ['by events', { runSize: 7 }],
    ['by bytes of JSON', { runBytes: 2_000 }],
    ['by both', { runSize: 5, runBytes: 1_000 }],
  ])('a run budget %s spills, and the merge gives the in-memory order; equal keys keep the order they were added in', async (_name, limits) => {
    const dir = join(await tempDir('sort-budget'), 'runs');
    const sorter = new TimelineSorter(dir, limits);
    const events = Array.from({ length: 120 }, (_, i) => ev(i % 40, `copy ${Math.floor(i / 40)}`));
    let spills = 0;
    for (const e of events) {
      if (sorter.push(e)) {
        spills++;
        await sorter.spill();
      }
    }
    expect(spills).toBeGreaterThan(3);
    const out: TimelineEvent[] = [];
    for await (const e of sorter.sorted()) out.push(e);
    expect(out).toEqual([...events].sort(compareEvents));
  });
});
