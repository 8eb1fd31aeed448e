// End to end: the sample Organization on moto_server, scanned through the CLI and the role chain.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/aws/recorder.js';
import { iamActionsFor, isWriteAction } from '../../src/collect/iam-actions.js';
import { allowedActions, buildRoleTemplate, policyAllows } from '../../src/collect/role-template.js';
import { buildSampleOrganization, denyForensicRole, SAMPLE_EXTERNAL_ID, SAMPLE_ROLE_NAME, type SampleOrganization } from '../../demo/sample-org.js';
import type { CheckResult, ResultStatus, ScanDocument } from '../../src/model/scan.js';
import { runCli, type CliRun } from '../support/cli.js';
import { useEmulator } from '../support/emulator.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const env = useEmulator();
let sample: SampleOrganization;
let run: CliRun;
let scan: ScanDocument;
let calls: RecordedCall[];
const out = join(mkdtempSync(join(tmpdir(), 'forensight-e2e-')), 'scan');

beforeAll(async () => {
  sample = await buildSampleOrganization(env.factory(), env.proxy);
  denyForensicRole(env.proxy, sample.accounts.dataScience);
  env.proxy.resetCounters();
  run = await runCli([
    'scan',
    '--org',
    '--role-name',
    SAMPLE_ROLE_NAME,
    '--external-id',
    SAMPLE_EXTERNAL_ID,
    '--regions',
    'us-east-1,eu-west-1,ap-east-1',
    '--endpoint-url',
    env.url,
    '--out',
    out,
    '--max-attempts',
    '2',
  ]);
  scan = JSON.parse(readFileSync(join(out, 'scan.json'), 'utf8')) as ScanDocument;
  calls = readFileSync(join(out, 'api-calls.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RecordedCall);
}, 180_000);

type AccountKey = keyof SampleOrganization['accounts'];
const find = (checkId: string, account: AccountKey, resource: string | RegExp): CheckResult[] =>
  scan.results.filter(
    (r) =>
      r.checkId === checkId &&
      r.accountId === sample.accounts[account] &&
      (typeof resource === 'string' ? r.resourceArn === resource : resource.test(r.resourceArn)),
  );

describe('forensight scan --org on the emulator', () => {
  it('finishes with exit code 0 and a scan.json valid against the shipped JSON Schema', () => {
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    const schema = JSON.parse(readFileSync('src/model/schemas/scan.schema.json', 'utf8')) as object;
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
    const validate = ajv.compile(schema);
    expect(validate(scan), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    expect(scan.organization).toEqual({ id: sample.org.organizationId, managementAccountId: sample.accounts.management });
    expect(scan.parameters).toMatchObject({ minRetentionDays: 365, minSamplingPercent: 100, objectLockMode: 'COMPLIANCE' });
  });

  it('scans every account, reporting the suspended one and the one whose role cannot be assumed as NOT_ASSESSED', () => {
    const status = Object.fromEntries(scan.accounts.map((a) => [a.accountId, a]));
    expect(scan.accounts).toHaveLength(6);
    for (const key of ['management', 'logArchive', 'mlProd', 'mlDev'] as const) expect(status[sample.accounts[key]]?.status).toBe('ASSESSED');
    expect(status[sample.accounts.dataScience]).toMatchObject({ status: 'NOT_ASSESSED', score: 0 });
    expect(status[sample.accounts.dataScience]?.reason).toMatch(/AccessDenied/);
    expect(status[sample.accounts.sandbox]).toMatchObject({ status: 'NOT_ASSESSED', score: null, coverage: 0 });
    expect(status[sample.accounts.sandbox]?.reason).toMatch(/SUSPENDED/);
    expect(Object.values(status[sample.accounts.dataScience]!.investigability).every((v) => v === 'UNKNOWN')).toBe(true);
  });

  it('skips the disabled opt-in region with the reason and scans the enabled ones', () => {
    const prod = scan.accounts.find((a) => a.accountId === sample.accounts.mlProd)!;
    expect(prod.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(prod.reason).toMatch(/ap-east-1 skipped: ap-east-1 is an opt-in region that is not enabled/);
    expect(scan.results.some((r) => r.region === 'ap-east-1')).toBe(false);
  });

  it.each<[string, AccountKey, (s: SampleOrganization) => string | RegExp, ResultStatus, RegExp?]>([
    ['forensic-role-access', 'mlProd', (s) => `arn:aws:iam::${s.accounts.mlProd}:root`, 'PASS'],
    ['forensic-role-access', 'dataScience', (s) => `arn:aws:iam::${s.accounts.dataScience}:root`, 'FAIL', /AccessDenied/],
    ['forensic-role-access', 'sandbox', (s) => `arn:aws:iam::${s.accounts.sandbox}:root`, 'NOT_ASSESSED', /SUSPENDED/],
    ['cloudtrail-multi-region-trail', 'mlDev', (s) => `arn:aws:iam::${s.accounts.mlDev}:root`, 'PASS', /org-trail/],
    ['cloudtrail-multi-region-trail', 'logArchive', (s) => `arn:aws:iam::${s.accounts.logArchive}:root`, 'PASS'],
    ['cloudtrail-multi-region-trail', 'dataScience', (s) => `arn:aws:iam::${s.accounts.dataScience}:root`, 'NOT_ASSESSED', /AccessDenied/],
    ['cloudtrail-log-file-validation', 'mlProd', (s) => s.resources.orgTrailArn, 'PASS'],
    ['cloudtrail-bucket-immutable', 'management', (s) => s.resources.orgTrailArn, 'PASS'],
    ['cloudtrail-ai-data-events', 'mlProd', () => /data-events\/AWS::SageMaker::Endpoint$/, 'PASS'],
    ['cloudtrail-ai-data-events', 'mlDev', () => /data-events\/AWS::Bedrock::AgentAlias$/, 'FAIL'],
    ['cloudtrail-ai-bucket-data-events', 'mlProd', (s) => `arn:aws:s3:::${s.buckets.prodTraining}`, 'PASS'],
    ['cloudtrail-ai-bucket-data-events', 'mlDev', (s) => `arn:aws:s3:::${s.buckets.devModels}`, 'FAIL'],
    ['bedrock-invocation-logging', 'mlProd', (s) => `arn:aws:bedrock:us-east-1:${s.accounts.mlProd}:model-invocation-logging`, 'PASS'],
    ['bedrock-invocation-logging', 'mlProd', (s) => `arn:aws:bedrock:eu-west-1:${s.accounts.mlProd}:model-invocation-logging`, 'FAIL'],
    ['bedrock-invocation-logging-text', 'mlDev', (s) => `arn:aws:bedrock:us-east-1:${s.accounts.mlDev}:model-invocation-logging`, 'FAIL'],
    ['bedrock-invocation-logging-text', 'mlProd', (s) => `arn:aws:bedrock:us-east-1:${s.accounts.mlProd}:model-invocation-logging`, 'PASS'],
    ['bedrock-invocation-logging-s3', 'mlDev', (s) => `arn:aws:bedrock:us-east-1:${s.accounts.mlDev}:model-invocation-logging`, 'FAIL'],
    ['bedrock-invocation-logging-s3', 'mlProd', (s) => `arn:aws:bedrock:us-east-1:${s.accounts.mlProd}:model-invocation-logging`, 'PASS'],
    ['sagemaker-endpoint-data-capture', 'mlProd', (s) => s.resources.prodEndpointArn, 'PASS'],
    ['sagemaker-endpoint-data-capture', 'mlDev', (s) => s.resources.devEndpointArn, 'FAIL', /chatbot-dev/],
    ['sagemaker-model-artifact-versioning', 'mlProd', (s) => `arn:aws:s3:::${s.buckets.prodModels}`, 'PASS'],
    ['sagemaker-model-artifact-versioning', 'mlDev', (s) => `arn:aws:s3:::${s.buckets.devModels}`, 'FAIL'],
    ['s3-ai-bucket-access-logging', 'mlProd', (s) => `arn:aws:s3:::${s.buckets.prodTraining}`, 'PASS'],
    ['s3-ai-bucket-access-logging', 'mlDev', (s) => `arn:aws:s3:::${s.buckets.devModels}`, 'FAIL'],
    ['s3-log-bucket-object-lock', 'logArchive', (s) => `arn:aws:s3:::${s.buckets.orgTrail}`, 'PASS'],
    ['s3-log-bucket-object-lock', 'mlProd', (s) => `arn:aws:s3:::${s.buckets.prodAccessLogs}`, 'PASS'],
    ['s3-log-bucket-object-lock', 'mlDev', (s) => `arn:aws:s3:::${s.buckets.devTrail}`, 'FAIL'],
    ['vpc-flow-logs-ai', 'mlProd', (s) => `arn:aws:ec2:us-east-1:${s.accounts.mlProd}:vpc/${s.resources.prodVpcId}`, 'PASS'],
    ['vpc-flow-logs-ai', 'mlDev', (s) => `arn:aws:ec2:us-east-1:${s.accounts.mlDev}:vpc/${s.resources.devVpcId}`, 'FAIL'],
    ['logs-ai-retention', 'mlProd', () => /log-group:\/aws\/sagemaker\/Endpoints\/fraud-detector$/, 'PASS'],
    ['logs-ai-retention', 'mlDev', () => /log-group:\/aws\/sagemaker\/Endpoints\/chatbot-dev$/, 'FAIL', /30/],
    ['guardduty-enabled', 'mlProd', (s) => `arn:aws:guardduty:us-east-1:${s.accounts.mlProd}:detector`, 'PASS'],
    ['guardduty-enabled', 'mlDev', (s) => `arn:aws:guardduty:us-east-1:${s.accounts.mlDev}:detector`, 'FAIL'],
    ['config-recorder-ai', 'mlProd', (s) => `arn:aws:config:us-east-1:${s.accounts.mlProd}:configuration-recorder`, 'PASS'],
    ['config-recorder-ai', 'mlDev', (s) => `arn:aws:config:us-east-1:${s.accounts.mlDev}:configuration-recorder`, 'FAIL'],
  ])('%s in %s on the expected resource is %s', (checkId, account, resource, status, reason) => {
    const matches = find(checkId, account, resource(sample));
    expect(
      matches.map((m) => m.status),
      `results: ${JSON.stringify(scan.results.filter((r) => r.checkId === checkId && r.accountId === sample.accounts[account]).map((r) => [r.resourceArn, r.status, r.reason]))}`,
    ).toEqual([status]);
    if (reason) expect(matches[0]!.reason).toMatch(reason);
  });

  it('answers the investigability questions from the results', () => {
    const inv = (key: AccountKey) => scan.accounts.find((a) => a.accountId === sample.accounts[key])!.investigability;
    expect(inv('mlProd')['logging-tampering']).toBe('READY');
    expect(inv('mlProd')['model-tampering']).toBe('READY');
    expect(inv('mlProd')['unauthorized-model-access']).toBe('READY');
    expect(inv('mlDev')['model-tampering']).toMatch(/PARTIAL|BLIND/);
    expect(inv('mlDev')['unauthorized-model-access']).toBe('PARTIAL');
    expect(inv('sandbox')['logging-tampering']).toBe('UNKNOWN');
  });

  it('scores accounts over assessed results only: the prepared account beats the one with gaps', () => {
    const score = (key: AccountKey) => scan.accounts.find((a) => a.accountId === sample.accounts[key])!.score!;
    expect(score('mlProd')).toBeGreaterThan(score('mlDev'));
    expect(scan.score.organization).not.toBeNull();
    expect(scan.score.coverage).toBeGreaterThan(0);
    expect(scan.score.coverage).toBeLessThan(1);
  });

  it('is read-only: every AWS action sent is a Describe/Get/List or an identity call', () => {
    expect(calls.length).toBe(scan.stats.apiCalls);
    const actions = [...new Set(calls.map((c) => `${c.service}:${c.action}`))];
    const writes = actions.filter((a) => !/^[a-z0-9-]+:(Describe|Get|List|LookupEvents$|FilterLogEvents$|HeadObject$|AssumeRole$)/.test(a));
    expect(writes).toEqual([]);
    // Every HTTP request the emulator saw was one the tool recorded (no unrecorded side channel).
    expect(env.proxy.requests.length).toBeGreaterThanOrEqual(calls.length);
  });

  it('uses only actions the scan role of `forensight role-template` allows, and that role allows no write', () => {
    const template = buildRoleTemplate();
    // sts:AssumeRole is the caller's permission (base or hub credentials), not the scan role's.
    const needed = [...new Set(calls.filter((c) => c.action !== 'AssumeRole').flatMap((c) => iamActionsFor(c.service, c.action)))];
    expect(needed.length).toBeGreaterThan(20);
    expect(needed.filter((action) => !policyAllows(template, 'ForensightScanRole', action))).toEqual([]);
    expect(allowedActions(template, 'ForensightScanRole').filter(isWriteAction)).toEqual([]);
  });

  it('calls each API once per account, region and resource', () => {
    const seenCalls = new Map<string, number>();
    for (const c of calls) {
      const key = `${c.accountId}|${c.region}|${c.service}:${c.action}|${c.inputDigest}`;
      seenCalls.set(key, (seenCalls.get(key) ?? 0) + 1);
    }
    const repeated = [...seenCalls.entries()].filter(([, n]) => n > 1);
    expect(repeated).toEqual([]);
  });

  it("reads the trail bucket in the log-archive account that owns it, through that account's role", () => {
    const lockReads = calls.filter((c) => c.action === 'GetObjectLockConfiguration');
    const orgTrailBucketOwnerCalls = lockReads.filter((c) => c.accountId === sample.accounts.logArchive);
    expect(orgTrailBucketOwnerCalls.length).toBeGreaterThan(0);
    const immutable = scan.results.find((r) => r.checkId === 'cloudtrail-bucket-immutable' && r.resourceArn === sample.resources.orgTrailArn);
    expect(JSON.stringify(immutable?.evidence)).toContain(sample.accounts.logArchive);
  });

  it('prints a summary on stderr and keeps stdout clean', () => {
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/Organization readiness score: [\d.]+ \/ 100/);
    // Not a terminal: plain progress lines, one per phase and per finished account.
    expect(run.stderr).toContain('[forensight] discovery: discovering accounts');
    expect(run.stderr).toContain('[forensight] collect 6/6 accounts');
    expect(run.stderr).toContain(join(out, 'scan.json'));
    expect(run.stderr).not.toMatch(/testing|SecretAccessKey|SessionToken/i);
  });
});
