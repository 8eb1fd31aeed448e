// Tables of what a leaked key does first and what AWS says about it: account-discovery (SES probes, account and
// identity discovery, SES sending enabled), attack-tool-agent (offensive tooling in the user agent) and
// exposed-key-notice (AWS's quarantine policy). Records are shaped on the public Stratus Red Team and Panther ones;
// the values are ours.
import { accountDiscovery } from '../../../src/analysis/rules/account-discovery.js';
import { attackToolAgent } from '../../../src/analysis/rules/attack-tool-agent.js';
import { exposedKeyNotice } from '../../../src/analysis/rules/exposed-key-notice.js';
import { federationBackdoor } from '../../../src/analysis/rules/federation-backdoor.js';
import { instanceAccess } from '../../../src/analysis/rules/instance-access.js';
import { ACCOUNT, APP_ROLE, at, BASELINE, ct, MALLORY, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const ctx = { window: WINDOW, baseline: BASELINE };
const denied = { errorCode: 'AccessDenied', errorMessage: 'not authorized' };
const call = (eventSource: string, eventName: string, minutes = 0, over: Record<string, unknown> = {}) =>
  ct({ eventSource, eventName, eventTime: at(minutes), readOnly: true, ...over });
const ses = (eventName: string, minutes = 0, over: Record<string, unknown> = {}) => call('ses.amazonaws.com', eventName, minutes, over);
const SES_ENUM = ['GetAccountSendingEnabled', 'GetSendQuota', 'ListIdentities'];
const ENUM: [string, string][] = [
  ['sts.amazonaws.com', 'GetCallerIdentity'],
  ['s3.amazonaws.com', 'ListBuckets'],
  ['iam.amazonaws.com', 'GetAccountSummary'],
  ['iam.amazonaws.com', 'ListRoles'],
  ['iam.amazonaws.com', 'ListUsers'],
  ['iam.amazonaws.com', 'GetAccountAuthorizationDetails'],
  ['cloudtrail.amazonaws.com', 'DescribeTrails'],
  ['guardduty.amazonaws.com', 'ListDetectors'],
];
const enumerate = (over: Record<string, unknown> = {}, day?: string) =>
  ENUM.map(([src, name], i) => call(src, name, i, { ...over, ...(day ? { eventTime: at(i, day) } : {}) }));
const CONFIG_ROLE = {
  type: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSServiceRoleForConfig/config-session`,
  accountId: ACCOUNT,
  accessKeyId: 'ASIACONFIG0000000001',
  sessionContext: {
    sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig` },
  },
};

ruleTester(accountDiscovery, {
  valid: [
    { name: 'four distinct discovery calls (below five)', events: enumerate().slice(0, 4), ctx },
    {
      name: 'the audit role that enumerates every day, as in the baseline',
      events: [...enumerate({ userIdentity: APP_ROLE }, '2024-05-28'), ...enumerate({ userIdentity: APP_ROLE })],
      ctx,
    },
    { name: 'AWS Config’s service-linked role describing resources', events: enumerate({ userIdentity: CONFIG_ROLE }), ctx },
    {
      name: 'the mailer checking its quota as it did in the baseline',
      events: [ses('GetSendQuota', 0, { eventTime: at(0, '2024-05-29') }), ses('GetSendQuota')],
      ctx,
    },
    {
      name: 'SES sending turned off',
      events: [ses('UpdateAccountSendingEnabled', 0, { readOnly: false, requestParameters: { enabled: false } })],
      ctx,
    },
    {
      name: 'discovery calls spread over hours (outside the 30-minute window)',
      events: ENUM.map(([src, name], i) => call(src, name, i * 60)),
      ctx,
    },
  ],
  invalid: [
    {
      name: 'SES enumeration by a new actor: one finding with every probe',
      events: SES_ENUM.map((n, i) => ses(n, i)),
      ctx,
      findings: [
        {
          severity: 'medium',
          summary: /3 distinct SES sending-capability calls \(GetAccountSendingEnabled, GetSendQuota, ListIdentities\) from 203\.0\.113\.9/,
          eventCount: 3,
          actions: ['deactivate-access-key'],
        },
      ],
    },
    {
      name: 'account enumeration from an instance role session, no baseline: one step lower',
      events: enumerate({ userIdentity: APP_ROLE }),
      ctx: { window: WINDOW },
      findings: [
        {
          severity: 'low',
          summary: /8 distinct account and identity discovery calls .*no baseline/,
          eventCount: 8,
          actions: ['revoke-role-sessions'],
        },
      ],
    },
    {
      name: 'SES sending enabled and a sender verified',
      events: [
        ses('UpdateAccountSendingEnabled', 0, { readOnly: false, requestParameters: { enabled: true } }),
        ses('VerifyEmailIdentity', 1, { readOnly: false, requestParameters: { emailAddress: 'billing@example.net' } }),
      ],
      ctx,
      findings: [
        { severity: 'high', summary: /^SES sending enabled by .*mallory/ },
        { severity: 'high', summary: /SES sender e-mail identity verified: billing@example\.net/ },
      ],
    },
    {
      name: 'a denied production-access request is one step lower',
      events: [ses('PutAccountDetails', 0, { readOnly: false, ...denied })],
      ctx,
      findings: [{ severity: 'medium', summary: /production access requested .*attempt denied/ }],
    },
    {
      name: 'a lower threshold from params',
      events: enumerate().slice(0, 2),
      ctx,
      params: { distinctActions: 2 },
      findings: [{ summary: /2 distinct account and identity discovery calls/ }],
    },
  ],
});

const sts = (userAgent: string, eventName = 'GetCallerIdentity', over: Record<string, unknown> = {}) =>
  call('sts.amazonaws.com', eventName, 0, { userAgent, ...over });
ruleTester(attackToolAgent, {
  valid: [
    { name: 'the AWS CLI', events: [sts('aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.ubuntu.22')], ctx },
    { name: 'the console', events: [sts('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15')], ctx },
    {
      name: 'our own red team (an expected principal) runs Pacu',
      events: [sts('Boto3/1.34.0 Python/3.11 Linux/6.1 Botocore/1.34.0 Pacu')],
      ctx: { ...ctx, expected: { ips: new Set<string>(), principals: new Set([MALLORY.arn]) } },
    },
  ],
  invalid: [
    {
      name: 'TruffleHog validating a leaked key, then Kali: one finding for the actor',
      events: [
        sts('TruffleHog'),
        sts('aws-cli/1.22.34 Python/3.9.2 Linux/6.0.0-kali3-amd64 botocore/1.23.34', 'ListUsers', { eventSource: 'iam.amazonaws.com' }),
      ],
      ctx,
      findings: [
        {
          severity: 'high',
          summary: /made 2 call\(s\) with trufflehog, kali \(GetCallerIdentity, ListUsers\) from 203\.0\.113\.9/,
          eventCount: 2,
          actorKey: 'AKIAMALLORY000000001',
          actions: ['deactivate-access-key'],
        },
      ],
    },
    {
      name: 'a denied call with a tool agent still counts',
      events: [sts('trufflehog/3.63.0', 'GetCallerIdentity', denied)],
      ctx,
      findings: [{ eventCount: 1 }],
    },
  ],
});

const iam = (eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'iam.amazonaws.com', eventName, requestParameters, userAgent: 'AWS Internal', ...over });
ruleTester(exposedKeyNotice, {
  valid: [
    {
      name: 'another managed policy attached',
      events: [iam('AttachUserPolicy', { userName: 'ci', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })],
      ctx,
    },
    {
      name: 'a deny-all inline policy of our own',
      events: [iam('PutUserPolicy', { userName: 'ci', policyName: 'DenyAll', policyDocument: '{}' })],
      ctx,
    },
    { name: 'a PutUserPolicy recorded without parameters', events: [iam('PutUserPolicy', {})], ctx },
  ],
  invalid: [
    {
      name: 'AWS attaches the quarantine policy',
      events: [iam('AttachUserPolicy', { userName: 'ci-deployer', policyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2' })],
      ctx,
      findings: [
        {
          severity: 'critical',
          summary: /AWSCompromisedKeyQuarantineV2 to IAM user ci-deployer: an access key of ci-deployer was found exposed/,
          target: 'user/ci-deployer',
          actions: ['review'],
        },
      ],
    },
    {
      name: 'the quarantine as an inline policy',
      events: [iam('PutUserPolicy', { userName: 'ci-deployer', policyName: 'AWSCompromisedKeyQuarantineV3', policyDocument: '{}' })],
      ctx,
      findings: [{ severity: 'critical', summary: /AWSCompromisedKeyQuarantineV3/ }],
    },
    {
      name: 'the older exposed-credential inline policy',
      events: [iam('PutUserPolicy', { userName: 'ci-deployer', policyName: 'AWSExposedCredentialPolicy_DO_NOT_REMOVE', policyDocument: '{}' })],
      ctx,
      findings: [{ severity: 'critical', summary: /AWSExposedCredentialPolicy_DO_NOT_REMOVE/ }],
    },
  ],
});

// federation-backdoor's console sign-in tokens (the rest of its table is in identity-rules.test.ts).
const SSO_SESSION = {
  type: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123abcd/dana@example.com`,
  accountId: ACCOUNT,
  accessKeyId: 'ASIASSODANA000000002',
};
const signin = (userIdentity: typeof APP_ROLE | typeof SSO_SESSION, over: Record<string, unknown> = {}) =>
  ct({
    eventSource: 'signin.amazonaws.com',
    eventName: 'GetSigninToken',
    userIdentity,
    userAgent: 'python-requests/2.31.0',
    requestParameters: null,
    ...over,
  });
ruleTester(federationBackdoor, {
  valid: [{ name: 'the IAM Identity Center portal opening a console session', events: [signin(SSO_SESSION, { userAgent: 'Jersey/2.x' })], ctx }],
  invalid: [
    {
      name: 'a role session turned into a console session (aws_consoler)',
      events: [signin(APP_ROLE)],
      ctx,
      findings: [{ severity: 'high', summary: /Console sign-in token minted from API credentials/, actions: ['revoke-role-sessions', 'review'] }],
    },
  ],
});

// instance-access's user-data reads (the rest of its table is in instance-rules.test.ts).
const userData = (over: Record<string, unknown> = {}) =>
  ct({
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstanceAttribute',
    requestParameters: { instanceId: 'i-0abc', attribute: 'userData' },
    ...over,
  });
ruleTester(instanceAccess, {
  valid: [
    {
      name: 'another attribute described',
      events: [
        ct({
          eventSource: 'ec2.amazonaws.com',
          eventName: 'DescribeInstanceAttribute',
          requestParameters: { instanceId: 'i-0abc', attribute: 'instanceType' },
        }),
      ],
      ctx,
    },
    {
      name: 'the inventory role that reads user data daily, as in the baseline',
      events: [userData({ userIdentity: APP_ROLE, eventTime: at(0, '2024-05-28') }), userData({ userIdentity: APP_ROLE })],
      ctx,
    },
  ],
  invalid: [
    {
      name: 'user data read by a new actor',
      events: [userData()],
      ctx,
      findings: [
        { severity: 'medium', summary: /User data \(start-up code, often with secrets\) of i-0abc read by .*mallory, which did not do this/ },
      ],
    },
    {
      name: 'a denied read is one step lower',
      events: [userData({ errorCode: 'Client.UnauthorizedOperation' })],
      ctx,
      findings: [{ severity: 'low', summary: /attempt denied/ }],
    },
  ],
});
