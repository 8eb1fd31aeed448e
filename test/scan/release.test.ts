// A scan releases each account's regional inventory once collected and reads it back only to evaluate that
// account; verdicts must be exactly those of evaluating the whole inventory at once. Proven on a synthetic
// Organization whose buckets are referenced across accounts (an organization trail into a log-archive bucket,
// Bedrock logs, data capture and flow logs into other accounts' buckets, an access-log target elsewhere, an
// unreadable source), and end to end on the emulator: the same Organization scanned with and without release.
import { beforeAll, describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { regionBucketReferences } from '../../checks/lib/buckets.js';
import { defaultParameters } from '../../checks/parameters.js';
import { seedBenchOrganization, benchBucketName, type BenchOrganization } from '../../bench/org-shape.js';
import { seedBedrockLogging } from '../../demo/seed.js';
import { installMotoStubs } from '../../demo/seed.js';
import { parseTargetOptions } from '../../src/cli/common.js';
import type { AccountInventory, Inventory, RegionInventory, ReleasedRegions } from '../../src/model/inventory.js';
import type { ScanDocument } from '../../src/model/scan.js';
import { evaluateInventory } from '../../src/scan/engine.js';
import { runScan } from '../../src/scan/runner.js';
import { RegionSpill } from '../../src/scan/spill.js';
import { useEmulator } from '../support/emulator.js';
import {
  bucket,
  capture,
  DENIED,
  endpoint,
  flowLog,
  inventory,
  LOGARCHIVE,
  loggingConfig,
  MEMBER,
  MGMT,
  model,
  REGION,
  seen,
  trail,
  unseen,
  versioned,
} from '../support/inventory-builder.js';

/** What the runner does to an account once its collection is complete, done to every account of a finished inventory. */
function released(full: Inventory): { inventory: Inventory; complete: (a: AccountInventory) => AccountInventory } {
  const kept = new Map<string, Record<string, RegionInventory>>();
  const references = new Map<string, ReleasedRegions>();
  const accounts = full.accounts.map((a) => {
    references.set(a.accountId, regionBucketReferences(a));
    kept.set(a.accountId, a.regions);
    return { ...a, regions: {} };
  });
  return { inventory: { ...full, accounts, releasedRegions: references }, complete: (a) => ({ ...a, regions: kept.get(a.accountId)! }) };
}

function crossAccountOrganization(): Inventory {
  const other = '444444444444';
  return inventory()
    .org()
    .orgTrails([trail({ name: 'org', isOrganizationTrail: true, s3BucketName: 'org-trail-logs' })])
    .account(MGMT, (a) => a.region(REGION, (r) => r.models([model('m1', { modelDataUrls: ['s3://member-models/m1.tar.gz'] })])))
    .account(MEMBER, (a) =>
      a
        .region(REGION, (r) =>
          r
            .logging(loggingConfig({ s3: { bucketName: 'central-invocations', keyPrefix: null } }))
            .endpoints([endpoint('ep', { dataCapture: seen(capture({ destinationS3Uri: 's3://central-capture/x/' })) }, REGION, MEMBER)])
            .flowLogs([flowLog('fl-1', 'vpc-1', { destinationType: 's3', destinationArn: 'arn:aws:s3:::central-flow-logs' })]),
        )
        .region('eu-west-1', (r) => r.footprintUnreadable(DENIED)),
    )
    .account(LOGARCHIVE, (a) => a.region(REGION))
    .account(other, (a) => a.access(unseen('AccessDenied: role not assumable')))
    .bucket(
      bucket('org-trail-logs', { versioning: versioned(), logging: seen({ targetBucket: 'member-access-logs', targetPrefix: '' }) }, LOGARCHIVE),
    )
    .bucket(bucket('central-invocations', {}, LOGARCHIVE))
    .bucket(bucket('central-capture', {}, LOGARCHIVE))
    .bucket(bucket('central-flow-logs', {}, LOGARCHIVE))
    .bucket(bucket('member-models', { versioning: versioned('Suspended') }, MEMBER))
    .bucket(bucket('member-access-logs', {}, MEMBER))
    .build();
}

describe('evaluation after release', () => {
  it('gives the same results and account summaries as evaluating the whole inventory, across accounts', () => {
    const full = crossAccountOrganization();
    const whole = evaluateInventory(full, allChecks, defaultParameters);
    const { inventory: light, complete } = released(full);
    expect(light.accounts.every((a) => Object.keys(a.regions).length === 0)).toBe(true);
    const after = evaluateInventory(light, allChecks, defaultParameters, complete);
    // The fixture judges buckets across accounts, or the comparison would prove little.
    expect(whole.results.some((r) => r.accountId === LOGARCHIVE && r.resourceArn.includes('org-trail-logs'))).toBe(true);
    expect(whole.results.some((r) => r.accountId === MEMBER && r.status === 'FAIL')).toBe(true);
    expect(after).toEqual(whole);
  });

  it('without the kept references, a released account would lose its cross-account verdicts', () => {
    const full = crossAccountOrganization();
    const whole = evaluateInventory(full, allChecks, defaultParameters);
    const { inventory: light, complete } = released(full);
    const forgetful = evaluateInventory({ ...light, releasedRegions: new Map() }, allChecks, defaultParameters, complete);
    expect(forgetful.results).not.toEqual(whole.results);
  });

  it('reads back exactly what was spilled, once, and removes it', async () => {
    const spill = new RegionSpill();
    try {
      const regions = crossAccountOrganization().accounts[1]!.regions;
      expect(await spill.put(MEMBER, regions)).toBe(true);
      expect(spill.has(MEMBER)).toBe(true);
      expect(spill.take(MEMBER)).toEqual(regions);
      expect(spill.has(MEMBER)).toBe(false);
      expect(() => spill.take(MEMBER)).toThrow(/no spilled regions/);
    } finally {
      spill.close();
    }
  });

  it('keeps the regions in memory when they cannot be written', async () => {
    const spill = new RegionSpill('/nonexistent-forensight-dir/x');
    expect(await spill.put(MEMBER, {})).toBe(false);
    expect(spill.has(MEMBER)).toBe(false);
    spill.close();
  });
});

describe('scan with release, on the emulator', () => {
  const env = useEmulator();
  const REGIONS = ['us-east-1', 'eu-west-1'];
  let org: BenchOrganization;
  const scans: { document: ScanDocument; inventory: Inventory }[] = [];

  beforeAll(async () => {
    const factory = env.factory();
    installMotoStubs(env.proxy);
    org = await seedBenchOrganization(factory, { members: 3, regions: REGIONS });
    // A cross-account destination: member 2 logs Bedrock invocations into member 1's model bucket.
    const [first, second] = org.memberAccountIds;
    await seedBedrockLogging({ factory, accountId: second!, region: 'us-east-1' }, { s3: { bucketName: benchBucketName(first!, 'us-east-1') } });
    factory.destroy();
    const target = parseTargetOptions({
      org: true,
      roleName: 'ForensightReadOnly',
      regions: REGIONS.join(','),
      endpointUrl: env.url,
      concurrency: '8',
    });
    for (const releaseRegions of [true, false]) {
      const run = await runScan({ target, checks: allChecks, params: defaultParameters, toolVersion: '0.0.0-test', releaseRegions });
      run.session.factory.destroy();
      scans.push({ document: run.document, inventory: run.inventory });
    }
  }, 240_000);

  it('releases every assessed account and gives the verdicts of a scan that keeps everything', () => {
    const [withRelease, kept] = scans;
    const assessed = withRelease!.inventory.accounts.filter((a) => a.access.ok);
    expect(assessed.length).toBe(org.memberAccountIds.length + 1);
    for (const a of assessed) {
      expect(Object.keys(a.regions), a.accountId).toEqual([]);
      expect(withRelease!.inventory.releasedRegions?.has(a.accountId), a.accountId).toBe(true);
    }
    expect(kept!.inventory.accounts.filter((a) => a.access.ok).every((a) => Object.keys(a.regions).length === REGIONS.length)).toBe(true);
    expect(withRelease!.document.results.some((r) => r.checkId === 'bedrock-invocation-logging-s3' && r.accountId === org.memberAccountIds[1])).toBe(
      true,
    );
    expect(withRelease!.document.results).toEqual(kept!.document.results);
    expect(withRelease!.document.accounts).toEqual(kept!.document.accounts);
    expect(withRelease!.document.score).toEqual(kept!.document.score);
  });
});
