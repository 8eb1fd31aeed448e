// Phase 1 on reader threads changes nothing but speed: timeline.jsonl, findings.json and analysis-manifest.json
// are byte for byte those of the in-thread reader, with one reader thread and with three, on a bundle of several
// sources (trail files, access-log lines of the same S3 requests, Bedrock invocation logs), broken lines, baseline
// items and a file that fails mid-read; and a reader thread that dies costs its files a problem naming each,
// never a crash or a hang. Runs the compiled worker (npm test builds first).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyzeBundle, type AnalyzeResult } from '../../src/analysis/run.js';
import { classifyItem } from '../../src/analysis/read-bundle.js';
import { defaultReadWorkerUrl, ReadPool, type ReadJob } from '../../src/analysis/read-pool.js';
import { DEFAULT_READ_LIMITS } from '../../src/analysis/lines.js';
import type { Manifest } from '../../src/collect/manifest.js';
import { BUNDLE_ACCOUNT as ACCOUNT, trailFile, writeBundle, type BundleFile } from '../support/analysis-bundle.js';
import { cleanupTempDirs, tempDir } from './helpers.js';

afterAll(cleanupTempDirs);

const NOW = new Date('2026-12-01T00:00:00Z');
const TRAIL = `evidence/${ACCOUNT}/us-east-1/cloudtrail/s3/trail/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1`;
const INVOCATIONS = `evidence/${ACCOUNT}/us-east-1/bedrock/invocation-logs-s3/logs`;
const BROKEN_GZIP = `${INVOCATIONS}/z-truncated.json.gz`;
const pad = (n: number): string => String(n).padStart(2, '0');

const who = (n: number) =>
  n % 13 === 0
    ? { key: 'AKIALEAKED0000000001', user: 'leaked', ip: '198.51.100.23' }
    : { key: `AKIAAPP${String(n % 5).padStart(13, '0')}`, user: `app-${n % 5}`, ip: `10.0.${n % 5}.5` };

function record(n: number, at: Date, kind: number): Record<string, unknown> {
  const w = who(n);
  const base = {
    eventVersion: '1.09',
    eventTime: at.toISOString(),
    awsRegion: 'us-east-1',
    sourceIPAddress: w.ip,
    userAgent: 'aws-sdk-js/3',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/${w.user}`, accountId: ACCOUNT, accessKeyId: w.key },
    recipientAccountId: ACCOUNT,
    eventID: `e-${n}`,
    requestID: `R${n}`,
  };
  if (kind === 0)
    return {
      ...base,
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      readOnly: true,
      requestParameters: { bucketName: 'training', key: `data/${n % 7}.csv` },
      additionalEventData: { bytesTransferredOut: 1000 },
    };
  if (kind === 1) return { ...base, eventSource: 'iam.amazonaws.com', eventName: n % 2 ? 'CreateAccessKey' : 'ListUsers', readOnly: false };
  return { ...base, eventSource: 'bedrock.amazonaws.com', eventName: 'InvokeModel', requestParameters: { modelId: 'anthropic.claude-v2' } };
}

const accessLine = (n: number, at: Date): string => {
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][at.getUTCMonth()];
  const stamp = `${pad(at.getUTCDate())}/${mon}/${at.getUTCFullYear()}:${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`;
  const w = who(n);
  return `79a5 training [${stamp}] ${w.ip} arn:aws:iam::${ACCOUNT}:user/${w.user} R${n} REST.GET.OBJECT data/${n % 7}.csv "GET /training/data/${n % 7}.csv HTTP/1.1" 200 - 1000 1000 5 4 "-" "aws-sdk-js/3" -`;
};

const invocation = (n: number, at: Date): string =>
  JSON.stringify({
    schemaType: 'ModelInvocationLog',
    timestamp: at.toISOString(),
    accountId: ACCOUNT,
    region: n % 4 ? 'us-east-1' : 'eu-west-1',
    requestId: `B${n}`,
    operation: 'InvokeModel',
    modelId: n % 3 ? 'anthropic.claude-v2' : 'meta.llama3',
    identity: { arn: `arn:aws:iam::${ACCOUNT}:user/${who(n).user}` },
    input: { inputBodyJson: { prompt: `question ${n} \u00e9` }, inputTokenCount: 12 },
    output: { outputBodyJson: { completion: 'answer' }, outputTokenCount: 5 },
  });

/** Twelve hours of the window (and two days of baseline) over many files, so reader threads interleave. */
function bundleFiles(): BundleFile[] {
  const files: BundleFile[] = [];
  const windowStart = Date.parse('2026-11-01T00:00:00Z');
  for (let f = 0; f < 14; f++) {
    const baseline = f < 2;
    const t0 = baseline ? windowStart - (2 - f) * 86_400_000 : windowStart + (f - 2) * 3_600_000;
    const trail: unknown[] = [];
    const access: string[] = [];
    const invocations: string[] = [];
    for (let i = 0; i < 60; i++) {
      const n = f * 60 + i;
      // Files overlap in time, so their events interleave in the timeline.
      const at = new Date(t0 + i * 90_000);
      const kind = n % 3;
      trail.push(record(n, at, kind));
      if (kind === 0) access.push(accessLine(n, new Date(at.getTime() + 1000)));
      if (i % 4 === 0) invocations.push(invocation(n, at));
    }
    const day = new Date(t0).toISOString().slice(0, 10).replace(/-/g, '/');
    files.push({ ...trailFile(`${TRAIL}/${day}/${ACCOUNT}_CloudTrail_us-east-1_${pad(f)}.json.gz`, trail, ['trail', `t${f}.json.gz`]), baseline });
    files.push({
      path: `evidence/${ACCOUNT}/global/s3-access-logs/logs/access-logs/training/${pad(f)}`,
      body: `${access.join('\n')}\nnot an access log line\n`,
      source: 's3-access-logs',
      region: 'global',
      from: ['access-logs', `training/${f}`],
      baseline,
    });
    // A broken line in the middle of every invocation log: a problem with its file and line, the lines after it still read.
    invocations.splice(3, 0, '{"schemaType": "ModelInvocationLog", "broken');
    files.push({
      path: `${INVOCATIONS}/${pad(f)}.json`,
      body: `${invocations.join('\n')}\n`,
      source: 'bedrock',
      from: ['bedrock-logs', `${f}.json`],
      baseline,
    });
  }
  // A gzip file cut short: its first records are read, then the reader throws.
  const whole = gzipSync(Array.from({ length: 400 }, (_, i) => invocation(10_000 + i, new Date(windowStart + i * 1000))).join('\n'));
  files.push({ path: BROKEN_GZIP, body: whole.subarray(0, Math.floor(whole.length * 0.6)), source: 'bedrock', from: ['bedrock-logs', 'z.json.gz'] });
  return files;
}

const OUTPUTS = ['timeline.jsonl', 'findings.json', 'analysis-manifest.json'];
let bundleDir: string;
const runs: Record<string, { result: AnalyzeResult; files: Buffer[]; poolReads: number }> = {};

beforeAll(async () => {
  if (!defaultReadWorkerUrl()) throw new Error('no compiled read worker: run npm run build first');
  const dir = await tempDir('read-pool');
  bundleDir = await writeBundle(dir, {
    files: bundleFiles(),
    header: {
      baselineWindow: { start: '2026-10-30T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' },
      sources: ['cloudtrail', 's3-access-logs', 'bedrock'],
    },
  });
  // One output directory name for every run: derivedFrom and the outputs' manifest are then comparable byte for byte.
  for (const [name, readWorkers] of [
    ['in-thread', 0],
    ['one worker', 1],
    ['three workers', 3],
  ] as const) {
    const spy = vi.spyOn(ReadPool.prototype, 'read');
    const outDir = join(await tempDir(`read-pool-${readWorkers}`), 'analysis');
    // A small sort budget: runs spill, so the order of pushes (not only the set of events) must match.
    const result = await analyzeBundle({ bundleDir, outDir, formats: ['json'], now: NOW, readWorkers, sortLimits: { runBytes: 64 * 1024 } });
    runs[name] = { result, files: await Promise.all(OUTPUTS.map((f) => readFile(join(outDir, f)))), poolReads: spy.mock.calls.length };
    spy.mockRestore();
  }
}, 120_000);

describe('reader threads', () => {
  it('the bundle exercises what could differ: merged requests, baseline events, broken lines and a failed file', () => {
    const { analysis } = runs['in-thread']!.result;
    expect(analysis.stats.merged).toBeGreaterThan(100);
    expect(analysis.stats.baselineEvents).toBeGreaterThan(100);
    expect(analysis.findings.length).toBeGreaterThan(0);
    expect(analysis.problems.filter((p) => p.line !== undefined && /is not JSON/.test(p.message)).length).toBe(14);
    expect(analysis.problems.filter((p) => /^(line|record) /.test(p.message) || /access log/i.test(p.message)).length).toBeGreaterThan(0);
    expect(analysis.problems).toContainEqual({ path: BROKEN_GZIP, message: expect.stringMatching(/^could not be read: /) });
    expect(analysis.stats.bySource['bedrock-invocation']).toBeGreaterThan(14 * 15);
  });

  it('the pooled runs went through the pool, the in-thread run did not', () => {
    expect(runs['in-thread']!.poolReads).toBe(0);
    expect(runs['one worker']!.poolReads).toBe(1);
    expect(runs['three workers']!.poolReads).toBe(1);
  });

  for (const name of ['one worker', 'three workers']) {
    it.each(OUTPUTS.map((f, i) => [f, i] as const))(`${name}: %s is byte for byte the in-thread one`, (_file, i) => {
      const a = runs['in-thread']!.files[i]!;
      expect(a.length).toBeGreaterThan(100);
      expect(runs[name]!.files[i]!.equals(a)).toBe(true);
    });
  }
});

describe('read limits on reader threads', () => {
  it('the record and document limits apply in the worker: the same unreadable records, the same findings.json', async () => {
    const limits = { maxRecordBytes: 380, maxDocumentBytes: 15_000 };
    const out: Buffer[] = [];
    const problems: string[][] = [];
    for (const readWorkers of [0, 2]) {
      const outDir = join(await tempDir(`read-pool-limits-${readWorkers}`), 'analysis');
      const { analysis } = await analyzeBundle({ bundleDir, outDir, formats: ['json'], now: NOW, readWorkers, limits });
      out.push(await readFile(join(outDir, 'findings.json')));
      problems.push(analysis.problems.map((p) => p.message));
    }
    expect(problems[0]!.some((m) => /over the limit of 380 bytes/.test(m))).toBe(true);
    expect(problems[0]!.some((m) => /expands past 15000 bytes/.test(m))).toBe(true);
    expect(problems[1]).toEqual(problems[0]);
    expect(out[1]!.equals(out[0]!)).toBe(true);
  });
});

describe('ReadPool', () => {
  it('a reader thread that dies: each of its files is a problem naming it, and the read ends', async () => {
    const manifest = JSON.parse(await readFile(join(bundleDir, 'manifest.json'), 'utf8')) as Manifest;
    const jobs: ReadJob[] = manifest.items.flatMap((item) => {
      const kind = classifyItem(item);
      return kind ? [{ bundleDir, item, kind, windowStart: manifest.window.start, limits: DEFAULT_READ_LIMITS }] : [];
    });
    const dies = new URL(
      `data:text/javascript,${encodeURIComponent('import { parentPort } from "node:worker_threads"; parentPort.on("message", () => process.exit(7));')}`,
    );
    const pool = new ReadPool(2, dies);
    const failures: [string, string | null][] = [];
    try {
      for await (const item of pool.read(jobs)) {
        for await (const batch of item.batches()) void batch;
        failures.push([item.job.item.path, item.summary!.failure]);
      }
    } finally {
      await pool.close();
    }
    expect(failures.map(([p]) => p)).toEqual(jobs.map((j) => j.item.path));
    for (const [, failure] of failures) expect(failure).toBe('the reader thread exited (code 7)');
  });
});
