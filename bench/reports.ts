// Report benchmark: a deterministic N-account scan over every registered check (plus a previous quarter for the trend),
// rendered to HTML and PDF. The bench runner (npm run bench) runs each size in its own process
// (`benchReportsInChild`), so the peak RSS it prints belongs to that rendering alone.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { allChecks, findCheck } from '../checks/index.js';
import { frameworkCatalogue } from '../checks/frameworks.js';
import type { CheckMetadata, CheckScope } from '../checks/types.js';
import { buildReportModel, type FrameworkCatalogue } from '../reports/model.js';
import { renderHtml } from '../reports/html.js';
import { countPdfPages, renderPdf } from '../reports/pdf.js';
import type { AccountSummary, CheckResult, Readiness, ResultStatus, ScanDocument, Severity } from '../src/model/scan.js';
import { CIRT_ELEMENTS } from '../src/model/cirt.js';

export interface ReportBenchFigures {
  accounts: number;
  checks: number;
  results: number;
  synthMs: number;
  modelMs: number;
  htmlMs: number;
  htmlBytes: number;
  pdfMs: number;
  pdfBytes: number;
  pdfPages: number;
  /** Peak resident set size of the whole process so far (includes the synthetic data), MB. */
  peakRssMb: number;
  heapUsedAfterPdfMb: number;
  limits: { pdfUnder60s: boolean; peakRssUnder1GB: boolean; htmlUnder15MB: boolean };
}

/** Deterministic PRNG (mulberry32): the same seed gives the same sequence (benchmarks and fuzz tests). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SynthCheck {
  id: string;
  severity: Severity;
  scope: CheckScope;
  service: string;
  /** results per account */
  per: number;
  failRate: number;
}

/** Results per account and failure rate of each check in the synthetic scan; a check not listed gets the default. */
const SHAPE: Record<string, Pick<SynthCheck, 'per' | 'failRate'>> = {
  'forensic-role-access': { per: 1, failRate: 0 },
  'cloudtrail-multi-region-trail': { per: 1, failRate: 0.08 },
  'cloudtrail-log-file-validation': { per: 1, failRate: 0.15 },
  'cloudtrail-ai-data-events': { per: 2, failRate: 0.4 },
  'cloudtrail-ai-bucket-data-events': { per: 3, failRate: 0.45 },
  'cloudtrail-bucket-immutable': { per: 1, failRate: 0.5 },
  'bedrock-invocation-logging': { per: 2, failRate: 0.3 },
  'bedrock-invocation-logging-text': { per: 2, failRate: 0.35 },
  'bedrock-invocation-logging-s3': { per: 2, failRate: 0.3 },
  'sagemaker-endpoint-data-capture': { per: 2, failRate: 0.5 },
  'sagemaker-model-artifact-versioning': { per: 2, failRate: 0.2 },
  's3-ai-bucket-access-logging': { per: 3, failRate: 0.5 },
  's3-log-bucket-object-lock': { per: 2, failRate: 0.6 },
  'vpc-flow-logs-ai': { per: 2, failRate: 0.3 },
  'logs-ai-retention': { per: 3, failRate: 0.25 },
  'guardduty-enabled': { per: 2, failRate: 0.1 },
  'config-recorder-ai': { per: 2, failRate: 0.2 },
};

/** Every check of the real registry (ids, severities, scopes and services as registered). */
export const SYNTH_CHECKS: SynthCheck[] = allChecks.map(({ meta: m }) => ({
  id: m.id,
  severity: m.severity,
  scope: m.scope,
  service: m.service,
  ...(SHAPE[m.id] ?? { per: 1, failRate: 0.2 }),
}));

const REGIONS = ['us-east-1', 'eu-west-1'];

function arnFor(c: SynthCheck, acct: string, i: number): { region: string; arn: string } {
  const region = REGIONS[i % REGIONS.length]!;
  switch (c.scope) {
    case 'account':
      return { region: 'global', arn: `arn:aws:iam::${acct}:root` };
    case 'trail':
      return { region: 'us-east-1', arn: `arn:aws:cloudtrail:us-east-1:${acct}:trail/org-trail-${i}` };
    case 'account-type':
      return { region: 'global', arn: `arn:aws:iam::${acct}:root/${['AWS::Bedrock::AgentAlias', 'AWS::SageMaker::Endpoint'][i % 2]}` };
    case 'bucket':
      return { region, arn: `arn:aws:s3:::ml-${acct}-${c.id.split('-')[0]}-bucket-${i}` };
    case 'region':
      return { region, arn: `arn:aws:${c.service}:${region}:${acct}:account-settings` };
    case 'endpoint':
      return { region, arn: `arn:aws:sagemaker:${region}:${acct}:endpoint/model-endpoint-${i}` };
    case 'vpc':
      return { region, arn: `arn:aws:ec2:${region}:${acct}:vpc/vpc-0${acct.slice(-6)}${i}` };
    default:
      return { region, arn: `arn:aws:logs:${region}:${acct}:log-group:/aws/sagemaker/Endpoints/model-endpoint-${i}` };
  }
}

export function syntheticCatalogue(): CheckMetadata[] {
  return SYNTH_CHECKS.map((c) => ({
    id: c.id,
    title: `Synthetic title for ${c.id}`,
    severity: c.severity,
    scope: c.scope,
    service: c.service,
    rationale: `Investigators rely on ${c.id} to reconstruct what happened; this is synthetic benchmark text of realistic length.`,
    risk: `Without ${c.id} an investigation cannot answer some of its questions; this is synthetic benchmark text.`,
    remediation: {
      summary: `Turn on the setting that ${c.id} checks, in every account and region with AI workloads.`,
      cli: `aws ${c.service} example-command \\\n  --name forensight-${c.id} \\\n  --enable-feature true \\\n  --region us-east-1`,
      iac: {
        kind: 'cloudformation',
        snippet: `Resources:\n  Example:\n    Type: AWS::Example::Resource\n    Properties:\n      Name: forensight-${c.id}\n      Enabled: true\n      RetentionInDays: 365`,
      },
      docs: [`https://docs.aws.amazon.com/${c.service}/latest/userguide/example.html`],
    },
    reasonCodes: { synthetic: 'Synthetic benchmark cause.' },
    parameters: [],
    frameworks: findCheck(c.id)?.meta.frameworks ?? [],
  }));
}

/** The real framework catalogue (checks/frameworks.ts). */
export function syntheticFrameworks(): FrameworkCatalogue {
  return frameworkCatalogue;
}

const SCEN = ['unauthorized-model-access', 'training-data-exfiltration', 'model-tampering', 'logging-tampering'];
const CIRT = CIRT_ELEMENTS;

/** A deterministic ScanDocument: `accounts` accounts × every registered check (about 34 results per account). */
export function synthesizeScan(accounts = 1000, seed = 42, opts: { scanId?: string; startedAt?: string } = {}): ScanDocument {
  const rand = rng(seed);
  const accs: AccountSummary[] = [];
  const results: CheckResult[] = [];
  for (let a = 0; a < accounts; a++) {
    const acct = String(100000000000 + a * 7919);
    const assessed = rand() > 0.03;
    const res: CheckResult[] = [];
    for (const c of SYNTH_CHECKS) {
      for (let i = 0; i < c.per; i++) {
        const { region, arn } = arnFor(c, acct, i);
        let status: ResultStatus;
        if (!assessed) status = c.id === 'forensic-role-access' ? 'FAIL' : 'NOT_ASSESSED';
        else {
          const x = rand();
          status = x < c.failRate ? 'FAIL' : x > 0.97 ? 'NOT_ASSESSED' : x > 0.9 ? 'NOT_APPLICABLE' : 'PASS';
        }
        res.push({
          checkId: c.id,
          accountId: acct,
          region,
          resourceArn: arn,
          status,
          severity: c.severity,
          reason:
            status === 'FAIL'
              ? `${c.id.replace(/-/g, ' ')} is not configured for this resource`
              : status === 'PASS'
                ? 'configured as required'
                : status === 'NOT_ASSESSED'
                  ? assessed
                    ? 'ThrottlingException after 5 retries'
                    : 'AccessDenied: could not assume role forensight-readonly'
                  : 'no such workload here',
          reasonCode: 'synthetic',
          evidence: status === 'FAIL' ? { resource: arn, observed: { enabled: false }, region } : {},
        });
      }
    }
    const decided = res.filter((r) => r.status === 'PASS' || r.status === 'FAIL');
    const pass = decided.filter((r) => r.status === 'PASS').length;
    const score = assessed && decided.length ? Math.round((pass / decided.length) * 1000) / 10 : null;
    const levels: Readiness[] = ['READY', 'PARTIAL', 'BLIND', 'NOT_APPLICABLE'];
    const inv: Record<string, Readiness> = {};
    for (const k of [...SCEN, ...CIRT]) inv[k] = assessed ? levels[Math.floor(rand() * levels.length)]! : 'UNKNOWN';
    accs.push({
      accountId: acct,
      name: `ml-workloads-${String(a).padStart(4, '0')}-${['prod', 'staging', 'dev', 'research'][a % 4]}`,
      status: assessed ? 'ASSESSED' : 'NOT_ASSESSED',
      reason: assessed ? '' : 'AccessDenied: could not assume role forensight-readonly',
      regions: REGIONS,
      score,
      coverage: assessed ? Math.round((1 - res.filter((r) => r.status === 'NOT_ASSESSED').length / res.length) * 1000) / 1000 : 0,
      investigability: inv,
    });
    results.push(...res);
  }
  const scored = accs.filter((a) => a.score !== null);
  const startedAt = opts.startedAt ?? '2025-10-01T08:00:00.000Z';
  return {
    schemaVersion: 1,
    tool: { name: 'forensight', version: '0.1.0' },
    scanId: opts.scanId ?? `bench-${accounts}-${seed}`,
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + 3_600_000).toISOString(),
    organization: { id: 'o-bench000001', managementAccountId: accs[0]?.accountId ?? '100000000000' },
    parameters: { minRetentionDays: 365, minSamplingPercent: 100 },
    accounts: accs,
    results,
    score: {
      organization: scored.length ? Math.round((scored.reduce((s, a) => s + a.score!, 0) / scored.length) * 10) / 10 : null,
      coverage: accs.length ? Math.round((scored.length / accs.length) * 1000) / 1000 : 0,
    },
    stats: { apiCalls: accounts * 120, durationMs: 3_600_000, errors: 0 },
  };
}

function mb(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}

export async function benchReports(accounts = 1000): Promise<ReportBenchFigures> {
  let t = performance.now();
  const scan = synthesizeScan(accounts, 42, { scanId: 'bench-2025q4' });
  // The previous quarter: different seed (statuses move), a few renamed/removed/added accounts.
  const prev = synthesizeScan(accounts + 5, 7, { scanId: 'bench-2025q3', startedAt: '2025-07-01T08:00:00.000Z' });
  for (let i = 0; i < 5 && i < prev.accounts.length; i++) prev.accounts[i]!.name = `old-name-${i}`;
  const synthMs = performance.now() - t;

  t = performance.now();
  const model = buildReportModel(scan, { catalogue: syntheticCatalogue(), frameworks: syntheticFrameworks(), previous: [prev] });
  const modelMs = performance.now() - t;

  t = performance.now();
  const htmlText = renderHtml(model);
  const htmlMs = performance.now() - t;
  const htmlBytes = Buffer.byteLength(htmlText, 'utf8');

  t = performance.now();
  const pdf = await renderPdf(model);
  const pdfMs = performance.now() - t;
  const pdfPages = countPdfPages(pdf);

  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const round = (n: number): number => Math.round(n);
  return {
    accounts,
    checks: SYNTH_CHECKS.length,
    results: scan.results.length,
    synthMs: round(synthMs),
    modelMs: round(modelMs),
    htmlMs: round(htmlMs),
    htmlBytes,
    pdfMs: round(pdfMs),
    pdfBytes: pdf.length,
    pdfPages,
    peakRssMb,
    heapUsedAfterPdfMb: mb(process.memoryUsage().heapUsed),
    limits: { pdfUnder60s: pdfMs < 60_000, peakRssUnder1GB: peakRssMb < 1024, htmlUnder15MB: htmlBytes < 15 * 1024 * 1024 },
  };
}

/** Renders the reports for `accounts` accounts in a fresh node process and returns its figures. */
export function benchReportsInChild(accounts: number): Promise<ReportBenchFigures> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), String(accounts)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    proc.stdout.on('data', (d: Buffer) => (text += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(text) as ReportBenchFigures) : reject(new Error(`report bench child (${accounts} accounts) exited ${code}`)),
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchReports(Number(process.argv[2] ?? 1000)).then(
    (f) => process.stdout.write(`${JSON.stringify(f)}\n`),
    (error: Error) => {
      process.stderr.write(`${error.stack ?? error.message}\n`);
      process.exitCode = 1;
    },
  );
}
