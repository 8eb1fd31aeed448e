import { bedrockNewInvoker } from '../../../src/analysis/rules/bedrock-new-invoker.js';
import { APP_ROLE, at, BASELINE, ct, inv, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const ctx = { window: WINDOW, baseline: BASELINE };
const app = { arn: APP_ROLE.arn };
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const usual = [inv({ timestamp: at(0, '2024-05-30'), identity: app }), inv({ timestamp: at(60, '2024-05-30'), identity: app })];
const invokeCt = (over: Record<string, unknown>) =>
  ct({ eventSource: 'bedrock.amazonaws.com', eventName: 'InvokeModel', requestParameters: { modelId: HAIKU }, ...over });

ruleTester(bedrockNewInvoker, {
  valid: [
    { name: 'the usual application on the usual model and region', events: [...usual, inv({ timestamp: at(5), identity: app })], ctx },
    {
      name: 'a new invoker listed as expected',
      events: [...usual, inv({ timestamp: at(5) })],
      ctx: { ...ctx, expected: { ips: new Set<string>(), principals: new Set(['arn:aws:iam::111122223333:user/mallory']) } },
    },
    {
      name: 'no baseline invocations: not assessed',
      events: [inv({ timestamp: at(5) })],
      ctx,
      notAssessed: /no Bedrock invocation records from before the window/,
    },
  ],
  invalid: [
    {
      name: 'a leaked key invoking a new model in a new region (LLMjacking)',
      events: [
        ...usual,
        invokeCt({ eventTime: at(5), awsRegion: 'eu-west-3', requestParameters: { modelId: 'anthropic.claude-3-opus-20240229-v1:0' } }),
      ],
      ctx,
      findings: [
        {
          severity: 'critical',
          actorKey: 'AKIAMALLORY000000001',
          accessKeyIds: ['AKIAMALLORY000000001'],
          summary: /made no invocation in the baseline.*claude-3-opus.*eu-west-3/,
          actions: ['deactivate-access-key'],
        },
      ],
    },
    {
      name: 'one request seen in CloudTrail and in the invocation log counts once',
      events: [...usual, invokeCt({ eventTime: at(5), requestID: 'same-req' }), inv({ timestamp: at(5), requestId: 'same-req' })],
      ctx,
      findings: [{ eventCount: 1 }],
    },
    {
      name: 'the usual application from a new IP',
      events: [
        ct({
          eventSource: 'bedrock.amazonaws.com',
          eventName: 'InvokeModel',
          eventTime: at(0, '2024-05-30'),
          userIdentity: APP_ROLE,
          sourceIPAddress: '10.0.0.5',
          requestParameters: { modelId: HAIKU },
        }),
        ct({
          eventSource: 'bedrock.amazonaws.com',
          eventName: 'Converse',
          eventTime: at(5),
          userIdentity: APP_ROLE,
          sourceIPAddress: '198.51.100.77',
          requestParameters: { modelId: HAIKU },
        }),
      ],
      ctx,
      findings: [{ severity: 'medium', actorKey: APP_ROLE.arn, summary: /new IP\(s\) 198\.51\.100\.77/, actions: ['revoke-role-sessions'] }],
    },
    {
      name: 'the usual application at a rate far above its baseline',
      events: [...usual, ...Array.from({ length: 120 }, (_, i) => inv({ timestamp: at(i * 0.25), identity: app }))],
      ctx,
      findings: [{ eventCount: 120, summary: /120 in the hour from 2024-06-01T10:00Z, \d+× its baseline hourly average/ }],
    },
  ],
});
