// Analyze benchmark: a synthetic sealed bundle of N records (CloudTrail trail files, the S3 access-log line of
// every data event, Bedrock invocation logs), then in one run (1) the bare read + parse rate of the same files
// and (2) the full analyze (sort, correlate, actors, rules, outputs) with its peak RSS sampled. Returns figures,
// prints nothing. Scale with BENCH_ANALYZE_EVENTS (default 1,000,000; BENCH_ANALYZE_EVENTS=10000000 is the 10-million case).
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BundleWriter } from '../src/collect/bundle.js';
import { type ManifestHeader, s3Origin } from '../src/collect/manifest.js';
import { analyzeBundle } from '../src/analysis/run.js';
import { classifyItem, readItem } from '../src/analysis/read-bundle.js';
import type { Manifest } from '../src/collect/manifest.js';

export interface AnalyzeBenchFigures {
  records: number;
  files: number;
  bundleMb: number;
  generateMs: number;
  parseMs: number;
  parseRate: number;
  analyzeMs: number;
  analyzeRate: number;
  /** analyze rate / bare read+parse rate (target >= 0.5). */
  ratio: number;
  /** CPU milliseconds of each, all threads (a loaded shared machine distorts wall time, not CPU time) and bare CPU / analyze CPU. */
  parseCpuMs: number;
  analyzeCpuMs: number;
  cpuRatio: number;
  events: number;
  merged: number;
  actors: number;
  findings: number;
  peakRssMb: number;
  /** Analyze's phase 1 (read, parse, normalise into the sort) and phase 2 (sorted stream, correlation, rules, outputs), wall ms. */
  readMs: number;
  streamMs: number;
  /** Reader threads analyze used (0: in-thread), and the 1-minute load average when it started (a shared machine). */
  readWorkers: number | 'default';
  loadAverage: number;
  limits: { ratioAtLeastHalf: boolean; peakRssUnder1GB: boolean };
}

const ACCOUNT = '123456789012';
const PER_FILE = 2000;
const pad = (n: number) => String(n).padStart(2, '0');

function accessTime(t: Date): string {
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][t.getUTCMonth()];
  return `${pad(t.getUTCDate())}/${mon}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0000`;
}

/** A bundle whose records are a third S3 GETs (each also in the access log), a third management calls, a sixth invocations. */
export async function generateAnalyzeBundle(
  dir: string,
  target: number,
): Promise<{ bundleDir: string; files: number; records: number; bytes: number }> {
  const writer = await BundleWriter.create(dir, 'BENCH', {
    tool: 'forensight',
    toolVersion: 'bench',
    callerArn: `arn:aws:iam::${ACCOUNT}:user/bench`,
    sessionName: 'bench',
    osUser: 'bench',
    host: 'bench',
  });
  const start = Date.UTC(2026, 10, 1);
  const s3 = (bucket: string, key: string) => s3Origin(bucket, key, ACCOUNT);
  let records = 0;
  let files = 0;
  let bytes = 0;
  for (let f = 0; records < target; f++) {
    const trail: unknown[] = [];
    const access: string[] = [];
    const invocations: string[] = [];
    for (let i = 0; i < PER_FILE && records < target; i++) {
      const n = f * PER_FILE + i;
      const t = new Date(start + n * 50);
      const who =
        n % 97 === 0
          ? { key: 'AKIALEAKED0000000001', user: 'leaked', ip: '198.51.100.23' }
          : { key: `AKIAAPP${String(n % 40).padStart(13, '0')}`, user: `app-${n % 40}`, ip: `10.0.${n % 40}.5` };
      const identity = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/${who.user}`, accountId: ACCOUNT, accessKeyId: who.key };
      const base = {
        eventVersion: '1.09',
        eventTime: t.toISOString(),
        awsRegion: 'us-east-1',
        sourceIPAddress: who.ip,
        userAgent: 'aws-sdk-js/3',
        userIdentity: identity,
        recipientAccountId: ACCOUNT,
        eventID: `e-${n}`,
        requestID: `R${n}`,
      };
      const kind = n % 6;
      if (kind < 2) {
        trail.push({
          ...base,
          eventSource: 's3.amazonaws.com',
          eventName: 'GetObject',
          readOnly: true,
          requestParameters: { bucketName: 'training', key: `data/${n % 5000}.csv` },
          additionalEventData: { bytesTransferredOut: 1000 },
        });
        access.push(
          `79a5 training [${accessTime(t)}] ${who.ip} ${identity.arn} R${n} REST.GET.OBJECT data/${n % 5000}.csv "GET /training/data/${n % 5000}.csv HTTP/1.1" 200 - 1000 1000 5 4 "-" "aws-sdk-js/3" -`,
        );
        records += 2;
      } else if (kind < 5) {
        trail.push({
          ...base,
          eventSource: 'sagemaker.amazonaws.com',
          eventName: n % 500 === 3 ? 'CreatePresignedNotebookInstanceUrl' : 'DescribeEndpoint',
          readOnly: true,
          requestParameters: { endpointName: 'fraud' },
        });
        records++;
      } else {
        invocations.push(
          JSON.stringify({
            schemaType: 'ModelInvocationLog',
            timestamp: t.toISOString(),
            accountId: ACCOUNT,
            region: 'us-east-1',
            requestId: `B${n}`,
            operation: 'InvokeModel',
            modelId: 'anthropic.claude-v2',
            identity: { arn: identity.arn },
            input: { inputBodyJson: { prompt: `question ${n}` }, inputTokenCount: 12 },
            output: { outputBodyJson: { completion: 'answer' }, outputTokenCount: 5 },
          }),
        );
        records++;
      }
    }
    const stamp = new Date(start + f * PER_FILE * 50);
    const day = `${stamp.getUTCFullYear()}/${pad(stamp.getUTCMonth() + 1)}/${pad(stamp.getUTCDate())}`;
    const trailBody = gzipSync(JSON.stringify({ Records: trail }));
    await writer.writeBytes(
      `evidence/${ACCOUNT}/us-east-1/cloudtrail/s3/trail/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/${day}/${ACCOUNT}_CloudTrail_us-east-1_${f}.json.gz`,
      trailBody,
      { accountId: ACCOUNT, region: 'us-east-1', source: 'cloudtrail', origin: s3('trail', `t${f}.json.gz`) },
    );
    bytes += trailBody.length;
    files++;
    if (access.length) {
      const body = `${access.join('\n')}\n`;
      await writer.writeBytes(`evidence/${ACCOUNT}/global/s3-access-logs/logs/access-logs/training/${f}`, body, {
        accountId: ACCOUNT,
        region: 'global',
        source: 's3-access-logs',
        origin: s3('access-logs', `training/${f}`),
      });
      bytes += body.length;
      files++;
    }
    if (invocations.length) {
      const body = gzipSync(`${invocations.join('\n')}\n`);
      await writer.writeBytes(`evidence/${ACCOUNT}/us-east-1/bedrock/invocation-logs-s3/logs/${f}.json.gz`, body, {
        accountId: ACCOUNT,
        region: 'us-east-1',
        source: 'bedrock',
        origin: s3('bedrock-logs', `${f}.json.gz`),
      });
      bytes += body.length;
      files++;
    }
  }
  const header: ManifestHeader = {
    bundleId: writer.id,
    incident: 'BENCH',
    window: { start: new Date(start).toISOString(), end: new Date(start + records * 50 + 86_400_000).toISOString() },
    scope: { organization: null, accounts: [{ accountId: ACCOUNT, name: 'bench', regions: ['us-east-1'], status: 'COLLECTED' }] },
    sources: ['cloudtrail', 's3-access-logs', 'bedrock'],
    filters: {},
    collector: {
      tool: 'forensight',
      version: 'bench',
      callerArn: `arn:aws:iam::${ACCOUNT}:user/bench`,
      callerAccountId: ACCOUNT,
      sessionNames: ['bench'],
      roleName: null,
      osUser: 'bench',
      host: 'bench',
    },
  } as ManifestHeader;
  await writer.seal(header, { apiCalls: 0, durationMs: 0 });
  return { bundleDir: writer.dir, files, records, bytes };
}

/** Every record of every item read and parsed (normalised), nothing kept: the floor analyze is compared with. */
async function bareParse(bundleDir: string, manifest: Manifest): Promise<number> {
  let n = 0;
  for (const item of manifest.items) {
    const kind = classifyItem(item);
    if (!kind) continue;
    for await (const r of readItem(bundleDir, item, kind)) if (r.kind === 'event') n++;
  }
  return n;
}

/** BENCH_ANALYZE_WORKERS: analyze's reader threads (0: in-thread); unset, analyze's default. */
const envWorkers = (): number | undefined =>
  process.env.BENCH_ANALYZE_WORKERS !== undefined ? Number(process.env.BENCH_ANALYZE_WORKERS) : undefined;

export async function benchAnalyze(
  target = Number(process.env.BENCH_ANALYZE_EVENTS ?? 1_000_000),
  readWorkers = envWorkers(),
): Promise<AnalyzeBenchFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'forensight-bench-analyze-'));
  try {
    const t0 = performance.now();
    const g = await generateAnalyzeBundle(dir, target);
    const generateMs = performance.now() - t0;
    const { readFile } = await import('node:fs/promises');
    const manifest = JSON.parse(await readFile(join(g.bundleDir, 'manifest.json'), 'utf8')) as Manifest;
    const cpuMs = (since: NodeJS.CpuUsage): number => {
      const u = process.cpuUsage(since);
      return (u.user + u.system) / 1000;
    };
    const c1 = process.cpuUsage();
    const t1 = performance.now();
    const parsed = await bareParse(g.bundleDir, manifest);
    const parseMs = performance.now() - t1;
    const parseCpuMs = cpuMs(c1);
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const loadAverage = Math.round(loadavg()[0]! * 10) / 10;
    const c2 = process.cpuUsage();
    const t2 = performance.now();
    const result = await analyzeBundle({
      bundleDir: g.bundleDir,
      outDir: join(dir, 'analysis'),
      formats: ['json'],
      ...(readWorkers !== undefined ? { readWorkers } : {}),
    });
    const analyzeMs = performance.now() - t2;
    const analyzeCpuMs = cpuMs(c2);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const parseRate = parsed / (parseMs / 1000);
    const analyzeRate = result.analysis.stats.records / (analyzeMs / 1000);
    const peakRssMb = Math.round(peak / 1e6);
    return {
      records: g.records,
      files: g.files,
      bundleMb: Math.round(g.bytes / 1e5) / 10,
      generateMs: Math.round(generateMs),
      parseMs: Math.round(parseMs),
      parseRate: Math.round(parseRate),
      analyzeMs: Math.round(analyzeMs),
      analyzeRate: Math.round(analyzeRate),
      ratio: Math.round((analyzeRate / parseRate) * 100) / 100,
      parseCpuMs: Math.round(parseCpuMs),
      analyzeCpuMs: Math.round(analyzeCpuMs),
      cpuRatio: Math.round((parseCpuMs / Math.max(1, analyzeCpuMs)) * 100) / 100,
      events: result.analysis.stats.events,
      merged: result.analysis.stats.merged,
      actors: result.analysis.stats.actors,
      findings: result.analysis.findings.length,
      peakRssMb,
      readMs: Math.round(result.timings.readMs),
      streamMs: Math.round(result.timings.streamMs),
      readWorkers: readWorkers ?? 'default',
      loadAverage,
      limits: { ratioAtLeastHalf: analyzeRate / parseRate >= 0.5, peakRssUnder1GB: peakRssMb < 1000 },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
