// Collect benchmark: N CloudTrail .json.gz files on disk (BENCH_COLLECT_EVENTS, default 1,000,000 events;
// 10,000,000 is the target), then in one run, each in its own child process so its peak RSS is its own:
// (1) the bare rate: read + sha256 + gunzip + JSON.parse of every file, one core;
// (2) collect's CloudTrail path on the same files (list, GetObject stream, hash, write, parse, custody, seal),
//     with S3 answered in-process from the files on disk so the figure is collect's own cost, not a network's.
// Returns figures, prints nothing.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { ClientFactory } from '../src/aws/clients.js';
import type { RoleChain } from '../src/aws/credentials.js';
import { BundleWriter } from '../src/collect/bundle.js';
import { countingEvents } from '../src/collect/collector.js';
import { trailAccountRoot } from '../src/collect/layout.js';
import { defaultParseWorkers, defaultWorkerUrl, ParsePool } from '../src/collect/parsers/parse-pool.js';
import { DEFAULT_STREAM_LIMITS } from '../src/collect/parsers/stream-reader.js';
import { collectTrailRegion, type CloudTrailStats } from '../src/collect/sources/cloudtrail.js';
import type { BucketAccess, CollectContext } from '../src/collect/sources/context.js';
import { BucketResolver } from '../src/collect/sources/context.js';
import { RateLimiters } from '../src/collect/throttle.js';

export interface CollectBenchFigures {
  events: number;
  files: number;
  gzMb: number;
  cores: number;
  /** perCpuSecond: events per second of process CPU (worker threads included): the per-core rate on a shared machine. */
  bare: { ms: number; rate: number; peakRssMb: number; perCpuSecond: number };
  /** collect with parsing on the main thread (--events-copy does this), one core. */
  inThread: { ms: number; rate: number; ratio: number; peakRssMb: number };
  workers: number;
  collect: {
    ms: number;
    rate: number;
    perCore: number;
    perCpuSecond: number;
    inThreadPerCpuSecond: number;
    peakRssMb: number;
    records: number;
    parseErrors: number;
    bundleMb: number;
  };
  /** collect rate / bare rate (target >= 0.7). */
  ratio: number;
  limits: { perCoreAtLeast100k: boolean; ratioAtLeast07: boolean; peakRssUnder512MB: boolean };
}

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const BUCKET = 'org-trail';
const PER_FILE = 1000;
/** Distinct file contents generated; the rest are copies under their own names (collect does not deduplicate). */
const DISTINCT = 40;
const DAY = Date.UTC(2026, 10, 1);
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function record(n: number): Record<string, unknown> {
  const t = new Date(DAY + ((n * 37) % 86_000_000));
  const user = n % 97 === 0 ? 'leaked' : `app-${n % 40}`;
  const base = {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: `AIDA${pad(n % 40, 17)}`,
      arn: `arn:aws:iam::${ACCOUNT}:user/${user}`,
      accountId: ACCOUNT,
      accessKeyId: `AKIA${pad(n % 40, 16)}`,
      userName: user,
    },
    eventTime: t.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    awsRegion: REGION,
    sourceIPAddress: `10.0.${n % 40}.5`,
    userAgent: 'aws-sdk-js/3.600.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.11.0 api/s3#3.600.0',
    requestID: `R${n.toString(16).padStart(12, '0')}`,
    eventID: `e7c2b0a4-${pad(n % 10000, 4)}-4d1e-9a7b-${n.toString(16).padStart(12, '0')}`,
    eventType: 'AwsApiCall',
    recipientAccountId: ACCOUNT,
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 's3.us-east-1.amazonaws.com' },
  };
  if (n % 3 === 0) {
    return {
      ...base,
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      readOnly: true,
      managementEvent: false,
      eventCategory: 'Data',
      requestParameters: {
        bucketName: 'training-data',
        key: `datasets/2026/part-${n % 5000}.parquet`,
        Host: 'training-data.s3.us-east-1.amazonaws.com',
      },
      responseElements: null,
      additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: 1048576, 'x-amz-id-2': 'b'.repeat(76) },
      resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::training-data/datasets/2026/part-${n % 5000}.parquet` }],
    };
  }
  return {
    ...base,
    eventSource: 'sagemaker.amazonaws.com',
    eventName: n % 500 === 3 ? 'CreatePresignedNotebookInstanceUrl' : 'DescribeEndpoint',
    readOnly: true,
    managementEvent: true,
    eventCategory: 'Management',
    requestParameters: { endpointName: `fraud-${n % 7}` },
    responseElements: null,
  };
}

function keyOf(f: number): string {
  const stamp = new Date(DAY + (f % 1440) * 60_000);
  const name = `${ACCOUNT}_CloudTrail_${REGION}_20261101T${pad(stamp.getUTCHours())}${pad(stamp.getUTCMinutes())}Z_${f.toString(36).padStart(16, '0')}.json.gz`;
  return `${trailAccountRoot(null, ACCOUNT)}CloudTrail/${REGION}/2026/11/01/${name}`;
}

/** Writes the trail files under `dir/<key>`; returns their keys in listing order. */
async function generate(dir: string, events: number): Promise<{ keys: string[]; bytes: number }> {
  const files = Math.ceil(events / PER_FILE);
  const templates: string[] = [];
  const keys: string[] = [];
  let bytes = 0;
  await mkdir(join(dir, trailAccountRoot(null, ACCOUNT), 'CloudTrail', REGION, '2026', '11', '01'), { recursive: true });
  for (let f = 0; f < files; f++) {
    const key = keyOf(f);
    const path = join(dir, key);
    const count = Math.min(PER_FILE, events - f * PER_FILE);
    if (f < DISTINCT || count < PER_FILE) {
      const records = Array.from({ length: count }, (_, i) => record(f * PER_FILE + i));
      await writeFile(path, gzipSync(JSON.stringify({ Records: records })));
      if (count === PER_FILE) templates.push(path);
    } else {
      await copyFile(templates[f % templates.length]!, path);
    }
    bytes += (await stat(path)).size;
    keys.push(key);
  }
  return { keys: keys.sort(), bytes };
}

// ---------------------------------------------------------------- child: bare

async function bare(dir: string, keys: string[]): Promise<number> {
  let records = 0;
  for (const key of keys) {
    const bytes = await readFile(join(dir, key));
    createHash('sha256').update(bytes).digest('hex');
    records += (JSON.parse(gunzipSync(bytes).toString('utf8')) as { Records: unknown[] }).Records.length;
  }
  return records;
}

// ---------------------------------------------------------------- child: collect

/** S3 answered from the files on disk: ListObjectsV2 pages of 1,000 keys and GetObject as a file stream. */
function diskS3(dir: string, keys: string[]): S3Client {
  const answer = (command: unknown): object => {
    if (command instanceof ListObjectsV2Command) {
      const { Prefix = '', ContinuationToken } = command.input;
      const matching = keys.filter((k) => k.startsWith(Prefix));
      const from = Number(ContinuationToken ?? 0);
      const page = matching.slice(from, from + 1000);
      const more = from + 1000 < matching.length;
      return {
        $metadata: {},
        Contents: page.map((Key) => ({ Key, Size: 0 })),
        IsTruncated: more,
        ...(more ? { NextContinuationToken: String(from + 1000) } : {}),
      };
    }
    if (command instanceof GetObjectCommand) {
      return {
        $metadata: { requestId: 'bench' },
        Body: createReadStream(join(dir, command.input.Key!), { highWaterMark: 256 * 1024 }),
        ETag: '"bench"',
      };
    }
    throw new Error(`bench S3 does not answer ${(command as object).constructor.name}`);
  };
  return { send: (command: unknown) => new Promise((resolve) => resolve(answer(command))) } as unknown as S3Client;
}

async function collect(dir: string, keys: string[], out: string, workers: number): Promise<{ records: number; parseErrors: number; bytes: number }> {
  const factory = new ClientFactory({ captureRawResponses: true });
  const chain = { forAccount: () => () => Promise.resolve({ accessKeyId: 'x', secretAccessKey: 'x' }) } as unknown as RoleChain;
  const bundle = await BundleWriter.create(out, 'BENCH', {
    tool: 'forensight',
    toolVersion: 'bench',
    callerArn: `arn:aws:iam::${ACCOUNT}:user/bench`,
    sessionName: 'bench',
    osUser: 'bench',
    host: 'bench',
  });
  const window = { start: new Date(DAY), end: new Date(DAY + 86_399_999) };
  const counts = { analysed: 0, matched: 0 };
  const ctx: CollectContext = {
    factory,
    chain,
    bundle,
    window,
    filter: {},
    events: countingEvents({}, counts, null),
    downloads: pLimit(16),
    buckets: new BucketResolver(factory, chain, REGION),
    lookupLimiters: new RateLimiters(2),
    homeRegion: REGION,
    organizationId: null,
    accounts: new Map([[ACCOUNT, [REGION]]]),
    limits: DEFAULT_STREAM_LIMITS,
    parsers: workers > 0 ? new ParsePool(workers, defaultWorkerUrl()!) : null,
    phase: 'incident',
    claimed: new Set(),
  };
  const access: BucketAccess = { bucket: BUCKET, accountId: ACCOUNT, region: REGION, s3: diskS3(dir, keys) };
  const stats: CloudTrailStats = { files: 0, digestFiles: 0, records: 0, parseErrors: 0, unrecognised: 0, lookupAccountRegions: 0 };
  const started = Date.now();
  await collectTrailRegion(ctx, access, trailAccountRoot(null, ACCOUNT), { accountId: ACCOUNT, region: REGION }, stats);
  await ctx.parsers?.close();
  const iso = window.start.toISOString();
  await bundle.seal(
    {
      bundleId: bundle.id,
      incident: 'BENCH',
      window: { start: iso, end: window.end.toISOString() },
      baselineWindow: null,
      scope: { organization: null, accounts: [{ accountId: ACCOUNT, name: 'bench', regions: [REGION], status: 'COLLECTED' }] },
      sources: ['cloudtrail'],
      filters: {},
      collector: {
        tool: 'forensight',
        version: 'bench',
        callerArn: 'bench',
        callerAccountId: ACCOUNT,
        sessionNames: ['bench'],
        roleName: null,
        osUser: 'bench',
        host: 'bench',
      },
      startedAt: new Date(started).toISOString(),
    },
    { apiCalls: 0, durationMs: Date.now() - started },
  );
  return { records: stats.records, parseErrors: stats.parseErrors, bytes: bundle.totalBytes };
}

async function child(mode: string, dir: string, out: string): Promise<void> {
  const keys = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8')) as string[];
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result =
    mode === 'bare'
      ? { records: await bare(dir, keys), parseErrors: 0, bytes: 0 }
      : await collect(dir, keys, out, mode === 'collect-in-thread' ? 0 : defaultParseWorkers());
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, ...result, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
  );
}

interface ChildResult {
  ms: number;
  /** CPU time of the whole process, worker threads included. */
  cpuMs: number;
  records: number;
  parseErrors: number;
  bytes: number;
  peakRssMb: number;
}

type Mode = 'bare' | 'collect-in-thread' | 'collect';

function runChild(mode: Mode, dir: string, out: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), mode, dir, out], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    proc.stdout.on('data', (d: Buffer) => (text += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(text) as ChildResult) : reject(new Error(`bench ${mode} child exited ${code}`))));
  });
}

export async function benchCollect(events = Number(process.env.BENCH_COLLECT_EVENTS ?? 1_000_000)): Promise<CollectBenchFigures> {
  const root = await mkdtemp(join(tmpdir(), 'forensight-bench-collect-'));
  try {
    const dir = join(root, 'bucket');
    const out = join(root, 'out');
    const { keys, bytes } = await generate(dir, events);
    await writeFile(join(dir, 'keys.json'), JSON.stringify(keys));
    if (process.env.BENCH_COLLECT_KEEP) await writeFile(process.env.BENCH_COLLECT_KEEP, dir);
    const b = await runChild('bare', dir, out);
    const one = await runChild('collect-in-thread', dir, out);
    const c = await runChild('collect', dir, out);
    if (b.records !== events || c.records !== events || one.records !== events)
      throw new Error(`bench read ${b.records} (bare), ${one.records} (collect in-thread) and ${c.records} (collect) records of ${events}`);
    const cores = availableParallelism();
    const bareRate = Math.round(events / (b.ms / 1000));
    const rate = Math.round(events / (c.ms / 1000));
    const perCore = Math.round(rate / cores);
    const ratio = Number((rate / bareRate).toFixed(2));
    return {
      events,
      files: keys.length,
      gzMb: Number((bytes / 1e6).toFixed(1)),
      cores,
      bare: { ms: Math.round(b.ms), rate: bareRate, peakRssMb: b.peakRssMb, perCpuSecond: Math.round(events / (b.cpuMs / 1000)) },
      inThread: {
        ms: Math.round(one.ms),
        rate: Math.round(events / (one.ms / 1000)),
        ratio: Number((events / (one.ms / 1000) / bareRate).toFixed(2)),
        peakRssMb: one.peakRssMb,
      },
      workers: defaultParseWorkers(),
      collect: {
        ms: Math.round(c.ms),
        rate,
        perCore,
        perCpuSecond: Math.round(events / (c.cpuMs / 1000)),
        inThreadPerCpuSecond: Math.round(events / (one.cpuMs / 1000)),
        peakRssMb: c.peakRssMb,
        records: c.records,
        parseErrors: c.parseErrors,
        bundleMb: Number((c.bytes / 1e6).toFixed(1)),
      },
      ratio,
      limits: { perCoreAtLeast100k: perCore >= 100_000, ratioAtLeast07: ratio >= 0.7, peakRssUnder512MB: c.peakRssMb < 512 },
    };
  } finally {
    if (!process.env.BENCH_COLLECT_KEEP) await rm(root, { recursive: true, force: true });
  }
}

/** One line for `npm run bench`. */
export function describeCollectBench(f: CollectBenchFigures): string[] {
  return [
    `Collect, ${f.events.toLocaleString('en')} CloudTrail events in ${f.files} files (${f.gzMb} MB gzip; ${f.cores} cores; BENCH_COLLECT_EVENTS scales it):`,
    `  bare read+sha256+gunzip+parse ${f.bare.rate} events/s (${(f.bare.ms / 1000).toFixed(1)} s, one core); collect parsing in-thread ${f.inThread.rate} events/s (ratio ${f.inThread.ratio}, peak RSS ${f.inThread.peakRssMb} MB)`,
    `  per CPU-second (the per-core rate whatever else the machine runs): bare ${f.bare.perCpuSecond}, collect in-thread ${f.collect.inThreadPerCpuSecond}, collect with workers ${f.collect.perCpuSecond}`,
    `  collect with ${f.workers} parse workers ${f.collect.rate} events/s (${(f.collect.ms / 1000).toFixed(1)} s), ${f.collect.perCore} per core (>= 100k: ${f.limits.perCoreAtLeast100k ? 'ok' : 'MISSED'}); ratio ${f.ratio} (>= 0.7: ${f.limits.ratioAtLeast07 ? 'ok' : 'MISSED'}); peak RSS ${f.collect.peakRssMb} MB (< 512 MB: ${f.limits.peakRssUnder512MB ? 'ok' : 'MISSED'}; bare ${f.bare.peakRssMb} MB)`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, dir, out] = process.argv.slice(2);
  if (mode === 'bare' || mode === 'collect' || mode === 'collect-in-thread') {
    child(mode, dir!, out!).catch((error: Error) => {
      process.stderr.write(`${error.stack ?? error.message}\n`);
      process.exitCode = 1;
    });
  } else {
    benchCollect().then(
      (f) => process.stdout.write(`${describeCollectBench(f).join('\n')}\n${JSON.stringify(f)}\n`),
      (error: Error) => {
        process.stderr.write(`${error.stack ?? error.message}\n`);
        process.exitCode = 1;
      },
    );
  }
}
