// Table of the secrets bulk-retrieval rule (Secrets Manager and SSM SecureString parameters); the Stratus Red Team
// Secrets Manager detonation is read from the shared fixtures; the SSM records follow its detonation, values ours.
import type { CloudTrailRecord } from '../../../src/collect/parsers/cloudtrail.js';
import { secretsBulkRetrieval } from '../../../src/analysis/rules/secrets-bulk-retrieval.js';
import { ctEvent, fixtureJson } from '../helpers.js';
import { APP_ROLE, at, BASELINE, ct, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const stratus = fixtureJson<CloudTrailRecord[]>('cloudtrail/stratus.aws.credential-access.secretsmanager-batch-retrieve-secrets.json').map((r, i) =>
  ctEvent(r, 'stratus/secretsmanager-batch-retrieve-secrets.json', i),
);
const sm = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'secretsmanager.amazonaws.com', eventName, requestParameters, ...over });
const get = (id: string, minutes: number, over: Record<string, unknown> = {}) =>
  sm('GetSecretValue', { secretId: id }, { eventTime: at(minutes), ...over });
const gets = (n: number, spacingMinutes: number, over: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) => get(`prod/db-${i}`, i * spacingMinutes, over));
const ctx = { window: WINDOW, baseline: BASELINE };
const ssm = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'ssm.amazonaws.com', eventName, requestParameters, ...over });
const names = (from: number, n: number) => Array.from({ length: n }, (_, i) => `/app/prod/key-${from + i}`);

ruleTester(secretsBulkRetrieval, {
  valid: [
    { name: 'four distinct secrets read in the window (below the threshold of five)', events: gets(4, 1), ctx },
    { name: 'one secret read many times (an app polling its own secret)', events: Array.from({ length: 20 }, (_, i) => get('prod/db', i)), ctx },
    { name: 'five distinct secrets spread over five hours (slower than the window)', events: gets(5, 70), ctx },
    {
      name: 'secrets the actor already read in the baseline are its usual work',
      events: [...gets(5, 1, { eventTime: '2024-05-30T10:00:00Z' }), ...gets(5, 1)],
      ctx,
    },
    {
      name: 'an expected principal (declared in the config) is not flagged',
      events: gets(6, 1, { userIdentity: APP_ROLE }),
      ctx: { ...ctx, expected: { ips: new Set<string>(), principals: new Set([APP_ROLE.sessionContext.sessionIssuer.arn]) } },
    },
    {
      name: 'BatchGetSecretValue that failed for another reason (no such secret) is not judged',
      events: [sm('BatchGetSecretValue', { secretIdList: ['a', 'b'] }, { errorCode: 'ResourceNotFoundException' })],
      ctx,
    },
    {
      name: 'ListSecrets alone is enumeration, not retrieval',
      events: Array.from({ length: 6 }, (_, i) => sm('ListSecrets', null, { eventTime: at(i) })),
      ctx,
    },
    {
      name: 'SSM parameters read without decryption (SecureString values stay encrypted)',
      events: Array.from({ length: 3 }, (_, i) => ssm('GetParameters', { names: names(i * 10, 10) }, { eventTime: at(i) })),
      ctx,
    },
    {
      name: 'a config loader reading the path it read in the baseline, with decryption',
      events: [
        ssm('GetParametersByPath', { path: '/app/prod/', recursive: true, withDecryption: true }, { eventTime: '2024-05-30T10:00:00Z' }),
        ssm('GetParametersByPath', { path: '/app/prod/', recursive: true, withDecryption: true }),
      ],
      ctx,
    },
    {
      name: 'four SecureString parameters one by one (below the threshold)',
      events: names(0, 4).map((name, i) => ssm('GetParameter', { name, withDecryption: true }, { eventTime: at(i) })),
      ctx,
    },
    {
      name: 'the same call names on another service',
      events: [ct({ eventSource: 'ssm.amazonaws.com', eventName: 'BatchGetSecretValue', requestParameters: {} })],
      ctx,
    },
  ],
  invalid: [
    {
      name: 'Stratus: BatchGetSecretValue by tag filter, five calls, one finding for the actor',
      events: stratus,
      findings: [
        {
          severity: 'high',
          summary: /christophe retrieved secrets in bulk with 5 BatchGetSecretValue call\(s\), by filter tag-key=StratusRedTeam/,
          actorKey: 'AKIALK3Q0HKBKZJ2XBYP',
          eventCount: 5,
          actions: ['deactivate-access-key'],
        },
      ],
    },
    {
      name: 'five distinct new secrets within the hour, after ListSecrets: named, counted',
      events: [sm('ListSecrets', null, { eventTime: at(-1) }), ...gets(5, 2)],
      ctx,
      findings: [{ severity: 'high', summary: /5 named secret\(s\), after 1 ListSecrets call\(s\).*: prod\/db-0, prod\/db-1/, eventCount: 5 }],
    },
    {
      name: 'more secrets than the finding lists: it says how many more',
      events: gets(60, 0.1),
      ctx,
      findings: [{ summary: /prod\/db-9 and 50 more$/, eventCount: 60 }],
    },
    {
      name: 'a denied BatchGetSecretValue is reported one step lower',
      events: [sm('BatchGetSecretValue', { secretIdList: ['prod/a', 'prod/b'] }, { errorCode: 'AccessDeniedException' })],
      ctx,
      findings: [{ severity: 'medium', summary: /2 named secret\(s\) between .*: prod\/a, prod\/b \(attempt denied: AccessDeniedException\)/ }],
    },
    {
      name: 'SSM: DescribeParameters, then SecureString parameters by the ten with decryption: one finding for the actor',
      events: [
        ssm('DescribeParameters', { maxResults: 10 }, { eventTime: at(-1) }),
        ...Array.from({ length: 3 }, (_, i) => ssm('GetParameters', { names: names(i * 10, 10), withDecryption: true }, { eventTime: at(i) })),
      ],
      ctx,
      findings: [
        {
          severity: 'high',
          summary: /mallory retrieved 30 named secret\(s\), after 1 DescribeParameters call\(s\) between .*: \/app\/prod\/key-0, .* and 20 more$/,
          eventCount: 3,
          target: '/app/prod/key-0',
        },
      ],
    },
    {
      name: 'SSM: a path new to the actor read with decryption is a bulk read by itself',
      events: [ssm('GetParametersByPath', { path: '/', recursive: true, withDecryption: true })],
      ctx,
      findings: [
        {
          severity: 'high',
          summary: /retrieved SecureString parameters in bulk with 1 GetParametersByPath call\(s\), under \/ \(recursive\)/,
          target: 'path / (recursive)',
        },
      ],
    },
    {
      name: 'one actor across both stores: Secrets Manager and SSM reads count together',
      events: [...gets(3, 1), ...names(0, 2).map((name, i) => ssm('GetParameter', { name, withDecryption: true }, { eventTime: at(10 + i) }))],
      ctx,
      findings: [{ summary: /5 named secret\(s\) .*prod\/db-0, .*\/app\/prod\/key-1$/, eventCount: 5 }],
    },
    {
      name: 'a denied GetParametersByPath is one step lower',
      events: [ssm('GetParametersByPath', { path: '/prod', withDecryption: true }, { errorCode: 'AccessDeniedException' })],
      ctx,
      findings: [{ severity: 'medium', summary: /under \/prod .*\(attempt denied: AccessDeniedException\)$/ }],
    },
    {
      name: 'a lower threshold from the config',
      events: gets(3, 1),
      ctx,
      params: { distinctSecrets: 3 },
      findings: [{ eventCount: 3 }],
    },
  ],
});
