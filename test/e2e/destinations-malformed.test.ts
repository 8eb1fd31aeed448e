// A 200 whose body is empty or neither XML nor JSON is not "no configuration" (issue #9 point 4): through the
// fault proxy, Object Lock, versioning, logging and event-selector reads and a list call answered so end
// NOT_ASSESSED with the reason, the account's coverage drops against a clean scan, and --fail-on high fails.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_EXTERNAL_ID, SAMPLE_ROLE_NAME } from '../../demo/sample-org.js';
import type { FaultRule } from '../../demo/proxy.js';
import type { CheckResult } from '../../src/model/scan.js';
import { runScanCli, type ScanRun } from '../support/cli.js';
import { useEmulator } from '../support/emulator.js';
import { useSampleOrganization } from '../support/sample-org.js';

const env = useEmulator();
const seeded = useSampleOrganization(env);
const tmp = mkdtempSync(join(tmpdir(), 'forensight-malformed-'));
let clean: ScanRun;
let broken: ScanRun;

const scanArgs = (): string[] => [
  '--org',
  '--role-name',
  SAMPLE_ROLE_NAME,
  '--external-id',
  SAMPLE_EXTERNAL_ID,
  '--max-attempts',
  '2',
  '--fail-on',
  'high',
];

beforeAll(async () => {
  clean = await runScanCli(env.url, join(tmp, 'clean'), scanArgs());
  const { accounts } = seeded.org;
  const rules: FaultRule[] = [
    { match: { accountId: accounts.logArchive, service: 's3', action: 'GetObjectLockConfiguration' }, malformed: 'empty' },
    { match: { accountId: accounts.mlProd, service: 's3', action: 'GetBucketVersioning' }, malformed: 'not-xml-or-json' },
    { match: { accountId: accounts.mlProd, service: 's3', action: 'GetBucketLogging' }, malformed: 'empty' },
    { match: { service: 'cloudtrail', action: 'GetEventSelectors' }, malformed: 'not-xml-or-json' },
    { match: { accountId: accounts.mlProd, service: 'sagemaker', action: 'ListEndpoints' }, malformed: 'empty' },
  ];
  for (const rule of rules) env.proxy.addRule(rule);
  broken = await runScanCli(env.url, join(tmp, 'broken'), scanArgs());
}, 300_000);

const of = (run: ScanRun, checkId: string, accountId: string, resource?: string): CheckResult[] =>
  run.scan.results.filter(
    (r) =>
      r.checkId === checkId &&
      r.accountId === accountId &&
      (resource === undefined || JSON.stringify([r.resourceArn, r.evidence]).includes(resource)),
  );

describe('a 200 with an empty or unparseable body', () => {
  it.each([
    ['Object Lock of the organization trail bucket in the log archive (empty)', 'cloudtrail-bucket-immutable', 'management', 'orgTrail'],
    ['versioning of the model bucket (not XML)', 'sagemaker-model-artifact-versioning', 'mlProd', 'prodModels'],
    ['access logging of the training bucket (empty)', 's3-ai-bucket-access-logging', 'mlProd', 'prodTraining'],
  ] as const)('%s is NOT_ASSESSED with the reason, never FAIL or PASS', (_name, checkId, account, bucket) => {
    const accountId = seeded.org.accounts[account];
    const name = seeded.org.buckets[bucket];
    expect(of(clean, checkId, accountId, name).map((r) => r.status)).not.toContain('NOT_ASSESSED');
    const rs = of(broken, checkId, accountId, name);
    expect(rs.length).toBeGreaterThan(0);
    for (const r of rs) {
      expect(r.status, r.reason).toBe('NOT_ASSESSED');
      expect(r.reasonCode).toBe('not-readable');
      expect(r.reason).toMatch(/could not be read|unreadable|malformed|parse|empty/i);
    }
  });

  it('event selectors answered with garbage leave no trail credited for management events', () => {
    const [before] = of(clean, 'cloudtrail-multi-region-trail', seeded.org.accounts.mlProd);
    expect(before).toMatchObject({ status: 'PASS' });
    const [after] = of(broken, 'cloudtrail-multi-region-trail', seeded.org.accounts.mlProd);
    expect(after).toMatchObject({ status: 'NOT_ASSESSED', reasonCode: 'not-readable' });
    expect(after!.reason).toMatch(/event selectors of trail .* could not be read/);
  });

  it('an empty ListEndpoints answer is not "no endpoints": the capture check is NOT_ASSESSED, not NOT_APPLICABLE', () => {
    const before = of(clean, 'sagemaker-endpoint-data-capture', seeded.org.accounts.mlProd);
    expect(before.map((r) => r.status)).not.toContain('NOT_APPLICABLE');
    const after = of(broken, 'sagemaker-endpoint-data-capture', seeded.org.accounts.mlProd);
    expect(after.length).toBeGreaterThan(0);
    expect(after.map((r) => r.status)).toEqual(after.map(() => 'NOT_ASSESSED'));
  });

  it('coverage of the account drops and the gate fails on what could not be seen', () => {
    const coverage = (run: ScanRun): number => run.scan.accounts.find((a) => a.accountId === seeded.org.accounts.mlProd)!.coverage;
    expect(coverage(broken)).toBeLessThan(coverage(clean));
    expect(broken.scan.score.coverage).toBeLessThan(clean.scan.score.coverage);
    expect(broken.code).toBe(1);
    expect(broken.scan.gate?.passed).toBe(false);
    expect(broken.scan.gate?.failedBy).toContain('not-assessed');
    expect(broken.scan.coverageLoss?.some((l) => l.accountId === seeded.org.accounts.mlProd)).toBe(true);
  });
});
