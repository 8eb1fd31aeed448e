// Faults never become passes: a fault-injecting proxy in front of the emulator denies, throttles and slows
// calls per account, service or action, and each case must end as NOT_ASSESSED with the reason (or, for
// transient throttling, be retried to the right answer). The scan always finishes and writes scan.json.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { defaultParameters } from '../../checks/parameters.js';
import { SAMPLE_EXTERNAL_ID, SAMPLE_ROLE_NAME } from '../../demo/sample-org.js';
import type { FaultRule } from '../../demo/proxy.js';
import type { CheckResult, ScanDocument } from '../../src/model/scan.js';
import { runScan, type ScanProgress } from '../../src/scan/runner.js';
import { parseTargetOptions } from '../../src/cli/common.js';
import { runCli, runScanCli, type ScanRun } from '../support/cli.js';
import { useEmulator } from '../support/emulator.js';
import { useSampleOrganization } from '../support/sample-org.js';

const env = useEmulator();
const seeded = useSampleOrganization(env);
const tmp = mkdtempSync(join(tmpdir(), 'forensight-faults-'));
let n = 0;

async function scanWith(rules: FaultRule[], extra: string[] = []): Promise<ScanRun> {
  for (const rule of rules) env.proxy.addRule(rule);
  return runScanCli(env.url, join(tmp, `scan-${n++}`), [
    '--org',
    '--role-name',
    SAMPLE_ROLE_NAME,
    '--external-id',
    SAMPLE_EXTERNAL_ID,
    '--max-attempts',
    '3',
    ...extra,
  ]);
}

const results = (scan: ScanDocument, checkId: string, accountId: string): CheckResult[] =>
  scan.results.filter((r) => r.checkId === checkId && r.accountId === accountId);

describe('fault injection', () => {
  it('AccessDenied on one action makes only the results that needed it NOT_ASSESSED', async () => {
    const { scan } = await scanWith([
      {
        match: { accountId: seeded.org.accounts.mlProd, service: 'sagemaker', action: 'DescribeEndpointConfig' },
        error: { status: 400, code: 'AccessDeniedException' },
      },
    ]);
    const capture = results(scan, 'sagemaker-endpoint-data-capture', seeded.org.accounts.mlProd);
    expect(capture.map((r) => [r.resourceArn, r.status])).toEqual([[seeded.org.resources.prodEndpointArn, 'NOT_ASSESSED']]);
    expect(capture[0]!.reason).toMatch(/AccessDeniedException.*DescribeEndpointConfig|DescribeEndpointConfig.*AccessDenied/);
    // Everything else in the account is still judged.
    expect(results(scan, 'guardduty-enabled', seeded.org.accounts.mlProd).map((r) => r.status)).toEqual(['PASS']);
    expect(results(scan, 'forensic-role-access', seeded.org.accounts.mlProd).map((r) => r.status)).toEqual(['PASS']);
    // And the same check in another account is unaffected.
    expect(results(scan, 'sagemaker-endpoint-data-capture', seeded.org.accounts.mlDev).map((r) => r.status)).toEqual(['FAIL']);
  });

  it('AccessDenied on a whole service in one account makes its checks NOT_ASSESSED there only', async () => {
    const { scan } = await scanWith([
      { match: { accountId: seeded.org.accounts.mlDev, service: 'guardduty' }, error: { status: 403, code: 'AccessDeniedException' } },
    ]);
    const gd = results(scan, 'guardduty-enabled', seeded.org.accounts.mlDev);
    expect(gd.map((r) => r.status)).toEqual(['NOT_ASSESSED']);
    expect(gd[0]!.reason).toMatch(/AccessDenied/);
    expect(results(scan, 'guardduty-enabled', seeded.org.accounts.mlProd).map((r) => r.status)).toEqual(['PASS']);
    expect(results(scan, 'config-recorder-ai', seeded.org.accounts.mlDev).map((r) => r.status)).toEqual(['FAIL']);
  });

  it('AccessDenied reading the trail bucket in the log archive never yields a PASS for immutability', async () => {
    const { scan } = await scanWith([
      {
        match: { accountId: seeded.org.accounts.logArchive, service: 's3', action: 'GetObjectLockConfiguration' },
        error: { status: 403, code: 'AccessDenied' },
      },
    ]);
    const immutable = scan.results.filter((r) => r.checkId === 'cloudtrail-bucket-immutable' && r.resourceArn === seeded.org.resources.orgTrailArn);
    expect(immutable.length).toBeGreaterThan(0);
    expect(new Set(immutable.map((r) => r.status))).toEqual(new Set(['NOT_ASSESSED']));
    expect(immutable[0]!.reason).toMatch(/AccessDenied/);
  });

  it('transient throttling is retried and gives the right answer', async () => {
    const { scan } = await scanWith([
      {
        match: { accountId: seeded.org.accounts.mlProd, service: 'sagemaker', action: 'ListEndpoints' },
        error: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' },
        times: 1,
      },
    ]);
    expect(results(scan, 'sagemaker-endpoint-data-capture', seeded.org.accounts.mlProd).map((r) => r.status)).toEqual(['PASS']);
    expect(env.proxy.requests.filter((r) => r.accountId === seeded.org.accounts.mlProd && r.action === 'ListEndpoints').length).toBe(2);
  });

  it('persistent throttling ends as NOT_ASSESSED with the reason after the retries', async () => {
    const { scan } = await scanWith([
      {
        match: { accountId: seeded.org.accounts.mlProd, service: 'guardduty', action: 'GET /detector' },
        error: { status: 429, code: 'TooManyRequestsException', message: 'Rate exceeded' },
      },
    ]);
    const gd = results(scan, 'guardduty-enabled', seeded.org.accounts.mlProd);
    expect(gd.map((r) => r.status)).toEqual(['NOT_ASSESSED']);
    expect(gd[0]!.reason).toMatch(/Throttled|TooManyRequests/);
  });

  it('a slow account does not stall the others: they finish first', async () => {
    // The slow account's log-group listing waits at the proxy until every other account is done, so the order is
    // forced by events: if the others waited behind it, the gate would never open and the test would time out.
    let othersDone!: () => void;
    const gate = new Promise<void>((resolve) => (othersDone = resolve));
    env.proxy.addRule({ match: { accountId: seeded.org.accounts.mlDev, service: 'logs' }, hold: gate });
    const finished: string[] = [];
    const target = parseTargetOptions({
      org: true,
      roleName: SAMPLE_ROLE_NAME,
      externalId: SAMPLE_EXTERNAL_ID,
      regions: 'us-east-1',
      endpointUrl: env.url,
      concurrency: '4',
      maxAttempts: '2',
    });
    const { document } = await runScan({
      target,
      checks: allChecks,
      params: defaultParameters,
      toolVersion: '0.0.0-test',
      onProgress: (p: ScanProgress) => {
        if (p.phase === 'collect' && p.message && /\(\d{12}\)$/.test(p.message)) finished.push(p.message);
        if (p.phase === 'collect' && p.accountsTotal > 0 && p.accountsDone >= p.accountsTotal - 1) othersDone();
      },
    });
    // Every account reported done, and the slow one last: the others did not wait behind it.
    expect(finished).toHaveLength(document.accounts.length);
    expect(finished.at(-1)).toContain(seeded.org.accounts.mlDev);
    expect(finished.slice(0, -1).some((m) => m.includes(seeded.org.accounts.mlDev))).toBe(false);
    expect(document.accounts.find((a) => a.accountId === seeded.org.accounts.mlDev)?.status).toBe('ASSESSED');
  });

  it('a call that never answers times out, is retried, then ends NOT_ASSESSED; the scan finishes', async () => {
    const { scan, code } = await scanWith(
      [{ match: { accountId: seeded.org.accounts.mlProd, service: 'guardduty', action: 'GET /detector' }, stall: 'no-response' }],
      ['--request-timeout-ms', '3000'],
    );
    expect(code).not.toBe(3);
    const gd = results(scan, 'guardduty-enabled', seeded.org.accounts.mlProd);
    expect(gd.map((r) => r.status)).toEqual(['NOT_ASSESSED']);
    expect(gd[0]!.reason).toMatch(/Timeout/i);
    // Retried like throttling (--max-attempts 3), not abandoned on the first silence.
    expect(env.proxy.requests.filter((r) => r.accountId === seeded.org.accounts.mlProd && r.action === 'GET /detector').length).toBe(3);
    expect(results(scan, 'guardduty-enabled', seeded.org.accounts.mlDev).map((r) => r.status)).not.toContain('NOT_ASSESSED');
    expect(results(scan, 'forensic-role-access', seeded.org.accounts.mlProd).map((r) => r.status)).toEqual(['PASS']);
  });

  it('an answer whose body stops halfway times out and ends NOT_ASSESSED, never read as empty', async () => {
    const { scan } = await scanWith(
      [{ match: { accountId: seeded.org.accounts.mlProd, service: 'sagemaker', action: 'ListEndpoints' }, stall: 'mid-body' }],
      ['--request-timeout-ms', '3000'],
    );
    const capture = results(scan, 'sagemaker-endpoint-data-capture', seeded.org.accounts.mlProd);
    expect(capture.map((r) => r.status)).toEqual(['NOT_ASSESSED']);
    expect(capture[0]!.reason).toMatch(/Timeout|ListEndpoints/i);
  });

  it('at the deadline, pending calls are abandoned: the scan returns, and what was not read is NOT_ASSESSED with the reason', async () => {
    env.proxy.addRule({ match: { accountId: seeded.org.accounts.mlProd, service: 'guardduty', action: 'GET /detector' }, stall: 'no-response' });
    const deadline = new AbortController();
    // The clock is the proxy: the deadline passes once the stalled call is known to be hanging.
    const watch = setInterval(() => {
      if (env.proxy.requests.some((r) => r.accountId === seeded.org.accounts.mlProd && r.action === 'GET /detector')) deadline.abort();
    }, 5);
    const target = parseTargetOptions({
      org: true,
      roleName: SAMPLE_ROLE_NAME,
      externalId: SAMPLE_EXTERNAL_ID,
      regions: 'us-east-1',
      endpointUrl: env.url,
      concurrency: '4',
      maxAttempts: '2',
      requestTimeoutMs: '600000',
    });
    try {
      const { document } = await runScan({
        target,
        checks: allChecks,
        params: defaultParameters,
        toolVersion: '0.0.0-test',
        deadline: deadline.signal,
      });
      const gd = results(document, 'guardduty-enabled', seeded.org.accounts.mlProd);
      expect(gd.map((r) => r.status)).toEqual(['NOT_ASSESSED']);
      expect(gd[0]!.reason).toMatch(/DeadlineExceeded.*deadline passed/);
      // Nothing unread passes: results that name the deadline are NOT_ASSESSED, or judged as if the unread part were in use.
      expect(document.results.filter((r) => /deadline passed/.test(r.reason) && r.status === 'PASS')).toEqual([]);
      expect(document.accounts).toHaveLength(Object.keys(seeded.org.accounts).length);
    } finally {
      clearInterval(watch);
    }
  });

  it('--deadline is validated before any call', async () => {
    const { code, stderr } = await runCli(['scan', '--endpoint-url', env.url, '--deadline', 'soon']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--deadline: "soon" is not a duration/);
    expect(env.proxy.requests).toEqual([]);
  });

  it('when no account can be assessed, exits 3 and still writes scan.json with the reasons', async () => {
    const { code, scan, stderr } = await scanWith([
      { match: { service: 'sts', action: 'AssumeRole' }, error: { status: 403, code: 'AccessDenied' } },
    ]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/no account could be assessed/);
    expect(scan.accounts.every((a) => a.status === 'NOT_ASSESSED')).toBe(true);
    expect(scan.score.organization).toBe(0);
    expect(scan.results.filter((r) => r.checkId === 'forensic-role-access' && r.status === 'FAIL').length).toBe(5);
    expect(scan.results.some((r) => r.status === 'PASS')).toBe(false);
  });
});
