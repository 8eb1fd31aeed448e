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
    const heads: (TimelineEvent | null)[] = await Promise.all(readers.map(async (r) => next(r)));
    try {
      for (;;) {
        let best = -1;
        for (let i = 0; i < heads.length; i++) if (heads[i] && (best < 0 || compareEvents(heads[i]!, heads[best]!) < 0)) best = i;
        if (best < 0) break;
        yield heads[best]!;
        heads[best] = await next(readers[best]!);
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
