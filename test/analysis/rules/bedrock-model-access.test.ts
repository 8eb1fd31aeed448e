import { bedrockModelAccess } from '../../../src/analysis/rules/bedrock-model-access.js';
import { APP_ROLE, at, BASELINE, ct, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const ctx = { window: WINDOW, baseline: BASELINE };
const br = (eventName: string, minutes: number, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'bedrock.amazonaws.com', eventName, eventTime: at(minutes), ...over });
const probe = (minutes: number, errorCode: string, over: Record<string, unknown> = {}) =>
  br('InvokeModel', minutes, { errorCode, requestParameters: { modelId: 'anthropic.claude-3-sonnet-20240229-v1:0' }, ...over });
const enumeration = [
  br('GetModelInvocationLoggingConfiguration', 0),
  br('ListFoundationModels', 1),
  br('GetFoundationModelAvailability', 2, { requestParameters: { modelId: 'anthropic.claude-3-opus' } }),
];

ruleTester(bedrockModelAccess, {
  valid: [
    { name: 'one ListFoundationModels call', events: [br('ListFoundationModels', 0)], ctx },
    {
      name: 'enumeration by an actor that did it in the baseline',
      events: [br('ListFoundationModels', 0, { eventTime: at(0, '2024-05-30') }), ...enumeration],
      ctx,
    },
    { name: 'throttled invocations are not probes', events: [0, 1, 2].map((m) => probe(m, 'ThrottlingException')), ctx },
    {
      name: 'invocation errors by an application that had them in the baseline',
      events: [
        probe(0, 'ValidationException', { eventTime: at(0, '2024-05-30'), userIdentity: APP_ROLE }),
        ...[0, 1, 2].map((m) => probe(m, 'ValidationException', { userIdentity: APP_ROLE })),
      ],
      ctx,
    },
    { name: 'other Bedrock reads do not count', events: [br('GetGuardrail', 0), br('ListGuardrails', 1), br('ListAgents', 2)], ctx },
  ],
  invalid: [
    {
      name: 'enumeration by a new actor (LLMjacking check)',
      events: enumeration,
      ctx,
      findings: [
        {
          severity: 'medium',
          actorKey: 'AKIAMALLORY000000001',
          summary: /enumerated Bedrock model access \(3 calls/,
          actions: ['deactivate-access-key'],
        },
      ],
    },
    {
      name: 'enumeration then enabling model access',
      events: [
        ...enumeration,
        br('PutUseCaseForModelAccess', 3),
        br('CreateFoundationModelAgreement', 4, { requestParameters: { modelId: 'anthropic.claude-3-opus', offerToken: 'x' } }),
      ],
      ctx,
      findings: [
        { severity: 'high', summary: /requested model access: PutUseCaseForModelAccess, CreateFoundationModelAgreement/ },
        { severity: 'high', summary: /enumerated/ },
      ],
    },
    {
      name: 'invocations with invalid parameters probing which models a new key may use (ValidationException / AccessDenied)',
      events: [
        probe(0, 'ValidationException'),
        probe(1, 'AccessDeniedException', { requestParameters: { modelId: 'anthropic.claude-3-opus-20240229-v1:0' } }),
        probe(2, 'ValidationException', { eventName: 'Converse' }),
      ],
      ctx,
      findings: [
        {
          severity: 'medium',
          eventCount: 3,
          summary:
            /enumerated Bedrock model access \(3 calls: InvokeModel \(ValidationException\), InvokeModel \(AccessDeniedException\), Converse \(ValidationException\)\) \(1 denied\)/,
        },
      ],
    },
    {
      name: 'a denied entitlement request is still reported, lower',
      events: [br('PutFoundationModelEntitlement', 0, { errorCode: 'AccessDeniedException', userIdentity: APP_ROLE })],
      ctx,
      findings: [{ severity: 'medium', summary: /\(1 denied\)/, actorKey: APP_ROLE.arn }],
    },
  ],
});
