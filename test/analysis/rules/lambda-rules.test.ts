// Table of the lambda-backdoor rule: function code replaced, layers attached, public function URLs. Event names carry
// the API version as CloudTrail records them (UpdateFunctionCode20150331v2 ...), the request and response fields
// follow the public Stratus Red Team detonations; the values are ours.
import { lambdaBackdoor } from '../../../src/analysis/rules/lambda-backdoor.js';
import { ACCOUNT, APP_ROLE, at, BASELINE, ct, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const ctx = { window: WINDOW, baseline: BASELINE };
const FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders-api`;
const lambda = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'lambda.amazonaws.com', eventName, requestParameters, ...over });
const code = (over: Record<string, unknown> = {}) =>
  lambda('UpdateFunctionCode20150331v2', { functionName: FN, publish: false }, { responseElements: { functionArn: FN }, ...over });
const layers = (arns: string[], over: Record<string, unknown> = {}) =>
  lambda(
    'UpdateFunctionConfiguration20150331v2',
    { functionName: FN, layers: arns },
    { responseElements: { layers: arns.map((arn) => ({ arn })) }, ...over },
  );
const OWN_LAYER = `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:shared-libs:4`;
const OUTSIDE_LAYER = 'arn:aws:lambda:us-east-1:999988887777:layer:telemetry:1';
const SSO = {
  type: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_DevAdmin_0123abcd/dana`,
  accountId: ACCOUNT,
  accessKeyId: 'ASIASSODANA000000001',
  sessionContext: {
    sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DevAdmin_0123abcd` },
  },
};
const DEPLOYER = {
  type: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/pipeline`,
  accountId: ACCOUNT,
  accessKeyId: 'ASIADEPLOYER00000001',
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/deployer` } },
};

ruleTester(lambdaBackdoor, {
  valid: [
    { name: 'the pipeline role deploys code (no baseline to say otherwise)', events: [code({ userIdentity: DEPLOYER })], ctx: { window: WINDOW } },
    {
      name: 'the pipeline role deploys code, as it did in the baseline',
      events: [code({ userIdentity: DEPLOYER, eventTime: at(0, '2024-05-28') }), code({ userIdentity: DEPLOYER })],
      ctx,
    },
    {
      name: 'a configuration change without layers (memory size)',
      events: [lambda('UpdateFunctionConfiguration20150331v2', { functionName: FN, memorySize: 512 })],
      ctx,
    },
    {
      name: 'a function URL that requires IAM auth',
      events: [lambda('CreateFunctionUrlConfig20211031', { functionName: FN, authType: 'AWS_IAM' })],
      ctx,
    },
    {
      name: 'an expected principal changes code by hand',
      events: [code()],
      ctx: { ...ctx, expected: { ips: new Set<string>(), principals: new Set(['arn:aws:iam::111122223333:user/mallory']) } },
    },
    {
      name: 'CloudFormation (an AWS service) updates the function',
      events: [
        code({ userIdentity: { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' }, sourceIPAddress: 'cloudformation.amazonaws.com' }),
      ],
      ctx,
    },
    { name: 'a code update failing for another reason (no such function)', events: [code({ errorCode: 'ResourceNotFoundException' })], ctx },
    {
      name: 'a vendor layer from a trusted outside account, attached by the pipeline',
      events: [layers([OUTSIDE_LAYER], { userIdentity: DEPLOYER })],
      ctx: { window: WINDOW },
      params: { trustedLayerAccounts: ['999988887777'] },
    },
  ],
  invalid: [
    {
      name: 'an IAM user replaces the code by hand (no baseline)',
      events: [code()],
      ctx: { window: WINDOW },
      findings: [
        {
          severity: 'medium',
          summary: /Code of Lambda function .*orders-api replaced by .*mallory, by hand/,
          accessKeyIds: ['AKIAMALLORY000000001'],
        },
      ],
    },
    {
      name: 'an IAM Identity Center session replaces code it never touched in the baseline',
      events: [code({ userIdentity: DEPLOYER, eventTime: at(0, '2024-05-28') }), code({ userIdentity: SSO })],
      ctx,
      findings: [{ severity: 'high', summary: /not seen changing functions in the baseline/, actions: ['revoke-role-sessions', 'review'] }],
    },
    {
      name: 'a person who deploys by hand every week: still reported, lower',
      events: [code({ eventTime: at(0, '2024-05-28') }), code()],
      ctx,
      findings: [{ severity: 'low', summary: /in the baseline too/ }],
    },
    {
      name: 'a workload role that never deployed in the baseline replaces code',
      events: [code({ userIdentity: DEPLOYER, eventTime: at(0, '2024-05-28') }), code({ userIdentity: APP_ROLE })],
      ctx,
      findings: [{ severity: 'high', summary: /a role session not seen changing functions/, actorKey: APP_ROLE.arn }],
    },
    {
      name: 'a layer of an account outside the Organization, even from the pipeline role',
      events: [layers([OUTSIDE_LAYER], { userIdentity: DEPLOYER })],
      ctx: { window: WINDOW },
      findings: [{ severity: 'high', summary: /Layer of account 999988887777 \(outside the Organization\)/ }],
    },
    {
      name: 'an own-account layer attached by hand',
      events: [layers([OWN_LAYER])],
      ctx: { window: WINDOW },
      findings: [{ severity: 'medium', summary: /Layers attached to Lambda function .*shared-libs/ }],
    },
    {
      name: 'a public function URL',
      events: [lambda('CreateFunctionUrlConfig20211031', { functionName: FN, authType: 'NONE' }, { userIdentity: DEPLOYER })],
      ctx,
      findings: [{ severity: 'high', summary: /Public function URL \(AuthType NONE\)/ }],
    },
    {
      name: 'a denied code replacement is one step lower, with no restore step',
      events: [code({ errorCode: 'AccessDeniedException', errorMessage: 'not authorized' })],
      ctx: { window: WINDOW },
      findings: [{ severity: 'low', summary: /attempt denied/, actions: ['deactivate-access-key'] }],
    },
  ],
});
