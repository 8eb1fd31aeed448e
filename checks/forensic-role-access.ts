// forensic-role-access: the forensic role can be assumed in the account. Evaluated even when access failed
// (requiresAccess: false); accounts deliberately skipped (suspended, closed) are NOT_ASSESSED.
import type { Check } from './types.js';
import { accountVerdict } from './lib/results.js';

export const check: Check = {
  meta: {
    id: 'forensic-role-access',
    title: 'The forensic role can be assumed in the account',
    severity: 'high',
    scope: 'account',
    service: 'iam',
    rationale:
      'Every scan and every evidence collection reaches the account through the read-only forensic role. If responders cannot assume it, they cannot see the account during an incident, and this scan cannot vouch for any of its settings.',
    risk: 'During an incident the account is a blind spot until someone with other credentials grants access, which costs hours and may require credentials the attacker also targets.',
    remediation: {
      summary:
        'Deploy the read-only forensic role to every member account (for example with a CloudFormation StackSet from the management account), trusting the scanner principal or hub role, with the agreed ExternalId.',
      cli: 'aws iam create-role --role-name ForensightReadOnly --assume-role-policy-document file://trust.json && aws iam attach-role-policy --role-name ForensightReadOnly --policy-arn arn:aws:iam::aws:policy/SecurityAudit',
      iac: {
        kind: 'cloudformation',
        snippet: [
          'ForensicRole:',
          '  Type: AWS::IAM::Role',
          '  Properties:',
          '    RoleName: ForensightReadOnly',
          '    AssumeRolePolicyDocument:',
          '      Version: "2012-10-17"',
          '      Statement:',
          '        - Effect: Allow',
          '          Principal: { AWS: !Sub "arn:aws:iam::${SecurityAccountId}:role/ForensightHub" }',
          '          Action: sts:AssumeRole',
          '          Condition: { StringEquals: { "sts:ExternalId": !Ref ExternalId } }',
          '    ManagedPolicyArns:',
          '      - arn:aws:iam::aws:policy/SecurityAudit',
        ].join('\n'),
      },
      docs: [
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user.html',
        'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/what-is-cfnstacksets.html',
      ],
    },
    parameters: [],
    reasonCodes: {
      'role-assumed': 'The forensic role was assumed.',
      'role-not-assumable': 'AssumeRole into the forensic role failed; the reason has the error.',
      'role-check-inconclusive': 'AssumeRole did not answer (throttled, timed out, network, deadline): whether the role works is unknown.',
      'account-skipped': 'The account was deliberately not scanned (suspended or closed).',
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'IR-4' },
      { framework: 'iso-27001-2022', control: 'A.5.28' },
      { framework: 'soc2', control: 'CC7.3' },
    ],
  },
  requiresAccess: false,
  evaluate({ account }) {
    if (account.skippedReason !== undefined) {
      return [
        accountVerdict(account, {
          status: 'NOT_ASSESSED',
          code: 'account-skipped',
          reason: `Account ${account.accountId} was not scanned: ${account.skippedReason}`,
          evidence: { orgStatus: account.orgStatus },
        }),
      ];
    }
    if (account.access.ok) {
      return [
        accountVerdict(account, {
          status: 'PASS',
          code: 'role-assumed',
          reason: `Forensic role ${account.access.value.roleArn} was assumed`,
          evidence: { roleArn: account.access.value.roleArn },
        }),
      ];
    }
    if (account.access.inconclusive) {
      return [
        accountVerdict(account, {
          status: 'NOT_ASSESSED',
          code: 'role-check-inconclusive',
          reason: `Whether the forensic role can be assumed in account ${account.accountId} is unknown: ${account.access.reason}`,
          evidence: { error: account.access.reason, ...(account.access.errorCode ? { errorCode: account.access.errorCode } : {}) },
        }),
      ];
    }
    return [
      accountVerdict(account, {
        status: 'FAIL',
        code: 'role-not-assumable',
        reason: `Forensic role could not be assumed in account ${account.accountId}: ${account.access.reason}`,
        evidence: { error: account.access.reason, ...(account.access.errorCode ? { errorCode: account.access.errorCode } : {}) },
      }),
    ];
  },
};
