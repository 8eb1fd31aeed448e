// The scan's call order, from its own call log on the emulator: an account's bucket reads start when that
// account's inventory is done, not when every account has finished, and a slow account holds up neither the
// others' AssumeRole nor their bucket reads. One member's log-group listing is held by proxy latency; the
// assertions are about the order of recorded calls, never about elapsed time.
import { beforeAll, describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { defaultParameters } from '../../checks/parameters.js';
import { seedBenchOrganization, type BenchOrganization } from '../../bench/org-shape.js';
import type { RecordedCall } from '../../src/aws/recorder.js';
import { parseTargetOptions } from '../../src/cli/common.js';
import type { ScanDocument } from '../../src/model/scan.js';
import { runScan } from '../../src/scan/runner.js';
import { useEmulator } from '../support/emulator.js';
import { installMotoStubs } from '../../demo/seed.js';

const env = useEmulator();
const REGIONS = ['us-east-1'];
const BUCKET_PROPERTY_ACTIONS = ['GetBucketVersioning', 'GetBucketLogging', 'GetObjectLockConfiguration', 'GetBucketReplication', 'GetBucketEncryption'];
let org: BenchOrganization;
let calls: RecordedCall[];
let document: ScanDocument;
let slow: string;

beforeAll(async () => {
  const factory = env.factory();
  installMotoStubs(env.proxy);
  org = await seedBenchOrganization(factory, { members: 3, regions: REGIONS });
  factory.destroy();
  slow = org.memberAccountIds[0]!;
  // The slow member's log-group listing (one of its last inventory calls) is held for 15 s; its AssumeRole is made
  // with the management account's credentials and is not held.
  env.proxy.addRule({ match: { accountId: slow, service: 'logs' }, latencyMs: 15_000 });
  try {
    const target = parseTargetOptions({ org: true, roleName: 'ForensightReadOnly', regions: REGIONS.join(','), endpointUrl: env.url, concurrency: '8' });
    const run = await runScan({ target, checks: allChecks, params: defaultParameters, toolVersion: '0.0.0-test' });
    run.session.factory.destroy();
    calls = run.session.factory.recorder.calls;
    document = run.document;
  } finally {
    env.proxy.clearRules();
  }
}, 240_000);

const indexOf = (predicate: (c: RecordedCall) => boolean): number => calls.findIndex(predicate);
const lastIndexOf = (predicate: (c: RecordedCall) => boolean): number => calls.map(predicate).lastIndexOf(true);
const isBucketRead = (c: RecordedCall): boolean => c.service === 's3' && BUCKET_PROPERTY_ACTIONS.includes(c.action);

describe('scan call order', () => {
  it("reads each of an account's buckets after that account's own inventory calls", () => {
    for (const member of org.memberAccountIds) {
      const inventoryEnds = lastIndexOf((c) => c.accountId === member && !isBucketRead(c) && c.action !== 'GetBucketTagging');
      const firstBucketRead = indexOf((c) => c.accountId === member && isBucketRead(c));
      expect(firstBucketRead, member).toBeGreaterThan(inventoryEnds);
    }
  });

  it('assumes every role before the slow account has finished, and reads each bucket property once', () => {
    const slowCollectionEnds = lastIndexOf((c) => c.accountId === slow);
    expect(lastIndexOf((c) => c.action === 'AssumeRole')).toBeLessThan(slowCollectionEnds);
    const reads = calls.filter(isBucketRead).map((c) => `${c.accountId} ${c.region} ${c.action} ${c.inputDigest}`);
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(reads).size).toBe(reads.length);
    // Same verdicts as an unhurried scan: nothing left unread.
    expect(document.results.filter((r) => r.status === 'NOT_ASSESSED').map((r) => r.reason.slice(0, 160))).toEqual([]);
  });
});
