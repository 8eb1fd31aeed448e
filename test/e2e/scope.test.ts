// Which accounts and regions a scan covers, through which role chain, and how it reports: --ou, --accounts,
// --exclude-accounts, --hub-role-arn, --regions all, --fail-on and --out - on the emulator.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseCredentials } from '../../src/aws/credentials.js';
import { planRegions } from '../../src/aws/regions.js';
import { SAMPLE_ROLE_NAME } from '../../demo/sample-org.js';
import type { ScanDocument } from '../../src/model/scan.js';
import { runCli, runScanCli } from '../support/cli.js';
import { useEmulator } from '../support/emulator.js';
import { useSampleOrganization } from '../support/sample-org.js';

const env = useEmulator();
const seeded = useSampleOrganization(env);
const tmp = mkdtempSync(join(tmpdir(), 'forensight-scope-'));
let n = 0;

async function scan(args: string[]): Promise<{ code: number; doc: ScanDocument; stderr: string }> {
  const run = await runScanCli(env.url, join(tmp, `s${n++}`), ['--role-name', SAMPLE_ROLE_NAME, '--max-attempts', '2', ...args]);
  return { code: run.code, doc: run.scan, stderr: run.stderr };
}

const ids = (doc: ScanDocument) => doc.accounts.map((a) => a.accountId).sort();

describe('account selection', () => {
  it('--ou walks the OU subtree only', async () => {
    const { doc } = await scan(['--ou', seeded.org.org.ous.Workloads!]);
    expect(ids(doc)).toEqual([seeded.org.accounts.mlProd, seeded.org.accounts.mlDev, seeded.org.accounts.dataScience].sort());
  });

  it('--accounts scans exactly the list, with the names from the Organization', async () => {
    const { doc } = await scan(['--accounts', `${seeded.org.accounts.mlProd},${seeded.org.accounts.logArchive}`]);
    expect(ids(doc)).toEqual([seeded.org.accounts.mlProd, seeded.org.accounts.logArchive].sort());
    expect(doc.accounts.map((a) => a.name).sort()).toEqual(['log-archive', 'ml-prod']);
  });

  it('--exclude-accounts narrows --org', async () => {
    const { doc } = await scan(['--org', '--exclude-accounts', `${seeded.org.accounts.dataScience},${seeded.org.accounts.sandbox}`]);
    expect(ids(doc)).toEqual(
      [seeded.org.accounts.management, seeded.org.accounts.logArchive, seeded.org.accounts.mlProd, seeded.org.accounts.mlDev].sort(),
    );
    expect(doc.accounts.every((a) => a.status === 'ASSESSED')).toBe(true);
  });

  it("with no selector, scans the caller's own account with its own credentials (no role assumed)", async () => {
    const out = join(tmp, `self-${n++}`);
    const run = await runCli(['scan', '--regions', 'us-east-1', '--endpoint-url', env.url, '--out', out]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'scan.json'), 'utf8')) as ScanDocument;
    expect(ids(doc)).toEqual([seeded.org.accounts.management]);
    expect(env.proxy.requests.filter((r) => r.action === 'AssumeRole')).toEqual([]);
  });
});

describe('organization trails', () => {
  it('when the Organization cannot be read, an account without its own multi-region trail is NOT_ASSESSED, not FAIL', async () => {
    env.proxy.addRule({ match: { service: 'organizations', action: 'DescribeOrganization' }, error: { status: 400, code: 'AccessDeniedException' } });
    const { doc } = await scan(['--accounts', seeded.org.accounts.mlDev, '--checks', 'cloudtrail-multi-region-trail']);
    const result = doc.results.find((r) => r.checkId === 'cloudtrail-multi-region-trail');
    expect(result?.status).toBe('NOT_ASSESSED');
    expect(result?.reason).toMatch(/organization trails/i);
    expect(result?.reason).toMatch(/AccessDenied/);
  });
});

describe('role chain', () => {
  it('assumes the hub role from the base credentials, then each member role from the hub', async () => {
    const hub = `arn:aws:iam::${seeded.org.accounts.logArchive}:role/ForensightHub`;
    const { doc } = await scan(['--accounts', seeded.org.accounts.mlProd, '--hub-role-arn', hub, '--external-id', 'ext-123']);
    expect(doc.accounts[0]?.status).toBe('ASSESSED');
    const assumes = env.proxy.requests.filter((r) => r.action === 'AssumeRole');
    // First the hub, from the base (moto default) account; then, from the hub's account, the member role and
    // the management account's role (organization trails live there).
    expect(assumes.map((r) => r.accountId)).toEqual(['123456789012', seeded.org.accounts.logArchive, seeded.org.accounts.logArchive]);
  });

  it('a hub role that cannot be assumed stops the scan with exit 3 and a message naming it', async () => {
    const hub = `arn:aws:iam::${seeded.org.accounts.logArchive}:role/NoSuchHub`;
    env.proxy.addRule({ match: { action: 'AssumeRole', roleArnIncludes: 'NoSuchHub' }, error: { status: 403, code: 'AccessDenied' } });
    const run = await runCli([
      'scan',
      '--org',
      '--hub-role-arn',
      hub,
      '--regions',
      'us-east-1',
      '--endpoint-url',
      env.url,
      '--out',
      join(tmp, 'nohub'),
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`Could not assume the hub role ${hub}`);
  });
});

describe('regions', () => {
  it('"all" means the regions enabled in the account: opt-in regions that are not enabled are left out', async () => {
    const factory = env.factory();
    const plan = await planRegions(factory, baseCredentials(), seeded.org.accounts.management, 'all', 'us-east-1');
    expect(plan.scan).toContain('us-east-1');
    expect(plan.scan).toContain('eu-west-1');
    expect(plan.scan).not.toContain('ap-east-1');
    expect(plan.scan.length).toBeGreaterThan(10);
    factory.destroy();
  });
});

describe('output and exit codes', () => {
  it('--fail-on high exits 1 when a high finding exists; --fail-on critical exits 0 when none is critical', async () => {
    const high = await scan(['--org', '--checks', 'sagemaker-endpoint-data-capture', '--fail-on', 'high']);
    expect(high.doc.results.some((r) => r.status === 'FAIL' && r.severity === 'high')).toBe(true);
    expect(high.code).toBe(1);
    const critical = await scan(['--org', '--checks', 'sagemaker-endpoint-data-capture', '--fail-on', 'critical']);
    expect(critical.code).toBe(0);
  });

  it('--checks runs only the chosen checks', async () => {
    const { doc } = await scan(['--org', '--checks', 'guardduty-enabled,config-recorder-ai']);
    expect([...new Set(doc.results.map((r) => r.checkId))].sort()).toEqual(['config-recorder-ai', 'guardduty-enabled']);
  });

  it('--out - writes scan.json to stdout and nothing else', async () => {
    const run = await runCli([
      'scan',
      '--accounts',
      seeded.org.accounts.mlProd,
      '--role-name',
      SAMPLE_ROLE_NAME,
      '--regions',
      'us-east-1',
      '--endpoint-url',
      env.url,
      '--out',
      '-',
    ]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as ScanDocument;
    expect(doc.schemaVersion).toBe(1);
    expect(ids(doc)).toEqual([seeded.org.accounts.mlProd]);
  });

  it('--config parameters change the verdicts and are printed into scan.json', async () => {
    const config = join(tmp, 'lenient.yaml');
    (await import('node:fs')).writeFileSync(config, 'parameters:\n  minRetentionDays: 30\n');
    const { doc } = await scan(['--accounts', seeded.org.accounts.mlDev, '--checks', 'logs-ai-retention', '--config', config]);
    expect(doc.parameters.minRetentionDays).toBe(30);
    const chatbot = doc.results.find((r) => r.resourceArn.endsWith('/aws/sagemaker/Endpoints/chatbot-dev'));
    expect(chatbot?.status).toBe('PASS');
  });
});
