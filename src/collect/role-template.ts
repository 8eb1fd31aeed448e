// The forensic roles as code: a CloudFormation template (deployable as a service-managed StackSet across the
// Organization) with the read-only scan role and the collection role, ExternalId and a trust policy limited
// to one principal, and exactly the IAM actions the tool calls.
import { stringify } from 'yaml';
import { DEFAULT_COLLECT_ROLE_NAME, DEFAULT_SCAN_ROLE_NAME } from '../aws/role-names.js';
import { HUNT_POLICY_CONDITION, HUNT_POLICY_PARAMETERS, huntPolicy } from '../hunt/policy.js';
import { SECURITY_HUB_IMPORT_IAM_ACTIONS } from '../aws/securityhub.js';
import { AVAILABILITY_PARAMETER_RESOURCE } from '../inventory/availability.js';
import { COLLECT_IAM_ACTIONS, PRESERVE_IAM_ACTIONS, SCAN_IAM_ACTIONS } from './iam-actions.js';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string | string[] | { 'Fn::Sub': string };
}

interface RoleResource {
  Type: 'AWS::IAM::Role';
  Properties: {
    RoleName: { Ref: string };
    Description: string;
    MaxSessionDuration: number;
    AssumeRolePolicyDocument: unknown;
    Policies: { PolicyName: string; PolicyDocument: { Version: '2012-10-17'; Statement: PolicyStatement[] } }[];
    Tags: { Key: string; Value: string }[];
  };
}

export interface RoleTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Metadata: Record<string, unknown>;
  Parameters: Record<string, Record<string, unknown>>;
  Conditions: Record<string, unknown>;
  Resources: {
    ForensightScanRole: RoleResource;
    ForensightCollectRole: RoleResource;
    ForensightSecurityHubImportPolicy: Record<string, unknown>;
    ForensightHuntPolicy: Record<string, unknown>;
  };
  Outputs: Record<string, unknown>;
}

/**
 * The one write forensight can make outside its output (`export securityhub --yes`), as its own managed policy,
 * created only when asked for and attached to neither role: attach it to whoever runs the export.
 */
function securityHubImportPolicy(): Record<string, unknown> {
  return {
    Type: 'AWS::IAM::ManagedPolicy',
    Condition: 'CreateSecurityHubImportPolicy',
    Properties: {
      Description: "forensight export securityhub: BatchImportFindings into this account's Security Hub (default product only)",
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: [...SECURITY_HUB_IMPORT_IAM_ACTIONS],
            Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:product/${AWS::AccountId}/default' },
          },
        ],
      },
    },
  };
}

/** Services whose every action is granted on a known resource instead of "*": SSM only reads AWS's public availability parameters. */
const SCOPED_RESOURCES: Record<string, PolicyStatement['Resource']> = { ssm: { 'Fn::Sub': AVAILABILITY_PARAMETER_RESOURCE } };

/** One statement per service, actions sorted; Resource "*" (see the template's Metadata for why) unless SCOPED_RESOURCES names one. */
function statements(actions: readonly string[]): PolicyStatement[] {
  const byService = new Map<string, string[]>();
  for (const action of [...new Set(actions)].sort()) {
    const service = action.split(':')[0]!;
    byService.set(service, [...(byService.get(service) ?? []), action]);
  }
  return [...byService].map(([service, list]) => ({
    Sid: `Forensight${service.replace(/[^A-Za-z0-9]/g, '').replace(/^./, (c) => c.toUpperCase())}Read`,
    Effect: 'Allow',
    Action: list,
    Resource: SCOPED_RESOURCES[service] ?? '*',
  }));
}

function trustPolicy(): unknown {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TrustOnlyTheForensicPrincipalWithExternalId',
        Effect: 'Allow',
        Principal: { AWS: { Ref: 'TrustedPrincipalArn' } },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } },
          // Every session shows up in the member account's CloudTrail as forensight-<purpose>-<run id>.
          StringLike: { 'sts:RoleSessionName': 'forensight-*' },
        },
      },
    ],
  };
}

function role(nameParam: string, description: string, actions: readonly string[], purpose: string): RoleResource {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: { Ref: nameParam },
      Description: description,
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: trustPolicy(),
      Policies: [{ PolicyName: `forensight-${purpose}`, PolicyDocument: { Version: '2012-10-17', Statement: statements(actions) } }],
      Tags: [{ Key: 'forensight:role', Value: purpose }],
    },
  };
}

export function buildRoleTemplate(): RoleTemplate {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'forensight forensic roles: read-only readiness scan role and incident evidence collection role (deploy to every account with a service-managed StackSet).',
    Metadata: {
      ForensightNotes: [
        'Both roles are read-only: every action is a Describe, Get, List, LookupEvents or FilterLogEvents call the tool actually makes; no write action is granted.',
        'Resource is "*" because the resources are discovered at run time: trail, Bedrock invocation-log, access-log, flow-log and model-artifact buckets are named by the configuration being examined and may belong to any account (a log archive). Most of these List/Describe actions do not support resource-level permissions at all.',
        "ssm:GetParametersByPath is granted only on AWS's public global-infrastructure parameters (which Regions offer each AI service), so the scan skips the lists of services a Region does not offer.",
        'S3 object reads (s3:GetObject, s3:GetObjectVersion) of a bucket in another account also need that bucket\'s policy (or the owner account\'s collection role, which the tool uses when the owner is in scope). To narrow them, replace "*" with arn:aws:s3:::<log-bucket>/* for your log buckets.',
        `The hub role or base credentials need sts:AssumeRole on arn:aws:iam::*:role/<ScanRoleName> and <CollectRoleName>, and ssm:GetParametersByPath on arn:aws:ssm:*::parameter/aws/service/global-infrastructure/* (the scan reads service availability with them once; without it, it calls every service in every Region and says so in scan.json notes); --preserve-to needs ${PRESERVE_IAM_ACTIONS.join(', ')} on the evidence bucket, granted to the responder, not to these roles.`,
        'StackSets with service-managed permissions do not deploy to the management account: deploy the stack there separately if it is in scope.',
      ],
    },
    Parameters: {
      TrustedPrincipalArn: {
        Type: 'String',
        Description: "ARN of the only principal allowed to assume the roles (the security account hub role or the responders' role).",
        AllowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:(role|user)/[\\w+=,.@/-]+$',
      },
      ExternalId: {
        Type: 'String',
        Description: 'ExternalId the tool passes (--external-id).',
        MinLength: 2,
        MaxLength: 1224,
        AllowedPattern: '^[\\w+=,.@:/-]+$',
        NoEcho: true,
      },
      ScanRoleName: { Type: 'String', Default: DEFAULT_SCAN_ROLE_NAME, AllowedPattern: '^[\\w+=,.@-]{1,64}$' },
      CollectRoleName: { Type: 'String', Default: DEFAULT_COLLECT_ROLE_NAME, AllowedPattern: '^[\\w+=,.@-]{1,64}$' },
      SecurityHubImportPolicy: {
        Type: 'String',
        Default: 'false',
        AllowedValues: ['true', 'false'],
        Description: 'Also create the separate managed policy for `forensight export securityhub` (a write; attached to neither role).',
      },
      ...HUNT_POLICY_PARAMETERS,
    },
    Conditions: { CreateSecurityHubImportPolicy: { 'Fn::Equals': [{ Ref: 'SecurityHubImportPolicy' }, 'true'] }, ...HUNT_POLICY_CONDITION },
    Resources: {
      ForensightScanRole: role('ScanRoleName', 'forensight scan: read-only forensic readiness checks', SCAN_IAM_ACTIONS, 'scan'),
      ForensightCollectRole: role('CollectRoleName', 'forensight collect: read-only incident evidence collection', COLLECT_IAM_ACTIONS, 'collect'),
      ForensightSecurityHubImportPolicy: securityHubImportPolicy(),
      ForensightHuntPolicy: huntPolicy(),
    },
    Outputs: {
      ScanRoleArn: { Value: { 'Fn::GetAtt': ['ForensightScanRole', 'Arn'] } },
      CollectRoleArn: { Value: { 'Fn::GetAtt': ['ForensightCollectRole', 'Arn'] } },
    },
  };
}

export function renderRoleTemplate(format: 'yaml' | 'json'): string {
  const template = buildRoleTemplate();
  if (format === 'json') return `${JSON.stringify(template, null, 2)}\n`;
  const header = [
    '# forensight forensic roles (CloudFormation). Deploy with a service-managed StackSet to every account:',
    '#   aws cloudformation create-stack-set --stack-set-name forensight-roles --template-body file://roles.yaml \\',
    '#     --permission-model SERVICE_MANAGED --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false \\',
    '#     --capabilities CAPABILITY_NAMED_IAM --parameters ParameterKey=TrustedPrincipalArn,ParameterValue=... ParameterKey=ExternalId,ParameterValue=...',
    '# Resource "*": buckets and log groups are discovered at run time and may live in any account (see Metadata).',
    '',
  ].join('\n');
  return header + stringify(template, { lineWidth: 0 });
}

/** IAM wildcard match (`*` and `?`), case-insensitive as IAM action names are. */
function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(action);
}

/** Whether the identity policy of a role in the template allows an action (explicit Deny wins). */
export function policyAllows(template: RoleTemplate, roleLogicalId: 'ForensightScanRole' | 'ForensightCollectRole', action: string): boolean {
  const stmts = template.Resources[roleLogicalId].Properties.Policies.flatMap((p) => p.PolicyDocument.Statement);
  const hits = stmts.filter((s) => s.Action.some((a) => actionMatches(a, action)));
  return hits.some((s) => s.Effect === 'Allow') && !hits.some((s) => s.Effect === 'Deny');
}

export function allowedActions(template: RoleTemplate, roleLogicalId: 'ForensightScanRole' | 'ForensightCollectRole'): string[] {
  return template.Resources[roleLogicalId].Properties.Policies.flatMap((p) =>
    p.PolicyDocument.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action),
  );
}
