// External merge sort of timeline events in bounded memory. Each event is serialised once, when it is added: the
// sorter keeps only its sort key and its JSON line (the line timeline.jsonl is written from) as UTF-8 bytes outside
// the JS heap, never the object, so a full run costs the garbage collector almost nothing. Runs of at most runBytes
// (or runSize events) are sorted and spilled as `[key]\t<json>` lines; the merge compares the small key and parses
// an event only when it is handed out, so it holds text, not objects; nothing is read back when one run held all.
// Spilled runs hold raw invocation content: they are written encrypted (AES-256-GCM, in frames, with a key made for
// the sort and held only in memory), and the spill directory is removed when the merge ends, on SIGINT/SIGTERM and
// at exit, so an interrupted run leaves nothing readable behind.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeText } from './lines.js';
import type { TimelineEvent } from './event.js';

/** Timeline order's key (event.ts compareEvents): time, then file, line and record. */
export type SortKey = readonly [time: string, path: string, line: number, record: number];

/** Events in timeline order with the JSON line each was parsed from (lines[i] === JSON.stringify(events[i])). */
export interface SortedBatch {
  events: TimelineEvent[];
  lines: string[];
}

export interface SorterLimits {
  /** Events per sorted run before spilling (a test knob; the byte budget is what bounds memory). */
  runSize?: number;
  /** Bytes of memory a run may take (its UTF-8 lines and per-event keys) before it is spilled. */
  runBytes?: number;
}

export const DEFAULT_SORTER_LIMITS: Required<SorterLimits> = {
  runSize: Number.MAX_SAFE_INTEGER,
  runBytes: 96 * 1024 * 1024,
};

/** Events handed out per batch. */
const BATCH = 1024;

export const keyOf = (e: TimelineEvent): SortKey => [e.time, e.evidenceRef.path, e.evidenceRef.line ?? 0, e.evidenceRef.record ?? 0];

function compareKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[2] - b[2] || a[3] - b[3];
}

/** An added event: its key, and where its line's bytes are in the run's chunks. */
interface Entry {
  key: SortKey;
  chunk: number;
  start: number;
  end: number;
}

/** What an entry costs in the JS heap beside its bytes (the key tuple, its time string, the entry): an estimate. */
const ENTRY_OVERHEAD = 160;
const RUN_CHUNK = 4 * 1024 * 1024;

/** The lines of one run as UTF-8 in large buffers, reused from run to run. */
class RunBytes {
  private chunks: Buffer[] = [];
  private current = 0;
  private used = 0;

  /** Stores `line`; where it is. */
  add(line: string): { chunk: number; start: number; end: number } {
    const most = line.length * 3;
    if (this.chunks.length === 0 || most > this.chunks[this.current]!.length - this.used) this.next(most);
    const start = this.used;
    this.used += this.chunks[this.current]!.write(line, start, 'utf8');
    return { chunk: this.current, start, end: this.used };
  }

  /** Stores a line already encoded (UTF-8 of JSON.stringify of the event, as a reader thread made it); where it is. */
  addEncoded(line: Uint8Array): { chunk: number; start: number; end: number } {
    if (this.chunks.length === 0 || line.length > this.chunks[this.current]!.length - this.used) this.next(line.length);
    const start = this.used;
    this.chunks[this.current]!.set(line, start);
    this.used += line.length;
    return { chunk: this.current, start, end: this.used };
  }

  bytes(e: Entry): Buffer {
    return this.chunks[e.chunk]!.subarray(e.start, e.end);
  }

  /** Forgets every line (the buffers stay for the next run). */
  reset(): void {
    this.current = 0;
    this.used = 0;
    this.chunks = this.chunks.filter((c) => c.length === RUN_CHUNK);
  }

  private next(atLeast: number): void {
    if (this.chunks.length > 0) this.current++;
    this.used = 0;
    if (atLeast > RUN_CHUNK) this.chunks.splice(this.current, 0, Buffer.allocUnsafe(atLeast));
    else if (this.current >= this.chunks.length) this.chunks.push(Buffer.allocUnsafe(RUN_CHUNK));
  }
}

export class TimelineSorter {
  private buffer: Entry[] = [];
  private readonly bytes = new RunBytes();
  private bufferedBytes = 0;
  private readonly runs: string[] = [];
  private readonly limits: Required<SorterLimits>;
  /** The spill runs' key: made for this sort, never written anywhere. */
  private readonly key = randomBytes(32);
  private guard: SpillGuard | null = null;
  count = 0;

  /** `limits` as a number is runSize (events per run). */
  constructor(
    private readonly tmpDir: string,
    limits: SorterLimits | number = {},
  ) {
    this.limits = { ...DEFAULT_SORTER_LIMITS, ...(typeof limits === 'number' ? { runSize: limits } : limits) };
  }

  /** Adds one event; true when the in-memory run is full and spill() must be awaited before the next add. */
  push(event: TimelineEvent): boolean {
    return this.added(keyOf(event), this.bytes.add(JSON.stringify(event)));
  }

  /** push() of an event serialised elsewhere: its key and the UTF-8 bytes of JSON.stringify(event) (copied). */
  pushEncoded(key: SortKey, line: Uint8Array): boolean {
    return this.added(key, this.bytes.addEncoded(line));
  }

  private added(key: SortKey, at: { chunk: number; start: number; end: number }): boolean {
    this.buffer.push({ key, ...at });
    this.bufferedBytes += at.end - at.start + ENTRY_OVERHEAD;
    this.count++;
    return this.buffer.length >= this.limits.runSize || this.bufferedBytes >= this.limits.runBytes;
  }

  async add(event: TimelineEvent): Promise<void> {
    if (this.push(event)) await this.spill();
  }

  async spill(): Promise<void> {
    if (this.buffer.length === 0) return;
    const sorted = this.sortedBuffer();
    await mkdir(this.tmpDir, { recursive: true });
    this.guard ??= new SpillGuard(this.tmpDir);
    const file = join(this.tmpDir, `run-${String(this.runs.length).padStart(5, '0')}.bin`);
    const out = new SealedRunWriter(await open(file, 'wx'), this.key);
    for (const e of sorted) {
      for (const piece of [`${JSON.stringify(e.key)}\t`, this.bytes.bytes(e), '\n']) {
        const wrote = out.write(piece);
        if (wrote) await wrote;
      }
    }
    await out.close();
    this.bytes.reset();
    this.runs.push(file);
  }

  /** Every event in timeline order (consumes the sorter). */
  async *sorted(): AsyncGenerator<TimelineEvent> {
    for await (const batch of this.batches()) yield* batch.events;
  }

  /** Every event in timeline order, in batches (consumes the sorter). Equal keys keep the order they were added in. */
  async *batches(): AsyncGenerator<SortedBatch> {
    if (this.runs.length === 0) {
      const sorted = this.sortedBuffer();
      for (let i = 0; i < sorted.length; i += BATCH) yield parsed(sorted.slice(i, i + BATCH).map((e) => decodeText(this.bytes.bytes(e))));
      this.bytes.reset();
      return;
    }
    // The last run is merged from memory: spilling it only to read it straight back would cost a write and a read
    // of up to runBytes, and its buffers are held either way. It merges as the last run, so ties still go to earlier ones.
    const readers: MergeRun[] = await Promise.all(this.runs.map(async (f) => new RunReader(await open(f, 'r'), this.key)));
    if (this.buffer.length > 0) readers.push(new MemoryRun(this.sortedBuffer(), this.bytes));
    try {
      const heap = new RunHeap();
      for (let r = 0; r < readers.length; r++) if (await readers[r]!.ready()) heap.push(readers[r]!.key(), r);
      let lines: string[] = [];
      while (heap.size) {
        const reader = readers[heap.topRun()]!;
        lines.push(reader.take());
        if (reader.hasBuffered() || (await reader.ready())) heap.replaceTop(reader.key());
        else heap.popTop();
        if (lines.length >= BATCH) {
          yield parsed(lines);
          lines = [];
        }
      }
      if (lines.length) yield parsed(lines);
    } finally {
      await Promise.all(readers.map((r) => r.close()));
      this.bytes.reset();
      await rm(this.tmpDir, { recursive: true, force: true });
      this.guard?.release();
      this.guard = null;
    }
  }

  /** The buffered run in timeline order (the buffer is handed over: the sorter no longer holds it). */
  private sortedBuffer(): Entry[] {
    const run = this.buffer;
    this.buffer = [];
    this.bufferedBytes = 0;
    return run.sort((a, b) => compareKeys(a.key, b.key));
  }
}

/** Runs are our own files: trusted JSON lines. */
const parsed = (lines: string[]): SortedBatch => ({ events: lines.map((l) => JSON.parse(l) as TimelineEvent), lines });

/** A binary min-heap of the runs' head keys: each event costs log(runs) comparisons; ties go to the earlier run. */
class RunHeap {
  private readonly keys: SortKey[] = [];
  private readonly runs: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  topRun(): number {
    return this.runs[0]!;
  }

  push(key: SortKey, run: number): void {
    this.keys.push(key);
    this.runs.push(run);
    let i = this.keys.length - 1;
    while (i > 0 && this.less(i, (i - 1) >> 1)) {
      this.swap(i, (i - 1) >> 1);
      i = (i - 1) >> 1;
    }
  }

  replaceTop(key: SortKey): void {
    this.keys[0] = key;
    this.down(0);
  }

  popTop(): void {
    const key = this.keys.pop()!;
    const run = this.runs.pop()!;
    if (this.keys.length === 0) return;
    this.keys[0] = key;
    this.runs[0] = run;
    this.down(0);
  }

  private less(i: number, j: number): boolean {
    const c = compareKeys(this.keys[i]!, this.keys[j]!);
    return c < 0 || (c === 0 && this.runs[i]! < this.runs[j]!);
  }

  private swap(i: number, j: number): void {
    [this.keys[i], this.keys[j]] = [this.keys[j]!, this.keys[i]!];
    [this.runs[i], this.runs[j]] = [this.runs[j]!, this.runs[i]!];
  }

  private down(i: number): void {
    const n = this.keys.length;
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

/** A sorted run being merged: its head key and line. */
interface MergeRun {
  hasBuffered(): boolean;
  ready(): Promise<boolean>;
  key(): SortKey;
  take(): string;
  close(): Promise<void>;
}

/** The run still in memory when the merge starts, merged without being spilled. */
class MemoryRun implements MergeRun {
  private at = 0;

  constructor(
    private readonly entries: Entry[],
    private readonly bytes: RunBytes,
  ) {}

  hasBuffered(): boolean {
    return this.at < this.entries.length;
  }

  ready(): Promise<boolean> {
    return Promise.resolve(this.hasBuffered());
  }

  key(): SortKey {
    return this.entries[this.at]!.key;
  }

  take(): string {
    return decodeText(this.bytes.bytes(this.entries[this.at++]!));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** One spill run read back a frame at a time; only the key of the line at the head is parsed. */
class RunReader implements MergeRun {
  private lines: string[] = [];
  private at = 0;
  private headKey: SortKey | null = null;
  /** Bytes after the last newline read so far (a line may span chunks). */
  private carry: Buffer[] = [];
  private position = 0;
  private done = false;
  private ahead: Promise<Buffer> | null = null;

  constructor(
    private readonly handle: FileHandle,
    private readonly sealKey: Buffer,
  ) {}

  hasBuffered(): boolean {
    return this.at < this.lines.length;
  }

  /** Whether a line is at the head (reading on when the buffer is empty); false at the end of the run. */
  async ready(): Promise<boolean> {
    while (this.at >= this.lines.length && !this.done) await this.fill();
    return this.hasBuffered();
  }

  key(): SortKey {
    if (this.headKey) return this.headKey;
    const line = this.lines[this.at]!;
    this.headKey = JSON.parse(line.slice(0, line.indexOf('\t'))) as SortKey;
    return this.headKey;
  }

  /** The head event's JSON line; moves to the next. */
  take(): string {
    const line = this.lines[this.at++]!;
    this.headKey = null;
    return line.slice(line.indexOf('\t') + 1);
  }

  async close(): Promise<void> {
    // A read ahead still in flight finishes before its file handle goes (its failure, if any, is moot by now).
    await this.ahead?.catch(() => undefined);
    return this.handle.close();
  }

  /**
   * The next frame's plaintext, read ahead: the read of frame n + 1 is under way while frame n is merged, so the
   * merge does not wait out a disk round trip per frame and run.
   */
  private async frame(): Promise<Buffer> {
    const read = await (this.ahead ?? this.nextFrame());
    if (read.length === 0) this.done = true;
    this.ahead = this.done ? null : this.nextFrame();
    // Awaited by the next frame() or by close(); marked handled so an early end of the merge is not an unhandled rejection.
    this.ahead?.catch(() => undefined);
    return read;
  }

  private async fill(): Promise<void> {
    const read = await this.frame();
    this.lines = [];
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
    this.lines = decodeText(data).split('\n');
    if (this.lines[this.lines.length - 1] === '') this.lines.pop();
  }

  /** The next frame's plaintext (empty at the end of the run); a frame that does not authenticate is an error. */
  private async nextFrame(): Promise<Buffer> {
    const head = Buffer.allocUnsafe(FRAME_HEAD);
    const { bytesRead } = await this.handle.read(head, 0, FRAME_HEAD, this.position);
    if (bytesRead === 0) return Buffer.alloc(0);
    const length = head.readUInt32BE(0);
    const sealed = Buffer.allocUnsafe(length);
    const body = bytesRead === FRAME_HEAD ? (await this.handle.read(sealed, 0, length, this.position + FRAME_HEAD)).bytesRead : -1;
    if (body !== length) throw new Error('a sort spill run is truncated');
    this.position += FRAME_HEAD + length;
    const decipher = createDecipheriv('aes-256-gcm', this.sealKey, head.subarray(4, 16));
    decipher.setAuthTag(head.subarray(16, FRAME_HEAD));
    try {
      return Buffer.concat([decipher.update(sealed), decipher.final()]);
    } catch {
      throw new Error('a sort spill run does not authenticate: it was changed on disk while the analysis ran');
    }
  }
}

/** A frame: 4-byte length of the sealed text, 12-byte nonce, 16-byte GCM tag, then the sealed text. */
const FRAME_HEAD = 32;

/** Plaintext bytes per spill frame: a run is read back a frame at a time, so this bounds each run's read-ahead. */
const FRAME_BYTES = 64 * 1024;

/**
 * Sealed frames a spill may have on their way to the disk before it waits: sealing the next frames overlaps the
 * writes of the last ones (waiting for every 64 KiB frame's write cost a disk round trip each).
 */
const MAX_FRAMES_IN_FLIGHT = 16;

/** Writes a run as AES-256-GCM frames of at most FRAME_BYTES of plaintext, each with its own random nonce. */
class SealedRunWriter {
  private plain = Buffer.allocUnsafe(FRAME_BYTES);
  private used = 0;
  private position = 0;
  private pending: Promise<void> = Promise.resolve();
  /** Frames sealed and not yet on the disk. */
  private inFlight = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly key: Buffer,
  ) {}

  /** Queues text or bytes; a promise to await before the next write when a frame went to the disk. */
  write(piece: string | Buffer): Promise<void> | undefined {
    let bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    let sealed = false;
    while (bytes.length > 0) {
      const n = Math.min(bytes.length, FRAME_BYTES - this.used);
      bytes.copy(this.plain, this.used, 0, n);
      this.used += n;
      bytes = bytes.subarray(n);
      if (this.used === FRAME_BYTES) {
        this.seal();
        sealed = true;
      }
    }
    return sealed && this.inFlight > MAX_FRAMES_IN_FLIGHT ? this.pending : undefined;
  }

  async close(): Promise<void> {
    if (this.used > 0) this.seal();
    try {
      await this.pending;
    } finally {
      await this.handle.close();
    }
  }

  private seal(): void {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const body = Buffer.concat([cipher.update(this.plain.subarray(0, this.used)), cipher.final()]);
    const head = Buffer.allocUnsafe(FRAME_HEAD);
    head.writeUInt32BE(body.length, 0);
    nonce.copy(head, 4);
    cipher.getAuthTag().copy(head, 16);
    const frame = Buffer.concat([head, body]);
    const at = this.position;
    this.position += frame.length;
    this.used = 0;
    this.inFlight++;
    this.pending = this.pending.then(async () => {
      await this.handle.write(frame, 0, frame.length, at);
      this.inFlight--;
    });
  }
}

/**
 * Removes the spill directory if the process is stopped mid-sort: at exit, and on SIGINT/SIGTERM (then the signal
 * is raised again when nobody else handles it, so the process still ends as that signal would end it).
 */
class SpillGuard {
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.remove();
    this.release();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  private readonly onExit = (): void => this.remove();

  constructor(private readonly dir: string) {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    process.on('exit', this.onExit);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  release(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    process.off('exit', this.onExit);
  }
}
