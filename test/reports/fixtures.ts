// Small factory for synthetic scan.json documents and a check catalogue built from the real registry and framework catalogue.
import { findCheck } from '../../checks/index.js';
import { frameworkCatalogue } from '../../checks/frameworks.js';
import type { CheckMetadata } from '../../checks/types.js';
import type { FrameworkCatalogue } from '../../reports/model.js';
import type { AccountSummary, CheckResult, Readiness, ResultStatus, ScanDocument } from '../../src/model/scan.js';

export const HOSTILE_SCRIPT = '<script>window.__pwned=1;alert(1)</script>';
export const HOSTILE_IMG = '<img src=x onerror="window.__pwned=2;alert(2)">';
/** Terminal escapes and a bidi override (which would make the rest of the line read backwards). */
export const HOSTILE_CONTROLS = '\u001b[2J\u001b]0;owned\u0007 role\u202egnp.exe';

/**
 * A check of the real registry with synthetic prose: id, severity, scope, service and frameworks are the real
 * check's (so framework and control ids exist in the real catalogue); title and texts are short fixed strings
 * the report tests assert on.
 */
function meta(id: string, title: string): CheckMetadata {
  const real = findCheck(id)?.meta;
  if (!real) throw new Error(`fakeCatalogue: no check ${id} in checks/index.ts`);
  return {
    id,
    title,
    severity: real.severity,
    scope: real.scope,
    service: real.service,
    rationale: `Rationale for ${id}.`,
    risk: `Risk when ${id} fails.`,
    remediation: {
      summary: `Fix ${id}.`,
      cli: `aws example fix-${id} --enable`,
      iac: { kind: 'cloudformation', snippet: `Resources:\n  Fix:\n    Type: AWS::Example::${id.replace(/-/g, '')}` },
      docs: ['https://docs.aws.amazon.com/example'],
    },
    parameters: [],
    reasonCodes: { configured: 'Configured.', 'not-configured': 'Not configured.', 'not-readable': 'Not read.' },
    frameworks: real.frameworks,
  };
}

export function fakeCatalogue(): CheckMetadata[] {
  return [
    meta('cloudtrail-multi-region-trail', 'A multi-region trail records management events'),
    meta('cloudtrail-bucket-immutable', 'The trail bucket has Object Lock'),
    meta('bedrock-invocation-logging-text', 'Bedrock invocation logging keeps text'),
    meta('sagemaker-endpoint-data-capture', 'Endpoints capture input and output'),
    meta('s3-ai-bucket-access-logging', 'AI data buckets have access logging'),
    meta('guardduty-enabled', 'GuardDuty is enabled where AI runs'),
  ];
}

/** The real framework catalogue (checks/frameworks.ts), as reports consume it. */
export function fakeFrameworks(): FrameworkCatalogue {
  return frameworkCatalogue;
}

export function result(checkId: string, accountId: string, status: ResultStatus, over: Partial<CheckResult> = {}): CheckResult {
  const sev = fakeCatalogue().find((c) => c.id === checkId)?.severity ?? 'medium';
  return {
    checkId,
    accountId,
    region: 'us-east-1',
    resourceArn: `arn:aws:iam::${accountId}:root`,
    status,
    severity: sev,
    reason: status === 'PASS' ? 'configured' : status === 'FAIL' ? `${checkId} is not configured` : 'not evaluated',
    reasonCode: status === 'PASS' ? 'configured' : status === 'FAIL' ? 'not-configured' : 'not-readable',
    evidence: {},
    ...over,
  };
}

export interface AccountSpec {
  accountId: string;
  name: string;
  status?: AccountSummary['status'];
  reason?: string;
  score?: number | null;
  coverage?: number;
  investigability?: Record<string, Readiness>;
}

export const ALL_READY: Record<string, Readiness> = {
  'unauthorized-model-access': 'READY',
  'training-data-exfiltration': 'READY',
  'model-tampering': 'READY',
  'logging-tampering': 'READY',
  access: 'READY',
  invocation: 'READY',
};

export function account(spec: AccountSpec): AccountSummary {
  const assessed = (spec.status ?? 'ASSESSED') === 'ASSESSED';
  return {
    accountId: spec.accountId,
    name: spec.name,
    status: spec.status ?? 'ASSESSED',
    reason: spec.reason ?? '',
    regions: ['us-east-1'],
    score: spec.score !== undefined ? spec.score : assessed ? 100 : null,
    coverage: spec.coverage ?? (assessed ? 1 : 0),
    investigability: spec.investigability ?? (assessed ? { ...ALL_READY } : Object.fromEntries(Object.keys(ALL_READY).map((k) => [k, 'UNKNOWN']))),
  };
}

export function makeScan(opts: {
  scanId?: string;
  startedAt?: string;
  accounts: AccountSpec[];
  results: CheckResult[];
  orgScore?: number | null;
  coverage?: number;
}): ScanDocument {
  const startedAt = opts.startedAt ?? '2025-10-01T09:00:00.000Z';
  const finishedAt = new Date(Date.parse(startedAt) + 5 * 60_000).toISOString();
  const accounts = opts.accounts.map(account);
  const scored = accounts.filter((a) => a.score !== null);
  return {
    schemaVersion: 1,
    tool: { name: 'forensight', version: '0.1.0' },
    scanId: opts.scanId ?? 'scan-2025q4',
    startedAt,
    finishedAt,
    organization: { id: 'o-abc123', managementAccountId: '111111111111' },
    parameters: { minRetentionDays: 365 },
    accounts,
    results: opts.results,
    score: {
      organization:
        opts.orgScore !== undefined ? opts.orgScore : scored.length ? Math.round(scored.reduce((s, a) => s + a.score!, 0) / scored.length) : null,
      coverage: opts.coverage ?? (accounts.length ? scored.length / accounts.length : 0),
    },
    stats: { apiCalls: 100, durationMs: 300_000, errors: 0 },
  };
}

/** A small organisation with hostile names in several places, one account not assessed. */
export function hostileScan(): ScanDocument {
  const A = '111111111111';
  const B = '222222222222';
  const Cc = '333333333333';
  const D = '444444444444';
  return makeScan({
    accounts: [
      {
        accountId: A,
        name: 'prod-ml',
        score: 40,
        investigability: { ...ALL_READY, 'unauthorized-model-access': 'BLIND', 'logging-tampering': 'PARTIAL' },
      },
      { accountId: B, name: HOSTILE_SCRIPT, score: 75, investigability: { ...ALL_READY, 'model-tampering': 'PARTIAL' } },
      { accountId: Cc, name: HOSTILE_IMG, score: 90 },
      {
        accountId: D,
        name: 'sandbox',
        status: 'NOT_ASSESSED',
        reason: `AccessDenied: role forensight-readonly could not be assumed ${HOSTILE_CONTROLS}`,
      },
    ],
    results: [
      result('cloudtrail-multi-region-trail', A, 'FAIL', { region: 'global' }),
      result('cloudtrail-multi-region-trail', B, 'PASS', { region: 'global' }),
      result('cloudtrail-multi-region-trail', Cc, 'PASS', { region: 'global' }),
      result('cloudtrail-multi-region-trail', D, 'NOT_ASSESSED', { region: 'global', reason: 'role not assumable' }),
      result('bedrock-invocation-logging-text', A, 'FAIL', { resourceArn: `arn:aws:bedrock:us-east-1:${A}:logging` }),
      result('bedrock-invocation-logging-text', B, 'FAIL', {
        resourceArn: `arn:aws:bedrock:us-east-1:${B}:logging`,
        reason: `text delivery is off for ${HOSTILE_SCRIPT}`,
        evidence: { tag: HOSTILE_IMG, note: '</script><script>window.__pwned=3</script>' },
      }),
      result('bedrock-invocation-logging-text', Cc, 'PASS', { resourceArn: `arn:aws:bedrock:us-east-1:${Cc}:logging` }),
      result('s3-ai-bucket-access-logging', A, 'FAIL', { resourceArn: 'arn:aws:s3:::training-data-a' }),
      result('s3-ai-bucket-access-logging', B, 'FAIL', { resourceArn: `arn:aws:s3:::${HOSTILE_IMG}` }),
      result('s3-ai-bucket-access-logging', Cc, 'PASS', { resourceArn: 'arn:aws:s3:::training-data-c' }),
      result('guardduty-enabled', A, 'PASS'),
      result('guardduty-enabled', B, 'NOT_APPLICABLE'),
      result('sagemaker-endpoint-data-capture', Cc, 'FAIL', {
        resourceArn: `arn:aws:sagemaker:us-east-1:${Cc}:endpoint/churn`,
        severity: 'high',
      }),
    ],
  });
}
