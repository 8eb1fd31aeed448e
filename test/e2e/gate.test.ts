// The CI gate on the emulator: faults that hide evidence never turn --fail-on green, and accepted risks do not
// fail it (until they expire).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { SAMPLE_EXTERNAL_ID, SAMPLE_ROLE_NAME } from '../../demo/sample-org.js';
import { runScanCli, type ScanRun } from '../support/cli.js';
import { useEmulator } from '../support/emulator.js';
import { useSampleOrganization } from '../support/sample-org.js';

const env = useEmulator();
const seeded = useSampleOrganization(env);
const tmp = mkdtempSync(join(tmpdir(), 'forensight-gate-'));
let n = 0;
/** The terminal summary wraps to the terminal width: match its sentences with the line breaks unfolded. */
const unwrapped = (text: string): string => text.replace(/\s+/g, ' ');

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const validate = addFormats(new Ajv({ allErrors: true, strict: false })).compile(
  JSON.parse(readFileSync('src/model/schemas/scan.schema.json', 'utf8')) as object,
);
const expectValid = (doc: unknown): void => expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);

const THROTTLED_SERVICES = ['sagemaker', 'bedrock', 'guardduty', 'cloudtrail', 'config', 'ec2', 'logs', 's3'];

async function scan(args: string[]): Promise<ScanRun> {
  return runScanCli(env.url, join(tmp, `scan-${n++}`), [
    '--role-name',
    SAMPLE_ROLE_NAME,
    '--external-id',
    SAMPLE_EXTERNAL_ID,
    // One attempt: the gate's verdict on evidence hidden by throttling is the point here, not the retries
    // (test/e2e/faults.test.ts proves those), and every retry would wait out the SDK's backoff.
    '--max-attempts',
    '1',
    ...args,
  ]);
}

function throttleAccount(accountId: string): void {
  for (const service of THROTTLED_SERVICES)
    env.proxy.addRule({ match: { accountId, service }, error: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' } });
}

describe('--fail-on with faults', () => {
  it("throttling one account's services does not turn --fail-on high green; the summary and scan.json say why", async () => {
    const prod = seeded.org.accounts.mlProd;
    throttleAccount(prod);
    const run = await scan(['--accounts', prod, '--fail-on', 'high']);
    expect(run.scan.results.filter((r) => r.status === 'FAIL' && ['critical', 'high'].includes(r.severity))).toEqual([]);
    expect(run.scan.results.some((r) => r.status === 'NOT_ASSESSED' && r.severity === 'high')).toBe(true);
    expect(run.code).toBe(1);
    expect(run.scan.gate).toMatchObject({ failOn: 'high', passed: false, failedBy: ['not-assessed'] });
    expect(unwrapped(run.stderr)).toMatch(/Gate failed on coverage: \d+ result\(s\) at or above high could not be assessed/);
    expect(run.scan.coverageLoss?.[0]).toMatchObject({ accountId: prod, inactive: false });
    expect(run.scan.coverageLoss?.[0]?.causes[0]?.example).toMatch(/Throttl|Rate exceeded/);
    expect(run.stderr).toContain(`Coverage lost in 1 account(s):`);
    expectValid(run.scan);
  });

  it('--min-coverage says how much unseen is acceptable, per account and overall', async () => {
    const prod = seeded.org.accounts.mlProd;
    throttleAccount(prod);
    const strict = await scan(['--accounts', prod, '--fail-on', 'high', '--min-coverage', '0.95']);
    expect(strict.code).toBe(1);
    expect(strict.scan.gate).toMatchObject({ failedBy: ['coverage'], accountsUnderCoverage: [prod], minCoverage: 0.95 });
    expect(unwrapped(strict.stderr)).toMatch(/Gate failed on coverage: [\d.]+% assessed overall, minimum 0.95; under it: \d{12}/);
    env.proxy.clearRules();
    throttleAccount(prod);
    const lenient = await scan(['--accounts', prod, '--fail-on', 'high', '--min-coverage', '0']);
    expect(lenient.scan.gate).toMatchObject({ passed: true, failedBy: [] });
    expect(lenient.code).toBe(0);
  });
});

describe('--accept on the emulator', () => {
  const acceptFile = (expires: string): string => {
    const file = join(tmp, `accept-${n++}.yaml`);
    writeFileSync(
      file,
      [
        'acceptedRisks:',
        '  - check: sagemaker-endpoint-data-capture',
        '    accounts: ["*"]',
        '    reason: Endpoint payloads hold customer data; capture is off by decision of the privacy board',
        '    owner: privacy-board@example.com',
        `    expires: "${expires}"`,
        '',
      ].join('\n'),
    );
    return file;
  };
  const args = (file: string) => [
    '--org',
    '--exclude-accounts',
    seeded.org.accounts.dataScience,
    '--checks',
    'sagemaker-endpoint-data-capture',
    '--fail-on',
    'high',
    '--accept',
    file,
    '--format',
    'json,html',
  ];

  it('accepted FAILs keep their status, carry who accepted them, and do not fail the gate', async () => {
    const run = await scan(args(acceptFile('2999-12-31')));
    const fails = run.scan.results.filter((r) => r.status === 'FAIL');
    expect(fails.length).toBeGreaterThan(0);
    for (const r of fails) expect(r.accepted).toMatchObject({ owner: 'privacy-board@example.com', expires: '2999-12-31' });
    expect(run.code).toBe(0);
    expect(run.scan.score.organizationExcludingAccepted).not.toBe(run.scan.score.organization);
    expect(unwrapped(run.stderr)).toMatch(/Accepted risks: \d+ FAIL result\(s\) accepted by 1 entry/);
    expectValid(run.scan);
  });

  it('an expired acceptance no longer applies and says so', async () => {
    const run = await scan(args(acceptFile('2020-01-31')));
    expect(run.scan.results.some((r) => r.accepted)).toBe(false);
    expect(run.scan.acceptedRisks?.entries[0]).toMatchObject({ status: 'expired' });
    expect(unwrapped(run.stderr)).toMatch(/expired: .*#1 \(sagemaker-endpoint-data-capture, owner privacy-board@example.com\) expired on 2020-01-31/);
    expect(run.code).toBe(1);
  });
});
