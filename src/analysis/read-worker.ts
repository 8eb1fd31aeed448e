// A reader thread of analyze's phase 1 (read-pool.ts): reads the items the main thread sends it, one at a time in
// the order sent, with the same reader and limits as the in-thread path (readItem), and answers each with batches
// of encoded events (the UTF-8 JSON lines the sorter stores, transferred, not cloned) and problems, then the
// identities the item taught. It waits when MAX_BYTES_AHEAD of its batches are not yet consumed.
import { parentPort } from 'node:worker_threads';
import { bucketNameOf } from '../model/s3-location.js';
import type { EventSource, TimelineEvent } from './event.js';
import { IdentityResolver } from './identity.js';
import { problemOf, readItem } from './read-bundle.js';
import { MAX_BYTES_AHEAD, type EncodedBatch, type FromReadWorker, type ReadJob, type ToReadWorker } from './read-pool.js';

const port = parentPort!;
const BATCH_BYTES = 1024 * 1024;
const BATCH_EVENTS = 8192;
const BATCH_PROBLEMS = 500;

let unacked = 0;
let credit: (() => void) | null = null;

/** One item's events being gathered into a batch. */
class BatchEncoder {
  private buffer = Buffer.allocUnsafe(BATCH_BYTES);
  private used = 0;
  private ends: number[] = [];
  private times: string[] = [];
  private refs: number[] = [];
  private otherPaths: [number, string][] = [];
  private problems: EncodedBatch['problems'] = [];
  private bySource = new Map<EventSource, number>();
  private buckets = new Set<string>();

  constructor(
    private readonly id: number,
    private readonly path: string,
  ) {}

  /** Adds an event; a promise to await (the batch went out and the consumer is behind) or nothing. */
  event(e: TimelineEvent): Promise<void> | undefined {
    const line = JSON.stringify(e);
    let wait: Promise<void> | undefined;
    if (line.length * 3 > this.buffer.length - this.used) {
      wait = this.flush();
      if (line.length * 3 > this.buffer.length) this.buffer = Buffer.allocUnsafe(line.length * 3);
    }
    this.used += this.buffer.write(line, this.used, 'utf8');
    if (e.evidenceRef.path !== this.path) this.otherPaths.push([this.ends.length, e.evidenceRef.path]);
    this.ends.push(this.used);
    this.times.push(e.time);
    this.refs.push(e.evidenceRef.line ?? 0, e.evidenceRef.record ?? 0);
    this.bySource.set(e.source, (this.bySource.get(e.source) ?? 0) + 1);
    if (e.source === 's3-access-log' && e.target) this.buckets.add(bucketNameOf(e.target));
    if (this.ends.length >= BATCH_EVENTS) return wait ?? this.flush();
    return wait;
  }

  problem(p: EncodedBatch['problems'][number]): Promise<void> | undefined {
    this.problems.push(p);
    return this.problems.length >= BATCH_PROBLEMS ? this.flush() : undefined;
  }

  /** Sends what is gathered (if anything); a promise when the consumer is MAX_BYTES_AHEAD behind. */
  flush(): Promise<void> | undefined {
    if (this.ends.length === 0 && this.problems.length === 0) return undefined;
    // Buffers of a megabyte are never slices of Node's shared pool: this one is the batch's own, moved, not copied.
    const owned = this.buffer.buffer;
    const bytes = new Uint8Array(owned, this.buffer.byteOffset, this.used);
    const ends = Uint32Array.from(this.ends);
    const refs = Int32Array.from(this.refs);
    const message: FromReadWorker = {
      t: 'batch',
      id: this.id,
      bytes,
      ends,
      times: this.times,
      refs,
      otherPaths: this.otherPaths,
      problems: this.problems,
      bySource: [...this.bySource],
      buckets: [...this.buckets],
    };
    port.postMessage(message, [owned, ends.buffer, refs.buffer]);
    unacked += bytes.byteLength;
    this.buffer = Buffer.allocUnsafe(BATCH_BYTES);
    this.used = 0;
    this.ends = [];
    this.times = [];
    this.refs = [];
    this.otherPaths = [];
    this.problems = [];
    this.bySource = new Map();
    this.buckets = new Set();
    if (unacked <= MAX_BYTES_AHEAD) return undefined;
    return new Promise<void>((resolve) => (credit = resolve));
  }
}

async function read(id: number, job: ReadJob): Promise<void> {
  const batch = new BatchEncoder(id, job.item.path);
  const identities = new IdentityResolver({ perFile: true });
  let failure: string | null = null;
  try {
    for await (const r of readItem(job.bundleDir, job.item, job.kind, { windowStart: job.windowStart, limits: job.limits })) {
      let wait: Promise<void> | undefined;
      if (r.kind === 'problem') wait = batch.problem(problemOf(r));
      else {
        identities.learn(r.event);
        wait = batch.event(r.event);
      }
      if (wait) await wait;
    }
  } catch (error) {
    failure = (error as Error).message;
  }
  const wait = batch.flush();
  if (wait) await wait;
  port.postMessage({ t: 'done', id, learned: identities.learned(), failure } satisfies FromReadWorker);
}

let queue: Promise<void> = Promise.resolve();

port.on('message', (message: ToReadWorker) => {
  if (message.t === 'ack') {
    unacked -= message.bytes;
    if (credit && unacked <= MAX_BYTES_AHEAD / 2) {
      const resolve = credit;
      credit = null;
      resolve();
    }
    return;
  }
  const { t: _t, id, ...job } = message;
  queue = queue.then(() => read(id, job));
});
