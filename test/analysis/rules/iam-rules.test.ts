// Tables of iam-backdoor (roles trusting outside accounts, new users) and access-denied-burst. The Stratus Red
// Team backdoor-role detonation is read from the shared fixtures.
import type { CloudTrailRecord } from '../../../src/collect/parsers/cloudtrail.js';
import { accessDeniedBurst } from '../../../src/analysis/rules/access-denied-burst.js';
import { iamBackdoor } from '../../../src/analysis/rules/backdoor-role.js';
import { ctEvent, fixtureJson } from '../helpers.js';
import { ACCOUNT, APP_ROLE, at, BASELINE, ct, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const ctx = { window: WINDOW, baseline: BASELINE };
const backdoor = () =>
  fixtureJson<CloudTrailRecord[]>('cloudtrail/stratus.aws.persistence.iam-create-backdoor-role.json').map((r, i) =>
    ctEvent(r, 'stratus/backdoor.json', i),
  );
const trust = (...principals: string[]) =>
  JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole' }] });
const iam = (eventName: string, requestParameters: Record<string, unknown>, minutes = 0, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'iam.amazonaws.com', eventName, eventTime: at(minutes), requestParameters, ...over });

ruleTester(iamBackdoor, {
  valid: [
    {
      name: 'Stratus backdoor role, when the trusted account is in the Organization',
      events: backdoor(),
      ctx: { knownAccounts: new Set(['193672423079']) },
    },
    {
      name: 'a role trusting its own account',
      events: [iam('CreateRole', { roleName: 'r', assumeRolePolicyDocument: trust(`arn:aws:iam::${ACCOUNT}:root`) })],
      ctx,
    },
    {
      name: 'a role trusting a service',
      events: [
        iam('CreateRole', {
          roleName: 'r',
          assumeRolePolicyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }] }),
        }),
      ],
      ctx,
    },
    {
      name: 'a user created before the window (baseline)',
      events: [iam('CreateUser', { userName: 'x' }, 0, { eventTime: at(0, '2024-05-30') })],
      ctx,
    },
    { name: 'a CreateUser that was denied created nothing', events: [iam('CreateUser', { userName: 'x' }, 0, { errorCode: 'AccessDenied' })], ctx },
  ],
  invalid: [
    {
      name: 'Stratus backdoor role: outside account and AdministratorAccess',
      events: backdoor(),
      findings: [
        {
          severity: 'critical',
          eventCount: 2,
          summary: /external account\(s\) 193672423079; then AttachRolePolicy/,
          actions: ['deactivate-access-key', 'restore-trust-policy', 'revoke-role-sessions'],
        },
      ],
    },
    {
      name: 'a trust policy opened to any principal',
      events: [
        iam('UpdateAssumeRolePolicy', { roleName: 'ops', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*' }] }) }),
      ],
      ctx,
      findings: [{ severity: 'critical', summary: /any AWS principal/ }],
    },
    {
      name: 'a new user, then its access key',
      events: [iam('CreateUser', { userName: 'svc-backup' }), iam('CreateAccessKey', { userName: 'svc-backup' }, 1)],
      ctx,
      findings: [{ severity: 'high', eventCount: 2, summary: /IAM user svc-backup was created .*then CreateAccessKey/ }],
    },
    {
      name: 'a follow-up filed before the creation in the same second',
      events: [
        iam('AttachUserPolicy', { userName: 'svc', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, 0),
        iam('CreateUser', { userName: 'svc' }, 0),
      ],
      ctx,
      findings: [{ severity: 'critical', eventCount: 2 }],
    },
    {
      name: 'a new user by a role session',
      events: [iam('CreateUser', { userName: 'x' }, 0, { userIdentity: APP_ROLE })],
      ctx,
      findings: [{ severity: 'medium', actorKey: APP_ROLE.arn, actions: ['revoke-role-sessions', 'review'] }],
    },
  ],
});

const denial = (i: number, minutesApart: number, arn = `arn:aws:iam::${ACCOUNT}:user/mallory`) =>
  ct({
    eventSource: 'iam.amazonaws.com',
    eventName: `List${i % 4}`,
    errorCode: i % 2 ? 'AccessDenied' : 'Client.UnauthorizedOperation',
    eventTime: at(i * minutesApart),
    userIdentity: { type: 'IAMUser', arn, accountId: ACCOUNT },
  });
ruleTester(accessDeniedBurst, {
  valid: [
    { name: 'nine denials', events: Array.from({ length: 9 }, (_, i) => denial(i, 0.5)) },
    { name: 'twelve denials spread over an hour', events: Array.from({ length: 12 }, (_, i) => denial(i, 5)) },
    { name: 'a trickle of denials all day (one every 4 minutes) never bursts', events: Array.from({ length: 300 }, (_, i) => denial(i, 4)) },
    {
      name: 'six denials each for two principals',
      events: [
        ...Array.from({ length: 6 }, (_, i) => denial(i, 0.5)),
        ...Array.from({ length: 6 }, (_, i) => denial(i, 0.5, `arn:aws:iam::${ACCOUNT}:user/other`)),
      ],
    },
    {
      name: 'twelve errors that are not authorisation failures',
      events: Array.from({ length: 12 }, (_, i) =>
        ct({ eventSource: 'iam.amazonaws.com', eventName: 'GetUser', errorCode: 'NoSuchEntity', eventTime: at(i * 0.5) }),
      ),
    },
  ],
  invalid: [
    {
      // Denials at 8 and 12 minutes still have 10 within 10 minutes; from 16 on the window holds fewer: the burst ended.
      name: 'a burst then a trickle (one denial every 4 minutes): the trickle is not part of the burst',
      events: [
        ...Array.from({ length: 12 }, (_, i) => denial(i, 0.5)),
        ...Array.from({ length: 100 }, (_, i) => denial(i, 4)).map((e, i) => ({ ...e, time: at(8 + i * 4) })),
      ],
      findings: [{ eventCount: 14 }],
    },
    {
      name: 'two bursts an hour apart are two findings',
      events: [
        ...Array.from({ length: 12 }, (_, i) => denial(i, 0.5)),
        ...Array.from({ length: 10 }, (_, i) => denial(i, 0.5)).map((e, i) => ({ ...e, time: at(60 + i * 0.5), requestId: `later-${i}` })),
      ],
      findings: [{ eventCount: 12 }, { eventCount: 10 }],
    },
    {
      name: 'twelve denials in six minutes',
      events: Array.from({ length: 12 }, (_, i) => denial(i, 0.5)),
      findings: [{ eventCount: 12, severity: 'medium', actorKey: `arn:aws:iam::${ACCOUNT}:user/mallory`, summary: /denied 12 times .*List0, List1/ }],
    },
    {
      name: 'a lower threshold from the config',
      events: Array.from({ length: 5 }, (_, i) => denial(i, 0.5)),
      params: { threshold: 5 },
      findings: [{ eventCount: 5 }],
    },
  ],
});
