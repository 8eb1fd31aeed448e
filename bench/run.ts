// npm run bench: analyze over a synthetic bundle (vs the bare read+parse rate), report rendering at 1,000 accounts, then the scan of an emulated 100-account Organization.
// Reports run first so their peak RSS is not inflated by the scan benchmark's data.
import { benchAnalyze } from './analyze.js';
import { benchEvaluate } from './evaluate.js';
import { benchReports } from './reports.js';
import { benchScan } from './scan.js';

const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const accounts = Number(process.env.BENCH_ACCOUNTS ?? 100);
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 200);

  log(`analyzing a synthetic bundle of ${Number(process.env.BENCH_ANALYZE_EVENTS ?? 300_000).toLocaleString('en')} records (BENCH_ANALYZE_EVENTS scales it)...`);
  const an = await benchAnalyze();
  log('rendering reports for a synthetic 1,000-account scan...');
  const r = await benchReports(1000);
  log('evaluating the checks over synthetic inventories of 1,000 and 4,000 accounts...');
  const evaluation = benchEvaluate([1000, 4000]);
  const scans = await benchScan({
    accounts,
    runs: [
      { latencyMs: 0, concurrency: 16 },
      { latencyMs, concurrency: 16 },
      { latencyMs, concurrency: 32 },
    ],
    log,
  });

  const lines = [
    `Analyze, ${an.records} records in ${an.files} files (${an.bundleMb} MB; ${an.events} requests after correlation, ${an.merged} records merged, ${an.actors} actors, ${an.findings} findings):`,
    `  bare read+parse ${an.parseRate} records/s (${s(an.parseMs)}); analyze ${an.analyzeRate} records/s (${s(an.analyzeMs)}); ratio ${an.ratio} (target >= 0.5: ${an.limits.ratioAtLeastHalf ? 'ok' : 'MISSED'}); peak RSS ${an.peakRssMb} MB (< 1 GB: ${an.limits.peakRssUnder1GB ? 'ok' : 'MISSED'})`,
    '',
    `Reports, 1,000 accounts x ${r.checks} checks (${r.results} results):`,
    `  PDF   ${s(r.pdfMs)}, ${r.pdfPages} pages, ${(r.pdfBytes / 1e6).toFixed(1)} MB; peak RSS ${r.peakRssMb} MB (limits: < 60 s ${r.limits.pdfUnder60s ? 'ok' : 'MISSED'}, < 1 GB ${r.limits.peakRssUnder1GB ? 'ok' : 'MISSED'})`,
    `  HTML  ${(r.htmlMs / 1000).toFixed(2)} s, ${(r.htmlBytes / 1e6).toFixed(1)} MB`,
    '',
    `Check evaluation: ${evaluation.map((e) => `${e.accounts} accounts (${e.results} results) in ${e.ms} ms`).join(', ')}; time ratio ${(evaluation[1]!.ms / Math.max(1, evaluation[0]!.ms)).toFixed(1)} for 4x the accounts (linear = 4)`,
    '',
    `Scan, ${accounts} accounts x 2 regions through the proxy (seeding took ${s(scans[0]?.seedMs ?? 0)}; the 0 ms row is the emulator's own floor):`,
    '  added latency | concurrency | wall time | API calls | calls per account-region | peak calls in flight | ideal (calls x latency / concurrency) | wall / ideal | wall / (calls x latency / peak in flight)',
    ...scans.map(
      (f) =>
        `  ${`${f.latencyMs} ms`.padStart(13)} | ${String(f.concurrency).padStart(11)} | ${s(f.wallMs).padStart(9)} | ${String(f.apiCalls).padStart(9)} | ${String(f.callsPerAccountRegion).padStart(24)} | ${String(f.peakInFlight).padStart(20)} | ${s(f.idealMs).padStart(37)} | ${(f.ratioToIdeal === null ? '-' : f.ratioToIdeal.toFixed(2)).padStart(12)} | ${f.latencyMs === 0 ? '-' : (f.wallMs / ((f.apiCalls * f.latencyMs) / f.peakInFlight)).toFixed(2)}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify({ analyze: an, reports: r, evaluation, scans })}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
