// npm run bench: analyze over a synthetic bundle (vs the bare read+parse rate), report rendering at 1,000 and 5,000
// accounts (each in its own process, so its peak RSS is its own), then scans of 100 and 1,000 accounts (4,000 with
// BENCH_SCALE_4000=1) on the recorded-response stand-in.
import { benchAnalyze } from './analyze.js';
import { benchCollect, describeCollectBench } from './collect.js';
import { benchEvaluate } from './evaluate.js';
import { benchReportsInChild, type ReportBenchFigures } from './reports.js';
import { benchScale, formatScale } from './scale.js';

const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function scaleSizes(): number[] {
  if (process.env.BENCH_SCALE_SIZES) return process.env.BENCH_SCALE_SIZES.split(',').map(Number);
  return process.env.BENCH_SCALE_4000 === '1' ? [100, 1000, 4000] : [100, 1000];
}

function scaleOptions() {
  return {
    sizes: scaleSizes(),
    // 20 ms per call keeps the default bench to a few minutes on 2 cores while the network still dominates a call.
    latencyMs: Number(process.env.BENCH_SCALE_LATENCY_MS ?? 20),
    concurrency: Number(process.env.BENCH_SCALE_CONCURRENCY ?? 16),
    ...(process.env.BENCH_REPLAY_RECORDING ? { recordingFile: process.env.BENCH_REPLAY_RECORDING } : {}),
    log,
  };
}

/** BENCH_ONLY=scale: the scan at scale alone (the other sections take minutes and do not touch the scan). */
async function scaleOnly(): Promise<void> {
  const scale = await benchScale(scaleOptions());
  process.stdout.write(`${formatScale(scale).join('\n')}\n${JSON.stringify({ scale })}\n`);
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'scale') return scaleOnly();
  const analyzeSizes = process.env.BENCH_ANALYZE_EVENTS ? [Number(process.env.BENCH_ANALYZE_EVENTS)] : [200_000, 1_000_000];
  const analyses = [];
  for (const size of analyzeSizes) {
    log(`analyzing a synthetic bundle of ${size.toLocaleString('en')} records (BENCH_ANALYZE_EVENTS=N runs one size)...`);
    analyses.push(await benchAnalyze(size));
  }
  const reports: ReportBenchFigures[] = [];
  for (const accounts of [1000, 5000]) {
    log(`rendering reports for a synthetic ${accounts.toLocaleString('en')}-account scan...`);
    reports.push(await benchReportsInChild(accounts));
  }
  log('evaluating the checks over synthetic inventories of 1,000 and 4,000 accounts...');
  const evaluation = benchEvaluate([1000, 4000]);
  const scale = await benchScale(scaleOptions());

  const lines = [
    ...analyses.flatMap((an) => [
      `Analyze, ${an.records} records in ${an.files} files (${an.bundleMb} MB; ${an.events} requests after correlation, ${an.merged} records merged, ${an.actors} actors, ${an.findings} findings; reader threads ${an.readWorkers}; load average ${an.loadAverage}):`,
      `  bare read+parse ${an.parseRate} records/s (${s(an.parseMs)}); analyze ${an.analyzeRate} records/s (${s(an.analyzeMs)}: read ${s(an.readMs)}, stream ${s(an.streamMs)}); ratio ${an.ratio} (target >= 0.5: ${an.limits.ratioAtLeastHalf ? 'ok' : 'MISSED'}; by CPU time ${an.cpuRatio}: ${an.parseCpuMs} vs ${an.analyzeCpuMs} CPU ms); peak RSS ${an.peakRssMb} MB (< 1 GB: ${an.limits.peakRssUnder1GB ? 'ok' : 'MISSED'})`,
    ]),
    '',
    ...reports.flatMap((r) => [
      `Reports, ${r.accounts.toLocaleString('en')} accounts x ${r.checks} checks (${r.results} results), each size in its own process:`,
      `  PDF   ${s(r.pdfMs)}, ${r.pdfPages} pages, ${(r.pdfBytes / 1e6).toFixed(1)} MB; peak RSS ${r.peakRssMb} MB (limits: < 60 s ${r.limits.pdfUnder60s ? 'ok' : 'MISSED'}, < 1 GB ${r.limits.peakRssUnder1GB ? 'ok' : 'MISSED'})`,
      `  HTML  ${(r.htmlMs / 1000).toFixed(2)} s, ${(r.htmlBytes / 1e6).toFixed(1)} MB (< 15 MB: ${r.limits.htmlUnder15MB ? 'ok' : 'MISSED'})`,
    ]),
    '',
    `Check evaluation: ${evaluation.map((e) => `${e.accounts} accounts (${e.results} results) in ${e.ms} ms`).join(', ')}; time ratio ${(evaluation[1]!.ms / Math.max(1, evaluation[0]!.ms)).toFixed(1)} for 4x the accounts (linear = 4)`,
    '',
    ...formatScale(scale),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify({ analyze: analyses, reports, evaluation, scale })}\n`);
  process.stdout.write(`\n${describeCollectBench(await benchCollect()).join('\n')}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
