// Resources shared outside the Organization (exfiltration by sharing, T1537): EBS snapshots and AMIs given a
// create-volume or launch permission, RDS snapshots opened for restore, and resource policies or grants that let
// another account (or anyone) at ECR repositories, secrets, KMS keys, backup vaults, SageMaker model packages,
// Lambda functions and RAM shares. S3 buckets are s3-resource-exposed's; IAM role trust is iam-backdoor's.
import { isSuccess, type TimelineEvent } from '../event.js';
import {
  attempted,
  credentialActions,
  doneOrDenied,
  externalOf,
  finding,
  inWindow,
  isTrail,
  lower,
  obj,
  outsideWhom,
  perEvent,
  policyGrantees,
  principalAccount,
  requestParameters,
  say,
  str,
  TRUSTED_ACCOUNTS_DESCRIPTION,
} from './support.js';
import { defineRule, listParam, type RuleContext, type RuleMeta } from './types.js';

interface Params {
  trustedAccounts: readonly string[];
}

const meta: RuleMeta<Params> = {
  id: 'resource-shared-external',
  title: 'Snapshot, image or resource policy shared with an account outside the Organization or made public',
  severity: 'high',
  element: 'data-store-changes',
  techniques: ['T1537'],
  rationale:
    'Sharing is exfiltration without moving a byte: an EBS snapshot or AMI given a create-volume or launch permission, an RDS snapshot opened for restore, or a resource policy (ECR repository, Secrets Manager secret, KMS key policy or grant, Backup vault, SageMaker model package group, Lambda permission, RAM share) that names an account outside the collected scope lets that account copy the data, models or images at leisure; EFS, Glacier, SQS, SNS, Glue Data Catalog, CloudWatch Logs destination policies and Redshift snapshots likewise. Opening to everyone ("all", "*" without an Organization, VPC or account condition) is critical. Accounts of the collected Organization are not external. A denied attempt is one step lower.',
  messages: { share: '{actor} shared {resource} with {whom}{attempt}' },
  params: { trustedAccounts: listParam([], TRUSTED_ACCOUNTS_DESCRIPTION) },
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate the credential; remove the permission or policy statement that names the outside account or everyone',
      'Ask AWS Support / the owner of the outside account about copies already made; block the account in SCPs and resource policies',
    ],
    recovery: [
      'Treat the shared snapshot, image, secret, key material or model as disclosed: rotate secrets, re-create keys and data stores from clean copies',
    ],
  },
};

interface Share {
  resource: string;
  grantees: string[];
  undo: string;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const field = (o: Record<string, unknown> | null, name: string): unknown => o?.[name] ?? o?.[name[0]!.toUpperCase() + name.slice(1)];

/** Accounts (or '*' for group "all") that an EC2 permission's `add` list names: `{add: {items: [{userId}|{group}]}}`. */
function ec2Added(permission: unknown): string[] {
  const add = obj(field(obj(permission), 'add'));
  const items = list(field(add, 'items') ?? field(add, 'item'));
  const out: string[] = [];
  for (const i of items.map(obj)) {
    const user = str(field(i, 'userId'));
    if (user) out.push(user);
    if (str(field(i, 'group'))?.toLowerCase() === 'all') out.push('*');
  }
  return out;
}

/** Accounts of RAM principals: account ids, IAM ARNs, and the management account of an Organization / OU ARN. */
function ramAccounts(principals: unknown): string[] {
  return list(principals)
    .map((p) => principalAccount(p) ?? (typeof p === 'string' ? (/^arn:aws[a-z-]*:organizations::(\d{12}):/.exec(p)?.[1] ?? null) : null))
    .filter((a): a is string => !!a);
}

/** Account (or '*') a Lambda AddPermission lets invoke the function; a service principal is not an account. */
function lambdaAccounts(p: Record<string, unknown>): string[] {
  const principal = str(p.principal);
  const account = principalAccount(principal);
  if (account !== '*') return account ? [account] : [];
  if (str(p.principalOrgID) || str(p.sourceArn)) return [];
  const source = principalAccount(str(p.sourceAccount));
  return [source ?? '*'];
}

function ec2(e: TimelineEvent, p: Record<string, unknown>): Share | null {
  if (e.action === 'ModifySnapshotAttribute') {
    const id = str(p.snapshotId) ?? '?';
    return {
      resource: `EBS snapshot ${id}`,
      grantees: ec2Added(field(p, 'createVolumePermission')),
      undo: `Remove the create-volume permissions of snapshot ${id} (ModifySnapshotAttribute remove / ResetSnapshotAttribute)`,
    };
  }
  if (e.action === 'ModifyImageAttribute') {
    const id = str(p.imageId) ?? '?';
    return {
      resource: `AMI ${id}`,
      grantees: ec2Added(field(p, 'launchPermission')),
      undo: `Remove the launch permissions of AMI ${id} (ResetImageAttribute) and check its backing snapshots`,
    };
  }
  return null;
}

function rds(e: TimelineEvent, p: Record<string, unknown>): Share | null {
  if (e.action !== 'ModifyDBSnapshotAttribute' && e.action !== 'ModifyDBClusterSnapshotAttribute') return null;
  if (str(p.attributeName)?.toLowerCase() !== 'restore') return null;
  const cluster = e.action === 'ModifyDBClusterSnapshotAttribute';
  const id = str(cluster ? p.dBClusterSnapshotIdentifier : p.dBSnapshotIdentifier) ?? '?';
  return {
    resource: `RDS ${cluster ? 'cluster ' : ''}snapshot ${id}`,
    grantees: list(p.valuesToAdd)
      .map((v) => (typeof v === 'string' && v.toLowerCase() === 'all' ? '*' : principalAccount(v)))
      .filter((a): a is string => !!a),
    undo: `Remove the outside accounts from the restore attribute of snapshot ${id} (valuesToRemove)`,
  };
}

function policyShare(e: TimelineEvent, p: Record<string, unknown>): Share | null {
  const policy = (resource: string, doc: unknown, undo: string): Share => ({ resource, grantees: policyGrantees(doc), undo });
  switch (`${e.service ?? ''} ${e.action}`) {
    case 'ecr.amazonaws.com SetRepositoryPolicy':
      return policy(
        `ECR repository ${str(p.repositoryName) ?? '?'}`,
        p.policyText,
        'Restore the repository policy (DeleteRepositoryPolicy or the previous text)',
      );
    case 'secretsmanager.amazonaws.com PutResourcePolicy':
      return policy(
        `secret ${str(p.secretId) ?? '?'}`,
        p.resourcePolicy,
        'Delete the secret’s resource policy (DeleteResourcePolicy) and rotate the secret',
      );
    case 'kms.amazonaws.com PutKeyPolicy':
      return policy(`KMS key ${str(p.keyId) ?? '?'}`, p.policy, 'Restore the previous key policy');
    case 'backup.amazonaws.com PutBackupVaultAccessPolicy':
      return policy(`backup vault ${str(p.backupVaultName) ?? '?'}`, p.policy, 'Delete the vault access policy (DeleteBackupVaultAccessPolicy)');
    case 'sagemaker.amazonaws.com PutModelPackageGroupPolicy':
      return policy(
        `SageMaker model package group ${str(p.modelPackageGroupName) ?? '?'}`,
        p.resourcePolicy,
        'Delete the model package group policy (DeleteModelPackageGroupPolicy)',
      );
    case 'elasticfilesystem.amazonaws.com PutFileSystemPolicy':
      return policy(`EFS file system ${str(p.fileSystemId) ?? '?'}`, p.policy, 'Restore the file system policy (DeleteFileSystemPolicy)');
    case 'glacier.amazonaws.com SetVaultAccessPolicy':
      return policy(`Glacier vault ${str(p.vaultName) ?? '?'}`, obj(p.policy)?.policy ?? p.policy, 'Restore the vault access policy');
    case 'sqs.amazonaws.com SetQueueAttributes':
      return policy(`SQS queue ${str(p.queueUrl) ?? '?'}`, obj(p.attributes)?.Policy, 'Restore the queue policy');
    case 'sns.amazonaws.com SetTopicAttributes':
      return str(p.attributeName) === 'Policy' ? policy(`SNS topic ${str(p.topicArn) ?? '?'}`, p.attributeValue, 'Restore the topic policy') : null;
    case 'glue.amazonaws.com PutResourcePolicy':
      return policy('Glue Data Catalog', p.policyInJson, 'Restore the Data Catalog resource policy (DeleteResourcePolicy)');
    case 'logs.amazonaws.com PutDestinationPolicy':
      return policy(`CloudWatch Logs destination ${str(p.destinationName) ?? '?'}`, p.accessPolicy, 'Restore the destination access policy');
    case 'sqs.amazonaws.com AddPermission':
    case 'sns.amazonaws.com AddPermission':
      return {
        resource: `${e.service === 'sqs.amazonaws.com' ? `SQS queue ${str(p.queueUrl) ?? '?'}` : `SNS topic ${str(p.topicArn) ?? '?'}`}`,
        grantees: list(p.aWSAccountIds ?? p.aWSAccountId)
          .map(principalAccount)
          .filter((a): a is string => !!a),
        undo: `Remove permission ${str(p.label) ?? '?'} (RemovePermission)`,
      };
    case 'redshift.amazonaws.com AuthorizeSnapshotAccess': {
      const account = principalAccount(str(p.accountWithRestoreAccess));
      return {
        resource: `Redshift snapshot ${str(p.snapshotIdentifier) ?? str(p.snapshotArn) ?? '?'}`,
        grantees: account ? [account] : [],
        undo: 'Revoke the snapshot access of the outside account (RevokeSnapshotAccess)',
      };
    }
    case 'kms.amazonaws.com CreateGrant': {
      const grantee = principalAccount(str(p.granteePrincipal));
      return {
        resource: `KMS key ${str(p.keyId) ?? '?'} (grant to ${str(p.granteePrincipal) ?? '?'})`,
        grantees: grantee ? [grantee] : [],
        undo: `Revoke the grant on key ${str(p.keyId) ?? '?'} (RevokeGrant / ListGrants)`,
      };
    }
    case 'ram.amazonaws.com CreateResourceShare':
    case 'ram.amazonaws.com AssociateResourceShare':
      return {
        resource: `RAM share ${str(p.name) ?? str(p.resourceShareArn) ?? '?'}${list(p.resourceArns).length ? ` of ${list(p.resourceArns).slice(0, 3).join(', ')}` : ''}`,
        grantees: ramAccounts(p.principals),
        undo: 'Disassociate the outside principals from the resource share (DisassociateResourceShare) or delete it',
      };
    default:
      return null;
  }
}

function judge(e: TimelineEvent): Share | null {
  const p = requestParameters(e);
  switch (e.service ?? '') {
    case 'ec2.amazonaws.com':
      return ec2(e, p);
    case 'rds.amazonaws.com':
      return rds(e, p);
    case 'lambda.amazonaws.com': {
      // CloudTrail names it with the API version: AddPermission20150331v2, AddLayerVersionPermission20181031.
      if (!/^Add(?:LayerVersion)?Permission/.test(e.action)) return null;
      const layer = e.action.startsWith('AddLayerVersionPermission');
      const name = str(p.functionName) ?? str(p.layerName) ?? '?';
      return {
        resource: `Lambda ${layer ? 'layer' : 'function'} ${name}`,
        grantees: layer ? (str(p.organizationId) ? [] : [principalAccount(str(p.principal)) ?? '*']) : lambdaAccounts(p),
        undo: `Remove permission statement ${str(p.statementId) ?? '?'} of ${name} (RemovePermission)`,
      };
    }
    default:
      return policyShare(e, p);
  }
}

export const resourceSharedExternal = defineRule<Params>({
  meta,
  create: perEvent((e, ctx: RuleContext<Params>) => {
    if (!isTrail(e) || !doneOrDenied(e) || !inWindow(e, ctx)) return null;
    const share = judge(e);
    if (!share) return null;
    const outside = externalOf(share.grantees, e, ctx, ctx.params.trustedAccounts);
    if (!outside.length) return null;
    const anyone = outside.includes('*');
    const whom = outsideWhom(outside);
    const severity = anyone ? 'critical' : meta.severity;
    return finding(meta, [e], say(meta.messages.share, { actor: e.actor, resource: share.resource, whom, attempt: attempted(e) }), {
      severity: isSuccess(e) ? severity : lower(severity),
      target: e.target ?? share.resource,
      actions: [...credentialActions(e), ...(isSuccess(e) ? [{ kind: 'review' as const, target: share.resource, text: share.undo }] : [])],
    });
  }),
});
