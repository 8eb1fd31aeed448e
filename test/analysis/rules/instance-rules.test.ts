// Table of the instance-access rule: Windows passwords, user data, EC2 Instance Connect and serial-console keys, SSM
// commands and sessions. requestParameters follow what CloudTrail records for each call (as the public Stratus Red
// Team detonations show them); the values are ours.
import { instanceAccess } from '../../../src/analysis/rules/instance-access.js';
import { APP_ROLE, at, BASELINE, ct, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const ctx = { window: WINDOW, baseline: BASELINE };
const call = (eventSource: string, eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  ct({ eventSource, eventName, requestParameters, ...over });
const ec2 = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  call('ec2.amazonaws.com', eventName, requestParameters, over);
const eic = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  call('ec2-instance-connect.amazonaws.com', eventName, requestParameters, over);
const ssm = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  call('ssm.amazonaws.com', eventName, requestParameters, over);
const shell = (over: Record<string, unknown> = {}) =>
  ssm(
    'SendCommand',
    { documentName: 'AWS-RunShellScript', instanceIds: ['i-0aaa', 'i-0bbb'], interactive: false, parameters: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
    over,
  );
const PATCHER = {
  type: 'AssumedRole',
  arn: 'arn:aws:sts::111122223333:assumed-role/patcher/run',
  accountId: '111122223333',
  accessKeyId: 'ASIAPATCHER000000001',
  sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/patcher' } },
};
const expected = { ips: new Set<string>(), principals: new Set([APP_ROLE.sessionContext.sessionIssuer.arn]) };

ruleTester(instanceAccess, {
  valid: [
    {
      name: 'an instance attribute other than user data changed',
      events: [ec2('ModifyInstanceAttribute', { instanceId: 'i-1', disableApiTermination: { value: true } })],
      ctx,
    },
    { name: 'describing instances', events: [ec2('DescribeInstances', { instancesSet: {} })], ctx },
    {
      name: 'the patching role runs its usual commands (it did in the baseline)',
      events: [shell({ userIdentity: PATCHER, eventTime: at(0, '2024-05-28') }), shell({ userIdentity: PATCHER })],
      ctx,
    },
    {
      name: 'an expected principal opens a session',
      events: [ssm('StartSession', { target: 'i-1' }, { userIdentity: APP_ROLE })],
      ctx: { ...ctx, expected },
    },
    {
      name: 'State Manager (an AWS service) sends the command',
      events: [shell({ userIdentity: { type: 'AWSService', invokedBy: 'ssm.amazonaws.com' }, sourceIPAddress: 'ssm.amazonaws.com' })],
      ctx,
    },
    {
      name: 'GetPasswordData failing for another reason (no such instance)',
      events: [ec2('GetPasswordData', { instanceId: 'i-1' }, { errorCode: 'InvalidInstanceID.NotFound' })],
      ctx,
    },
  ],
  invalid: [
    {
      name: 'a denied GetPasswordData by a role session is one step lower',
      events: [ec2('GetPasswordData', { instanceId: 'i-0win' }, { errorCode: 'Client.UnauthorizedOperation', userIdentity: APP_ROLE })],
      ctx,
      findings: [
        {
          severity: 'medium',
          summary:
            /^Windows administrator password of i-0win retrieved by .*assumed-role\/app\/i-0abc \(attempt denied: Client\.UnauthorizedOperation\)$/,
          actions: ['revoke-role-sessions'],
        },
      ],
    },
    {
      name: 'user data replaced (the value is redacted by CloudTrail)',
      events: [ec2('ModifyInstanceAttribute', { instanceId: 'i-0web', userData: '<sensitiveDataRemoved>' })],
      ctx,
      findings: [{ severity: 'high', summary: /User data \(start-up code\) of i-0web replaced/, actions: ['deactivate-access-key'] }],
    },
    {
      name: 'serial console enabled, then a key pushed to it',
      events: [
        ec2('EnableSerialConsoleAccess', { EnableSerialConsoleAccessRequest: '' }),
        eic('SendSerialConsoleSSHPublicKey', { instanceId: 'i-0ser', serialPort: 0, sSHPublicKey: 'ssh-ed25519 AAAA' }, { eventTime: at(1) }),
      ],
      ctx,
      findings: [
        { severity: 'medium', summary: /EC2 serial console access enabled in us-east-1/ },
        { severity: 'high', summary: /SSH public key pushed to the serial console of i-0ser/ },
      ],
    },
    {
      name: 'an SSH key pushed through EC2 Instance Connect',
      events: [eic('SendSSHPublicKey', { instanceId: 'i-0abc', instanceOSUser: 'ec2-user', sSHPublicKey: 'ssh-ed25519 AAAA' })],
      ctx,
      findings: [{ severity: 'high', summary: /SSH public key pushed to i-0abc for OS user ec2-user/ }],
    },
    {
      name: 'a shell command on two instances by an actor new to SSM',
      events: [shell()],
      ctx,
      findings: [
        { severity: 'high', summary: /SSM command AWS-RunShellScript sent to i-0aaa, i-0bbb by .*mallory, which did not do this in the baseline$/ },
      ],
    },
    {
      name: 'a session on an instance with no baseline collected: one step lower, and says why',
      events: [ssm('StartSession', { target: 'i-0ses' })],
      ctx: { window: WINDOW, baseline: null },
      findings: [{ severity: 'medium', summary: /SSM session started on i-0ses .*\(no baseline to tell/ }],
    },
    {
      name: 'a command of a non-shell document by tag target is medium',
      events: [ssm('SendCommand', { documentName: 'AWS-ConfigureAWSPackage', targets: [{ key: 'tag:env', values: ['prod'] }] })],
      ctx,
      findings: [{ severity: 'medium', summary: /AWS-ConfigureAWSPackage sent to tag:env=prod/ }],
    },
  ],
});
