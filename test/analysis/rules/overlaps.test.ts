// One finding per attacker step: steps two rules both describe come out as one finding (the primary of
// rules/overlaps.ts) carrying the other's evidence, actions and techniques.
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../src/analysis/event.js';
import { runRules } from '../../../src/analysis/engine.js';
import type { AnalysisContext } from '../../../src/analysis/rules/index.js';
import type { CloudTrailRecord } from '../../../src/collect/parsers/cloudtrail.js';
import { ctEvent, fixtureJson, ruleCtx } from '../helpers.js';
import { at, BASELINE, ct, inv, WINDOW } from './builders.js';

const ctx = (over: Partial<AnalysisContext> = {}) => ruleCtx({ window: WINDOW, baseline: BASELINE, ...over });
const iam = (eventName: string, requestParameters: Record<string, unknown>, minutes = 0, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'iam.amazonaws.com', eventName, eventTime: at(minutes), requestParameters, ...over });
const read = (eventSource: string, eventName: string, minutes: number) => ct({ eventSource, eventName, eventTime: at(minutes) });
const artifact = 's3://models/fraud/model.tar.gz';

const STEPS: Record<string, { events: () => TimelineEvent[]; ctx?: Partial<AnalysisContext>; rule: string; merged: string[] }> = {
  'Stratus backdoor role with AdministratorAccess': {
    events: () =>
      fixtureJson<CloudTrailRecord[]>('cloudtrail/stratus.aws.persistence.iam-create-backdoor-role.json').map((r, i) =>
        ctEvent(r, 'stratus/backdoor.json', i),
      ),
    ctx: { window: { start: '2024-08-01T00:00:00.000Z', end: '2024-08-02T00:00:00.000Z' }, baseline: null },
    rule: 'iam-backdoor',
    merged: ['iam-persistence'],
  },
  'a new user and an access key for it': {
    events: () => [
      iam('CreateUser', { userName: 'svc' }, 1),
      iam('CreateAccessKey', { userName: 'svc' }, 2, { responseElements: { accessKey: { accessKeyId: 'AKIANEWUSERKEY000001', userName: 'svc' } } }),
    ],
    rule: 'iam-backdoor',
    merged: ['iam-persistence'],
  },
  'LLMjacking enumeration after GetCallerIdentity': {
    events: () => [
      read('sts.amazonaws.com', 'GetCallerIdentity', 10),
      ...[
        'ListFoundationModels',
        'GetFoundationModelAvailability',
        'GetModelInvocationLoggingConfiguration',
        'ListInferenceProfiles',
        'ListCustomModels',
        'ListGuardrails',
        'ListAgents',
        'ListKnowledgeBases',
      ].map((a, i) => read('bedrock.amazonaws.com', a, 11 + i * 0.2)),
    ],
    rule: 'bedrock-model-access',
    merged: ['ai-recon-burst'],
  },
  'an artifact overwritten by an unusual writer, hash-confirmed, then deployed': {
    events: () => [
      ct({
        eventSource: 's3.amazonaws.com',
        eventName: 'PutObject',
        eventTime: at(20),
        requestParameters: { bucketName: 'models', key: 'fraud/model.tar.gz' },
      }),
      ct({
        eventSource: 'sagemaker.amazonaws.com',
        eventName: 'CreateModel',
        eventTime: at(25),
        requestParameters: { modelName: 'evil', primaryContainer: { modelDataUrl: artifact } },
      }),
    ],
    ctx: {
      modelArtifacts: {
        path: 'analysis/model-artifacts.json',
        baseline: 'b.txt',
        tampered: [{ uri: artifact, versionId: 'v2', sha256: 'b'.repeat(64), expectedSha256: 'a'.repeat(64), knownGoodVersionId: 'v1' }],
        missing: [],
        copies: {},
      },
    },
    rule: 'model-artifact-new-version',
    merged: ['model-artifact-replaced', 'sagemaker-model-changed'],
  },
  'a GPU training job by an actor new to jobs': {
    events: () => [
      ct({
        eventSource: 'sagemaker.amazonaws.com',
        eventName: 'CreateTrainingJob',
        eventTime: at(30),
        requestParameters: { trainingJobName: 'x', resourceConfig: { instanceType: 'ml.p4d.24xlarge', instanceCount: 4 } },
      }),
    ],
    rule: 'compute-abuse',
    merged: ['sagemaker-high-risk'],
  },
  'a key policy that hands key administration to an outside account and leaves the owner only its use': {
    events: () => [
      ct({
        eventSource: 'kms.amazonaws.com',
        eventName: 'PutKeyPolicy',
        eventTime: at(35),
        requestParameters: {
          keyId: 'arn:aws:kms:us-east-1:111122223333:key/k1',
          policyName: 'default',
          policy: JSON.stringify({
            Statement: [
              { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'kms:*', Resource: '*' },
              { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:Decrypt', Resource: '*' },
            ],
          }),
        },
      }),
    ],
    rule: 'kms-key-policy-lockout',
    merged: ['resource-shared-external'],
  },
  'token burn by a new invoker': {
    events: () => [
      inv({ timestamp: at(0, '2024-05-30'), identity: { arn: 'arn:aws:iam::111122223333:role/app' } }),
      ...Array.from({ length: 3 }, (_, i) => inv({ timestamp: at(40 + i), input: { inputTokenCount: 150_000 }, output: { outputTokenCount: 10 } })),
    ],
    rule: 'bedrock-new-invoker',
    merged: ['invocation-token-abuse'],
  },
};

describe('one finding per attacker step', () => {
  it.each(Object.entries(STEPS))('%s', (_name, step) => {
    const { findings, rules } = runRules(step.events(), ctx(step.ctx));
    expect(findings.map((f) => f.ruleId)).toEqual([step.rule]);
    expect(findings[0]!.mergedFrom).toEqual(step.merged);
    for (const id of step.merged) {
      expect(rules.find((r) => r.id === id)).toMatchObject({ findings: 0 });
      expect(rules.find((r) => r.id === id)!.merged).toBeGreaterThan(0);
      expect(findings[0]!.summary).toContain(`Same step (${id})`);
    }
  });

  it('the merged finding keeps the absorbed evidence, actions, techniques and the highest severity', () => {
    const s = STEPS['an artifact overwritten by an unusual writer, hash-confirmed, then deployed']!;
    const [f] = runRules(s.events(), ctx(s.ctx)).findings;
    expect(f!.severity).toBe('critical');
    expect(f!.evidence.map((r) => r.path)).toContain('analysis/model-artifacts.json');
    expect(f!.actions.map((a) => a.kind)).toContain('rollback-artifact-version');
    const key = runRules(STEPS['a new user and an access key for it']!.events(), ctx()).findings[0]!;
    expect(key.actions).toContainEqual(expect.objectContaining({ kind: 'deactivate-access-key', target: 'AKIANEWUSERKEY000001' }));
    const enumeration = runRules(STEPS['LLMjacking enumeration after GetCallerIdentity']!.events(), ctx()).findings[0]!;
    expect(enumeration.techniques).toEqual(expect.arrayContaining(['T1580', 'T1496', 'T1526', 'T1087.004']));
  });

  it('all the steps at once: no evidence record heads two findings', () => {
    const events = Object.values(STEPS).flatMap((s) => s.events());
    const { findings } = runRules(
      events,
      ctx({
        ...STEPS['an artifact overwritten by an unusual writer, hash-confirmed, then deployed']!.ctx,
        window: { start: WINDOW.start, end: '2024-08-02T00:00:00.000Z' },
      }),
    );
    const heads = findings.filter((f) => f.events[0]).map((f) => `${f.events[0]!.ref.path}#${f.events[0]!.ref.record ?? f.events[0]!.ref.line}`);
    expect(heads.length).toBeGreaterThanOrEqual(Object.keys(STEPS).length);
    expect(new Set(heads).size).toBe(heads.length);
  });

  it('steps that only look alike stay apart: a new user and an unrelated key for another user', () => {
    const { findings } = runRules([iam('CreateUser', { userName: 'svc' }, 1), iam('CreateAccessKey', { userName: 'bob' }, 2)], ctx());
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['iam-backdoor', 'iam-persistence']);
  });
});
