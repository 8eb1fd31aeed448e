import { iamPersistence } from '../../../src/analysis/rules/iam-persistence.js';
import { reconBurst } from '../../../src/analysis/rules/recon-burst.js';
import { rootLoginFailures } from '../../../src/analysis/rules/root-login-failures.js';
import { consoleLoginWithoutMfa } from '../../../src/analysis/rules/console-login-without-mfa.js';
import { ACCOUNT, at, BASELINE, ct, ROOT, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const ctx = { window: WINDOW, baseline: BASELINE };
const trust = (principal: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });
const iam = (eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'iam.amazonaws.com', eventName, requestParameters, ...over });

ruleTester(iamPersistence, {
  valid: [
    {
      name: 'a read-only policy attached',
      events: [iam('AttachUserPolicy', { userName: 'bob', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })],
      ctx,
    },
    {
      name: 'a CreateAccessKey that failed for another reason',
      events: [iam('CreateAccessKey', { userName: 'bob' }, { errorCode: 'LimitExceeded' })],
      ctx,
    },
    {
      name: "a trust policy opened to an outside account is iam-backdoor's",
      events: [iam('UpdateAssumeRolePolicy', { roleName: 'ops', policyDocument: trust('arn:aws:iam::999988887777:root') })],
      ctx,
    },
    {
      name: 'a new policy version that is not made the default',
      events: [
        iam('CreatePolicyVersion', {
          policyArn: 'arn:aws:iam::111122223333:policy/app',
          setAsDefault: false,
          policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
        }),
      ],
      ctx,
    },
    {
      name: 'a new default policy version that grants little',
      events: [
        iam('CreatePolicyVersion', {
          policyArn: 'arn:aws:iam::111122223333:policy/app',
          setAsDefault: true,
          policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
        }),
      ],
      ctx,
    },
    { name: 'a change before the window', events: [iam('CreateLoginProfile', { userName: 'bob' }, { eventTime: at(0, '2024-05-30') })], ctx },
    {
      name: 'a service-specific credential that failed for another reason',
      events: [iam('CreateServiceSpecificCredential', { userName: 'mallory', serviceName: 'bedrock.amazonaws.com' }, { errorCode: 'LimitExceeded' })],
      ctx,
    },
  ],
  invalid: [
    {
      name: 'a long-term Bedrock API key for the calling user itself (LLMjacking persistence)',
      events: [
        iam(
          'CreateServiceSpecificCredential',
          { userName: 'mallory', serviceName: 'bedrock.amazonaws.com', credentialAgeDays: 30 },
          {
            responseElements: {
              serviceSpecificCredential: {
                serviceSpecificCredentialId: 'ACCAEXAMPLE000000001',
                serviceName: 'bedrock.amazonaws.com',
                userName: 'mallory',
                status: 'Active',
              },
            },
          },
        ),
      ],
      ctx,
      findings: [
        {
          severity: 'high',
          summary: /created a long-term Bedrock API key for itself \(mallory\)/,
          actions: ['deactivate-access-key', 'delete-service-credential'],
        },
      ],
    },
    {
      name: 'a CodeCommit credential for the calling user itself is medium',
      events: [iam('CreateServiceSpecificCredential', { userName: 'mallory', serviceName: 'codecommit.amazonaws.com' })],
      ctx,
      findings: [{ severity: 'medium', summary: /created a CodeCommit Git credential for itself/ }],
    },
    {
      name: 'a denied Bedrock API key for another user is one step lower',
      events: [iam('CreateServiceSpecificCredential', { userName: 'bob', serviceName: 'bedrock.amazonaws.com' }, { errorCode: 'AccessDenied' })],
      ctx,
      findings: [
        {
          severity: 'medium',
          summary: /created a long-term Bedrock API key for another user, bob \(attempt denied: /,
        },
      ],
    },
    {
      name: "another user's service-specific credential secret reset",
      events: [iam('ResetServiceSpecificCredential', { userName: 'bob', serviceSpecificCredentialId: 'ACCAEXAMPLE000000002' })],
      ctx,
      findings: [{ severity: 'high', summary: /reset the secret of a service-specific credential for another user, bob/ }],
    },
    {
      name: 'an access key for another user',
      events: [
        iam(
          'CreateAccessKey',
          { userName: 'bob' },
          { responseElements: { accessKey: { accessKeyId: 'AKIANEWKEY0000000001', userName: 'bob', status: 'Active' } } },
        ),
      ],
      ctx,
      findings: [
        {
          severity: 'high',
          summary: /created access key AKIANEWKEY0000000001 for another user, bob/,
          actions: ['deactivate-access-key', 'deactivate-access-key'],
        },
      ],
    },
    {
      name: 'an access key for root',
      events: [iam('CreateAccessKey', {}, { userIdentity: ROOT })],
      ctx,
      findings: [{ severity: 'critical', summary: /for the root user/ }],
    },
    {
      name: 'a console password for a user',
      events: [iam('CreateLoginProfile', { userName: 'bob' })],
      ctx,
      findings: [{ severity: 'high', actions: ['deactivate-access-key', 'delete-login-profile'] }],
    },
    {
      name: 'AdministratorAccess attached',
      events: [iam('AttachRolePolicy', { roleName: 'ci', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })],
      ctx,
      findings: [{ severity: 'critical', actions: ['deactivate-access-key', 'detach-policy'] }],
    },
    {
      name: 'a console password changed for another user',
      events: [iam('UpdateLoginProfile', { userName: 'alice' })],
      ctx,
      findings: [
        { severity: 'high', summary: /changed the console password of IAM user alice/, actions: ['deactivate-access-key', 'delete-login-profile'] },
      ],
    },
    {
      name: 'AdministratorAccess attached to a user',
      events: [iam('AttachUserPolicy', { userName: 'mallory', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })],
      ctx,
      findings: [{ severity: 'critical', summary: /gave user mallory administrator rights/ }],
    },
    {
      name: 'a trust policy changed within the account',
      events: [iam('UpdateAssumeRolePolicy', { roleName: 'ops', policyDocument: trust(`arn:aws:iam::${ACCOUNT}:user/mallory`) })],
      ctx,
      findings: [
        {
          severity: 'medium',
          summary: /trust policy of role ops \(now trusts 111122223333\)/,
          actions: ['deactivate-access-key', 'restore-trust-policy'],
        },
      ],
    },
    {
      name: 'a trust policy opened to another Organization account',
      events: [iam('UpdateAssumeRolePolicy', { roleName: 'ops', policyDocument: trust('arn:aws:iam::444455556666:root') })],
      ctx: { ...ctx, knownAccounts: new Set(['444455556666']) },
      findings: [{ summary: /now trusts 444455556666/ }],
    },
    {
      name: 'a new default policy version granting everything',
      events: [
        iam('CreatePolicyVersion', {
          policyArn: 'arn:aws:iam::111122223333:policy/app',
          setAsDefault: true,
          policyDocument: encodeURIComponent(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }] })),
        }),
      ],
      ctx,
      findings: [{ severity: 'critical', summary: /every holder of arn:aws:iam::111122223333:policy\/app/ }],
    },
    {
      name: 'a star-star inline policy, denied',
      events: [
        iam(
          'PutUserPolicy',
          { userName: 'mallory', policyName: 'p', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) },
          { errorCode: 'AccessDenied' },
        ),
      ],
      ctx,
      findings: [{ severity: 'high', summary: /attempt denied/ }],
    },
  ],
});

const login = (minutes: number, ok: boolean, ip = '198.51.100.3', day?: string) =>
  ct({
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    eventTime: at(minutes, day),
    userIdentity: ROOT,
    sourceIPAddress: ip,
    responseElements: { ConsoleLogin: ok ? 'Success' : 'Failure' },
    additionalEventData: { MFAUsed: 'No' },
    ...(ok ? {} : { errorMessage: 'Failed authentication' }),
  });
ruleTester(rootLoginFailures, {
  valid: [
    { name: 'two failures', events: [login(0, false), login(1, false)], ctx },
    { name: 'one failure every 14 minutes all day never bursts', events: Array.from({ length: 60 }, (_, i) => login(i * 14, false)), ctx },
  ],
  invalid: [
    {
      name: 'four failures in four minutes',
      events: [0, 1, 2, 3].map((m) => login(m, false)),
      ctx,
      findings: [{ eventCount: 4, severity: 'high', actions: ['review'] }],
    },
    // The failure at 10 minutes still makes 3 within 15; from 24 on the window holds fewer: the burst ended.
    {
      name: 'a burst, then a failure every 14 minutes: the burst ends',
      events: [...[0, 1, 2, 3].map((m) => login(m, false)), ...Array.from({ length: 20 }, (_, i) => login(10 + i * 14, false))],
      ctx,
      findings: [{ eventCount: 5 }],
    },
    {
      name: 'two bursts hours apart are two findings',
      events: [...[0, 1, 2, 3].map((m) => login(m, false)), ...[300, 301, 302].map((m) => login(m, false))],
      ctx,
      findings: [{ eventCount: 4 }, { eventCount: 3 }],
    },
  ],
});

ruleTester(consoleLoginWithoutMfa, {
  valid: [{ name: 'a failed sign-in is not a sign-in', events: [login(0, false)], ctx }],
  invalid: [
    {
      name: "root from the account's usual address is lower",
      events: [login(0, true, '198.51.100.3', '2024-05-30'), login(0, true)],
      ctx,
      findings: [
        {
          severity: 'medium',
          summary: /signed in to the console without MFA from 198\.51\.100\.3 \(an address this account signed in from before\)/,
        },
      ],
    },
    {
      name: 'root from a new address is critical',
      events: [login(0, true, '198.51.100.3', '2024-05-30'), login(0, true, '203.0.113.200')],
      ctx,
      findings: [{ severity: 'critical' }],
    },
  ],
});

const read = (eventSource: string, eventName: string, minutes: number, over: Record<string, unknown> = {}) =>
  ct({ eventSource, eventName, eventTime: at(minutes), ...over });
const burst = [
  read('sts.amazonaws.com', 'GetCallerIdentity', 0),
  ...['ListFoundationModels', 'ListCustomModels', 'ListGuardrails', 'GetModelInvocationLoggingConfiguration', 'ListProvisionedModelThroughputs'].map(
    (a, i) => read('bedrock.amazonaws.com', a, 1 + i * 0.2),
  ),
  ...['ListEndpoints', 'ListNotebookInstances', 'ListTrainingJobs'].map((a, i) => read('sagemaker.amazonaws.com', a, 2 + i * 0.2)),
];
ruleTester(reconBurst, {
  valid: [
    {
      name: 'the same burst by an actor and address seen in the baseline',
      events: [read('sts.amazonaws.com', 'GetCallerIdentity', 0, { eventTime: at(0, '2024-05-30') }), ...burst],
      ctx,
    },
    { name: 'too few distinct calls', events: burst.slice(0, 5), ctx },
    {
      name: 'the same calls as a trickle over the day (one every 20 minutes) never burst',
      events: [...burst.slice(1), ...burst.slice(1)].map((e, i) => ({ ...e, time: at(i * 20), requestId: `trickle-${i}` })),
      ctx: { window: WINDOW },
      notAssessed: /no baseline events/,
    },
  ],
  invalid: [
    {
      name: 'a new actor, starting with GetCallerIdentity',
      events: [read('sts.amazonaws.com', 'GetCallerIdentity', 0, { eventTime: at(0, '2024-05-30'), userIdentity: ROOT }), ...burst],
      ctx,
      findings: [{ severity: 'high', eventCount: 8, summary: /8 distinct.*made no call in the baseline; it started with GetCallerIdentity/ }],
    },
    {
      name: 'no baseline: reported low when it starts with GetCallerIdentity',
      events: burst,
      ctx: { window: WINDOW },
      notAssessed: /no baseline events/,
      findings: [{ severity: 'low' }],
    },
    {
      // The call at 9 minutes still has 8 distinct within 10 minutes; the one at 17 does not: the burst ended at 9.
      name: 'a burst, then the same calls every 8 minutes: the later calls are not part of it',
      events: [...burst, ...[...burst.slice(1), ...burst.slice(1)].map((e, i) => ({ ...e, time: at(9 + i * 8), requestId: `later-${i}` }))],
      ctx: { window: WINDOW },
      notAssessed: /no baseline events/,
      findings: [{ eventCount: 9, summary: /between 2024-06-01T10:01:00\.000Z and 2024-06-01T10:09:00Z/ }],
    },
  ],
});
