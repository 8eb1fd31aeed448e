// Scan at Organization scale on the recorded-response stand-in (bench/replay): record a small Organization on
// moto once, then scan 100, 1,000 (and with BENCH_4000=1, 4,000) synthetic accounts x 4 regions, each in a fresh
// process, against a replay server in its own process; and a bare SDK loop to the same server for the CPU floor.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Recording } from './replay/protocol.js';
import type { ReplayStats } from './replay/server.js';
import { recordOrganization } from './replay/record.js';

export const SCALE_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1'];

export interface ScaleRun {
  accounts: number;
  regions: number;
  latencyMs: number;
  concurrency: number;
  wallMs: number;
  apiCalls: number;
  callsPerAccountRegion: number;
  byAction: Record<string, number>;
  peakInFlight: number;
  /** wall / (calls x latency / peak in flight): 1.0 = every slot the scan used was busy all the time. */
  wallOverIdeal: number;
  cpuMsPerCall: number;
  peakRssMb: number;
  /** Peak JS heap in use and peak memory outside it, sampled during the scan. */
  peakHeapUsedMb: number;
  peakExternalMb: number;
  notAssessed: number;
  replayMisses: number;
  /** The stand-in's own CPU per answer: far below the scan's, or the stand-in would be the bottleneck. */
  serverCpuMsPerCall: number;
}

export interface ScaleFigures {
  runs: ScaleRun[];
  bareCpuMsPerCall: number;
  recordMs: number;
}

const here = dirname(fileURLToPath(import.meta.url));

function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=4096', join(here, 'replay/child.js'), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`bench child exited ${code}`))));
  });
}

/** The replay server in its own process; resolves with its URL once it listens. */
function startServer(recordingFile: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'replay/server.js'), recordingFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', (d: Buffer) => resolve({ url: d.toString().trim(), child }));
    child.once('exit', (code) => reject(new Error(`replay server exited ${code}`)));
  });
}

async function control(url: string, path: string, body?: unknown): Promise<ReplayStats> {
  const res = await fetch(`${url}/__replay/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as ReplayStats;
}

export async function benchScale(options: {
  sizes: number[];
  latencyMs: number;
  concurrency: number;
  recordingFile?: string;
  log: (line: string) => void;
}): Promise<ScaleFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'forensight-replay-'));
  let serverChild: ChildProcess | undefined;
  try {
    const recordStart = Date.now();
    const reuse = options.recordingFile !== undefined && existsSync(options.recordingFile);
    const file = reuse ? options.recordingFile! : join(dir, 'recording.json');
    if (reuse) options.log(`replaying the recording in ${file} (delete it to record again)`);
    else {
      const recording = await recordOrganization({ templates: 3, regions: SCALE_REGIONS, log: options.log });
      writeFileSync(file, JSON.stringify(recording));
      if (options.recordingFile !== undefined) writeFileSync(options.recordingFile, JSON.stringify(recording));
    }
    const recordMs = Date.now() - recordStart;
    const recording = JSON.parse(readFileSync(file, 'utf8')) as Recording;
    const server = await startServer(file);
    serverChild = server.child;
    const url = server.url;
    options.log(`replay server at ${url} (${Object.keys(recording.members[0] ?? {}).length} recorded answers per template member)`);
    const runs: ScaleRun[] = [];
    for (const accounts of options.sizes) {
      await control(url, 'config', { accounts, latencyMs: options.latencyMs, throttleRate: 0, errorRate: 0 });
      await control(url, 'reset', {});
      options.log(
        `scanning ${accounts} accounts x ${SCALE_REGIONS.length} regions at ${options.latencyMs} ms per call, concurrency ${options.concurrency}...`,
      );
      const out = JSON.parse(
        await runChild([JSON.stringify({ mode: 'scan', url, accounts, regions: SCALE_REGIONS, concurrency: options.concurrency })]),
      ) as Omit<
        ScaleRun,
        'accounts' | 'regions' | 'latencyMs' | 'concurrency' | 'peakInFlight' | 'wallOverIdeal' | 'replayMisses' | 'serverCpuMsPerCall'
      >;
      const stats = await control(url, 'stats');
      if (stats.misses > 0) options.log(`warning: ${stats.misses} requests had no recorded answer, e.g. ${stats.missKeys[0]}`);
      runs.push({
        accounts,
        regions: SCALE_REGIONS.length,
        latencyMs: options.latencyMs,
        concurrency: options.concurrency,
        ...out,
        peakInFlight: stats.peakInFlight,
        wallOverIdeal: Math.round((out.wallMs / ((out.apiCalls * options.latencyMs) / Math.max(1, stats.peakInFlight))) * 100) / 100,
        replayMisses: stats.misses,
        serverCpuMsPerCall: Math.round(stats.cpuMsPerRequest * 1000) / 1000,
      });
    }
    await control(url, 'config', { latencyMs: options.latencyMs });
    options.log('bare SDK loop to the same server...');
    const bare = JSON.parse(
      await runChild([
        JSON.stringify({ mode: 'bare', url, calls: Number(process.env.BENCH_SCALE_BARE_CALLS ?? 10_000), concurrency: options.concurrency * 4 }),
      ]),
    ) as { cpuMsPerCall: number };
    return { runs, bareCpuMsPerCall: bare.cpuMsPerCall, recordMs };
  } finally {
    serverChild?.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

const growth = (runs: readonly ScaleRun[], pick: (r: ScaleRun) => number, unit = ''): string => {
  const first = pick(runs[0]!);
  const curve = runs.map((r) => `${pick(r)}${unit}`).join(' -> ');
  const last = pick(runs[runs.length - 1]!);
  return runs.length > 1 && first > 0
    ? `${curve} (x${(last / first).toFixed(2)} for x${runs[runs.length - 1]!.accounts / runs[0]!.accounts} accounts)`
    : curve;
};

/** Peak RSS added per account between the smallest and largest run: flat in accounts when it is near 0. */
function perAccountGrowth(runs: readonly ScaleRun[], pick: (r: ScaleRun) => number = (r) => r.peakRssMb): string {
  const first = runs[0]!;
  const last = runs[runs.length - 1]!;
  if (last.accounts === first.accounts) return 'one size only';
  return `${((pick(last) - pick(first)) / (last.accounts - first.accounts)).toFixed(2)} MB per added account`;
}

/** The scale figures as the bench prints them: every figure a growth curve over the account counts. */
export function formatScale(f: ScaleFigures): string[] {
  const { runs } = f;
  if (runs.length === 0) return [];
  const sizes = runs.map((r) => r.accounts.toLocaleString('en')).join(' -> ');
  const actions = Object.keys(runs[runs.length - 1]!.byAction);
  return [
    `Scan on the recorded-response stand-in, ${sizes} accounts x ${runs[0]!.regions} regions, ${runs[0]!.latencyMs} ms per call, --concurrency ${runs[0]!.concurrency} (recording took ${(f.recordMs / 1000).toFixed(1)} s):`,
    `  wall time                      ${growth(runs, (r) => Math.round(r.wallMs / 100) / 10, ' s')}`,
    `  API calls                      ${growth(runs, (r) => r.apiCalls)}`,
    `  calls per account-region       ${growth(runs, (r) => r.callsPerAccountRegion)}`,
    `  peak calls in flight           ${growth(runs, (r) => r.peakInFlight)}`,
    `  wall / (calls x latency / peak in flight)  ${growth(runs, (r) => r.wallOverIdeal)}`,
    `  node CPU per call              ${growth(runs, (r) => Math.round(r.cpuMsPerCall * 1000) / 1000, ' ms')}; bare SDK loop ${f.bareCpuMsPerCall.toFixed(3)} ms`,
    `  CPU per call / bare loop       ${growth(runs, (r) => Math.round((r.cpuMsPerCall / f.bareCpuMsPerCall) * 100) / 100)} (goal <= 1.5)`,
    `  peak RSS                       ${growth(runs, (r) => r.peakRssMb, ' MB')} (goal < 1024 MB at 1,000 accounts); ${perAccountGrowth(runs)}`,
    `  peak JS heap in use            ${growth(runs, (r) => r.peakHeapUsedMb, ' MB')}; ${perAccountGrowth(runs, (r) => r.peakHeapUsedMb)}`,
    `  peak memory outside the heap   ${growth(runs, (r) => r.peakExternalMb, ' MB')}`,
    `  stand-in CPU per answer        ${growth(runs, (r) => r.serverCpuMsPerCall, ' ms')}`,
    `  NOT_ASSESSED results           ${growth(runs, (r) => r.notAssessed)}; replay misses ${growth(runs, (r) => r.replayMisses)}`,
    `  calls per account-region by action (at ${runs[runs.length - 1]!.accounts.toLocaleString('en')} accounts): ${actions.map((a) => `${a} ${runs[runs.length - 1]!.byAction[a]}`).join(', ')}`,
  ];
}
