// Bounded streaming readers of evidence files: lines of a plain or gzip file with a per-line byte limit (a line
// over it is reported with its true size and skipped without being held), JSON lines with recovery of records
// wrapped over several lines that never swallows a valid record, and whole JSON documents with an expanded-size
// limit. Memory stays bounded by the limits whatever the input.
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

export interface ReadLimits {
  /** Longest line / JSON record read (bytes); longer ones are unreadable records. */
  maxRecordBytes: number;
  /** Largest whole JSON document (a trail file, an API response page) after decompression. */
  maxDocumentBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxRecordBytes: 32 * 1024 * 1024, maxDocumentBytes: 256 * 1024 * 1024 };

/** Lines of a JSON-lines file a pretty-printed record may span before it is given up. */
const MAX_RECORD_LINES = 64;

export class DocumentTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`expands past ${limit} bytes (the document-size limit); preserved in the bundle, not analysed`);
  }
}

export const overLimitMessage = (bytes: number, limit: number): string => `record of ${bytes} bytes over the limit of ${limit} bytes`;

async function isGz(abs: string): Promise<boolean> {
  const handle = await open(abs, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Raw bytes per read; bounds what one gzip chunk may expand to before a reader sees it (deflate's about 1,000 × at worst). */
const READ_CHUNK = 64 * 1024;

/**
 * The bytes of a plain or gzip file, chunk by chunk. A gzip stream that breaks (cut short, corrupt) yields all it
 * decompressed before the break and then throws: how many records are read before it never depends on how fast
 * the reader consumes them (a piped stream's async iterator drops what it had buffered when the error lands).
 */
async function* fileChunks(abs: string): AsyncGenerator<Buffer> {
  const raw = createReadStream(abs, { highWaterMark: READ_CHUNK });
  try {
    if (!(await isGz(abs))) {
      yield* raw as AsyncIterable<Buffer>;
      return;
    }
    yield* gunzipped(raw as AsyncIterable<Buffer>);
  } finally {
    raw.destroy();
  }
}

async function* gunzipped(raw: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const gunzip = createGunzip();
  const out: Buffer[] = [];
  const state: { failure: Error | null } = { failure: null };
  gunzip.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise<void>((resolve) => {
    gunzip.on('end', resolve);
    gunzip.on('error', (error) => {
      state.failure = error;
      resolve();
    });
  });
  try {
    for await (const chunk of raw) {
      // One chunk at a time, each expanded whole before the next is written (its output is all in `out` then).
      await Promise.race([new Promise<void>((resolve) => gunzip.write(chunk, () => resolve())), ended]);
      while (out.length) yield out.shift()!;
      if (state.failure) throw state.failure;
    }
    gunzip.end();
    await ended;
    while (out.length) yield out.shift()!;
    if (state.failure) throw state.failure;
  } finally {
    gunzip.destroy();
  }
}

/** UTF-8 bytes as text; pure ASCII (most log text) takes Node's ASCII decoder, many times faster than UTF-8's. */
export const decodeText = (bytes: Buffer): string => (isAscii(bytes) ? bytes.toString('ascii') : bytes.toString('utf8'));

export type RawLine = { line: number; text: string } | { line: number; overLimit: number };

/** Every line (1-based numbers), CR stripped; a line longer than maxBytes is counted, not kept. */
export async function* readRawLines(abs: string, maxBytes: number): AsyncGenerator<RawLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let n = 0;
  const finish = (): RawLine => {
    n++;
    const out: RawLine =
      size > maxBytes
        ? { line: n, overLimit: size }
        : { line: n, text: decodeText(parts.length === 1 ? parts[0]! : Buffer.concat(parts)).replace(/\r$/, '') };
    parts = [];
    size = 0;
    return out;
  };
  for await (const chunk of fileChunks(abs)) {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, from);
      const end = nl < 0 ? chunk.length : nl;
      if (end > from) {
        if (size + (end - from) <= maxBytes) parts.push(chunk.subarray(from, end));
        else parts = [];
        size += end - from;
      }
      if (nl < 0) break;
      yield finish();
      from = nl + 1;
    }
  }
  if (size > 0 || parts.length > 0) yield finish();
}

/** Lines as strings (no limit beyond the given one; over-limit lines are skipped). For trusted files such as sort runs. */
export async function* readLines(abs: string, maxBytes = Number.MAX_SAFE_INTEGER): AsyncGenerator<string> {
  for await (const l of readRawLines(abs, maxBytes)) if ('text' in l) yield l.text;
}

export type JsonLine = { value: unknown; line: number } | { problem: string; line: number };

const tryParse = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
};

/** A line that can open a record: a '{' in the first column (continuation and nested lines of wrapped records are not). */
const opensRecord = (text: string): boolean => text.startsWith('{');

/**
 * JSON lines; a record wrapped over several lines (as some published samples are) is re-joined. A broken record
 * is one problem at its first line: the next line that opens a record starts afresh, so no valid record after
 * it is lost, and stray continuation lines of the broken record are not counted again.
 */
export async function* readJsonLines(abs: string, limits: ReadLimits = DEFAULT_READ_LIMITS): AsyncGenerator<JsonLine> {
  let pending: string[] = [];
  let pendingBytes = 0;
  let startLine = 0;
  let inBrokenRun = false;
  const broken = (): JsonLine => {
    const out = {
      problem: `line ${startLine} is not JSON${pending.length > 1 ? ` (nor with the ${pending.length - 1} line(s) after it)` : ''}`,
      line: startLine,
    };
    pending = [];
    pendingBytes = 0;
    inBrokenRun = true;
    return out;
  };
  for await (const raw of readRawLines(abs, limits.maxRecordBytes)) {
    if ('overLimit' in raw) {
      if (pending.length) yield broken();
      yield { problem: overLimitMessage(raw.overLimit, limits.maxRecordBytes), line: raw.line };
      inBrokenRun = true;
      continue;
    }
    const text = raw.text;
    if (pending.length && opensRecord(text)) yield broken();
    if (!pending.length) {
      if (text.trim() === '') continue;
      const alone = tryParse(text);
      if (alone.ok) {
        inBrokenRun = false;
        yield { value: alone.value, line: raw.line };
        continue;
      }
      if (inBrokenRun && !opensRecord(text)) continue; // the rest of a record already counted as broken
      inBrokenRun = false;
      pending = [text];
      pendingBytes = Buffer.byteLength(text);
      startLine = raw.line;
      continue;
    }
    pending.push(text);
    pendingBytes += Buffer.byteLength(text) + 1;
    const joined = tryParse(pending.join('\n'));
    if (joined.ok) {
      yield { value: joined.value, line: startLine };
      pending = [];
      pendingBytes = 0;
    } else if (pending.length >= MAX_RECORD_LINES || pendingBytes > limits.maxRecordBytes) yield broken();
  }
  if (pending.length) yield broken();
}

/** Raw bytes of a document under the same limit (for parsers that take bytes, e.g. CloudTrail's repairs). */
export async function readDocumentBytes(abs: string, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of fileChunks(abs)) {
    size += chunk.length;
    if (size > maxBytes) throw new DocumentTooLargeError(maxBytes);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** A whole JSON document (gzip or plain) of at most maxBytes expanded bytes; DocumentTooLargeError past it. */
export async function readJsonDocument(abs: string, maxBytes: number): Promise<unknown> {
  return JSON.parse(decodeText(await readDocumentBytes(abs, maxBytes))) as unknown;
}
