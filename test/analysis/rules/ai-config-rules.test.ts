// Tables of the rules on AI configuration: guardrails, SageMaker models and endpoints, the known-good artifact
// comparison, Bedrock agents. The SageMaker developer guide's published records are read from the shared fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TimelineEvent } from '../../../src/analysis/event.js';
import { fromCloudTrail } from '../../../src/analysis/normalize.js';
import { bedrockAgentChanged } from '../../../src/analysis/rules/bedrock-agent-changed.js';
import { bedrockGuardrailWeakened } from '../../../src/analysis/rules/bedrock-guardrail-weakened.js';
import { modelArtifactReplaced } from '../../../src/analysis/rules/model-artifact-replaced.js';
import { sagemakerModelChanged } from '../../../src/analysis/rules/sagemaker-model-changed.js';
import type { ModelArtifactsReport } from '../../../src/analysis/rules/index.js';
import { parseCloudTrailFile } from '../../../src/collect/parsers/cloudtrail.js';
import { PUBLIC } from '../helpers.js';
import { at, BASELINE, ct, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const ctx = { window: WINDOW, baseline: BASELINE };
const br = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'bedrock.amazonaws.com', eventName, requestParameters, ...over });

ruleTester(bedrockGuardrailWeakened, {
  valid: [
    { name: 'reading a guardrail', events: [br('GetGuardrail', { guardrailIdentifier: 'gr-1' })], ctx },
    {
      name: 'an update that failed validation',
      events: [br('UpdateGuardrail', { guardrailIdentifier: 'gr-1' }, { errorCode: 'ValidationException' })],
      ctx,
    },
  ],
  invalid: [
    {
      name: 'deleted',
      events: [br('DeleteGuardrail', { guardrailIdentifier: 'gr-1' })],
      ctx,
      findings: [{ severity: 'high', target: 'gr-1', summary: /Guardrail gr-1 was deleted/ }],
    },
    {
      name: 'prompt-attack filter set to NONE',
      events: [
        br('UpdateGuardrail', {
          guardrailIdentifier: 'gr-1',
          contentPolicyConfig: { filtersConfig: [{ type: 'PROMPT_ATTACK', inputStrength: 'NONE', outputStrength: 'NONE' }] },
        }),
      ],
      ctx,
      findings: [{ severity: 'high', summary: /PROMPT_ATTACK inputStrength=NONE/ }],
    },
    {
      name: 'a denied delete is still a signal, one step lower',
      events: [br('DeleteGuardrail', { guardrailIdentifier: 'gr-1' }, { errorCode: 'AccessDeniedException' })],
      ctx,
      findings: [{ severity: 'medium', summary: /attempt denied/ }],
    },
    {
      name: 'an update whose contents CloudTrail did not record is medium',
      events: [br('UpdateGuardrail', { guardrailIdentifier: 'gr-1' })],
      ctx,
      findings: [{ severity: 'medium', summary: /compare the new version/ }],
    },
  ],
});

const sm = (eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'sagemaker.amazonaws.com', eventName, requestParameters, ...over });
const guide = (): TimelineEvent[] =>
  parseCloudTrailFile(readFileSync(join(PUBLIC, 'cloudtrail/sagemaker-developer-guide-examples.Records.json')), 'sm').records.flatMap((r, i) => {
    const n = fromCloudTrail(r, { ref: { path: 'sm.json', record: i }, account: null, region: null });
    return n.ok ? [n.event] : [];
  });
ruleTester(sagemakerModelChanged, {
  valid: [
    {
      name: 'the published CreateEndpoint and CreateModel, outside the window',
      events: guide(),
      ctx: { window: { start: '2100-01-01T00:00:00.000Z', end: '2100-01-02T00:00:00.000Z' } },
    },
    { name: 'describe calls', events: [sm('DescribeEndpoint', { endpointName: 'fraud-ep' })], ctx },
    {
      name: 'a failed UpdateEndpoint changed nothing',
      events: [sm('UpdateEndpoint', { endpointName: 'fraud-ep', endpointConfigName: 'x' }, { errorCode: 'ValidationException' })],
      ctx,
    },
  ],
  invalid: [
    {
      name: 'the published CreateEndpoint and CreateModel records, in the window',
      events: guide(),
      findings: [{ summary: /Endpoint created/ }, { summary: /Model created/ }],
    },
    {
      name: 'an endpoint switched to another configuration is high',
      events: [sm('UpdateEndpoint', { endpointName: 'fraud-ep', endpointConfigName: 'evil' }, { eventTime: at(5) })],
      ctx,
      findings: [{ severity: 'high', target: 'fraud-ep' }],
    },
  ],
});

const report = (over: Partial<ModelArtifactsReport> = {}): ModelArtifactsReport => ({
  path: 'analysis/model-artifacts.json',
  baseline: 'baseline.txt',
  tampered: [],
  missing: [],
  copies: {},
  ...over,
});
const tampered = { uri: 's3://m/model.tar.gz', versionId: 'v2', sha256: 'b'.repeat(64), expectedSha256: 'a'.repeat(64), knownGoodVersionId: 'v1' };
ruleTester(modelArtifactReplaced, {
  valid: [
    { name: 'every artifact matches the baseline', events: [], ctx: { ...ctx, modelArtifacts: report() } },
    { name: 'no comparison collected: not assessed', events: [], ctx, notAssessed: /no model-artifact comparison/ },
    {
      name: 'hashed without a known-good file: not assessed',
      events: [],
      ctx: { ...ctx, modelArtifacts: report({ baseline: null }) },
      notAssessed: /no known-good baseline/,
    },
  ],
  invalid: [
    {
      name: 'a tampered artifact with its known-good version still present',
      events: [],
      ctx: {
        ...ctx,
        modelArtifacts: report({
          tampered: [tampered],
          copies: { 's3://m/model.tar.gz?versionId=v2': 'evidence/m@v2', 's3://m/model.tar.gz?versionId=v1': 'evidence/m@v1' },
        }),
      },
      findings: [
        {
          severity: 'critical',
          target: 's3://m/model.tar.gz',
          summary: /known-good bytes are still there as version v1/,
          actions: ['rollback-artifact-version'],
        },
      ],
    },
    {
      name: 'a tampered artifact with no known-good version',
      events: [],
      ctx: { ...ctx, modelArtifacts: report({ tampered: [{ ...tampered, knownGoodVersionId: null }] }) },
      findings: [{ severity: 'critical', actions: ['review'] }],
    },
    {
      name: 'a baseline artifact that is gone',
      events: [],
      ctx: { ...ctx, modelArtifacts: report({ missing: [{ uri: 's3://m/other.tar.gz', sha256: 'c'.repeat(64) }] }) },
      findings: [{ severity: 'medium', summary: /no current version was found/ }],
    },
  ],
});

const agent = (over: Record<string, unknown> = {}) =>
  JSON.parse(
    JSON.stringify({
      agentName: 'support',
      agentResourceRoleArn: 'arn:aws:iam::111122223333:role/agent',
      foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
      guardrailConfiguration: { guardrailIdentifier: 'gr-7', guardrailVersion: '2' },
      ...over,
    }),
  ) as Record<string, unknown>;
const flow = (guarded: boolean) => ({
  nodes: [
    { name: 'in', type: 'Input', configuration: { input: {} } },
    {
      name: 'answer',
      type: 'Prompt',
      configuration: {
        prompt: {
          sourceConfiguration: { resource: { promptArn: 'p' } },
          ...(guarded ? { guardrailConfiguration: { guardrailIdentifier: 'gr-flow', guardrailVersion: '1' } } : {}),
        },
      },
    },
  ],
});
const prompts = (preProcessing: string) => ({
  promptConfigurations: [{ promptType: 'PRE_PROCESSING', promptState: preProcessing, promptCreationMode: 'DEFAULT' }],
});
ruleTester(bedrockAgentChanged, {
  valid: [
    { name: 'reading an agent', events: [br('GetAgent', { agentId: 'A1' })], ctx },
    { name: 'a change before the window', events: [br('CreateAgentActionGroup', { agentId: 'A1' }, { eventTime: at(0, '2024-05-30') })], ctx },
    {
      name: 'an update that failed validation',
      events: [br('UpdateAgent', { agentId: 'A1', agentName: 'support' }, { errorCode: 'ValidationException' })],
      ctx,
    },
  ],
  invalid: [
    {
      name: 'an action group (tool) added is high',
      events: [br('CreateAgentActionGroup', { agentId: 'A1' })],
      ctx,
      findings: [{ severity: 'high', target: 'A1' }],
    },
    {
      name: 'a knowledge base associated',
      events: [br('AssociateAgentKnowledgeBase', { agentId: 'A1', knowledgeBaseId: 'KB1' })],
      ctx,
      findings: [{ severity: 'medium', summary: /AssociateAgentKnowledgeBase/ }],
    },
    {
      name: 'an update that drops the guardrail the agent was created with is high',
      events: [
        br('CreateAgent', agent(), { eventTime: at(0, '2024-05-28'), responseElements: { agent: { agentId: 'A1', agentName: 'support' } } }),
        br('UpdateAgent', agent({ agentId: 'A1', guardrailConfiguration: undefined })),
      ],
      ctx,
      findings: [
        {
          severity: 'high',
          summary: /UpdateAgent on A1 by .*: guardrail gr-7:2 detached, probably \(the update did not re-send it; confirm with GetAgent\)/,
        },
      ],
    },
    {
      name: 'an update that sends an empty guardrail detaches it for certain',
      events: [
        br('CreateAgent', agent(), { eventTime: at(0, '2024-05-28'), responseElements: { agent: { agentId: 'A1', agentName: 'support' } } }),
        br('UpdateAgent', agent({ agentId: 'A1', guardrailConfiguration: { guardrailIdentifier: '', guardrailVersion: '' } })),
      ],
      ctx,
      findings: [{ severity: 'high', summary: /guardrail gr-7:2 detached \(the update sent an empty guardrailConfiguration\)/ }],
    },
    {
      name: 'an update that keeps the guardrail is the usual medium, with nothing removed',
      events: [br('UpdateAgent', agent({ agentId: 'A1' }), { eventTime: at(0, '2024-05-28') }), br('UpdateAgent', agent({ agentId: 'A1' }))],
      ctx,
      findings: [{ severity: 'medium', summary: /^UpdateAgent on A1 by arn:aws:iam::111122223333:user\/mallory$/ }],
    },
    {
      name: 'an update of an agent never seen before without a guardrail says what that means',
      events: [br('UpdateAgent', agent({ agentId: 'A2', guardrailConfiguration: undefined }))],
      ctx,
      findings: [{ severity: 'medium', summary: /no guardrail in the new configuration/ }],
    },
    {
      name: 'pre-processing disabled and a parser Lambda installed by an update',
      events: [
        br('UpdateAgent', agent({ agentId: 'A1', promptOverrideConfiguration: prompts('ENABLED') }), { eventTime: at(0, '2024-05-28') }),
        br(
          'UpdateAgent',
          agent({
            agentId: 'A1',
            promptOverrideConfiguration: { ...prompts('DISABLED'), overrideLambda: 'arn:aws:lambda:us-east-1:111122223333:function:parse' },
          }),
        ),
      ],
      ctx,
      findings: [{ severity: 'high', summary: /PRE_PROCESSING prompt disabled; prompt parser Lambda arn:aws:lambda:.*:function:parse installed/ }],
    },
    {
      name: 'an action group whose Lambda is in an outside account is critical',
      events: [
        br('CreateAgentActionGroup', {
          agentId: 'A1',
          agentVersion: 'DRAFT',
          actionGroupName: 'tools',
          actionGroupExecutor: { lambda: 'arn:aws:lambda:us-east-1:999988887777:function:helper' },
        }),
      ],
      ctx,
      findings: [
        {
          severity: 'critical',
          summary: /calls arn:aws:lambda:us-east-1:999988887777:function:helper of account 999988887777, outside the Organization/,
        },
      ],
    },
    {
      name: 'a collaborator agent of an outside account',
      events: [
        br('AssociateAgentCollaborator', {
          agentId: 'A1',
          agentVersion: 'DRAFT',
          collaboratorName: 'helper',
          agentDescriptor: { aliasArn: 'arn:aws:bedrock:us-east-1:999988887777:agent-alias/X1/Y1' },
        }),
      ],
      ctx,
      findings: [{ severity: 'critical', summary: /AssociateAgentCollaborator .*agent-alias\/X1\/Y1 of account 999988887777/ }],
    },
    {
      name: 'a flow update that drops the guardrail of its prompt node is high',
      events: [
        br('CreateFlow', { name: 'f', definition: flow(true) }, { eventTime: at(0, '2024-05-28'), responseElements: { id: 'F1' } }),
        br('UpdateFlow', { flowIdentifier: 'F1', name: 'f', definition: flow(false) }),
      ],
      ctx,
      findings: [{ severity: 'high', summary: /UpdateFlow .*: guardrail\(s\) gr-flow removed from the flow's nodes/ }],
    },
    {
      name: 'an update whose definition CloudTrail did not record claims nothing removed',
      events: [
        br('CreateFlow', { name: 'f', definition: flow(true) }, { eventTime: at(0, '2024-05-28'), responseElements: { id: 'F1' } }),
        br('UpdateFlow', { flowIdentifier: 'F1', name: 'f', definition: 'HIDDEN_DUE_TO_SECURITY_REASONS' }),
        br('UpdateAgent', { agentId: 'A1' }, { eventTime: at(5) }),
      ],
      ctx,
      findings: [
        { severity: 'medium', summary: /^UpdateFlow on .* by arn:aws:iam::111122223333:user\/mallory$/ },
        { severity: 'medium', summary: /^UpdateAgent on A1 by arn:aws:iam::111122223333:user\/mallory$/ },
      ],
    },
    {
      name: 'a denied attempt to drop the guardrail is one step lower',
      events: [
        br('CreateAgent', agent({ agentId: 'A1' }), { eventTime: at(0, '2024-05-28') }),
        br('UpdateAgent', agent({ agentId: 'A1', guardrailConfiguration: undefined }), { errorCode: 'AccessDeniedException' }),
      ],
      ctx,
      findings: [{ severity: 'medium', summary: /guardrail gr-7:2 detached, probably .*\(attempt denied: AccessDeniedException\)/ }],
    },
  ],
});
