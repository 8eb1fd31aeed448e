// External merge sort of timeline events: sorted runs of at most runSize events are spilled to disk and
// merged, so a bundle of any size is ordered in bounded memory.
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { compareEvents, type TimelineEvent } from './event.js';
import { readLines } from './lines.js';

export class TimelineSorter {
  private buffer: TimelineEvent[] = [];
  private readonly runs: string[] = [];
  count = 0;

  constructor(
    private readonly tmpDir: string,
    private readonly runSize = 50_000,
  ) {}

  async add(event: TimelineEvent): Promise<void> {
    this.buffer.push(event);
    this.count++;
    if (this.buffer.length >= this.runSize) await this.spill();
  }

  private async spill(): Promise<void> {
    if (this.buffer.length === 0) return;
    this.buffer.sort(compareEvents);
    await mkdir(this.tmpDir, { recursive: true });
    const file = join(this.tmpDir, `run-${String(this.runs.length).padStart(5, '0')}.jsonl`);
    const stream = createWriteStream(file, { flags: 'wx' });
    for (const e of this.buffer) if (!stream.write(`${JSON.stringify(e)}\n`)) await once(stream, 'drain');
    stream.end();
    await once(stream, 'finish');
    this.runs.push(file);
    this.buffer = [];
  }

  /** Every event in timeline order (consumes the sorter). */
  async *sorted(): AsyncGenerator<TimelineEvent> {
    if (this.runs.length === 0) {
      this.buffer.sort(compareEvents);
      yield* this.buffer;
      this.buffer = [];
      return;
    }
    await this.spill();
    const readers = this.runs.map((f) => readLines(f)[Symbol.asyncIterator]());
    // A binary min-heap of the runs' heads: each event costs log(runs) comparisons, not runs.
    const heap: { e: TimelineEvent; r: number }[] = [];
    const less = (i: number, j: number): boolean => compareEvents(heap[i]!.e, heap[j]!.e) < 0 || (compareEvents(heap[i]!.e, heap[j]!.e) === 0 && heap[i]!.r < heap[j]!.r);
    const swap = (i: number, j: number): void => {
      [heap[i], heap[j]] = [heap[j]!, heap[i]!];
    };
    const up = (i: number): void => {
      while (i > 0 && less(i, (i - 1) >> 1)) {
        swap(i, (i - 1) >> 1);
        i = (i - 1) >> 1;
      }
    };
    const down = (i: number): void => {
      for (;;) {
        const l = 2 * i + 1;
        const m = l + 1 < heap.length && less(l + 1, l) ? l + 1 : l;
        if (l >= heap.length || !less(m, i)) return;
        swap(i, m);
        i = m;
      }
    };
    try {
      for (let r = 0; r < readers.length; r++) {
        const e = await next(readers[r]!);
        if (e) {
          heap.push({ e, r });
          up(heap.length - 1);
        }
      }
      while (heap.length) {
        const top = heap[0]!;
        yield top.e;
        const e = await next(readers[top.r]!);
        if (e) heap[0] = { e, r: top.r };
        else {
          heap[0] = heap[heap.length - 1]!;
          heap.pop();
        }
        if (heap.length) down(0);
      }
    } finally {
      await Promise.all(readers.map((r) => r.return?.(undefined)));
      await rm(this.tmpDir, { recursive: true, force: true });
    }
  }
}

async function next(reader: AsyncIterator<string>): Promise<TimelineEvent | null> {
  for (;;) {
    const r = await reader.next();
    if (r.done) return null;
    if (r.value.trim()) return JSON.parse(r.value) as TimelineEvent;
  }
}
