// Each rule against labelled public fixtures (Panther tests, Stratus Red Team detonations) and our own
// positives and negatives.
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../src/analysis/event.js';
import { runRules } from '../../../src/analysis/engine.js';
import { fromBedrockInvocation, fromCloudTrail, fromS3AccessLog } from '../../../src/analysis/normalize.js';
import { RULES, type AnalysisContext, type Rule } from '../../../src/analysis/rules/index.js';
import { runRule } from './rule-tester.js';
import { accessDeniedBurst } from '../../../src/analysis/rules/access-denied-burst.js';
import { iamBackdoor, trustedAccounts } from '../../../src/analysis/rules/backdoor-role.js';
import { bedrockAgentChanged } from '../../../src/analysis/rules/bedrock-agent-changed.js';
import { bedrockGuardrailWeakened } from '../../../src/analysis/rules/bedrock-guardrail-weakened.js';
import { bedrockLoggingDisabled } from '../../../src/analysis/rules/bedrock-logging-disabled.js';
import { bedrockNewInvoker } from '../../../src/analysis/rules/bedrock-new-invoker.js';
import { cloudtrailTampering } from '../../../src/analysis/rules/cloudtrail-tampering.js';
import { consoleLoginWithoutMfa } from '../../../src/analysis/rules/console-login-without-mfa.js';
import { modelArtifactReplaced } from '../../../src/analysis/rules/model-artifact-replaced.js';
import { networkLogDeletion } from '../../../src/analysis/rules/network-log-deletion.js';
import { s3ExternalRead } from '../../../src/analysis/rules/s3-external-read.js';
import { s3CopyOutsideOrg } from '../../../src/analysis/rules/s3-copy-outside-org.js';
import { sagemakerModelChanged } from '../../../src/analysis/rules/sagemaker-model-changed.js';
import { parseS3AccessLog } from '../../../src/collect/parsers/s3-access-log.js';
import { parseCloudTrailFile, type CloudTrailRecord } from '../../../src/collect/parsers/cloudtrail.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ctEvent, fixtureJson, pantherCases, PUBLIC, ruleCtx } from '../helpers.js';

// Records that do not normalise (Panther's "Not S3 Service" case has no eventTime) give no event, hence no finding.
const events = (records: CloudTrailRecord[]): TimelineEvent[] =>
  records.flatMap((r, i) => {
    const n = fromCloudTrail(r, { ref: { path: 'f.json', record: i }, account: null, region: null });
    return n.ok ? [n.event] : [];
  });
const fire = (rule: Rule, records: CloudTrailRecord[], ctx: Partial<AnalysisContext> = {}) => runRule(rule, events(records), ctx).findings;
const stratus = (name: string) => fixtureJson<CloudTrailRecord[]>(`cloudtrail/stratus.${name}.json`);
const STRATUS_ALL = [
  'aws.credential-access.secretsmanager-batch-retrieve-secrets',
  'aws.defense-evasion.cloudtrail-delete',
  'aws.defense-evasion.cloudtrail-event-selectors',
  'aws.defense-evasion.cloudtrail-stop',
  'aws.defense-evasion.dns-delete-logs',
  'aws.defense-evasion.vpc-remove-flow-logs',
  'aws.initial-access.console-login-without-mfa',
  'aws.persistence.iam-create-backdoor-role',
];

const base = (over: Partial<CloudTrailRecord> & Record<string, unknown>): CloudTrailRecord => ({
  eventVersion: '1.09',
  eventTime: '2024-06-01T10:00:00Z',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.9',
  recipientAccountId: '111122223333',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333', accessKeyId: 'AKIAMALLORY' },
  ...over,
});

describe('Stratus Red Team detonations: each fires exactly the rule it exercises', () => {
  const expected: Record<string, string[]> = {
    'aws.credential-access.secretsmanager-batch-retrieve-secrets': ['secrets-bulk-retrieval'],
    'aws.defense-evasion.cloudtrail-delete': ['cloudtrail-tampering'],
    'aws.defense-evasion.cloudtrail-event-selectors': ['cloudtrail-tampering'],
    'aws.defense-evasion.cloudtrail-stop': ['cloudtrail-tampering'],
    'aws.defense-evasion.dns-delete-logs': ['network-log-deletion'],
    'aws.defense-evasion.vpc-remove-flow-logs': ['network-log-deletion'],
    'aws.initial-access.console-login-without-mfa': ['console-login-without-mfa'],
    // The detonation trusts an outside account and attaches AdministratorAccess: one backdoor, the attachment merged in.
    'aws.persistence.iam-create-backdoor-role': ['iam-backdoor'],
  };
  it.each(STRATUS_ALL)('%s', (name) => {
    const events = stratus(name).map((r, i) => ctEvent(r, `stratus/${name}.json`, i));
    const { findings } = runRules(events, ruleCtx());
    expect([...new Set(findings.map((f) => f.ruleId))].sort()).toEqual(expected[name]);
    for (const f of findings) expect(f.events[0]!.ref.path).toBe(`stratus/${name}.json`);
  });

  it('the backdoor role names the external account and the AdministratorAccess attachment', () => {
    const [f] = fire(iamBackdoor, stratus('aws.persistence.iam-create-backdoor-role'));
    expect(f!.summary).toMatch(/external account\(s\) 193672423079/);
    expect(f!.summary).toMatch(/AttachRolePolicy/);
    expect(f!.severity).toBe('critical');
    expect(f!.eventCount).toBe(2);
  });

  it('a trust to an account of the collection scope is not a backdoor', () => {
    expect(fire(iamBackdoor, stratus('aws.persistence.iam-create-backdoor-role'), { knownAccounts: new Set(['193672423079']) })).toEqual([]);
  });
});

describe('Panther labelled cases', () => {
  // Which of our rules carries the semantics of each Panther rule. Cases listed in `disagree` are where our
  // semantics deliberately differ (explained beside them).
  const map: { file: string; rule: Rule; ctx?: Partial<AnalysisContext>; disagree?: Record<string, string> }[] = [
    { file: 'panther.aws_cloudtrail_stopped.tests.json', rule: cloudtrailTampering },
    { file: 'panther.aws_cloudtrail_event_selectors_disabled.tests.json', rule: cloudtrailTampering },
    { file: 'panther.aws_security_configuration_change.tests.json', rule: cloudtrailTampering },
    { file: 'panther.aws_vpc_flow_logs_deleted.tests.json', rule: networkLogDeletion },
    { file: 'panther.aws_s3_copy_object_cross_account_kms.tests.json', rule: s3CopyOutsideOrg },
    // Panther flags S3 reads by external IPs through a VPC endpoint; ours flags external reads of AI buckets.
    { file: 'panther.aws_vpce_s3_external_ip.tests.json', rule: s3ExternalRead, ctx: { aiBuckets: new Set(['sensitive-data-bucket']) } },
    // Panther flags sensitive calls made through a VPC endpoint; UpdateTrail is one, and is tampering for us too.
    { file: 'panther.aws_vpce_sensitive_api_calls.tests.json', rule: cloudtrailTampering },
  ];
  for (const m of map) {
    describe(m.file, () => {
      it.each(pantherCases(m.file).map((c) => [c.name, c] as const))('%s', (_name, c) => {
        const got = fire(m.rule, [c.log], m.ctx).length > 0;
        expect(got).toBe(m.disagree?.[c.name] ? !c.expectedResult : c.expectedResult);
      });
    });
  }

  it("only the copy re-encrypted under an outside account's KMS key fires, and only s3-copy-outside-org", () => {
    for (const c of pantherCases('panther.aws_s3_copy_object_cross_account_kms.tests.json')) {
      const { findings } = runRules([ctEvent(c.log, 'p', 0)], ruleCtx());
      expect(findings.map((f) => f.ruleId)).toEqual(c.expectedResult ? ['s3-copy-outside-org'] : []);
    }
  });

  it('benign SageMaker ListTags by AWS Config and a Bedrock InvokeModel fire nothing', () => {
    const records = [
      fixtureJson<CloudTrailRecord>('cloudtrail/amazon-sagemaker-ListTags-by-config.json'),
      fixtureJson<CloudTrailRecord>('cloudtrail/amazon-bedrock-InvokeModel.json'),
    ];
    expect(
      runRules(
        records.map((r, i) => ctEvent(r, 'p', i)),
        ruleCtx(),
      ).findings,
    ).toEqual([]);
  });
});

describe('CloudTrail tampering (own cases)', () => {
  const ct = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
    base({ eventSource: 'cloudtrail.amazonaws.com', eventName, requestParameters, ...over });
  const cases: [string, Record<string, unknown>, boolean, Record<string, unknown>?][] = [
    ['StopLogging', { name: 't' }, true],
    ['StopLogging', { name: 't' }, true, { errorCode: 'AccessDenied' }],
    ['StartLogging', { name: 't' }, false],
    ['UpdateTrail', { name: 't', s3BucketName: 'attacker-bucket' }, true],
    ['PutEventSelectors', { trailName: 't', eventSelectors: [{ includeManagementEvents: true, readWriteType: 'WriteOnly' }] }, true],
    ['PutEventSelectors', { trailName: 't', eventSelectors: [] }, true],
    [
      'PutAdvancedEventSelectors',
      {
        trailName: 't',
        advancedEventSelectors: [
          {
            fieldSelectors: [
              { field: 'eventCategory', equals: ['Data'] },
              { field: 'resources.type', equals: ['AWS::S3::Object'] },
            ],
          },
        ],
      },
      true,
    ],
    [
      'PutAdvancedEventSelectors',
      {
        trailName: 't',
        advancedEventSelectors: [
          {
            fieldSelectors: [
              { field: 'eventCategory', equals: ['Management'] },
              { field: 'readOnly', equals: ['true'] },
            ],
          },
        ],
      },
      true,
    ],
    [
      'PutAdvancedEventSelectors',
      { trailName: 't', advancedEventSelectors: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }] },
      false,
    ],
  ];
  it.each(cases)('%s %j -> %s', (name, params, want, over = {}) => {
    expect(fire(cloudtrailTampering, [ct(name, params, over)]).length > 0).toBe(want);
  });
});

describe('Bedrock and SageMaker rules', () => {
  const br = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
    base({ eventSource: 'bedrock.amazonaws.com', eventName, requestParameters, ...over });
  it('logging deleted or reduced fires; a full configuration does not', () => {
    expect(fire(bedrockLoggingDisabled, [br('DeleteModelInvocationLoggingConfiguration', null)])).toHaveLength(1);
    expect(
      fire(bedrockLoggingDisabled, [br('PutModelInvocationLoggingConfiguration', { loggingConfig: { textDataDeliveryEnabled: true } })])[0]!.summary,
    ).toMatch(/no S3 or CloudWatch destination/);
    expect(
      fire(bedrockLoggingDisabled, [
        br('PutModelInvocationLoggingConfiguration', { loggingConfig: { s3Config: { bucketName: 'b' }, textDataDeliveryEnabled: false } }),
      ])[0]!.summary,
    ).toMatch(/text data delivery/);
    expect(
      fire(bedrockLoggingDisabled, [
        br('PutModelInvocationLoggingConfiguration', { loggingConfig: { s3Config: { bucketName: 'b' }, textDataDeliveryEnabled: true } }),
      ]),
    ).toEqual([]);
    // A denied attempt is still a signal, one step lower.
    expect(
      fire(bedrockLoggingDisabled, [br('DeleteModelInvocationLoggingConfiguration', null, { errorCode: 'AccessDeniedException' })])[0],
    ).toMatchObject({ severity: 'medium' });
  });

  it('guardrail deleted (high), weakened (high), updated without detail (medium)', () => {
    expect(fire(bedrockGuardrailWeakened, [br('DeleteGuardrail', { guardrailIdentifier: 'gr-1' })])[0]).toMatchObject({
      severity: 'high',
      target: 'gr-1',
    });
    const weak = fire(bedrockGuardrailWeakened, [
      br('UpdateGuardrail', {
        guardrailIdentifier: 'gr-1',
        contentPolicyConfig: { filtersConfig: [{ type: 'PROMPT_ATTACK', inputStrength: 'NONE', outputStrength: 'NONE' }] },
      }),
    ]);
    expect(weak[0]).toMatchObject({ severity: 'high' });
    expect(weak[0]!.summary).toMatch(/PROMPT_ATTACK inputStrength=NONE/);
    expect(fire(bedrockGuardrailWeakened, [br('UpdateGuardrail', { guardrailIdentifier: 'gr-1' })])[0]).toMatchObject({ severity: 'medium' });
    expect(fire(bedrockGuardrailWeakened, [br('GetGuardrail', { guardrailIdentifier: 'gr-1' })])).toEqual([]);
  });

  it('SageMaker changes in the window fire (published CreateEndpoint/CreateModel examples); outside the window they do not', () => {
    const { records } = parseCloudTrailFile(readFileSync(join(PUBLIC, 'cloudtrail/sagemaker-developer-guide-examples.Records.json')), 'sm');
    expect(
      fire(sagemakerModelChanged, records)
        .map((f) => f.events[0]!.action)
        .sort(),
    ).toEqual(['CreateEndpoint', 'CreateModel']);
    expect(fire(sagemakerModelChanged, records, { window: { start: '2100-01-01T00:00:00.000Z', end: '2100-01-02T00:00:00.000Z' } })).toEqual([]);
    const update = fire(sagemakerModelChanged, [
      base({
        eventSource: 'sagemaker.amazonaws.com',
        eventName: 'UpdateEndpoint',
        requestParameters: { endpointName: 'fraud-ep', endpointConfigName: 'evil' },
      }),
    ]);
    expect(update[0]).toMatchObject({ severity: 'high', target: 'fraud-ep' });
  });

  it('agent action groups added', () => {
    expect(fire(bedrockAgentChanged, [br('CreateAgentActionGroup', { agentId: 'A1' })])[0]).toMatchObject({ severity: 'high', target: 'A1' });
    expect(fire(bedrockAgentChanged, [br('GetAgent', { agentId: 'A1' })])).toEqual([]);
  });

  it('model artifact replaced: from the baseline comparison, with the object copies as evidence', () => {
    const ctx = {
      modelArtifacts: {
        path: 'analysis/model-artifacts.json',
        baseline: 'baseline.txt',
        tampered: [{ uri: 's3://m/model.tar.gz', versionId: 'v2', sha256: 'b'.repeat(64), expectedSha256: 'a'.repeat(64), knownGoodVersionId: 'v1' }],
        missing: [],
        copies: {
          's3://m/model.tar.gz?versionId=v2': 'evidence/1/r/model-artifacts/objects/m/model.tar.gz@v2',
          's3://m/model.tar.gz?versionId=v1': 'evidence/1/r/model-artifacts/objects/m/model.tar.gz@v1',
        },
      },
    };
    const [f] = runRule(modelArtifactReplaced, [], ctx).findings;
    expect(f).toMatchObject({ severity: 'critical', target: 's3://m/model.tar.gz' });
    expect(f!.evidence.map((r) => r.path)).toEqual([
      'analysis/model-artifacts.json',
      'evidence/1/r/model-artifacts/objects/m/model.tar.gz@v2',
      'evidence/1/r/model-artifacts/objects/m/model.tar.gz@v1',
    ]);
    expect(f!.actions).toEqual([
      {
        kind: 'rollback-artifact-version',
        target: 's3://m/model.tar.gz?versionId=v1',
        text: expect.stringMatching(/Restore version v1 of s3:\/\/m\/model\.tar\.gz/),
      },
    ]);
    expect(runRule(modelArtifactReplaced, [])).toEqual({ findings: [], notAssessed: expect.stringMatching(/no model-artifact comparison/) });
  });
});

describe('access rules', () => {
  it('console login: IAM user without MFA fires; with MFA, failed, or federated does not', () => {
    const [r] = stratus('aws.initial-access.console-login-without-mfa');
    expect(fire(consoleLoginWithoutMfa, [r!])[0]!.summary).toMatch(/without MFA from 225\.1\.0\.16/);
    expect(fire(consoleLoginWithoutMfa, [{ ...r!, additionalEventData: { MFAUsed: 'Yes' } }])).toEqual([]);
    expect(fire(consoleLoginWithoutMfa, [{ ...r!, responseElements: { ConsoleLogin: 'Failure' }, errorMessage: 'Failed authentication' }])).toEqual(
      [],
    );
    expect(fire(consoleLoginWithoutMfa, [{ ...r!, userIdentity: { ...r!.userIdentity, type: 'AssumedRole' } }])).toEqual([]);
  });

  it('trust policy parsing: URL-encoded documents, * principals, same-account', () => {
    expect(
      trustedAccounts(
        encodeURIComponent(
          JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::999988887777:root', '111122223333'] } }] }),
        ),
      ),
    ).toEqual(['111122223333', '999988887777']);
    expect(trustedAccounts({ Statement: { Effect: 'Allow', Principal: '*' } })).toEqual(['*']);
    expect(trustedAccounts({ Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }] })).toEqual([]);
    const sameAccount = base({
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateRole',
      requestParameters: {
        roleName: 'r',
        assumeRolePolicyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' } }] }),
      },
    });
    expect(fire(iamBackdoor, [sameAccount])).toEqual([]);
  });

  it('new IAM user with an access key', () => {
    const events = [
      base({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', requestParameters: { userName: 'svc-backup' } }),
      base({
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateAccessKey',
        eventTime: '2024-06-01T10:01:00Z',
        requestParameters: { userName: 'svc-backup' },
      }),
    ];
    expect(fire(iamBackdoor, events)[0]).toMatchObject({ severity: 'high', eventCount: 2 });
  });

  it('access-denied burst: 10 denials in 10 minutes by one principal fire; 9, or spread out, do not', () => {
    const denial = (i: number, minutesApart: number, arn = 'arn:aws:iam::111122223333:user/mallory') =>
      base({
        eventSource: 'iam.amazonaws.com',
        eventName: `List${i}`,
        errorCode: i % 2 ? 'AccessDenied' : 'Client.UnauthorizedOperation',
        eventTime: new Date(Date.UTC(2024, 5, 1, 10) + i * minutesApart * 60_000).toISOString(),
        userIdentity: { type: 'IAMUser', arn },
      });
    expect(
      fire(
        accessDeniedBurst,
        Array.from({ length: 12 }, (_, i) => denial(i, 0.5)),
      )[0],
    ).toMatchObject({ eventCount: 12, actor: 'arn:aws:iam::111122223333:user/mallory' });
    expect(
      fire(
        accessDeniedBurst,
        Array.from({ length: 9 }, (_, i) => denial(i, 0.5)),
      ),
    ).toEqual([]);
    expect(
      fire(
        accessDeniedBurst,
        Array.from({ length: 12 }, (_, i) => denial(i, 5)),
      ),
    ).toEqual([]);
    expect(
      fire(accessDeniedBurst, [
        ...Array.from({ length: 6 }, (_, i) => denial(i, 0.5)),
        ...Array.from({ length: 6 }, (_, i) => denial(i, 0.5, 'arn:aws:iam::111122223333:user/other')),
      ]),
    ).toEqual([]);
  });
});

describe('invocation and data rules', () => {
  const inv = (time: string, arn: string): TimelineEvent => {
    const n = fromBedrockInvocation(
      { timestamp: time, accountId: '111122223333', region: 'us-east-1', operation: 'InvokeModel', modelId: 'm', identity: { arn } },
      { ref: { path: 'b', line: 1 }, account: null, region: null },
    );
    if (!n.ok) throw new Error(n.reason);
    return n.event;
  };
  const window = { start: '2024-06-01T00:00:00.000Z', end: '2024-06-02T00:00:00.000Z' };

  it('a principal with no invocation before the window fires; a known one does not', () => {
    const events = [
      inv('2024-05-31T12:00:00Z', 'arn:aws:iam::1:role/app'),
      inv('2024-06-01T01:00:00Z', 'arn:aws:iam::1:role/app'),
      inv('2024-06-01T02:00:00Z', 'arn:aws:iam::1:user/leaked'),
      inv('2024-06-01T03:00:00Z', 'arn:aws:iam::1:user/leaked'),
    ];
    const found = runRule(bedrockNewInvoker, events, { window }).findings;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ actor: 'arn:aws:iam::1:user/leaked', eventCount: 2 });
  });

  it('without history before the window it says so instead of guessing', () => {
    const events = [inv('2024-06-01T02:00:00Z', 'arn:aws:iam::1:user/leaked')];
    expect(runRule(bedrockNewInvoker, events, { window })).toEqual({
      findings: [],
      notAssessed: expect.stringMatching(/no Bedrock invocation records from before the window/),
    });
  });

  it('S3 access-log reads of an AI bucket from a new public IP fire; private, expected, known or other buckets do not', () => {
    const line = (ip: string, bucket: string, day: string) =>
      `79a5 ${bucket} [${day}/2024:10:00:00 +0000] ${ip} arn:aws:iam::1:user/u REQ-${ip}-${bucket}-${day} REST.GET.OBJECT data/train.csv "GET /${bucket}/data/train.csv HTTP/1.1" 200 - 100 100 1 1 "-" "curl" - hid SigV4 ECDHE AuthHeader ${bucket}.s3.amazonaws.com TLSv1.2 - -`;
    const ev = (l: string): TimelineEvent => {
      const n = fromS3AccessLog(parseS3AccessLog(l).records[0]!, { ref: { path: 'a', line: 1 }, account: null, region: null });
      if (!n.ok) throw new Error(n.reason);
      return n.event;
    };
    const ctx = { window, aiBuckets: new Set(['training']), expected: { ips: new Set(['192.0.2.50']), principals: new Set<string>() } };
    const events = [
      ev(line('203.0.113.7', 'training', '31/May')),
      ev(line('203.0.113.7', 'training', '01/Jun')),
      ev(line('198.51.100.23', 'training', '01/Jun')),
      ev(line('10.1.2.3', 'training', '01/Jun')),
      ev(line('192.0.2.50', 'training', '01/Jun')),
      ev(line('198.51.100.23', 'other', '01/Jun')),
    ];
    const found = runRule(s3ExternalRead, events, ctx).findings;
    expect(found.map((f) => f.summary)).toEqual(['1 object read(s) from s3://training by external IP 198.51.100.23 as arn:aws:iam::1:user/u']);
  });
});

it('every rule has complete metadata and a unique id', () => {
  const ids = RULES.map((r) => r.meta.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const r of RULES) {
    expect(r.meta.title.length).toBeGreaterThan(10);
    expect(r.meta.rationale.length).toBeGreaterThan(40);
  }
});
