// CloudTrail parsing across cores: a pool of worker threads, one file per reader. The main thread keeps
// hashing and writing the bytes (the preserved copy never waits for a parser more than the in-flight bound);
// each chunk is copied to the file's worker, which gunzips, splits and parses it under the same limits as the
// in-thread reader. A worker that dies costs the files it held a "not analysed" problem, never their evidence.
import { Worker } from 'node:worker_threads';
import { compiledWorkerUrl, defaultWorkerCount } from '../../workers.js';
import type { EventFilter } from '../filters.js';
import type { TimeWindow } from '../layout.js';
import { MAX_PROBLEMS_KEPT, type StreamInspector, type StreamLimits, type StreamReadResult } from './stream-reader.js';
import { emptyTally, type TrailTally } from './trail-tally.js';

export type ToWorker =
  | { t: 'open'; id: number; limits: StreamLimits; window: [number, number]; filter: EventFilter }
  | { t: 'chunk'; id: number; bytes: Uint8Array }
  | { t: 'end'; id: number }
  | { t: 'abort'; id: number };

export type FromWorker =
  | { t: 'ack'; id: number; bytes: number }
  | { t: 'done'; id: number; result: StreamReadResult; tally: TrailTally }
  | { t: 'failed'; id: number; message: string };

/** Bytes of one file sent to its worker and not yet parsed, past which the stream waits for the parser. */
export const MAX_BYTES_IN_FLIGHT = 4 * 1024 * 1024;
const MAX_WORKERS = 8;

/** Workers by default: every core (the main thread's hashing and writing is the lighter share), at most 8. */
export const defaultParseWorkers = (): number => defaultWorkerCount(MAX_WORKERS);

/** The compiled parse worker; null when there is none (callers parse in-thread). */
export const defaultWorkerUrl = (): URL | null => compiledWorkerUrl(import.meta.url, 'parse-worker');

interface Slot {
  worker: Worker;
  open: Map<number, PooledTrailReader>;
  dead: boolean;
}

export class ParsePool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  /** Workers start with the first file, so a collection without CloudTrail files never pays for them. */
  constructor(
    readonly size: number,
    private readonly workerUrl: URL,
  ) {}

  /** A reader for one CloudTrail file: give it to writeStream as the inspector, then read `result` and `tally`. */
  reader(limits: StreamLimits, window: TimeWindow, filter: EventFilter): PooledTrailReader {
    if (this.closed) throw new Error('parse pool is closed');
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    let slot = this.slots.reduce((best, s) => (s.open.size < best.open.size ? s : best));
    if (slot.dead) slot = this.replace(slot);
    const reader = new PooledTrailReader(this.nextId++, slot.worker);
    slot.open.set(reader.id, reader);
    reader.onSettled = () => slot.open.delete(reader.id);
    slot.worker.postMessage({
      t: 'open',
      id: reader.id,
      limits,
      window: [window.start.getTime(), window.end.getTime()],
      filter: { ...filter },
    } satisfies ToWorker);
    return reader;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerUrl);
    const slot: Slot = { worker, open: new Map(), dead: false };
    worker.on('message', (message: FromWorker) => slot.open.get(message.id)?.receive(message));
    const fail = (why: string): void => {
      slot.dead = true;
      for (const reader of [...slot.open.values()]) reader.receive({ t: 'failed', id: reader.id, message: why });
    };
    worker.on('error', (error) => fail(`parse worker failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.closed) fail(`parse worker exited (code ${code})`);
    });
    return slot;
  }

  private replace(dead: Slot): Slot {
    const fresh = this.spawn();
    this.slots[this.slots.indexOf(dead)] = fresh;
    void dead.worker.terminate();
    return fresh;
  }
}

export class PooledTrailReader implements StreamInspector {
  result: StreamReadResult = { records: 0, expandedBytes: 0, gzip: false, shape: 'unknown', problems: [], problemCount: 0 };
  tally: TrailTally = emptyTally();
  onSettled: (() => void) | undefined;
  private inFlight = 0;
  private drained: (() => void) | null = null;
  private finished: (() => void) | null = null;
  private settled = false;

  constructor(
    readonly id: number,
    private readonly worker: Worker,
  ) {}

  write(chunk: Buffer): Promise<void> | undefined {
    if (this.settled) return undefined;
    // A copy the worker owns: the chunk itself is still on its way to the hash and the file.
    const bytes = new Uint8Array(chunk);
    this.inFlight += bytes.byteLength;
    this.worker.postMessage({ t: 'chunk', id: this.id, bytes } satisfies ToWorker, [bytes.buffer]);
    if (this.inFlight <= MAX_BYTES_IN_FLIGHT) return undefined;
    return new Promise<void>((resolve) => (this.drained = resolve));
  }

  end(): Promise<void> {
    if (this.settled) return Promise.resolve();
    const done = new Promise<void>((resolve) => (this.finished = resolve));
    this.worker.postMessage({ t: 'end', id: this.id } satisfies ToWorker);
    return done;
  }

  abort(): void {
    if (this.settled) return;
    this.worker.postMessage({ t: 'abort', id: this.id } satisfies ToWorker);
    this.settle();
  }

  receive(message: FromWorker): void {
    if (message.t === 'ack') {
      this.inFlight -= message.bytes;
      if (this.drained && this.inFlight <= MAX_BYTES_IN_FLIGHT / 2) this.release();
      return;
    }
    if (message.t === 'done') {
      this.result = message.result;
      this.tally = message.tally;
    } else {
      this.result.problemCount++;
      if (this.result.problems.length < MAX_PROBLEMS_KEPT)
        this.result.problems.push({ kind: 'parser', message: `${message.message}; the rest of the file was not read` });
    }
    this.settle();
  }

  private release(): void {
    const resolve = this.drained;
    this.drained = null;
    resolve?.();
  }

  private settle(): void {
    this.settled = true;
    this.release();
    this.finished?.();
    this.finished = null;
    this.onSettled?.();
  }
}
