// Phase 1 of analyze across cores: evidence items are read, gunzipped, parsed and normalised on worker threads
// (read-worker.ts), and handed back to the main thread in manifest order, so the sorter sees exactly the sequence
// the in-thread reader gives it and the outputs are byte for byte the same. Each event crosses as the UTF-8 bytes
// of its JSON line (what the sorter stores) plus its sort key, in large transferred batches, never as a structured
// clone of the object. Look-ahead is bounded: at most `size * ITEMS_AHEAD_PER_WORKER` items are dispatched beyond
// the one being consumed, and a worker stops reading when MAX_BYTES_AHEAD of its batches are not yet consumed.
// A worker that fails costs the items it held a "could not be read" problem naming each file, never a hang.
import { Worker } from 'node:worker_threads';
import { compiledWorkerUrl, defaultWorkerCount } from '../workers.js';
import type { ManifestItem } from '../collect/manifest.js';
import type { EventSource } from './event.js';
import type { LearnedIdentities } from './identity.js';
import type { ReadLimits } from './lines.js';
import type { AnalysisProblem } from './model.js';
import type { ItemKind } from './read-bundle.js';

export interface ReadJob {
  bundleDir: string;
  item: ManifestItem;
  kind: ItemKind;
  windowStart: string;
  limits: ReadLimits;
}

export type ToReadWorker = ({ t: 'read'; id: number } & ReadJob) | { t: 'ack'; bytes: number };

/** Events of one item, in read order: event i is bytes[ends[i-1] .. ends[i]) with sort key (times[i], path, refs[2i], refs[2i+1]). */
export interface EncodedBatch {
  bytes: Uint8Array;
  ends: Uint32Array;
  times: string[];
  /** Line and record of each event's evidence ref (0 when absent, as the sort key has them). */
  refs: Int32Array;
  /** Events whose evidence path is not the item's path: [index, path]. */
  otherPaths: [number, string][];
  problems: AnalysisProblem[];
  /** Events per source and the buckets access-log records name, in first-seen order. */
  bySource: [EventSource, number][];
  buckets: string[];
}

/** What one item gave besides its batches: the identities it taught in first-seen order, and a read failure. */
export interface ItemSummary {
  learned: LearnedIdentities;
  /** Why the item could not be read to its end (the events before it were delivered), else null. */
  failure: string | null;
}

export type FromReadWorker = ({ t: 'batch'; id: number } & EncodedBatch) | ({ t: 'done'; id: number } & ItemSummary);

/** Bytes of batches a worker may have handed over and not yet seen consumed before it waits. */
export const MAX_BYTES_AHEAD = 16 * 1024 * 1024;
/** Items queued on each worker beyond the one it reads. */
const ITEMS_AHEAD_PER_WORKER = 2;
const MAX_WORKERS = 8;

/** Reader threads by default: every core, at most 8. */
export const defaultReadWorkers = (): number => defaultWorkerCount(MAX_WORKERS);

export const defaultReadWorkerUrl = (): URL | null => compiledWorkerUrl(import.meta.url, 'read-worker');

/** One dispatched item: the messages its worker sent that the consumer has not taken yet. */
class Pending {
  readonly queue: FromReadWorker[] = [];
  private wake: (() => void) | null = null;
  settled = false;

  constructor(
    readonly id: number,
    readonly job: ReadJob,
    readonly slot: Slot,
  ) {}

  deliver(message: FromReadWorker): void {
    if (this.settled) return;
    if (message.t === 'done') this.settled = true;
    this.queue.push(message);
    this.wake?.();
    this.wake = null;
  }

  async next(): Promise<FromReadWorker> {
    while (this.queue.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.queue.shift()!;
  }
}

interface Slot {
  worker: Worker;
  held: Map<number, Pending>;
  dead: boolean;
}

export interface PooledItem {
  job: ReadJob;
  /** The item's event batches in read order; each is acknowledged (its bytes free the worker) when the next is asked for. */
  batches(): AsyncGenerator<EncodedBatch>;
  /** After batches() ended: the item's summary. */
  summary: ItemSummary | null;
}

export class ReadPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly workerUrl: URL,
  ) {}

  /** Every job's results, in the order given, with at most ITEMS_AHEAD_PER_WORKER items queued per worker. */
  async *read(jobs: readonly ReadJob[]): AsyncGenerator<PooledItem> {
    if (this.closed) throw new Error('read pool is closed');
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    const ahead = this.size * (ITEMS_AHEAD_PER_WORKER + 1);
    const dispatched: Pending[] = [];
    let next = 0;
    const fill = (): void => {
      while (next < jobs.length && dispatched.length < ahead) dispatched.push(this.dispatch(jobs[next++]!));
    };
    fill();
    while (dispatched.length > 0) {
      const pending = dispatched.shift()!;
      const item = this.consume(pending);
      yield item;
      // Whatever the consumer took, the rest of the item is drained so its worker moves on.
      for await (const batch of item.batches()) void batch;
      fill();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private consume(pending: Pending): PooledItem {
    let started = false;
    const item: PooledItem = {
      job: pending.job,
      summary: null,
      batches: async function* (this: void) {
        if (started) return;
        started = true;
        for (;;) {
          const message = await pending.next();
          if (message.t === 'done') {
            const { t: _t, id: _id, ...summary } = message;
            item.summary = summary;
            return;
          }
          const { t: _t, id: _id, ...batch } = message;
          yield batch;
          if (!pending.slot.dead) pending.slot.worker.postMessage({ t: 'ack', bytes: batch.bytes.byteLength } satisfies ToReadWorker);
        }
      },
    };
    return item;
  }

  private dispatch(job: ReadJob): Pending {
    for (let i = 0; i < this.slots.length; i++) if (this.slots[i]!.dead) this.slots[i] = this.spawn();
    const slot = this.slots.reduce((best, s) => (s.held.size < best.held.size ? s : best));
    const pending = new Pending(this.nextId++, job, slot);
    slot.held.set(pending.id, pending);
    slot.worker.postMessage({ t: 'read', id: pending.id, ...job } satisfies ToReadWorker);
    return pending;
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerUrl);
    const slot: Slot = { worker, held: new Map(), dead: false };
    worker.on('message', (message: FromReadWorker) => {
      const pending = slot.held.get(message.id);
      if (message.t === 'done') slot.held.delete(message.id);
      pending?.deliver(message);
    });
    const fail = (why: string): void => {
      if (slot.dead) return;
      slot.dead = true;
      for (const pending of slot.held.values()) pending.deliver({ t: 'done', id: pending.id, learned: [], failure: why });
      slot.held.clear();
    };
    worker.on('error', (error) => fail(`the reader thread failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.closed) fail(`the reader thread exited (code ${code})`);
    });
    return slot;
  }
}
