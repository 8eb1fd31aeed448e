// Organization discovery: which accounts to scan, from the management or a delegated-admin account.
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { ClientFactory } from './clients.js';
import { describeError } from './errors.js';
import type { IamAction } from '../model/iam.js';

/** The IAM actions of account discovery (the role template is built from such declarations). */
export const IAM_ACTIONS: readonly IamAction[] = [
  'organizations:DescribeOrganization',
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
];

export type AccountSelection = { mode: 'self' } | { mode: 'org' } | { mode: 'ou'; ouId: string } | { mode: 'accounts'; accountIds: string[] };

export interface TargetAccount {
  accountId: string;
  name: string;
  status: string;
  /** Present when the account is deliberately not scanned. */
  skippedReason?: string;
}

export interface DiscoveredScope {
  organization: { id: string; managementAccountId: string } | null;
  /** Why the Organization could not be read, when that was an error (not "account is not in an Organization"). */
  organizationUnread?: string;
  accounts: TargetAccount[];
}

/** The Organization or the caller could not be read: nothing can be scanned, exit 3. */
export class DiscoveryError extends Error {
  readonly exitCode = 3;
}

const ORG_REGION = 'us-east-1';

export async function discoverAccounts(
  factory: ClientFactory,
  credentials: AwsCredentialIdentityProvider,
  callerAccountId: string,
  selection: AccountSelection,
  exclude: string[] = [],
): Promise<DiscoveredScope> {
  const org = factory.client(OrganizationsClient, { credentials, region: ORG_REGION, accountId: callerAccountId });
  const mustSucceed = selection.mode === 'org' || selection.mode === 'ou';

  let organization: DiscoveredScope['organization'] = null;
  let organizationUnread: string | undefined;
  try {
    const out = await org.send(new DescribeOrganizationCommand({}));
    if (out.Organization?.Id) organization = { id: out.Organization.Id, managementAccountId: String(out.Organization.MasterAccountId ?? '') };
  } catch (error) {
    // Not being in an Organization is an answer; anything else means organization trails are unknown.
    if ((error as { name?: string }).name !== 'AWSOrganizationsNotInUseException')
      organizationUnread = describeError(error, 'organizations:DescribeOrganization');
    if (mustSucceed)
      throw new DiscoveryError(
        `Could not read the Organization from account ${callerAccountId}: ${describeError(error, 'organizations:DescribeOrganization')}. Run from the management account or a delegated administrator, or use --accounts.`,
      );
  }

  let accounts: TargetAccount[];
  switch (selection.mode) {
    case 'org':
      accounts = await listAllAccounts(org, true);
      break;
    case 'ou':
      accounts = await listOuSubtree(org, selection.ouId);
      break;
    case 'accounts': {
      const known = organization ? await listAllAccounts(org, false) : [];
      const byId = new Map(known.map((a) => [a.accountId, a]));
      accounts = selection.accountIds.map((id) => byId.get(id) ?? { accountId: id, name: id, status: 'ACTIVE' });
      break;
    }
    case 'self': {
      const known = organization ? await listAllAccounts(org, false) : [];
      accounts = [known.find((a) => a.accountId === callerAccountId) ?? { accountId: callerAccountId, name: callerAccountId, status: 'ACTIVE' }];
      break;
    }
  }
  const excluded = new Set(exclude);
  return {
    organization,
    ...(organizationUnread ? { organizationUnread } : {}),
    accounts: accounts.filter((a) => !excluded.has(a.accountId)).map(markInactive),
  };
}

function toTarget(account: Account): TargetAccount {
  const state = (account as { State?: string }).State;
  return { accountId: String(account.Id), name: account.Name ?? String(account.Id), status: String(state ?? account.Status ?? 'ACTIVE') };
}

function markInactive(account: TargetAccount): TargetAccount {
  if (account.status === 'ACTIVE') return account;
  return { ...account, skippedReason: `Account is ${account.status} in the Organization, so it was not scanned` };
}

async function listAllAccounts(org: OrganizationsClient, mustSucceed: boolean): Promise<TargetAccount[]> {
  const accounts: TargetAccount[] = [];
  let NextToken: string | undefined;
  try {
    do {
      const page = await org.send(new ListAccountsCommand({ NextToken }));
      accounts.push(...(page.Accounts ?? []).map(toTarget));
      NextToken = page.NextToken;
    } while (NextToken);
  } catch (error) {
    if (mustSucceed) throw new DiscoveryError(`Could not list the Organization's accounts: ${describeError(error, 'organizations:ListAccounts')}`);
    return [];
  }
  return accounts;
}

async function listOuSubtree(org: OrganizationsClient, ouId: string): Promise<TargetAccount[]> {
  const accounts: TargetAccount[] = [];
  const queue = [ouId];
  try {
    while (queue.length > 0) {
      const parent = queue.shift()!;
      let NextToken: string | undefined;
      do {
        const page = await org.send(new ListAccountsForParentCommand({ ParentId: parent, NextToken }));
        accounts.push(...(page.Accounts ?? []).map(toTarget));
        NextToken = page.NextToken;
      } while (NextToken);
      do {
        const page = await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken }));
        queue.push(...(page.OrganizationalUnits ?? []).map((ou) => String(ou.Id)));
        NextToken = page.NextToken;
      } while (NextToken);
    }
  } catch (error) {
    throw new DiscoveryError(`Could not walk organizational unit ${ouId}: ${describeError(error)}`);
  }
  return accounts;
}
