// External merge sort of timeline events: sorted runs of at most runSize events are spilled to disk and
// merged, so a bundle of any size is ordered in bounded memory. The merge hands out batches and reads each run
// in large chunks, so an event costs no await of its own; the JSON line an event was read back from is kept
// (jsonLineOf), so an event that leaves the correlator unchanged is not serialised a second time.
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ChunkedWriter } from './chunked-writer.js';
import { compareEvents, type TimelineEvent } from './event.js';

/** The line each read-back event was parsed from. Events are never mutated after reading (merges make new ones). */
const LINES = new WeakMap<TimelineEvent, string>();

/** The event as one JSON line (no newline): the line it was read back from, else a fresh JSON.stringify. */
export const jsonLineOf = (e: TimelineEvent): string => LINES.get(e) ?? JSON.stringify(e);

/** Bytes of spill-run text read at once, over all runs (each run gets its share, within the bounds). */
const READ_BUDGET_BYTES = 64 * 1024 * 1024;
const MIN_CHUNK = 64 * 1024;
const MAX_CHUNK = 1024 * 1024;
/** Events handed out per batch by batches(). */
const BATCH = 1024;

export class TimelineSorter {
  private buffer: TimelineEvent[] = [];
  private readonly runs: string[] = [];
  count = 0;

  constructor(
    private readonly tmpDir: string,
    private readonly runSize = 50_000,
  ) {}

  /** Adds one event; true when the in-memory run is full and spill() must be awaited before the next add. */
  push(event: TimelineEvent): boolean {
    this.buffer.push(event);
    this.count++;
    return this.buffer.length >= this.runSize;
  }

  async add(event: TimelineEvent): Promise<void> {
    if (this.push(event)) await this.spill();
  }

  async spill(): Promise<void> {
    if (this.buffer.length === 0) return;
    this.buffer.sort(compareEvents);
    await mkdir(this.tmpDir, { recursive: true });
    const file = join(this.tmpDir, `run-${String(this.runs.length).padStart(5, '0')}.jsonl`);
    const out = new ChunkedWriter(file, { hashed: false });
    for (const e of this.buffer) await out.write(`${JSON.stringify(e)}\n`);
    await out.close();
    this.runs.push(file);
    this.buffer = [];
  }

  /** Every event in timeline order (consumes the sorter). */
  async *sorted(): AsyncGenerator<TimelineEvent> {
    for await (const batch of this.batches()) yield* batch;
  }

  /** Every event in timeline order, in batches (consumes the sorter). */
  async *batches(): AsyncGenerator<TimelineEvent[]> {
    if (this.runs.length === 0) {
      this.buffer.sort(compareEvents);
      for (let i = 0; i < this.buffer.length; i += BATCH) yield this.buffer.slice(i, i + BATCH);
      this.buffer = [];
      return;
    }
    await this.spill();
    const chunk = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.floor(READ_BUDGET_BYTES / this.runs.length)));
    const readers = await Promise.all(this.runs.map(async (f) => new RunReader(await open(f, 'r'), chunk)));
    try {
      const heap = new RunHeap();
      for (let r = 0; r < readers.length; r++) {
        const e = await readers[r]!.next();
        if (e) heap.push(e, r);
      }
      let batch: TimelineEvent[] = [];
      while (heap.size) {
        const top = heap.top();
        batch.push(top.e);
        const reader = readers[top.r]!;
        const e = reader.nextBuffered() ?? (await reader.next());
        if (e) heap.replaceTop(e);
        else heap.popTop();
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    } finally {
      await Promise.all(readers.map((r) => r.close()));
      await rm(this.tmpDir, { recursive: true, force: true });
    }
  }
}

/** A binary min-heap of the runs' heads: each event costs log(runs) comparisons; ties go to the earlier run. */
class RunHeap {
  private readonly items: { e: TimelineEvent; r: number }[] = [];

  get size(): number {
    return this.items.length;
  }

  top(): { e: TimelineEvent; r: number } {
    return this.items[0]!;
  }

  push(e: TimelineEvent, r: number): void {
    this.items.push({ e, r });
    let i = this.items.length - 1;
    while (i > 0 && this.less(i, (i - 1) >> 1)) {
      this.swap(i, (i - 1) >> 1);
      i = (i - 1) >> 1;
    }
  }

  replaceTop(e: TimelineEvent): void {
    this.items[0]!.e = e;
    this.down(0);
  }

  popTop(): void {
    const last = this.items.pop()!;
    if (this.items.length === 0) return;
    this.items[0] = last;
    this.down(0);
  }

  private less(i: number, j: number): boolean {
    const a = this.items[i]!;
    const b = this.items[j]!;
    const c = compareEvents(a.e, b.e);
    return c < 0 || (c === 0 && a.r < b.r);
  }

  private swap(i: number, j: number): void {
    [this.items[i], this.items[j]] = [this.items[j]!, this.items[i]!];
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const m = l + 1 < n && this.less(l + 1, l) ? l + 1 : l;
      if (!this.less(m, i)) return;
      this.swap(i, m);
      i = m;
    }
  }
}

/** One spill run read back in chunks of `chunk` bytes, parsed a chunk at a time. Runs are our own files: trusted JSON lines. */
class RunReader {
  private events: TimelineEvent[] = [];
  private at = 0;
  /** Bytes after the last newline read so far (a line may span chunks). */
  private carry: Buffer[] = [];
  private position = 0;
  private done = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly chunk: number,
  ) {}

  nextBuffered(): TimelineEvent | null {
    return this.at < this.events.length ? this.events[this.at++]! : null;
  }

  async next(): Promise<TimelineEvent | null> {
    while (this.at >= this.events.length && !this.done) await this.fill();
    return this.nextBuffered();
  }

  close(): Promise<void> {
    return this.handle.close();
  }

  private async fill(): Promise<void> {
    const buf = Buffer.allocUnsafe(this.chunk);
    const { bytesRead } = await this.handle.read(buf, 0, this.chunk, this.position);
    this.position += bytesRead;
    if (bytesRead === 0) this.done = true;
    const read = buf.subarray(0, bytesRead);
    this.events = [];
    this.at = 0;
    const nl = read.lastIndexOf(0x0a);
    if (nl < 0 && !this.done) {
      // A line longer than a chunk (a record near the size limit): keep its parts until its newline arrives.
      this.carry.push(read);
      return;
    }
    const last = this.done ? read.length : nl + 1;
    const data = this.carry.length ? Buffer.concat([...this.carry, read.subarray(0, last)]) : read.subarray(0, last);
    this.carry = last < read.length ? [Buffer.from(read.subarray(last))] : [];
    for (const line of data.toString('utf8').split('\n')) {
      if (!line) continue;
      const e = JSON.parse(line) as TimelineEvent;
      LINES.set(e, line);
      this.events.push(e);
    }
  }
}
