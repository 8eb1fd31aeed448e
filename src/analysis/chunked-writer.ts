// A file written as a stream of text pieces joined into large writes, so a timeline or a findings.json of
// millions of records costs a write per megabyte rather than per line, and waits only when the disk is behind.
// The SHA-256 of what was written is computed on the way (outputs are hashed as they stream, never re-read).
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { prettyJson } from '../model/pretty-json.js';

const CHUNK_BYTES = 1024 * 1024;
/**
 * Bytes the stream may hold on their way to the disk before a write waits: a few chunks, so encoding the next
 * megabyte overlaps the disk write of the last one (at the stream's default of 16 KiB every chunk waited for its
 * own write to finish).
 */
const IN_FLIGHT_BYTES = 4 * CHUNK_BYTES;

export class ChunkedWriter {
  private readonly stream: WriteStream;
  private readonly hash: Hash | null;
  /** Text is encoded straight into this buffer (no joined string); a full buffer is handed to the stream. */
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private failure: Error | null = null;

  /** Creates `path` (never overwrites: flag wx); `hashed: false` for scratch files nobody verifies. */
  constructor(path: string, { hashed = true }: { hashed?: boolean } = {}) {
    this.hash = hashed ? createHash('sha256') : null;
    this.stream = createWriteStream(path, { flags: 'wx', highWaterMark: IN_FLIGHT_BYTES });
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  /**
   * Queues text (or bytes, copied). Returns nothing (no await, no microtask) unless a megabyte was handed to the disk and it is
   * behind: then a promise to await before the next write.
   */
  write(piece: string | Buffer): Promise<void> | undefined {
    // A UTF-16 unit is at most 3 UTF-8 bytes: text that might not fit goes after what is pending.
    const most = typeof piece === 'string' ? piece.length * 3 : piece.length;
    if (most <= CHUNK_BYTES - this.used) {
      this.used += typeof piece === 'string' ? this.buffer.write(piece, this.used, 'utf8') : piece.copy(this.buffer, this.used);
      return undefined;
    }
    const pending = this.flush();
    if (most <= CHUNK_BYTES) {
      this.used = typeof piece === 'string' ? this.buffer.write(piece, 0, 'utf8') : piece.copy(this.buffer, 0);
      return pending;
    }
    // Larger than a chunk: a copy of its own (the caller may reuse a buffer it passed).
    const whole = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece);
    return pending ? pending.then(() => this.send(whole)) : this.send(whole);
  }

  /** Writes what is pending, closes the file and returns the SHA-256 (hex) of everything written ('' when not hashed). */
  async close(): Promise<string> {
    await this.flush();
    this.stream.end();
    if (!this.stream.writableFinished) await once(this.stream, 'finish');
    this.throwIfFailed();
    return this.hash?.digest('hex') ?? '';
  }

  /** Hands the pending bytes to the stream; a promise when the stream asks to wait. */
  private flush(): Promise<void> | undefined {
    this.throwIfFailed();
    if (this.used === 0) return undefined;
    const bytes = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    return this.send(bytes);
  }

  private send(bytes: Buffer): Promise<void> | undefined {
    this.hash?.update(bytes);
    if (this.stream.write(bytes)) return undefined;
    return once(this.stream, 'drain').then(() => this.throwIfFailed());
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}

/**
 * Writes `value` as `JSON.stringify(value, null, 2)` would, byte for byte, but one top-level member and one array
 * element at a time, so no string of the whole document is ever built; a member or element nested deeper than
 * MAX_PRETTY_DEPTH is written compact (prettyJson), so hostile nesting cannot multiply the file's size.
 */
export async function writePrettyJson(out: ChunkedWriter, value: object): Promise<void> {
  if (Array.isArray(value)) {
    await writeArray(out, value, '');
    return out.write('\n');
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol',
  );
  if (entries.length === 0) return out.write('{}\n');
  await out.write('{\n');
  for (let i = 0; i < entries.length; i++) {
    const [k, v] = entries[i]!;
    await out.write(`  ${JSON.stringify(k)}: `);
    if (Array.isArray(v)) await writeArray(out, v, '  ');
    else await out.write(indent(prettyJson(v), '  '));
    await out.write(i < entries.length - 1 ? ',\n' : '\n');
  }
  await out.write('}\n');
}

const indent = (json: string, by: string): string => json.replaceAll('\n', `\n${by}`);

async function writeArray(out: ChunkedWriter, items: readonly unknown[], at: string): Promise<void> {
  if (items.length === 0) return out.write('[]');
  await out.write('[\n');
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    // Inside arrays JSON.stringify writes null for what it cannot represent.
    const json = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? 'null' : prettyJson(item);
    await out.write(`${at}  ${indent(json, `${at}  `)}${i < items.length - 1 ? ',\n' : '\n'}`);
  }
  await out.write(`${at}]`);
}
