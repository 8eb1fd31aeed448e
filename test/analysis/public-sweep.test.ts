// Every labelled public record through the path analyze uses: the bundle reader and normalisers
// (read-bundle.readItem, reading the fixture in place as an evidence item), the correlator, then every rule.
// One row per fixture file and one per Panther test case, with the rule ids it must produce (or none).
// Stratus Red Team detonations are attacks: each must give the rule, CIRT element and ATT&CK technique of its
// technique. Panther cases give ExpectedResult: the analogous forensight rule fires on the true ones where the
// behaviour is in forensight's scope (else the row says why not), and nothing fires on the false ones.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Correlator } from '../../src/analysis/correlate.js';
import { runRules, type RuleRun } from '../../src/analysis/engine.js';
import { compareEvents, type TimelineEvent } from '../../src/analysis/event.js';
import { fromCloudTrail, fromEndpointLogEvent, fromFlowLog, fromS3AccessLog, type Normalised } from '../../src/analysis/normalize.js';
import { readItem, type ItemKind } from '../../src/analysis/read-bundle.js';
import type { AnalysisContext, CirtElement } from '../../src/analysis/rules/index.js';
import type { ManifestItem, SourceName } from '../../src/collect/manifest.js';
import { eventTimeOf } from '../../src/collect/parsers/cloudtrail.js';
import type { FlowLogRecord } from '../../src/collect/parsers/flow-log.js';
import { S3_ACCESS_LOG_FIELDS, type S3AccessLogRecord } from '../../src/collect/parsers/s3-access-log.js';
import { fixtureJson, fixtureText, PUBLIC, ruleCtx } from './helpers.js';

interface Swept {
  events: number;
  unreadable: { path: string; line?: number; record?: number; message: string }[];
  run: RuleRun;
}

/** Time order, then one event per request, then the rules: what analyze does after reading. */
function analyse(events: TimelineEvent[], ctx: Partial<AnalysisContext> = {}): { events: number; run: RuleRun } {
  const correlator = new Correlator();
  const merged = [...[...events].sort(compareEvents).flatMap((e) => correlator.push(e)), ...correlator.flush()];
  return { events: merged.length, run: runRules(merged, ruleCtx(ctx)) };
}

const SOURCE_OF: Record<string, SourceName> = {
  'trail-file': 'cloudtrail',
  'access-log': 's3-access-logs',
  'flow-log-s3': 'flow-logs',
  'data-capture': 'sagemaker',
};

/**
 * CloudWatch log events one per line, each naming its log group (as exported): analyze reads the same events from
 * FilterLogEvents pages, whose log group is the request's.
 */
function logEventLines(path: string): Swept {
  const events: TimelineEvent[] = [];
  const unreadable: Swept['unreadable'] = [];
  fixtureText(path)
    .split('\n')
    .forEach((text, i) => {
      if (!text.trim()) return;
      const e = JSON.parse(text) as { logGroup?: string };
      const ctx = { ref: { path, line: i + 1 }, account: '111122223333', region: 'us-east-1', logGroup: e.logGroup ?? null };
      const n = fromEndpointLogEvent(e, ctx);
      if (n.ok) events.push(n.event);
      else unreadable.push({ path, line: i + 1, message: n.reason });
    });
  return { ...analyse(events), unreadable };
}

/** The fixture read in place as the evidence item analyze would list for it. */
async function sweepFile(path: string, kind: ItemKind): Promise<Swept> {
  if (kind === 'endpoint-logs') return logEventLines(path);
  const [bucket, key] = ['public-fixtures', path];
  const item: ManifestItem = {
    path,
    sha256: '',
    bytes: 0,
    accountId: '111122223333',
    region: 'us-east-1',
    source: SOURCE_OF[kind]!,
    origin: {
      kind: 's3',
      uri: `s3://${bucket}/${key}`,
      bucket,
      key,
      versionId: null,
      etag: null,
      lastModified: null,
      readVia: '111122223333',
      requestId: null,
    },
    collectedAt: '2026-01-01T00:00:00.000Z',
  };
  const events: TimelineEvent[] = [];
  const unreadable: Swept['unreadable'] = [];
  for await (const o of readItem(PUBLIC, item, kind)) {
    if (o.kind === 'event') events.push(o.event);
    else unreadable.push({ path: o.path, line: o.line, record: o.record, message: o.message });
  }
  return { ...analyse(events), unreadable };
}

const ruleIds = (run: RuleRun): string[] => [...new Set(run.findings.map((f) => f.ruleId))].sort();

// ---- fixture files ------------------------------------------------------------------------------------------

interface FileRow {
  file: string;
  kind: ItemKind;
  /** Rule ids of the findings (sorted, distinct). */
  rules: string[];
  /** Requests after correlation, and records counted unreadable. */
  events: number;
  unreadable: number;
  /** An attack: the element and technique its finding must carry. */
  attack?: { element: CirtElement; technique: string };
  why: string;
}

const ct = (file: string, rules: string[], events: number, why: string, attack?: FileRow['attack'], unreadable = 0): FileRow => ({
  file: `cloudtrail/${file}`,
  kind: 'trail-file',
  rules,
  events,
  unreadable,
  attack,
  why,
});

const FILES: FileRow[] = [
  // Stratus Red Team detonations: every one is an attack.
  ct('stratus.aws.credential-access.secretsmanager-batch-retrieve-secrets.json', ['secrets-bulk-retrieval'], 5, 'BatchGetSecretValue by tag filter', {
    element: 'access',
    technique: 'T1555.006',
  }),
  ct('stratus.aws.defense-evasion.cloudtrail-delete.json', ['cloudtrail-tampering'], 1, 'DeleteTrail', {
    element: 'infrastructure-changes',
    technique: 'T1562.008',
  }),
  ct('stratus.aws.defense-evasion.cloudtrail-event-selectors.json', ['cloudtrail-tampering'], 1, 'PutEventSelectors dropping management events', {
    element: 'infrastructure-changes',
    technique: 'T1562.008',
  }),
  ct('stratus.aws.defense-evasion.cloudtrail-stop.json', ['cloudtrail-tampering'], 1, 'StopLogging', {
    element: 'infrastructure-changes',
    technique: 'T1562.008',
  }),
  ct('stratus.aws.defense-evasion.dns-delete-logs.json', ['network-log-deletion'], 1, 'DeleteResolverQueryLogConfig', {
    element: 'infrastructure-changes',
    technique: 'T1562.008',
  }),
  ct('stratus.aws.defense-evasion.vpc-remove-flow-logs.json', ['network-log-deletion'], 1, 'DeleteFlowLogs', {
    element: 'infrastructure-changes',
    technique: 'T1562.008',
  }),
  ct('stratus.aws.initial-access.console-login-without-mfa.json', ['console-login-without-mfa'], 1, 'IAM user console login without MFA', {
    element: 'access',
    technique: 'T1078.004',
  }),
  ct('stratus.aws.persistence.iam-create-backdoor-role.json', ['iam-backdoor'], 2, 'role trusting an outside account, AdministratorAccess attached', {
    element: 'access',
    technique: 'T1098',
  }),
  // Benign records and official examples: nothing critical, and exactly what their content warrants.
  ct('amazon-sagemaker-ListTags-by-config.json', [], 1, 'benign: AWS Config reading SageMaker tags'),
  ct('amazon-bedrock-InvokeModel.json', [], 1, 'one invocation; "new invoker" needs a baseline (none here: NOT_ASSESSED)'),
  ct('cloudtrail.json', [], 1, 'one S3 data event'),
  ct('cloudtrail_singleline.json', [], 1, 'the same, single-line'),
  ct('bad_cloudtrail.json', [], 0, 'malformed: one unreadable file, no crash', undefined, 1),
  ct(
    'cloudtrail-user-guide-CreateRole-raw-nonstrict.json',
    ['iam-backdoor'],
    1,
    'CreateRole trusting account 210987654321 (outside the scope): high, not critical',
  ),
  ct(
    'cloudtrail-user-guide-log-file-examples.Records.json',
    ['iam-backdoor'],
    7,
    'CreateRole trusting another account, CreateUser Bob: high and medium; UpdateTrail changing nothing is not tampering',
  ),
  ct('cloudtrail-user-guide-insights-event.json', [], 2, 'an Insights start/end pair'),
  ct('sagemaker-developer-guide-examples.Records.json', ['sagemaker-model-changed'], 2, 'CreateModel and CreateEndpoint in the window: medium'),
  ct('sample-digest-file.json', [], 0, 'a digest file holds no records'),
  ct('sample-digest-file-no-activity.json', [], 0, 'a digest file holds no records'),
  ct('cloudtrail-log-file-name-format.txt', [], 0, 'not a log file: unreadable, no crash', undefined, 1),
  ct('digest-file-location.txt', [], 0, 'not a log file: unreadable, no crash', undefined, 1),
  {
    file: 's3-access-logs/awsdocs-LogFormat-examples.log',
    kind: 'access-log',
    rules: [],
    events: 5,
    unreadable: 0,
    why: 'official access-log lines',
  },
  {
    file: 's3-access-logs/cloudgrep-readme-example.log',
    kind: 'access-log',
    rules: [],
    events: 1,
    unreadable: 0,
    why: 'an invalid IP is kept, flagged in detail',
  },
  { file: 'vpc-flow-logs/awsdocs-default-format-v2.log', kind: 'flow-log-s3', rules: [], events: 7, unreadable: 0, why: 'default v2 lines' },
  {
    file: 'vpc-flow-logs/awsdocs-flow-logs-records-examples.annotated.txt',
    kind: 'flow-log-s3',
    rules: [],
    events: 17,
    unreadable: 11,
    why: 'custom formats without a start field are counted unreadable with their line',
  },
  {
    file: 'sagemaker/awsdocs-data-capture-sample.jsonl',
    kind: 'data-capture',
    rules: [],
    events: 2,
    unreadable: 0,
    why: 'records wrapped over lines are re-joined',
  },
  {
    file: 'sagemaker/sumologic-docs-cloudwatch-log-events.jsonl',
    kind: 'endpoint-logs',
    rules: [],
    events: 4,
    unreadable: 0,
    why: 'container logs of an endpoint and of processing, training and transform jobs',
  },
];

/** Files that are not evidence records (licences, provenance, Panther test tables swept case by case below). */
const NOT_RECORDS = /LICENSE|SOURCES\.md|\.tests\.json$/;
const SWEPT = new Set(FILES.map((r) => r.file));

describe('public fixtures, file by file', () => {
  it('every fixture file has a row (a new fixture cannot be skipped silently)', () => {
    const dirs = readdirSync(PUBLIC, { withFileTypes: true }).filter((d) => d.isDirectory());
    const files = dirs.flatMap((d) => readdirSync(`${PUBLIC}/${d.name}`).map((f) => `${d.name}/${f}`)).filter((f) => !NOT_RECORDS.test(f));
    expect(files.filter((f) => !SWEPT.has(f))).toEqual([]);
  });

  it.each(FILES.map((r) => [r.file, r] as const))('%s', async (_f, row) => {
    const got = await sweepFile(row.file, row.kind);
    expect({ rules: ruleIds(got.run), events: got.events, unreadable: got.unreadable.length }).toEqual({
      rules: row.rules,
      events: row.events,
      unreadable: row.unreadable,
    });
    for (const u of got.unreadable) expect(u.path).toBe(row.file);
    // The official examples and benign records are not incidents: nothing they hold is critical.
    if (!row.attack) expect(got.run.findings.filter((f) => f.severity === 'critical').map((f) => f.summary)).toEqual([]);
    else {
      const f = got.run.findings.find((x) => x.ruleId === row.rules[0]);
      expect(f).toMatchObject({ element: row.attack.element, techniques: expect.arrayContaining([row.attack.technique]) });
      expect(f!.events[0]!.ref.path).toBe(row.file);
    }
  });
});

// ---- Panther labelled cases ---------------------------------------------------------------------------------

interface PantherCase {
  name: string;
  expectedResult: boolean;
  log: Record<string, unknown>;
}

/** Panther's parsed S3 access record (lower-cased field names) as the access-log parser's record. */
function s3Record(log: Record<string, unknown>): S3AccessLogRecord {
  const rec: S3AccessLogRecord = { timeIso: null, remoteIpValid: true };
  const byLower = new Map<string, unknown>(Object.entries(log).map(([k, v]) => [k.toLowerCase(), v]));
  for (const f of S3_ACCESS_LOG_FIELDS) {
    const v = byLower.get(f.toLowerCase()) ?? (f === 'referer' ? byLower.get('referrer') : undefined);
    if (typeof v === 'string' || typeof v === 'number') rec[f] = String(v);
  }
  const t = eventTimeOf({ eventTime: byLower.get('time') });
  rec.timeIso = t ? t.toISOString() : null;
  return rec;
}

/** Panther's parsed flow record (camelCase) as the flow-log parser's record. */
function flowRecord(log: Record<string, unknown>): FlowLogRecord {
  const names: Record<string, string> = {
    srcAddr: 'srcaddr',
    dstAddr: 'dstaddr',
    srcPort: 'srcport',
    dstPort: 'dstport',
    flowDirection: 'flow-direction',
    status: 'log-status',
    action: 'action',
    start: 'start',
    end: 'end',
    bytes: 'bytes',
    interfaceId: 'interface-id',
  };
  const rec: FlowLogRecord = {};
  for (const [k, v] of Object.entries(log)) if (names[k] && (typeof v === 'string' || typeof v === 'number')) rec[names[k]] = v;
  return rec;
}

type Family = 'cloudtrail' | 's3-access-logs' | 'vpc-flow-logs';
const normalise = (family: Family, log: Record<string, unknown>, i: number, path: string): Normalised => {
  const ctx = { ref: { path, record: i }, account: null, region: null };
  if (family === 'cloudtrail') return fromCloudTrail(log, ctx);
  if (family === 's3-access-logs') return fromS3AccessLog(s3Record(log), ctx);
  return fromFlowLog(flowRecord(log), ctx);
};

interface PantherRow {
  file: string;
  family: Family;
  /** The forensight rule that carries the Panther rule's meaning, or null when the behaviour is out of scope. */
  rule: string | null;
  why: string;
  ctx?: Partial<AnalysisContext>;
  /** Cases whose record cannot be read (Panther's test fragments without a time): counted unreadable, no finding. */
  fragments?: readonly string[];
}

const PANTHER: PantherRow[] = [
  {
    file: 'panther.aws_cloudtrail_stopped.tests.json',
    family: 'cloudtrail',
    rule: 'cloudtrail-tampering',
    why: 'StopLogging; a failed one for a wrong name is not judged',
  },
  {
    file: 'panther.aws_cloudtrail_event_selectors_disabled.tests.json',
    family: 'cloudtrail',
    rule: 'cloudtrail-tampering',
    why: 'selectors dropping management events',
  },
  {
    file: 'panther.aws_security_configuration_change.tests.json',
    family: 'cloudtrail',
    rule: 'cloudtrail-tampering',
    why: 'DeleteTrail; DeleteRule on cloudtrail.amazonaws.com is no EventBridge rule',
  },
  { file: 'panther.aws_vpc_flow_logs_deleted.tests.json', family: 'cloudtrail', rule: 'network-log-deletion', why: 'DeleteFlowLogs' },
  {
    file: 'panther.aws_s3_copy_object_cross_account_kms.tests.json',
    family: 'cloudtrail',
    rule: 's3-copy-outside-org',
    why: 'copy re-encrypted under an outside KMS key',
  },
  {
    file: 'panther.aws_vpce_s3_external_ip.tests.json',
    family: 'cloudtrail',
    rule: 's3-ai-bucket-external-read',
    why: 'object read from a public IP (the bucket named as an AI bucket)',
    ctx: { aiBuckets: new Set(['sensitive-data-bucket']) },
    fragments: ['Not S3 Service'],
  },
  {
    file: 'panther.aws_vpce_sensitive_api_calls.tests.json',
    family: 'cloudtrail',
    rule: 'cloudtrail-tampering',
    why: 'UpdateTrail is tampering whatever the network path',
  },
  {
    file: 'aws_s3_access_error.tests.json',
    family: 's3-access-logs',
    rule: null,
    why: 'one denied read is no incident; bursts are access-denied-burst',
  },
  {
    file: 'aws_s3_access_ip_allowlist.tests.json',
    family: 's3-access-logs',
    rule: null,
    why: 'fragments without time or operation',
    fragments: ['Access From Approved IP', 'Access From Unapproved IP', 'Access From IPv6'],
  },
  {
    file: 'aws_s3_insecure_access.tests.json',
    family: 's3-access-logs',
    rule: null,
    why: 'TLS posture is a readiness check (scan), not an incident step',
  },
  {
    file: 'aws_s3_unauthenticated_access.tests.json',
    family: 's3-access-logs',
    rule: null,
    why: 'fragments without time or operation',
    fragments: ['Authenticated Access', 'Unauthenticated Access'],
  },
  {
    file: 'aws_s3_unknown_requester_get_object.tests.json',
    family: 's3-access-logs',
    rule: null,
    why: "Panther's per-bucket requester allowlist; one private-IP read is below s3-ai-bulk-read",
  },
];
const VPC_FILES = ['aws_vpc_healthy_log_status', 'aws_vpc_inbound_traffic_port_blocklist', 'aws_vpc_port_scanning', 'aws_vpc_ssh_allowed_signal'];
for (const name of VPC_FILES) {
  const file = `${name}.tests.json`;
  const cases = fixtureJson<{ tests: PantherCase[] }>(`vpc-flow-logs/${file}`).tests;
  PANTHER.push({
    file,
    family: 'vpc-flow-logs',
    rule: null,
    why: 'flow fragments without start time (and OCSF shapes): unreadable; port policy is not an incident rule',
    fragments: cases.map((c) => c.name),
  });
}

const dirOf = (family: Family): string => (family === 'cloudtrail' ? 'cloudtrail' : family);

describe('Panther labelled cases, case by case, through every rule', () => {
  it('every Panther test file has a row', () => {
    const files = ['cloudtrail', 's3-access-logs', 'vpc-flow-logs'].flatMap((d) =>
      readdirSync(`${PUBLIC}/${d}`).filter((f) => f.endsWith('.tests.json')),
    );
    expect(files.filter((f) => !PANTHER.some((r) => r.file === f))).toEqual([]);
  });

  const rows = PANTHER.flatMap((row) =>
    fixtureJson<{ tests: PantherCase[] }>(`${dirOf(row.family)}/${row.file}`).tests.map(
      (c, i) => [`${row.file}: ${c.name} (${c.expectedResult})`, row, c, i] as const,
    ),
  );
  it.each(rows)('%s', (_n, row, c, i) => {
    const path = `${dirOf(row.family)}/${row.file}`;
    const n = normalise(row.family, c.log, i, path);
    const fragment = row.fragments?.includes(c.name) ?? false;
    expect(n.ok).toBe(!fragment);
    const { run } = analyse(n.ok ? [n.event] : [], row.ctx);
    const want = c.expectedResult && row.rule ? [row.rule] : [];
    expect(ruleIds(run)).toEqual(want);
  });
});

// Panther's security-configuration rule names these calls (SECURITY_CONFIG_ACTIONS, and UpdateDetector turning
// GuardDuty off); its tests label only DeleteTrail. Each call, on the labelled true record, must be found.
const SECURITY_CONFIG_CALLS: [eventSource: string, eventName: string, requestParameters: Record<string, unknown>, rule: string][] = [
  ['s3.amazonaws.com', 'DeleteAccountPublicAccessBlock', {}, 'security-control-removed'],
  ['config.amazonaws.com', 'DeleteDeliveryChannel', { deliveryChannelName: 'default' }, 'monitoring-disabled'],
  ['guardduty.amazonaws.com', 'DeleteDetector', { detectorId: 'd-1' }, 'monitoring-disabled'],
  ['ec2.amazonaws.com', 'DeleteFlowLogs', { DeleteFlowLogsRequest: { FlowLogId: { tag: 1, content: 'fl-1' } } }, 'network-log-deletion'],
  ['events.amazonaws.com', 'DeleteRule', { name: 'guardduty-findings' }, 'security-control-removed'],
  ['cloudtrail.amazonaws.com', 'DeleteTrail', { name: 'example-trail' }, 'cloudtrail-tampering'],
  ['ec2.amazonaws.com', 'DisableEbsEncryptionByDefault', {}, 'security-control-removed'],
  ['events.amazonaws.com', 'DisableRule', { name: 'securityhub-to-slack' }, 'security-control-removed'],
  ['config.amazonaws.com', 'StopConfigurationRecorder', { configurationRecorderName: 'default' }, 'monitoring-disabled'],
  ['cloudtrail.amazonaws.com', 'StopLogging', { name: 'example-trail' }, 'cloudtrail-tampering'],
  ['guardduty.amazonaws.com', 'UpdateDetector', { detectorId: 'd-1', enable: false }, 'monitoring-disabled'],
];

describe("every call of Panther's security-configuration rule is found", () => {
  const [changed] = fixtureJson<{ tests: PantherCase[] }>('cloudtrail/panther.aws_security_configuration_change.tests.json').tests;
  it.each(SECURITY_CONFIG_CALLS)('%s %s -> %s', (eventSource, eventName, requestParameters, rule) => {
    const n = normalise('cloudtrail', { ...changed!.log, eventSource, eventName, requestParameters }, 0, 'panther/security-config.json');
    expect(n.ok).toBe(true);
    expect(ruleIds(analyse(n.ok ? [n.event] : []).run)).toEqual([rule]);
  });
});
