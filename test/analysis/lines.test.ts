// The bounded readers: a broken JSON line costs itself only, wrapped records are re-joined without swallowing
// valid ones, over-limit records and documents are unreadable with their true size, and the count is exact.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentTooLargeError, readJsonDocument, readJsonLines, readRawLines, type JsonLine } from '../../src/analysis/lines.js';
import { cleanupTempDirs, fixtureText, tempDir } from './helpers.js';

afterAll(cleanupTempDirs);

async function file(name: string, body: string | Buffer): Promise<string> {
  const p = join(await tempDir('lines'), name);
  await writeFile(p, body);
  return p;
}

async function all(abs: string, maxRecordBytes = 1 << 20): Promise<JsonLine[]> {
  const out: JsonLine[] = [];
  for await (const l of readJsonLines(abs, { maxRecordBytes, maxDocumentBytes: 1 << 20 })) out.push(l);
  return out;
}

const rec = (i: number) => JSON.stringify({ n: i });

describe('readJsonLines', () => {
  it.each([
    ['a broken line before 70 valid records', ['{"n": broken', ...Array.from({ length: 70 }, (_, i) => rec(i))], 70, [1]],
    ['broken lines between valid ones', [rec(0), 'not json', rec(1), '{"half":', rec(2)], 3, [2, 4]],
    ['a record wrapped over three lines, then a valid one', ['{"a":1,', '"b":2,', '"c":3}', rec(9)], 2, []],
    ['a broken wrapped record: its stray continuation lines are not counted again', ['{"a":1,', '"b":', '"c" 3}', '"d":4}', rec(1)], 1, [1]],
    ['blank lines and CRLF', ['', `${rec(0)}\r`, '   ', rec(1)], 2, []],
    ['trailing unterminated record', [rec(0), '{"x":'], 1, [2]],
  ])('%s', async (_name, lines, records, problemLines) => {
    const got = await all(await file('a.jsonl', lines.join('\n')));
    expect(got.filter((l) => 'value' in l)).toHaveLength(records);
    expect(got.filter((l) => 'problem' in l).map((l) => l.line)).toEqual(problemLines);
  });

  it('re-joins the published data-capture sample (records wrapped over 2-3 lines) with no problem', async () => {
    const got = await all(await file('capture.jsonl', fixtureText('sagemaker/awsdocs-data-capture-sample.jsonl')));
    expect(got.length).toBeGreaterThan(1);
    expect(got.every((l) => 'value' in l)).toBe(true);
  });

  it('a record over the size limit is one unreadable record with its true size; the next records are read', async () => {
    const big = JSON.stringify({ prompt: 'x'.repeat(5000) });
    const got = await all(await file('big.jsonl.gz', gzipSync([rec(0), big, rec(1)].join('\n'))), 1000);
    expect(got.map((l) => ('value' in l ? 'ok' : l.problem))).toEqual([
      'ok',
      `record of ${Buffer.byteLength(big)} bytes over the limit of 1000 bytes`,
      'ok',
    ]);
  });
});

describe('readRawLines', () => {
  it('numbers lines, keeps the last line without a newline, splits across chunk boundaries', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line-${i}-${'y'.repeat(i % 50)}`);
    const out: string[] = [];
    for await (const l of readRawLines(await file('x.txt', lines.join('\n')), 1000)) if ('text' in l) out.push(`${l.line}:${l.text}`);
    expect(out).toEqual(lines.map((l, i) => `${i + 1}:${l}`));
  });
});

describe('a gzip file cut short', () => {
  /** Lines read before the reader throws, taking each line at once or yielding to the event loop between lines. */
  async function readUntilBreak(abs: string, slow: boolean): Promise<{ lines: number; error: string }> {
    let lines = 0;
    try {
      for await (const l of readRawLines(abs, 1 << 20)) {
        if ('text' in l) lines++;
        if (slow) await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      return { lines, error: (error as Error).message };
    }
    return { lines, error: 'none' };
  }

  it('yields every line it decompressed before the break, however fast it is read, then throws', async () => {
    const whole = gzipSync(Array.from({ length: 20_000 }, (_, i) => rec(i)).join('\n'));
    const abs = await file('cut.jsonl.gz', whole.subarray(0, Math.floor(whole.length * 0.7)));
    const fast = await readUntilBreak(abs, false);
    const slow = await readUntilBreak(abs, true);
    expect(fast.error).toMatch(/unexpected end of file/);
    expect(fast.lines).toBeGreaterThan(10_000);
    expect(slow).toEqual(fast);
  });
});

describe('readJsonDocument', () => {
  it('a gzip document that expands past the limit is refused with the limit named, without inflating it whole', async () => {
    const bomb = gzipSync(Buffer.alloc(5_000_000, 0x20));
    await expect(readJsonDocument(await file('bomb.json.gz', bomb), 1_000_000)).rejects.toThrow(DocumentTooLargeError);
    await expect(readJsonDocument(await file('bomb2.json.gz', bomb), 1_000_000)).rejects.toThrow(/expands past 1000000 bytes/);
  });

  it('reads a document under the limit', async () => {
    expect(await readJsonDocument(await file('ok.json.gz', gzipSync('{"Records":[]}')), 100)).toEqual({ Records: [] });
  });
});
