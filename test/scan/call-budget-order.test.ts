// The scan's call order, from its own call log on the emulator: an account's bucket reads start when that
// account's inventory is done, not when every account has finished, and a slow account holds up neither the
// others' AssumeRole nor their bucket reads. One member's log-group listing is held at the proxy by a gate that
// only the other members' completed bucket reads open, so the order is forced by events, never by elapsed time:
// if bucket reads waited for every account, the gate would open only when every other account had finished, and
// the test fails.
import { beforeAll, describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { defaultParameters } from '../../checks/parameters.js';
import { seedBenchOrganization, type BenchOrganization } from '../../bench/org-shape.js';
import { ClientFactory } from '../../src/aws/clients.js';
import type { RecordedCall } from '../../src/aws/recorder.js';
import { parseTargetOptions } from '../../src/cli/common.js';
import type { ScanDocument } from '../../src/model/scan.js';
import { runScan, type ScanProgress } from '../../src/scan/runner.js';
import { useEmulator } from '../support/emulator.js';
import { installMotoStubs } from '../../demo/seed.js';

const env = useEmulator();
const REGIONS = ['us-east-1'];
const BUCKET_PROPERTY_ACTIONS = [
  'GetBucketVersioning',
  'GetBucketLogging',
  'GetObjectLockConfiguration',
  'GetBucketReplication',
  'GetBucketEncryption',
];
/** The held request may wait as long as a loaded machine needs to finish the other accounts. */
const HELD_REQUEST_TIMEOUT_MS = 180_000;
let org: BenchOrganization;
let calls: RecordedCall[];
let document: ScanDocument;
let slow: string;
let gateOpenedBy: "the other accounts' bucket reads" | 'every other account finished' | undefined;

const isBucketRead = (c: RecordedCall): boolean => c.service === 's3' && BUCKET_PROPERTY_ACTIONS.includes(c.action);

beforeAll(async () => {
  const seeding = env.factory();
  installMotoStubs(env.proxy);
  org = await seedBenchOrganization(seeding, { members: 3, regions: REGIONS });
  seeding.destroy();
  slow = org.memberAccountIds[0]!;
  let open!: (by: NonNullable<typeof gateOpenedBy>) => void;
  const gate = new Promise<void>((resolve) => {
    open = (by) => {
      gateOpenedBy ??= by;
      resolve();
    };
  });
  // The slow member's log-group listing (one of its inventory calls) waits for the gate; its AssumeRole is made
  // with the management account's credentials and is not held.
  env.proxy.addRule({ match: { accountId: slow, service: 'logs' }, hold: gate });
  const factory = new ClientFactory({ endpoint: env.url, maxAttempts: 3, requestTimeoutMs: HELD_REQUEST_TIMEOUT_MS });
  // The gate opens once every other member has completed a bucket read, so each of them is seen reading before the
  // held listing completes, however the machine schedules them.
  const othersThatReadBuckets = new Set<string>();
  const others = org.memberAccountIds.filter((id) => id !== slow);
  factory.recorder.onCall((c) => {
    if (!c.ok || !others.includes(c.accountId) || !isBucketRead(c)) return;
    othersThatReadBuckets.add(c.accountId);
    if (othersThatReadBuckets.size === others.length) open("the other accounts' bucket reads");
  });
  try {
    const target = parseTargetOptions({
      org: true,
      roleName: 'ForensightReadOnly',
      regions: REGIONS.join(','),
      endpointUrl: env.url,
      concurrency: '8',
    });
    // Without early bucket reads nothing else would open the gate: open it once only the held account is left.
    const onProgress = (p: ScanProgress): void => {
      if (p.phase === 'collect' && p.accountsTotal > 0 && p.accountsDone >= p.accountsTotal - 1) open('every other account finished');
    };
    const run = await runScan({ target, checks: allChecks, params: defaultParameters, toolVersion: '0.0.0-test', factory, onProgress });
    factory.destroy();
    calls = factory.recorder.calls;
    document = run.document;
  } finally {
    env.proxy.clearRules();
  }
}, 240_000);

const indexOf = (predicate: (c: RecordedCall) => boolean): number => calls.findIndex(predicate);
const lastIndexOf = (predicate: (c: RecordedCall) => boolean): number => calls.map(predicate).lastIndexOf(true);

describe('scan call order', () => {
  it("reads another account's buckets while the slow account's inventory is still held", () => {
    expect(gateOpenedBy).toBe("the other accounts' bucket reads");
    const heldListing = indexOf((c) => c.accountId === slow && c.service === 'logs');
    expect(heldListing).toBeGreaterThanOrEqual(0);
    for (const member of org.memberAccountIds.filter((id) => id !== slow)) {
      const firstBucketRead = indexOf((c) => c.accountId === member && isBucketRead(c));
      expect(firstBucketRead, member).toBeGreaterThanOrEqual(0);
      expect(firstBucketRead, member).toBeLessThan(heldListing);
    }
  });

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
