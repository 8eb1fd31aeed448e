// CloudTrail parsing on worker threads: the same tally and the same true reasons as the in-thread reader
// (bombs, oversized and broken records, corrupt gzip), memory bounded by the in-flight limit, and a worker
// that dies costs its files a stated problem, never the preserved bytes. Runs the compiled worker (npm test builds first).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleWriter } from '../../src/collect/bundle.js';
import { defaultWorkerUrl, MAX_BYTES_IN_FLIGHT, ParsePool } from '../../src/collect/parsers/parse-pool.js';
import { acceptCloudTrailRecord, JsonRecordStreamReader, type StreamLimits } from '../../src/collect/parsers/stream-reader.js';
import { emptyTally, tallyRecord } from '../../src/collect/parsers/trail-tally.js';
import { ACTOR, cleanupTempDirs, tempDir } from './helpers.js';

const LIMITS: StreamLimits = { maxExpandedBytes: 1 << 20, maxRecordBytes: 64 * 1024 };
const WINDOW = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-01T12:00:00Z') };

const event = (i: number, hour: number, key = 'AKIAAPP'): Record<string, unknown> => ({
  eventName: 'GetObject',
  eventTime: `2026-11-01T${String(hour).padStart(2, '0')}:00:00Z`,
  eventSource: 's3.amazonaws.com',
  requestID: `R${i}`,
  userIdentity: { type: 'IAMUser', accessKeyId: key },
  note: 'quote " brace { backslash \\ unicode \u00e9',
});

let pool: ParsePool;
beforeAll(() => {
  const url = defaultWorkerUrl();
  if (!url) throw new Error('no compiled parse worker: run npm run build first');
  pool = new ParsePool(2, url);
});
afterAll(async () => {
  await pool.close();
  await cleanupTempDirs();
});

async function viaPool(bytes: Buffer, limits = LIMITS, filter = {}, chunkSize = 64 * 1024): Promise<ReturnType<ParsePool['reader']>> {
  const reader = pool.reader(limits, WINDOW, filter);
  for (let i = 0; i < bytes.length; i += chunkSize) await reader.write(bytes.subarray(i, i + chunkSize));
  await reader.end();
  return reader;
}

async function inThread(
  bytes: Buffer,
  limits = LIMITS,
  filter = {},
): Promise<{ tally: ReturnType<typeof emptyTally>; result: JsonRecordStreamReader['result'] }> {
  const tally = emptyTally();
  const reader = new JsonRecordStreamReader(limits, (r) => void tallyRecord(tally, r, WINDOW, filter), acceptCloudTrailRecord);
  await reader.write(bytes);
  await reader.end();
  return { tally, result: reader.result };
}

describe('ParsePool', () => {
  const records = [event(1, 1), event(2, 3, 'AKIALEAKED'), event(3, 13), event(4, 11, 'AKIALEAKED')];
  const cases: { name: string; bytes: Buffer; filter?: object; tally: object; kinds: string[] }[] = [
    { name: 'gzip delivery file', bytes: gzipSync(JSON.stringify({ Records: records })), tally: { records: 4, analysed: 3, matched: 3 }, kinds: [] },
    {
      name: 'plain file, filtered by access key',
      bytes: Buffer.from(JSON.stringify({ Records: records })),
      filter: { accessKeyId: 'AKIALEAKED' },
      tally: { records: 4, analysed: 3, matched: 2 },
      kinds: [],
    },
    {
      name: 'decompression bomb',
      bytes: gzipSync(
        Buffer.concat([
          Buffer.from(`{"Records":[${JSON.stringify(records[0])},`),
          Buffer.alloc(32 * 1024 * 1024, 0x20),
          Buffer.from('{"eventName":"Last"}]}'),
        ]),
      ),
      tally: { records: 1, analysed: 1, matched: 1 },
      kinds: ['expanded-limit'],
    },
    {
      name: 'record over the size limit',
      bytes: gzipSync(JSON.stringify({ Records: [records[0], { eventName: 'HUGE', p: 'y'.repeat(100_000) }, records[1]] })),
      tally: { records: 2, analysed: 2, matched: 2 },
      kinds: ['record-limit'],
    },
    {
      name: 'broken record',
      bytes: Buffer.from(`{"Records":[${JSON.stringify(records[0])},{"eventName": nope},${JSON.stringify(records[1])}]}`),
      tally: { records: 2, analysed: 2, matched: 2 },
      kinds: ['unreadable-record'],
    },
    { name: 'not CloudTrail', bytes: Buffer.from('{"foo":1}'), tally: { records: 0, analysed: 0, matched: 0 }, kinds: ['unreadable-record'] },
  ];
  for (const c of cases) {
    it(`${c.name}: the worker reads what the in-thread reader reads, with the same reasons`, async () => {
      const pooled = await viaPool(c.bytes, LIMITS, c.filter ?? {}, 1000);
      const local = await inThread(c.bytes, LIMITS, c.filter ?? {});
      expect(pooled.tally).toEqual(c.tally);
      expect(local.tally).toEqual(c.tally);
      expect(pooled.result.problems.map((p) => p.kind)).toEqual(c.kinds);
      expect(pooled.result).toEqual(local.result);
    });
  }

  it('corrupt gzip is reported as corrupt', async () => {
    const gz = gzipSync(JSON.stringify({ Records: records }));
    gz[20] = gz[20]! ^ 0xff;
    expect((await viaPool(gz)).result.problems[0]!.message).toMatch(/^gzip data is corrupt/);
  });

  it('many files at once on two workers keep their own counts', async () => {
    const files = Array.from({ length: 12 }, (_, f) => gzipSync(JSON.stringify({ Records: Array.from({ length: f + 1 }, (_, i) => event(i, 2)) })));
    const readers = await Promise.all(files.map((bytes) => viaPool(bytes, LIMITS, {}, 50)));
    expect(readers.map((r) => r.tally.records)).toEqual(files.map((_, f) => f + 1));
  });

  it('the stream waits for the parser once a file has more than the in-flight bound outstanding', async () => {
    const reader = pool.reader(LIMITS, WINDOW, {});
    const chunk = Buffer.alloc(MAX_BYTES_IN_FLIGHT / 2 + 1, 0x20);
    expect(reader.write(chunk)).toBeUndefined();
    const waiting = reader.write(chunk);
    expect(waiting).toBeInstanceOf(Promise);
    await waiting;
    reader.abort();
  });

  it('a worker that dies costs its files a stated problem, and new files get a fresh worker', async () => {
    const own = new ParsePool(1, defaultWorkerUrl()!);
    try {
      const reader = own.reader(LIMITS, WINDOW, {});
      await reader.write(Buffer.from('{"Records":['));
      await (own as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots[0]!.worker.terminate();
      await reader.end();
      expect(reader.result.problems[0]).toMatchObject({ kind: 'parser' });
      expect(reader.result.problems[0]!.message).toMatch(/parse worker exited/);
      const next = own.reader(LIMITS, WINDOW, {});
      await next.write(gzipSync(JSON.stringify({ Records: records })));
      await next.end();
      expect(next.tally.records).toBe(4);
    } finally {
      await own.close();
    }
  });

  it('writeStream keeps the raw bytes byte-exact while a worker parses them', async () => {
    const bundle = await BundleWriter.create(await tempDir('pool-stream'), 'INC-P', ACTOR);
    const gz = gzipSync(JSON.stringify({ Records: records }));
    const reader = pool.reader(LIMITS, WINDOW, {});
    const meta = {
      accountId: '123456789012',
      region: 'us-east-1',
      source: 'cloudtrail' as const,
      origin: { kind: 'derived' as const, description: 't' },
    };
    const written = await bundle.writeStream('evidence/a.json.gz', Readable.from([gz.subarray(0, 10), gz.subarray(10)]), meta, reader);
    expect(reader.tally.records).toBe(4);
    expect(written.sha256).toBe(createHash('sha256').update(gz).digest('hex'));
    expect((await readFile(join(bundle.dir, written.path))).equals(gz)).toBe(true);
  });
});
