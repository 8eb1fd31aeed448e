// Machine outputs end to end through the CLI on the emulator: scan/report write OCSF Compliance Findings,
// ASFF and CSV; analyze writes OCSF Detection Findings and CSV. Every OCSF object is validated against the
// JSON Schemas derived from the OCSF definitions, ASFF against the BatchImportFindings shape and by a round
// trip through the emulator's Security Hub, CSV by parsing it back.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleWriter } from '../../src/collect/bundle.js';
import type { ScanDocument } from '../../src/model/scan.js';
import { csvCell, FINDINGS_CSV_HEADER, SCAN_CSV_HEADER } from '../../reports/machine/csv.js';
import { OCSF_VERSION } from '../../reports/machine/ocsf.js';
import { ACTOR, cleanupTempDirs, header, tempDir } from '../collect/helpers.js';
import { hostileScan } from '../reports/fixtures.js';
import { runCli } from '../support/cli.js';
import { TEST_CREDENTIALS, useEmulator } from '../support/emulator.js';
import { s3Origin } from '../../src/collect/manifest.js';

const schema = (file: string): object => JSON.parse(readFileSync(join('src/model/schemas', file), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validCompliance = ajv.compile(schema('ocsf/compliance_finding.schema.json'));
const validDetection = new Ajv2020({ allErrors: true, strict: false }).compile(schema('ocsf/detection_finding.schema.json'));
const validAsff = new Ajv2020({ allErrors: true, strict: false }).compile(schema('asff.schema.json'));
const json = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- parse's rows are typed by the options, not by a type argument
const csvRows = (path: string): string[][] => parse(readFileSync(path, 'utf8'), { relax_column_count: false }) as string[][];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- emitted JSON is checked against its schema, not typed
type Obj = Record<string, any>;

function expectAllValid(objects: Obj[], validate: typeof validCompliance): void {
  for (const o of objects) {
    const ok = validate(o);
    expect(ok, JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  }
}

const env = useEmulator();
let scanDir: string;
let scan: ScanDocument;

afterAll(cleanupTempDirs);

beforeAll(async () => {
  scanDir = join(await tempDir('machine-scan'), 'out');
  const run = await runCli([
    'scan',
    '--regions',
    'us-east-1',
    '--endpoint-url',
    env.url,
    '--max-attempts',
    '1',
    '--format',
    'json,ocsf,asff,csv',
    '--out',
    scanDir,
  ]);
  expect(run.stderr).toContain('scan.ocsf.json');
  scan = json<ScanDocument>(join(scanDir, 'scan.json'));
}, 120_000);

describe('scan --format ocsf,asff,csv', () => {
  it('writes one valid OCSF Compliance Finding per result, carrying status, severity, controls and reasonCode', () => {
    const ocsf = json<Obj[]>(join(scanDir, 'scan.ocsf.json'));
    expect(scan.results.length).toBeGreaterThan(5);
    expect(ocsf).toHaveLength(scan.results.length);
    expectAllValid(ocsf, validCompliance);
    const expectedStatus = { PASS: 'Pass', FAIL: 'Fail', NOT_ASSESSED: 'Warning', NOT_APPLICABLE: 'Not Applicable' } as const;
    scan.results.forEach((r, i) => {
      const o = ocsf[i]!;
      expect(o).toMatchObject({
        class_uid: 2003,
        category_uid: 2,
        metadata: { version: OCSF_VERSION, product: { name: 'forensight' } },
        cloud: { provider: 'AWS', account: { uid: r.accountId } },
      });
      expect(o.compliance.status).toBe(expectedStatus[r.status]);
      expect(o.compliance.control).toBe(r.checkId);
      expect(o.compliance.status_detail).toBe(r.reason);
      if (r.reasonCode) expect(o.compliance.status_code).toBe(r.reasonCode);
      expect(o.severity).toBe(r.severity[0]!.toUpperCase() + r.severity.slice(1));
      expect(o.resources[0].uid).toBe(r.resourceArn);
    });
    expect(ocsf.some((o) => o.compliance.requirements.some((q: string) => q.startsWith('NIST SP 800-53')))).toBe(true);
    expect(ocsf.every((o) => typeof o.remediation.desc === 'string')).toBe(true);
  });

  it('writes ASFF that matches the BatchImportFindings shape, with stable ids', () => {
    const asff = json<Obj[]>(join(scanDir, 'scan.asff.json'));
    expect(asff).toHaveLength(scan.results.length);
    expectAllValid(asff, validAsff);
    expect(new Set(asff.map((f) => f.Id)).size).toBe(asff.length);
    expect(asff.filter((f) => f.RecordState === 'ACTIVE').length).toBe(
      scan.results.filter((r) => r.status === 'FAIL' || r.status === 'NOT_ASSESSED').length,
    );
  });

  it('writes a CSV with a header and one row per result that parses back', () => {
    const rows = csvRows(join(scanDir, 'scan.csv'));
    expect(rows[0]).toEqual(SCAN_CSV_HEADER);
    expect(rows).toHaveLength(scan.results.length + 1);
    const status = SCAN_CSV_HEADER.indexOf('status');
    expect(rows.slice(1).map((r) => r[status])).toEqual(scan.results.map((r) => r.status));
  });
});

describe('report: filters, --force, formula injection', () => {
  it('--status and --severity limit the machine outputs, scan.json stays complete', async () => {
    const out = join(await tempDir('filtered'), 'r');
    const before = createHash('sha256')
      .update(readFileSync(join(scanDir, 'scan.json')))
      .digest('hex');
    const run = await runCli([
      'report',
      join(scanDir, 'scan.json'),
      '--format',
      'ocsf,csv,asff',
      '--status',
      'fail,not-assessed',
      '--severity',
      'critical,high',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    const expected = scan.results.filter(
      (r) => (r.status === 'FAIL' || r.status === 'NOT_ASSESSED') && (r.severity === 'critical' || r.severity === 'high'),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(scan.results.length);
    const ocsf = json<Obj[]>(join(out, 'scan.ocsf.json'));
    expect(ocsf.map((o) => o.finding_info.analytic.uid)).toEqual(expected.map((r) => r.checkId));
    expect(csvRows(join(out, 'scan.csv'))).toHaveLength(expected.length + 1);
    expect(json<Obj[]>(join(out, 'scan.asff.json'))).toHaveLength(expected.length);
    expect(
      createHash('sha256')
        .update(readFileSync(join(scanDir, 'scan.json')))
        .digest('hex'),
    ).toBe(before);
  });

  it('refuses to overwrite report files without --force, naming them, and replaces them with it', async () => {
    const out = join(await tempDir('force'), 'r');
    expect((await runCli(['report', join(scanDir, 'scan.json'), '--format', 'csv', '--out', out])).code).toBe(0);
    writeFileSync(join(out, 'scan.csv'), 'mine');
    const again = await runCli(['report', join(scanDir, 'scan.json'), '--format', 'csv,ocsf', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${join(out, 'scan.csv')} already exists; add --force`);
    expect(readFileSync(join(out, 'scan.csv'), 'utf8')).toBe('mine');
    const forced = await runCli(['report', join(scanDir, 'scan.json'), '--format', 'csv', '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(out, 'scan.csv'), 'utf8')).not.toBe('mine');
  });

  it.each([
    ['a formula', '=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['a plus', '+1+cmd|" /C calc"!A0', `'+1+cmd|" /C calc"!A0`],
    ['a minus', '-2+3', `'-2+3`],
    ['an at sign', '@SUM(A1)', `'@SUM(A1)`],
    ['a leading tab', '\t=1', `'\t=1`],
    ['a fullwidth equals', '＝1+1', `'＝1+1`],
    ['plain text', 'ml-prod', 'ml-prod'],
    ['a number', 42, '42'],
    ['a list', ['a', 'b'], 'a; b'],
  ])('csv cell: %s', (_name, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('hostile names reach the CSV as text, never as a formula', async () => {
    const dir = await tempDir('hostile-csv');
    const doc = hostileScan();
    doc.accounts[0]!.name = '=cmd|"/C calc"!A0';
    doc.results[0]!.reason = '@SUM(1+1)*cmd|"/C calc"!A0';
    writeFileSync(join(dir, 'scan.json'), JSON.stringify(doc));
    const run = await runCli(['report', join(dir, 'scan.json'), '--format', 'csv,ocsf']);
    expect(run.code).toBe(0);
    const rows = csvRows(join(dir, 'scan.csv'));
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@]/);
    expect(rows.flat()).toContain(`'=cmd|"/C calc"!A0`);
    expectAllValid(json<Obj[]>(join(dir, 'scan.ocsf.json')), validCompliance);
  });
});

describe('export securityhub', () => {
  const file = (): string => join(scanDir, 'scan.asff.json');
  const account = (): string => scan.accounts[0]!.accountId;

  it('without --yes or --dry-run prints the plan and writes nothing; --dry-run exits 0', async () => {
    env.proxy.resetCounters();
    const ask = await runCli(['export', 'securityhub', file(), '--account', account(), '--region', 'us-east-1', '--endpoint-url', env.url]);
    expect(ask.code).toBe(2);
    expect(ask.stderr).toMatch(new RegExp(`Import into Security Hub of account ${account()} in us-east-1`));
    expect(ask.stderr).toMatch(/add --yes/);
    const dry = await runCli([
      'export',
      'securityhub',
      file(),
      '--account',
      account(),
      '--region',
      'us-east-1',
      '--endpoint-url',
      env.url,
      '--dry-run',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(/Dry run: nothing was imported/);
    expect(env.proxy.requests.filter((r) => r.service === 'securityhub')).toHaveLength(0);
  });

  it('refuses credentials of another account and a file that is not ASFF, exit 2', async () => {
    const none = await runCli([
      'export',
      'securityhub',
      file(),
      '--account',
      '999999999999',
      '--region',
      'us-east-1',
      '--endpoint-url',
      env.url,
      '--yes',
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Left out: \d+ finding\(s\) of account/);
    expect(none.stderr).toMatch(/no finding in .* is of this account/);
    const dir = await tempDir('bad-asff');
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, JSON.stringify(json<Obj[]>(file()).map((f) => ({ ...f, AwsAccountId: '999999999999' }))));
    const mismatch = await runCli([
      'export',
      'securityhub',
      foreign,
      '--account',
      '999999999999',
      '--region',
      'us-east-1',
      '--endpoint-url',
      env.url,
      '--yes',
    ]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/the credentials belong to account \d{12}/);
    const bad = join(dir, 'bad.json');
    const findings = json<Obj[]>(file());
    delete findings[1]!.Title;
    writeFileSync(bad, JSON.stringify(findings));
    const invalid = await runCli(['export', 'securityhub', bad, '--account', account(), '--region', 'us-east-1', '--yes']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/finding 1 \(Id forensight\/.*\) is not valid ASFF: .*Title/);
  });

  it('imports through BatchImportFindings, and a second import updates instead of duplicating', async () => {
    const first = await runCli([
      'export',
      'securityhub',
      file(),
      '--account',
      account(),
      '--region',
      'us-east-1',
      '--endpoint-url',
      env.url,
      '--yes',
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`Imported ${scan.results.length} finding(s)`);
    const second = await runCli([
      'export',
      'securityhub',
      file(),
      '--account',
      account(),
      '--region',
      'us-east-1',
      '--endpoint-url',
      env.url,
      '--yes',
    ]);
    expect(second.code).toBe(0);
    const hub = new SecurityHubClient({ endpoint: env.url, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    const stored: Obj[] = [];
    let token: string | undefined;
    do {
      const page = await hub.send(new GetFindingsCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }));
      stored.push(...(page.Findings ?? []));
      token = page.NextToken;
    } while (token);
    expect(stored).toHaveLength(scan.results.length);
    const written = json<Obj[]>(file());
    for (const f of written) {
      const back = stored.find((s) => s.Id === f.Id)!;
      expect(back).toMatchObject({
        Title: f.Title,
        AwsAccountId: f.AwsAccountId,
        Severity: { Label: f.Severity.Label },
        Compliance: { Status: f.Compliance.Status },
        ProductArn: `arn:aws:securityhub:us-east-1:${account()}:product/${account()}/default`,
      });
    }
  });
});

describe('analyze --format ocsf,csv', () => {
  const ACCOUNT = '123456789012';
  const TRAIL = `evidence/${ACCOUNT}/us-east-1/cloudtrail/s3/trail-bucket/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/01/${ACCOUNT}_CloudTrail_us-east-1_20261101T1005Z_a.json.gz`;
  const record = (eventName: string, minute: number) => ({
    eventVersion: '1.09',
    eventTime: `2026-11-01T10:${String(minute).padStart(2, '0')}:00Z`,
    eventSource: 'cloudtrail.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.9',
    userAgent: 'aws-cli/2',
    requestID: `req-${minute}`,
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/=cmd|calc`, accountId: ACCOUNT, accessKeyId: 'AKIAEXAMPLEKEY000001' },
    requestParameters: { name: 'org-trail' },
    recipientAccountId: ACCOUNT,
  });

  it('writes valid OCSF Detection Findings with actor, evidence references and ATT&CK techniques, and a CSV', async () => {
    const writer = await BundleWriter.create(await tempDir('analyze-ocsf'), 'INC-9', ACTOR);
    await writer.writeBytes(TRAIL, gzipSync(JSON.stringify({ Records: [record('StopLogging', 5), record('DeleteTrail', 6)] })), {
      accountId: ACCOUNT,
      region: 'us-east-1',
      source: 'cloudtrail',
      origin: s3Origin('trail-bucket', 'a.json.gz', ACCOUNT),
    });
    await writer.seal(header(writer.id), { apiCalls: 1, durationMs: 1 });
    const out = join(writer.dir, '..', 'analysis');
    const run = await runCli(['analyze', writer.dir, '--format', 'json,ocsf,csv', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const analysis = json<{ findings: Obj[] }>(join(out, 'findings.json'));
    const ocsf = json<Obj[]>(join(out, 'findings.ocsf.json'));
    expect(analysis.findings.length).toBeGreaterThan(0);
    expect(ocsf).toHaveLength(analysis.findings.length);
    expectAllValid(ocsf, validDetection);
    const tampering = ocsf.find((o) => o.finding_info.analytic.uid === 'cloudtrail-tampering')!;
    expect(tampering).toMatchObject({ class_uid: 2004, metadata: { version: OCSF_VERSION }, cloud: { account: { uid: ACCOUNT } } });
    expect(tampering.actor.user.uid).toBeTruthy();
    expect(tampering.evidences.some((e: Obj) => e.api?.operation === 'StopLogging' && e.data.evidence_ref.path === TRAIL)).toBe(true);
    const source = analysis.findings.find((f) => f.ruleId === 'cloudtrail-tampering')!;
    expect(tampering.finding_info.attacks.map((a: Obj) => a.sub_technique?.uid ?? a.technique.uid)).toEqual(source.techniques);
    expect(source.techniques.length).toBeGreaterThan(0);
    const rows = csvRows(join(out, 'findings.csv'));
    expect(rows[0]).toEqual(FINDINGS_CSV_HEADER);
    expect(rows).toHaveLength(analysis.findings.length + 1);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@]/);
  });
});

describe('role template', () => {
  it('offers the Security Hub import as a separate, optional policy that neither read-only role holds', async () => {
    const run = await runCli(['role-template', '--format', 'json']);
    const doc = JSON.parse(run.stdout) as Obj;
    const policy = doc.Resources.ForensightSecurityHubImportPolicy;
    expect(policy).toMatchObject({ Type: 'AWS::IAM::ManagedPolicy', Condition: 'CreateSecurityHubImportPolicy' });
    expect(policy.Properties.PolicyDocument.Statement.flatMap((s: Obj) => s.Action)).toEqual(['securityhub:BatchImportFindings']);
    expect(doc.Parameters.SecurityHubImportPolicy.Default).toBe('false');
    const { buildRoleTemplate, policyAllows } = await import('../../src/collect/role-template.js');
    for (const role of ['ForensightScanRole', 'ForensightCollectRole'] as const)
      expect(policyAllows(buildRoleTemplate(), role, 'securityhub:BatchImportFindings')).toBe(false);
  });
});
