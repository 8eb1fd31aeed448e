// Streaming record reading: split at every chunk boundary, bounded by the limits, true reasons for what
// could not be read; generated inputs (bombs, oversized records) never need a file on disk.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { BundleWriter } from '../../src/collect/bundle.js';
import { JsonRecordSplitter } from '../../src/collect/parsers/json-records.js';
import { acceptCloudTrailRecord, JsonRecordStreamReader, type StreamLimits } from '../../src/collect/parsers/stream-reader.js';
import { ACTOR, cleanupTempDirs, tempDir } from './helpers.js';

afterAll(cleanupTempDirs);

function split(
  text: string | Buffer,
  chunkSize: number,
  maxRecordBytes = 1 << 20,
): { records: unknown[]; oversize: number[]; problem: string | null } {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const records: unknown[] = [];
  const oversize: number[] = [];
  const splitter = new JsonRecordSplitter(maxRecordBytes, {
    record: (b) => records.push(JSON.parse(b.toString('utf8'))),
    oversize: (i) => oversize.push(i),
  });
  for (let i = 0; i < bytes.length; i += chunkSize) splitter.push(bytes.subarray(i, i + chunkSize));
  const problem = splitter.finish();
  return { records, oversize, problem: problem ? `${problem.kind}: ${problem.message}` : null };
}

const tricky = [
  { eventName: 'A', s: 'quote " brace { } bracket [ ] backslash \\ end' },
  { eventName: 'B', s: '\\"', t: '\\\\', nested: { Records: [{ x: 1 }], arr: [[{}]] } },
  { eventName: 'C', u: 'unicode \u00e9\u4e2d\ud83d\ude00', n: [1, 2.5, true, null] },
];

describe('JsonRecordSplitter', () => {
  const shapes: [string, string][] = [
    ['delivery wrapper', JSON.stringify({ Records: tricky })],
    ['pretty wrapper with a BOM', `\uFEFF${JSON.stringify({ Records: tricky }, null, 2)}`],
    ['bare array', JSON.stringify(tricky)],
    ['JSON lines', tricky.map((r) => JSON.stringify(r)).join('\n')],
  ];
  for (const [name, text] of shapes) {
    it(`reads every record of a ${name} whatever the chunk boundaries`, () => {
      for (const size of [1, 2, 3, 7, 64, text.length]) {
        const out = split(text, size);
        expect(out.problem, `chunk size ${size}`).toBeNull();
        expect(out.records, `chunk size ${size}`).toEqual(tricky);
      }
    });
  }

  it('a key named Records inside a record does not change the shape', () => {
    expect(split(JSON.stringify({ eventName: 'X', Records: [{ a: 1 }] }), 5).records).toEqual([{ eventName: 'X', Records: [{ a: 1 }] }]);
  });

  it('skips a record over the size limit, counting its real size, and keeps the others', () => {
    const big = { eventName: 'BIG', pad: 'x'.repeat(5000) };
    const text = JSON.stringify({ Records: [tricky[0], big, tricky[2]] });
    for (const size of [16, 100_000]) {
      const out = split(text, size, 1000);
      expect(out.records).toEqual([tricky[0], tricky[2]]);
      expect(out.oversize).toEqual([1]);
    }
  });

  it('says why a document cannot be read', () => {
    expect(split('', 4).problem).toMatch(/^not-json: is empty/);
    expect(split('hello', 4).problem).toMatch(/^not-json/);
    expect(split('{"Records":[{"a":1},{"b":"unterminated', 4).problem).toMatch(/^truncated: ends inside a string/);
    expect(split('{"Records":[{"a":1}', 4).problem).toMatch(/^truncated: ends inside 2 open bracket/);
    expect(split('{"a":1}}', 3).problem).toMatch(/^structure: closing bracket/);
  });
});

async function read(
  bytes: Buffer,
  limits: StreamLimits,
  chunkSize = 64 * 1024,
): Promise<{ records: Record<string, unknown>[]; result: JsonRecordStreamReader['result'] }> {
  const records: Record<string, unknown>[] = [];
  const reader = new JsonRecordStreamReader(limits, (r) => void records.push(r), acceptCloudTrailRecord);
  for (let i = 0; i < bytes.length; i += chunkSize) await reader.write(bytes.subarray(i, i + chunkSize));
  await reader.end();
  return { records, result: reader.result };
}

const LIMITS: StreamLimits = { maxExpandedBytes: 1 << 20, maxRecordBytes: 64 * 1024 };

describe('JsonRecordStreamReader', () => {
  it('reads gzip and plain alike', async () => {
    const text = Buffer.from(JSON.stringify({ Records: tricky }));
    for (const bytes of [text, gzipSync(text)]) {
      const { records, result } = await read(bytes, LIMITS, 5);
      expect(records).toEqual(tricky);
      expect(result).toMatchObject({ records: 3, problemCount: 0, expandedBytes: text.length, shape: 'wrapper' });
    }
  });

  it('stops inflating a decompression bomb at the expanded-size limit and says so', async () => {
    // 64 MiB of padding inside a valid document compresses to about 64 KiB.
    const bomb = gzipSync(
      Buffer.concat([Buffer.from('{"Records":[{"eventName":"First"},'), Buffer.alloc(64 * 1024 * 1024, 0x20), Buffer.from('{"eventName":"Last"}]}')]),
    );
    expect(bomb.length).toBeLessThan(256 * 1024);
    const { records, result } = await read(bomb, LIMITS);
    expect(records.map((r) => r.eventName)).toEqual(['First']);
    expect(result.problems.map((p) => p.kind)).toEqual(['expanded-limit']);
    expect(result.problems[0]!.message).toMatch(`expands past ${LIMITS.maxExpandedBytes} bytes`);
    // It stopped: not 64 MiB inflated, only about the limit.
    expect(result.expandedBytes).toBeLessThan(4 * LIMITS.maxExpandedBytes);
  });

  it('names the record that is over the record-size limit and reads the rest', async () => {
    const text = Buffer.from(JSON.stringify({ Records: [{ eventName: 'A' }, { eventName: 'HUGE', p: 'y'.repeat(200_000) }, { eventName: 'C' }] }));
    const { records, result } = await read(gzipSync(text), LIMITS);
    expect(records.map((r) => r.eventName)).toEqual(['A', 'C']);
    expect(result.problems[0]).toMatchObject({ kind: 'record-limit' });
    expect(result.problems[0]!.message).toMatch(/record 2 \(at byte \d+\) is 200\d+ bytes, over the limit of 65536 bytes/);
  });

  it('a broken record costs itself only', async () => {
    const text = Buffer.from('{"Records":[{"eventName":"A"},{"eventName": nope},{"eventName":"C","ctl":"a\u0001b"}]}');
    const { records, result } = await read(text, LIMITS, 3);
    expect(records.map((r) => r.eventName)).toEqual(['A', 'C']);
    expect(result.problemCount).toBe(1);
    expect(result.problems[0]!.message).toMatch(/^record 2 is not valid JSON/);
  });

  it('reports corrupt gzip as corrupt, and a non-CloudTrail JSON object as not a record', async () => {
    const gz = gzipSync(Buffer.from(JSON.stringify({ Records: tricky })));
    gz[20] = gz[20]! ^ 0xff;
    expect((await read(gz, LIMITS)).result.problems[0]!.message).toMatch(/^gzip data is corrupt/);
    expect((await read(Buffer.from('{"foo":1}'), LIMITS)).result.problems[0]!.message).toMatch(/neither a Records array/);
  });
});

describe('BundleWriter.writeStream with a reader', () => {
  it('hashes and stores the raw bytes while the reader parses the same stream', async () => {
    const bundle = await BundleWriter.create(await tempDir('stream'), 'INC-S', ACTOR);
    const gz = gzipSync(Buffer.from(JSON.stringify({ Records: tricky })));
    const records: unknown[] = [];
    const reader = new JsonRecordStreamReader(LIMITS, (r) => void records.push(r), acceptCloudTrailRecord);
    const meta = {
      accountId: '123456789012',
      region: 'us-east-1',
      source: 'cloudtrail' as const,
      origin: { kind: 'derived' as const, description: 't' },
    };
    const written = await bundle.writeStream('evidence/a.json.gz', Readable.from([gz.subarray(0, 10), gz.subarray(10)]), meta, reader);
    expect(records).toEqual(tricky);
    expect(written.sha256).toBe(createHash('sha256').update(gz).digest('hex'));
    expect((await readFile(join(bundle.dir, written.path))).equals(gz)).toBe(true);
  });

  it('a stream that fails half-way leaves no file behind', async () => {
    const bundle = await BundleWriter.create(await tempDir('stream-fail'), 'INC-S', ACTOR);
    const failing = Readable.from(
      (async function* () {
        yield Buffer.from('partial');
        throw new Error('socket hang up');
      })(),
    );
    const meta = {
      accountId: '123456789012',
      region: 'us-east-1',
      source: 'cloudtrail' as const,
      origin: { kind: 'derived' as const, description: 't' },
    };
    await expect(bundle.writeStream('evidence/b.json', failing, meta)).rejects.toThrow(/socket hang up/);
    await expect(readFile(join(bundle.dir, 'evidence/b.json'))).rejects.toThrow(/ENOENT/);
    expect(bundle.items).toHaveLength(0);
  });
});
