// Splits a JSON log document into its records as bytes stream by, so memory is bounded by the record-size
// limit whatever the file size. Understands the CloudTrail delivery shape {"Records":[...]}, a bare array of
// records, and JSON lines / concatenated objects. Only structure is scanned here (strings are skipped with
// indexOf); each record is handed over as its exact bytes for JSON.parse.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const BOM = [0xef, 0xbb, 0xbf];
const RECORDS_KEY = Buffer.from('Records');

export interface SplitterEvents {
  /** A complete record: its bytes (valid only during the call) and its index in the document. */
  record(bytes: Buffer, index: number): void;
  /** A record longer than the limit: skipped, never held in memory. */
  oversize(index: number, bytes: number, offset: number): void;
}

export type { Shape as DocumentShape };
export type SplitterProblem = { kind: 'not-json' | 'structure' | 'truncated'; message: string; offset: number };

type Shape = 'unknown' | 'array' | 'objects' | 'wrapper';

const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

export class JsonRecordSplitter {
  private kind: Shape = 'unknown';
  private depth = 0;
  private inString = false;
  private escapeNext = false;
  /** Depth (open containers) at which a '{' starts a record. */
  private recordDepth = -1;
  private wrapperArrayOpen = false;
  private wrapperDone = false;
  private capturing = false;
  private captureStart = 0;
  private pieces: Buffer[] = [];
  private recordBytes = 0;
  private recordOffset = 0;
  private oversized = false;
  private index = 0;
  private offset = 0;
  private keyPieces: Buffer[] | null = null;
  private keyStart = 0;
  private lastKeyIsRecords = false;
  private stopped = false;
  problem: SplitterProblem | null = null;

  constructor(
    private readonly maxRecordBytes: number,
    private readonly on: SplitterEvents,
  ) {}

  /** 'wrapper' for {"Records":[...]}, 'array' for [...], 'objects' for JSON lines or a single object. */
  get shape(): Shape {
    return this.kind;
  }

  get records(): number {
    return this.index;
  }

  push(chunk: Buffer): void {
    if (this.stopped) return;
    let i = 0;
    const len = chunk.length;
    if (this.capturing) this.captureStart = 0;
    if (this.keyPieces) this.keyStart = 0;
    while (i < len) {
      if (this.inString) {
        i = this.scanString(chunk, i);
        continue;
      }
      const b = chunk[i]!;
      if (b === QUOTE) {
        this.inString = true;
        if (this.kind === 'unknown') {
          this.fail('not-json', 'starts with a string, not an object or array', i);
          return;
        }
        if (this.depth === 1 && this.kind === 'objects' && !this.wrapperDone) {
          this.keyPieces = [];
          this.keyStart = i + 1;
        }
        i++;
        continue;
      }
      if (b === LBRACE || b === LBRACKET) this.open(b, chunk, i);
      else if (b === RBRACE || b === RBRACKET) this.close(chunk, i);
      else if (this.kind === 'unknown' && this.offset + i < 3 && b === BOM[this.offset + i]) {
        // UTF-8 byte order mark
      } else if (this.kind === 'unknown' && !isSpace(b))
        this.fail('not-json', `starts with byte 0x${b.toString(16).padStart(2, '0')}, not '{' or '['`, i);
      else if (this.depth === 0 && !isSpace(b) && this.kind !== 'unknown')
        this.fail('structure', `unexpected byte 0x${b.toString(16).padStart(2, '0')} between records`, i);
      if (this.stopped) return;
      i++;
    }
    if (this.capturing) this.keep(chunk.subarray(this.captureStart));
    if (this.keyPieces && this.inString) {
      // Only "Records" matters: a longer key is never it, so its bytes need not be kept.
      if (this.keyPieces.reduce((n, p) => n + p.length, 0) + len - this.keyStart <= RECORDS_KEY.length)
        this.keyPieces.push(Buffer.from(chunk.subarray(this.keyStart)));
      else this.keyPieces.push(Buffer.alloc(RECORDS_KEY.length + 1));
    }
    this.offset += len;
  }

  /** Call at the end of the document; returns the structural problem, if any. */
  finish(): SplitterProblem | null {
    if (!this.stopped) {
      if (this.kind === 'unknown') this.fail('not-json', 'is empty', this.offset);
      else if (this.inString || this.depth > 0)
        this.fail('truncated', `ends inside ${this.inString ? 'a string' : `${this.depth} open bracket(s)`}: the document is cut short`, this.offset);
    }
    return this.problem;
  }

  private scanString(chunk: Buffer, from: number): number {
    let i = from;
    if (this.escapeNext) {
      this.escapeNext = false;
      i++;
    }
    const segmentStart = i;
    for (;;) {
      const j = chunk.indexOf(QUOTE, i);
      if (j < 0) {
        let run = 0;
        for (let k = chunk.length - 1; k >= segmentStart && chunk[k] === BACKSLASH; k--) run++;
        this.escapeNext = run % 2 === 1;
        return chunk.length;
      }
      let run = 0;
      for (let k = j - 1; k >= segmentStart && chunk[k] === BACKSLASH; k--) run++;
      if (run % 2 === 1) {
        i = j + 1;
        continue;
      }
      this.inString = false;
      if (this.keyPieces) this.endKey(chunk, j);
      return j + 1;
    }
  }

  private endKey(chunk: Buffer, end: number): void {
    const pieces = this.keyPieces!;
    this.keyPieces = null;
    const key = pieces.length === 0 ? chunk.subarray(this.keyStart, end) : Buffer.concat([...pieces, chunk.subarray(this.keyStart, end)]);
    // Only a first key "Records" makes the delivery wrapper; an event never starts with that key.
    this.lastKeyIsRecords = key.equals(RECORDS_KEY);
    this.wrapperDone = !this.lastKeyIsRecords;
  }

  private open(b: number, chunk: Buffer, i: number): void {
    if (this.kind === 'unknown') {
      this.kind = b === LBRACKET ? 'array' : 'objects';
      this.recordDepth = b === LBRACKET ? 1 : 0;
    } else if (this.kind === 'objects' && b === LBRACKET && this.depth === 1 && this.lastKeyIsRecords && !this.wrapperDone) {
      // {"Records":[ ... ]}: the records are the array's objects; the wrapper itself is not one.
      this.kind = 'wrapper';
      this.recordDepth = 2;
      this.wrapperArrayOpen = true;
      this.stopCapture();
    }
    if (b === LBRACE && this.depth === this.recordDepth && !this.capturing && (this.kind !== 'wrapper' || this.wrapperArrayOpen)) {
      this.capturing = true;
      this.captureStart = i;
      this.pieces = [];
      this.recordBytes = 0;
      this.recordOffset = this.offset + i;
      this.oversized = false;
    }
    this.depth++;
  }

  private close(chunk: Buffer, i: number): void {
    this.depth--;
    if (this.depth < 0) {
      this.fail('structure', 'closing bracket without an opening one', i);
      return;
    }
    // Keys are looked at only until the first top-level object closes: later objects are JSON lines.
    if (this.kind === 'objects' && this.depth === 0) this.wrapperDone = true;
    if (this.kind === 'wrapper' && this.wrapperArrayOpen && this.depth === 1) {
      this.wrapperArrayOpen = false;
      this.wrapperDone = true;
    }
    if (this.capturing && this.depth === this.recordDepth) {
      this.capturing = false;
      const tail = chunk.subarray(this.captureStart, i + 1);
      const size = this.recordBytes + tail.length;
      const index = this.index++;
      if (this.oversized || size > this.maxRecordBytes) this.on.oversize(index, size, this.recordOffset);
      else this.on.record(this.pieces.length === 0 ? tail : Buffer.concat([...this.pieces, tail], size), index);
      this.pieces = [];
    }
  }

  private keep(piece: Buffer): void {
    this.recordBytes += piece.length;
    if (this.oversized) return;
    if (this.recordBytes > this.maxRecordBytes) {
      this.oversized = true;
      this.pieces = [];
      return;
    }
    // Copy: the caller may reuse its chunk buffer.
    this.pieces.push(Buffer.from(piece));
  }

  private stopCapture(): void {
    this.capturing = false;
    this.pieces = [];
  }

  private fail(kind: SplitterProblem['kind'], message: string, at: number): void {
    this.problem = { kind, message, offset: kind === 'truncated' ? at : this.offset + at };
    this.stopped = true;
    this.stopCapture();
  }
}
