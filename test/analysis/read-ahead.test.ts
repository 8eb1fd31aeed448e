// A trail file read ahead (its bytes fetched while the item before it is parsed) reads as if it had not been:
// the same events or the same problem, whether the read ahead got the bytes, gave up at its size budget, or met
// a broken file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyItem, readAhead, readItem, type ReadOutput } from '../../src/analysis/read-bundle.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../../src/analysis/lines.js';
import type { Manifest } from '../../src/collect/manifest.js';
import { BUNDLE_ACCOUNT as ACCOUNT, trailFile, writeBundle, type BundleFile } from '../support/analysis-bundle.js';
import { cleanupTempDirs, tempDir } from './helpers.js';

afterAll(cleanupTempDirs);

const TRAIL = `evidence/${ACCOUNT}/us-east-1/cloudtrail/s3/trail/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/01`;
const records = Array.from({ length: 40 }, (_, n) => ({
  eventVersion: '1.09',
  eventTime: new Date(Date.UTC(2026, 10, 1, 0, 0, n)).toISOString(),
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateAccessKey',
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.23',
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/u${n}`, accountId: ACCOUNT, accessKeyId: 'AKIALEAKED0000000001' },
  eventID: `e-${n}`,
  requestID: `R${n}`,
}));
const good = trailFile(`${TRAIL}/good.json.gz`, records, ['trail', 'good.json.gz']);
const whole = gzipSync(JSON.stringify({ Records: records }));
const truncated: BundleFile = {
  ...good,
  path: `${TRAIL}/truncated.json.gz`,
  body: whole.subarray(0, whole.length >> 1),
  from: ['trail', 't.json.gz'],
};
const notJson: BundleFile = { ...good, path: `${TRAIL}/not-json.json.gz`, body: gzipSync('{"Records": [1, '), from: ['trail', 'n.json.gz'] };

async function collect(gen: AsyncGenerator<ReadOutput>): Promise<ReadOutput[]> {
  const out: ReadOutput[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

describe('trail files read ahead', () => {
  it.each<[string, BundleFile, ReadLimits, 'events' | 'problem']>([
    ['a whole file', good, DEFAULT_READ_LIMITS, 'events'],
    [
      'a file over the document limit (the read ahead gives up; the real read reports it)',
      good,
      { ...DEFAULT_READ_LIMITS, maxDocumentBytes: 200 },
      'problem',
    ],
    ['a gzip file cut short', truncated, DEFAULT_READ_LIMITS, 'problem'],
    ['a file that is not JSON', notJson, DEFAULT_READ_LIMITS, 'problem'],
  ])('%s: the same outputs as without reading ahead', async (_name, file, limits, expected) => {
    const bundleDir = await writeBundle(await tempDir('read-ahead'), { files: [file] });
    const manifest = JSON.parse(await readFile(join(bundleDir, 'manifest.json'), 'utf8')) as Manifest;
    const item = manifest.items.find((i) => i.path === file.path)!;
    const kind = classifyItem(item)!;
    expect(kind).toBe('trail-file');
    const plain = await collect(readItem(bundleDir, item, kind, { limits }));
    const document = readAhead(bundleDir, item, kind, limits);
    expect(document).toBeDefined();
    const ahead = await collect(readItem(bundleDir, item, kind, { limits, document }));
    expect(ahead).toEqual(plain);
    if (expected === 'events') expect(plain.filter((r) => r.kind === 'event')).toHaveLength(records.length);
    else expect(plain.map((r) => r.kind)).toContain('problem');
  });

  it('only trail files are read ahead (the others stream as they are read)', () => {
    expect(readAhead('/nowhere', { path: 'x' } as never, 'access-log', DEFAULT_READ_LIMITS)).toBeUndefined();
  });
});
