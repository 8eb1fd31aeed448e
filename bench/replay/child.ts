// One measured run in a fresh process (so peak RSS and CPU belong to that run alone), printing one JSON line:
//   node dist/bench/replay/child.js '{"mode":"scan","url":...,"accounts":N,"regions":[...],"concurrency":16}'
//   node dist/bench/replay/child.js '{"mode":"bare","url":...,"calls":N,"concurrency":64}'
import { ListEndpointsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import pLimit from 'p-limit';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { allChecks } from '../../checks/index.js';
import { defaultParameters } from '../../checks/parameters.js';
import { callBudget } from '../../src/aws/recorder.js';
import { parseTargetOptions } from '../../src/cli/common.js';
import { runScan } from '../../src/scan/runner.js';
import { accessKeyFor, syntheticAccountId } from './protocol.js';

interface ScanArgs {
  mode: 'scan';
  url: string;
  accounts: number;
  regions: string[];
  concurrency: number;
}
interface BareArgs {
  mode: 'bare';
  url: string;
  calls: number;
  concurrency: number;
}

async function scan(a: ScanArgs): Promise<Record<string, unknown>> {
  const target = parseTargetOptions({
    org: true,
    roleName: 'ForensightReadOnly',
    regions: a.regions.join(','),
    endpointUrl: a.url,
    concurrency: String(a.concurrency),
    maxAttempts: '3',
  });
  const heap = sampleHeap();
  const cpu0 = process.cpuUsage();
  const started = Date.now();
  const { document, session } = await runScan({ target, checks: allChecks, params: defaultParameters, toolVersion: 'bench' });
  const wallMs = Date.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const heapPeaks = heap.stop();
  // BENCH_HEAP_SNAPSHOT=FILE: what the scan still holds when it is done (results, call log, caches), to profile growth.
  if (process.env.BENCH_HEAP_SNAPSHOT) writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT);
  const calls = session.factory.recorder.count;
  const members = Object.fromEntries(document.accounts.filter((x) => x.accountId.startsWith('2')).map((x) => [x.accountId, x.regions.length]));
  const budget = callBudget(session.factory.recorder.entries(), members);
  session.factory.destroy();
  return {
    wallMs,
    apiCalls: calls,
    callsPerAccountRegion: budget.overall,
    byAction: budget.byAction,
    cpuMsPerCall: (cpu.user + cpu.system) / 1000 / Math.max(1, calls),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...heapPeaks,
    results: document.results.length,
    notAssessed: document.results.filter((r) => r.status === 'NOT_ASSESSED').length,
  };
}

/** Peak JS heap in use and peak memory outside it (buffers), sampled every 250 ms: which of the two grows with accounts. */
function sampleHeap(): { stop: () => { peakHeapUsedMb: number; peakExternalMb: number } } {
  let heapUsed = 0;
  let external = 0;
  const sample = (): void => {
    heapUsed = Math.max(heapUsed, getHeapStatistics().used_heap_size);
    external = Math.max(external, process.memoryUsage().external);
  };
  const timer = setInterval(sample, 250);
  return {
    stop: () => {
      sample();
      clearInterval(timer);
      return { peakHeapUsedMb: Math.round(heapUsed / 2 ** 20), peakExternalMb: Math.round(external / 2 ** 20) };
    },
  };
}

/** The floor: the same SDK, the same server, one client, nothing but sends. */
async function bare(a: BareArgs): Promise<Record<string, unknown>> {
  const client = new SageMakerClient({
    region: 'us-east-1',
    endpoint: a.url,
    credentials: { accessKeyId: accessKeyFor(syntheticAccountId(1)), secretAccessKey: 'replay', sessionToken: 'replay' },
    requestHandler: new NodeHttpHandler({ httpAgent: { keepAlive: true, maxSockets: a.concurrency } }),
  });
  const limit = pLimit(a.concurrency);
  const cpu0 = process.cpuUsage();
  const started = Date.now();
  await Promise.all(Array.from({ length: a.calls }, () => limit(() => client.send(new ListEndpointsCommand({})))));
  const cpu = process.cpuUsage(cpu0);
  client.destroy();
  return { wallMs: Date.now() - started, cpuMsPerCall: (cpu.user + cpu.system) / 1000 / a.calls };
}

const args = JSON.parse(process.argv[2] ?? '{}') as ScanArgs | BareArgs;
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;
(args.mode === 'scan' ? scan(args) : bare(args)).then(
  (out) => process.stdout.write(`${JSON.stringify(out)}\n`),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  },
);
