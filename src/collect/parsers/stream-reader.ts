// Reads a log file's records from the same byte stream that is being hashed and written to the bundle:
// gunzip (when the bytes are gzip) and record splitting happen chunk by chunk, so a file is never held or
// inflated whole in memory. Limits on the expanded size and on one record's size are parameters; going over
// them stops reading (expanded size) or skips the record, and says so with the true reason. The preserved
// copy is the raw bytes either way.
import { createGunzip, type Gunzip } from 'node:zlib';
import { escapeControlCharsInStrings } from './cloudtrail.js';
import { JsonRecordSplitter, type DocumentShape } from './json-records.js';

export interface StreamLimits {
  /** Bytes of (decompressed) content read at most per file. */
  maxExpandedBytes: number;
  /** Bytes of one record at most. */
  maxRecordBytes: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { maxExpandedBytes: 1024 * 1024 * 1024, maxRecordBytes: 16 * 1024 * 1024 };

export type StreamProblemKind = 'expanded-limit' | 'record-limit' | 'unreadable-record' | 'gzip' | 'not-json' | 'structure' | 'truncated' | 'parser';

export interface StreamProblem {
  kind: StreamProblemKind;
  message: string;
}

export interface StreamReadResult {
  records: number;
  expandedBytes: number;
  gzip: boolean;
  shape: DocumentShape;
  /** The first problems (at most MAX_PROBLEMS_KEPT); `problemCount` counts them all. */
  problems: StreamProblem[];
  problemCount: number;
}

/** Something that sees every byte of a stream on its way to disk. `write` returns a promise to slow the stream down. */
export interface StreamInspector {
  write(chunk: Buffer): Promise<void> | undefined;
  end(): Promise<void>;
  abort(): void;
}

export const MAX_PROBLEMS_KEPT = 5;

/**
 * `onRecord` gets each parsed record; it returns a promise only when the caller needs the stream to wait.
 * `accept` says whether a parsed value is a record of this log type (else it is counted as unreadable).
 */
export class JsonRecordStreamReader implements StreamInspector {
  private readonly splitter: JsonRecordSplitter;
  private gunzip: Gunzip | null = null;
  private head: Buffer | null = null;
  private decided = false;
  private expanded = 0;
  private stopped = false;
  private pending: Promise<void> | undefined;
  private gunzipDone: Promise<void> | null = null;
  readonly result: StreamReadResult;

  constructor(
    private readonly limits: StreamLimits,
    private readonly onRecord: (record: Record<string, unknown>) => Promise<void> | undefined,
    private readonly accept: (record: Record<string, unknown>, shape: DocumentShape) => string | null = () => null,
  ) {
    this.result = { records: 0, expandedBytes: 0, gzip: false, shape: 'unknown', problems: [], problemCount: 0 };
    this.splitter = new JsonRecordSplitter(limits.maxRecordBytes, {
      record: (bytes, index) => this.parseRecord(bytes, index),
      oversize: (index, size, offset) =>
        this.problem(
          'record-limit',
          `record ${index + 1} (at byte ${offset}) is ${size} bytes, over the limit of ${limits.maxRecordBytes} bytes; skipped`,
        ),
    });
  }

  write(chunk: Buffer): Promise<void> | undefined {
    if (this.stopped) return undefined;
    if (!this.decided) {
      this.head = this.head ? Buffer.concat([this.head, chunk]) : chunk;
      if (this.head.length < 2) return undefined;
      chunk = this.head;
      this.head = null;
      this.decide(chunk);
    }
    if (this.gunzip) {
      const gz = this.gunzip;
      const waiting = gz.write(chunk)
        ? undefined
        : new Promise<void>((resolve) => {
            const done = (): void => {
              gz.off('drain', done);
              gz.off('close', done);
              resolve();
            };
            gz.on('drain', done);
            gz.on('close', done);
          });
      return waiting ?? this.pending;
    }
    this.content(chunk);
    return this.pending;
  }

  async end(): Promise<void> {
    if (!this.decided && this.head) {
      this.decide(this.head);
      this.content(this.head);
    }
    if (this.gunzip && this.gunzipDone) {
      if (!this.gunzip.destroyed) this.gunzip.end();
      await this.gunzipDone;
    }
    await this.pending;
    this.finish();
  }

  abort(): void {
    this.stopped = true;
    this.gunzip?.destroy();
  }

  private decide(first: Buffer): void {
    this.decided = true;
    if (first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b) {
      this.result.gzip = true;
      // Large output chunks: fewer callbacks per file (the default 16 KiB costs a third of the gunzip time).
      const gz = createGunzip({ chunkSize: 128 * 1024 });
      this.gunzip = gz;
      this.gunzipDone = new Promise<void>((resolve) => {
        gz.on('data', (out: Buffer) => {
          this.content(out);
          if (this.pending) {
            gz.pause();
            void this.pending.then(() => gz.resume());
          }
        });
        gz.on('error', (error) => {
          if (!this.stopped) this.problem('gzip', `gzip data is corrupt: ${error.message}`);
          this.stopped = true;
          resolve();
        });
        gz.on('end', resolve);
        gz.on('close', resolve);
      });
    }
  }

  private content(bytes: Buffer): void {
    if (this.stopped) return;
    const room = this.limits.maxExpandedBytes - this.expanded;
    this.expanded += bytes.length;
    if (bytes.length > room) {
      this.splitter.push(bytes.subarray(0, room));
      this.problem(
        'expanded-limit',
        `${this.result.gzip ? 'expands' : 'runs'} past ${this.limits.maxExpandedBytes} bytes (the expanded-size limit); records after that point were not read`,
      );
      this.stopped = true;
      this.gunzip?.destroy();
      return;
    }
    this.splitter.push(bytes);
  }

  private parseRecord(bytes: Buffer, index: number): void {
    let value: unknown;
    const text = bytes.toString('utf8');
    try {
      value = JSON.parse(text);
    } catch (error) {
      try {
        value = JSON.parse(escapeControlCharsInStrings(text));
      } catch {
        this.problem('unreadable-record', `record ${index + 1} is not valid JSON (${(error as Error).message.slice(0, 120)})`);
        return;
      }
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problem('unreadable-record', `record ${index + 1} is not a JSON object`);
      return;
    }
    const rejected = this.accept(value as Record<string, unknown>, this.splitter.shape);
    if (rejected) {
      this.problem('unreadable-record', `record ${index + 1} ${rejected}`);
      return;
    }
    this.result.records++;
    const wait = this.onRecord(value as Record<string, unknown>);
    if (wait) this.wait(wait);
  }

  private wait(promise: Promise<void>): void {
    const all = this.pending ? Promise.all([this.pending, promise]).then(() => undefined) : promise;
    this.pending = all;
    void all.then(() => {
      if (this.pending === all) this.pending = undefined;
    });
  }

  private finish(): void {
    this.result.expandedBytes = this.expanded;
    this.result.shape = this.splitter.shape;
    if (this.stopped) return;
    const structural = this.splitter.finish();
    if (structural) this.problem(structural.kind, `${structural.message} (at byte ${structural.offset}, after ${this.splitter.records} record(s))`);
  }

  private problem(kind: StreamProblemKind, message: string): void {
    this.result.problemCount++;
    if (this.result.problems.length < MAX_PROBLEMS_KEPT) this.result.problems.push({ kind, message });
  }
}

/** CloudTrail: every value in Records or in an array is a record; a lone object must look like an event. */
export function acceptCloudTrailRecord(record: Record<string, unknown>, shape: DocumentShape): string | null {
  if (shape === 'wrapper' || shape === 'array') return null;
  if ('eventName' in record || 'eventTime' in record) return null;
  return 'has neither a Records array nor the fields of a CloudTrail event';
}

/** One line for a gap or a custody note: the true reasons, first ones spelled out. */
export function describeStreamProblems(result: StreamReadResult): string {
  const first = result.problems.map((p) => p.message).join('; ');
  const more = result.problemCount > result.problems.length ? `; and ${result.problemCount - result.problems.length} more problem(s)` : '';
  return `${first}${more}`;
}
