import { iamPersistence } from '../../../src/analysis/rules/iam-persistence.js';
import { reconBurst } from '../../../src/analysis/rules/recon-burst.js';
import { rootLoginFailures } from '../../../src/analysis/rules/root-login-failures.js';
import { consoleLoginWithoutMfa } from '../../../src/analysis/rules/console-login-without-mfa.js';
import { at, BASELINE, ct, ROOT, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const ctx = { window: WINDOW, baseline: BASELINE };
const iam = (eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) => ct({ eventSource: 'iam.amazonaws.com', eventName, requestParameters, ...over });

ruleTester(iamPersistence, {
  valid: [
    { name: 'a read-only policy attached', events: [iam('AttachUserPolicy', { userName: 'bob', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })], ctx },
    { name: 'a CreateAccessKey that failed for another reason', events: [iam('CreateAccessKey', { userName: 'bob' }, { errorCode: 'LimitExceeded' })], ctx },
  ],
  invalid: [
    { name: 'an access key for another user', events: [iam('CreateAccessKey', { userName: 'bob' }, { responseElements: { accessKey: { accessKeyId: 'AKIANEWKEY0000000001', userName: 'bob', status: 'Active' } } })], ctx, findings: [{ severity: 'high', summary: /created access key AKIANEWKEY0000000001 for another user, bob/, actions: ['deactivate-access-key', 'deactivate-access-key'] }] },
    { name: 'an access key for root', events: [iam('CreateAccessKey', {}, { userIdentity: ROOT })], ctx, findings: [{ severity: 'critical', summary: /for the root user/ }] },
    { name: 'a console password for a user', events: [iam('CreateLoginProfile', { userName: 'bob' })], ctx, findings: [{ severity: 'high', actions: ['deactivate-access-key', 'delete-login-profile'] }] },
    { name: 'AdministratorAccess attached', events: [iam('AttachRolePolicy', { roleName: 'ci', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })], ctx, findings: [{ severity: 'critical', actions: ['deactivate-access-key', 'detach-policy'] }] },
    { name: 'a star-star inline policy, denied', events: [iam('PutUserPolicy', { userName: 'mallory', policyName: 'p', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }, { errorCode: 'AccessDenied' })], ctx, findings: [{ severity: 'high', summary: /attempt denied/ }] },
  ],
});

const login = (minutes: number, ok: boolean, ip = '198.51.100.3', day?: string) =>
  ct({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventTime: at(minutes, day), userIdentity: ROOT, sourceIPAddress: ip, responseElements: { ConsoleLogin: ok ? 'Success' : 'Failure' }, additionalEventData: { MFAUsed: 'No' }, ...(ok ? {} : { errorMessage: 'Failed authentication' }) });
ruleTester(rootLoginFailures, {
  valid: [{ name: 'two failures', events: [login(0, false), login(1, false)], ctx }],
  invalid: [{ name: 'four failures in four minutes', events: [0, 1, 2, 3].map((m) => login(m, false)), ctx, findings: [{ eventCount: 4, severity: 'high', actions: ['review'] }] }],
});

ruleTester(consoleLoginWithoutMfa, {
  valid: [{ name: 'a failed sign-in is not a sign-in', events: [login(0, false)], ctx }],
  invalid: [
    { name: 'root from the account\'s usual address is lower', events: [login(0, true, '198.51.100.3', '2024-05-30'), login(0, true)], ctx, findings: [{ severity: 'medium', summary: /signed in to the console without MFA from 198\.51\.100\.3 \(an address this account signed in from before\)/ }] },
    { name: 'root from a new address is critical', events: [login(0, true, '198.51.100.3', '2024-05-30'), login(0, true, '203.0.113.200')], ctx, findings: [{ severity: 'critical' }] },
  ],
});

const read = (eventSource: string, eventName: string, minutes: number, over: Record<string, unknown> = {}) => ct({ eventSource, eventName, eventTime: at(minutes), ...over });
const burst = [
  read('sts.amazonaws.com', 'GetCallerIdentity', 0),
  ...['ListFoundationModels', 'ListCustomModels', 'ListGuardrails', 'GetModelInvocationLoggingConfiguration', 'ListProvisionedModelThroughputs'].map((a, i) => read('bedrock.amazonaws.com', a, 1 + i * 0.2)),
  ...['ListEndpoints', 'ListNotebookInstances', 'ListTrainingJobs'].map((a, i) => read('sagemaker.amazonaws.com', a, 2 + i * 0.2)),
];
ruleTester(reconBurst, {
  valid: [
    { name: 'the same burst by an actor and address seen in the baseline', events: [read('sts.amazonaws.com', 'GetCallerIdentity', 0, { eventTime: at(0, '2024-05-30') }), ...burst], ctx },
    { name: 'too few distinct calls', events: burst.slice(0, 5), ctx },
  ],
  invalid: [
    { name: 'a new actor, starting with GetCallerIdentity', events: [read('sts.amazonaws.com', 'GetCallerIdentity', 0, { eventTime: at(0, '2024-05-30'), userIdentity: ROOT }), ...burst], ctx, findings: [{ severity: 'high', eventCount: 8, summary: /8 distinct.*made no call in the baseline; it started with GetCallerIdentity/ }] },
    { name: 'no baseline: reported low when it starts with GetCallerIdentity', events: burst, ctx: { window: WINDOW }, notAssessed: /no baseline events/, findings: [{ severity: 'low' }] },
  ],
});
