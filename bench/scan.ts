// Scan benchmark: an emulated Organization of N accounts x 2 regions with a few AI resources each, a fixed
// latency per call added by the proxy, and the wall time compared with the ideal for that concurrency.
import { allChecks } from '../checks/index.js';
import { defaultParameters } from '../checks/parameters.js';
import { ClientFactory } from '../src/aws/clients.js';
import { parseTargetOptions } from '../src/cli/common.js';
import { startMoto } from '../demo/moto.js';
import { FaultProxy } from '../demo/proxy.js';
import { seedBucket, seedLogGroup, seedOrganization, seedSageMakerEndpoint, seedTrail, managementEventsSelector } from '../demo/seed.js';
import { runScan } from '../src/scan/runner.js';

export interface ScanBenchFigures {
  accounts: number;
  regions: number;
  latencyMs: number;
  concurrency: number;
  wallMs: number;
  apiCalls: number;
  callsPerAccountRegion: number;
  idealMs: number;
  ratioToIdeal: number | null;
  /** Most requests in flight at once at the proxy: units overlap their independent reads. */
  peakInFlight: number;
  seedMs: number;
}

export interface ScanBenchRun {
  latencyMs: number;
  concurrency: number;
}

/**
 * moto_server answers from one Python process (about 130-250 requests/s on these machines), so a run at
 * 0 ms added latency measures the emulator's own floor; runs with added latency show how close the
 * scheduler gets to calls x latency / concurrency when the network, not the emulator, dominates.
 */
export async function benchScan(options: { accounts?: number; runs?: ScanBenchRun[]; log?: (line: string) => void } = {}): Promise<ScanBenchFigures[]> {
  const accounts = options.accounts ?? 100;
  const regions = ['us-east-1', 'eu-west-1'];
  const log = options.log ?? (() => {});
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  const moto = await startMoto({ log });
  const proxy = await new FaultProxy(moto.url).start();
  const figures: ScanBenchFigures[] = [];
  try {
    const seedStart = Date.now();
    const factory = new ClientFactory({ endpoint: proxy.url, maxAttempts: 2 });
    log(`seeding ${accounts} accounts x ${regions.length} regions...`);
    const org = await seedOrganization(factory, { accounts: Array.from({ length: accounts - 1 }, (_, i) => ({ name: `member-${String(i + 1).padStart(3, '0')}` })) });
    await seedTrail({ factory }, { name: 'org-trail', bucket: `bench-org-trail-${org.organizationId.slice(2, 10)}`, multiRegion: true, organization: true, logFileValidation: true, selectors: { advanced: [managementEventsSelector()] } });
    let i = 0;
    await Promise.all(
      org.accounts.map(async (account) => {
        const n = i++;
        for (const region of regions) {
          const t = { ...account.target, region };
          const bucket = `bench-models-${n}-${region}`;
          await seedBucket(t, { name: bucket, versioning: n % 2 === 0, tags: { 'forensight:role': 'model-artifacts' } });
          await seedSageMakerEndpoint(t, { name: `ep-${n}`, model: { modelDataUrl: `s3://${bucket}/model.tar.gz` }, dataCapture: n % 3 === 0 ? { destinationS3Uri: `s3://${bucket}/capture/`, samplingPercent: 100 } : null });
          await seedLogGroup(t, { name: `/aws/sagemaker/Endpoints/ep-${n}`, retentionInDays: n % 2 === 0 ? 400 : 30 });
        }
      }),
    );
    factory.destroy();
    const seedMs = Date.now() - seedStart;
    log(`seeded in ${(seedMs / 1000).toFixed(1)} s`);

    // moto builds each account's and region's backends lazily on first use: warm them before measuring.
    log('warm-up scan (not measured)...');
    const warm = await runScan({ target: parseTargetOptions({ org: true, roleName: 'ForensightReadOnly', regions: regions.join(','), endpointUrl: proxy.url, concurrency: '16', maxAttempts: '3' }), checks: allChecks, params: defaultParameters, toolVersion: 'bench' });
    warm.session.factory.destroy();
    for (const { latencyMs, concurrency } of options.runs ?? [{ latencyMs: 0, concurrency: 16 }, { latencyMs: 200, concurrency: 16 }, { latencyMs: 200, concurrency: 32 }]) {
      proxy.baseLatencyMs = latencyMs;
      const target = parseTargetOptions({ org: true, roleName: 'ForensightReadOnly', regions: regions.join(','), endpointUrl: proxy.url, concurrency: String(concurrency), maxAttempts: '3' });
      log(`scanning with concurrency ${concurrency} and ${latencyMs} ms per call...`);
      proxy.resetCounters();
      const started = Date.now();
      const { document, session } = await runScan({ target, checks: allChecks, params: defaultParameters, toolVersion: 'bench' });
      const wallMs = Date.now() - started;
      session.factory.destroy();
      const apiCalls = document.stats.apiCalls;
      const idealMs = (apiCalls * latencyMs) / concurrency;
      figures.push({
        accounts,
        regions: regions.length,
        latencyMs,
        concurrency,
        wallMs,
        apiCalls,
        callsPerAccountRegion: Math.round((apiCalls / (accounts * regions.length)) * 10) / 10,
        idealMs: Math.round(idealMs),
        ratioToIdeal: idealMs > 0 ? Math.round((wallMs / idealMs) * 100) / 100 : null,
        peakInFlight: proxy.peakInFlight,
        seedMs,
      });
      const notAssessed = document.results.filter((r) => r.status === 'NOT_ASSESSED').length;
      if (notAssessed > 0) log(`warning: ${notAssessed} results NOT_ASSESSED in the benchmark scan`);
    }
  } finally {
    await proxy.stop();
    await moto.stop();
  }
  return figures;
}
