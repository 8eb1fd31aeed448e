// Base credentials from the standard provider chain, then the role chain: [hub role] -> forensic role per account.
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { accountOfArn } from '../model/arn.js';
import { seen, unseen, unseenInconclusive, type Observed } from '../model/inventory.js';
import type { ClientFactory } from './clients.js';
import { classifyError, describeError } from './errors.js';
import type { IamAction } from '../model/iam.js';

/** What a member role needs for the identity check. */
export const IAM_ACTIONS: readonly IamAction[] = ['sts:GetCallerIdentity'];

/** The caller's permission (base or hub credentials) on the member roles, never the member role's own. */
export const CALLER_IAM_ACTIONS: readonly IamAction[] = ['sts:AssumeRole'];

/** Chained role sessions last at most one hour; refresh this long before expiry. */
const REFRESH_MARGIN_MS = 5 * 60_000;
const SESSION_SECONDS = 3600;
export const STS_REGION = 'us-east-1';

export interface RoleChainOptions {
  roleName: string;
  /** Scan this account with the base credentials instead of assuming a role in it (own-account scans). */
  directAccountId?: string;
  externalId?: string;
  hubRoleArn?: string;
  profile?: string;
  /** Identifies the run in CloudTrail of every member account. */
  sessionName: string;
  partition?: string;
}

export function baseCredentials(profile?: string): AwsCredentialIdentityProvider {
  return fromNodeProviderChain(profile ? { profile } : {});
}

/** RoleSessionName allows [\w+=,.@-], 2-64 characters. */
export function sessionNameFor(purpose: string, runId: string): string {
  return `forensight-${purpose}-${runId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

export function roleArnFor(accountId: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

export interface AssumeRoleParams {
  roleArn: string;
  sessionName: string;
  externalId?: string;
  /** Account the source credentials act in (for call recording). */
  sourceAccountId: string;
}

/**
 * A credentials provider that assumes a role, caches the session, and assumes again shortly before it
 * expires (a long Organization scan outlives one chained session). Concurrent callers share one request.
 */
export function assumeRoleProvider(
  factory: ClientFactory,
  source: AwsCredentialIdentityProvider,
  params: AssumeRoleParams,
): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  const sts = factory.client(STSClient, { credentials: source, region: STS_REGION, accountId: params.sourceAccountId });

  const fetchSession = async (): Promise<AwsCredentialIdentity> => {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: params.roleArn,
        RoleSessionName: params.sessionName,
        DurationSeconds: SESSION_SECONDS,
        ...(params.externalId ? { ExternalId: params.externalId } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${params.roleArn} returned no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration ? new Date(c.Expiration) : undefined,
    };
  };

  return async () => {
    const fresh = current && (!current.expiration || current.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS);
    if (fresh && current) return current;
    pending ??= fetchSession().finally(() => {
      pending = undefined;
    });
    current = await pending;
    return current;
  };
}

export interface CallerIdentity {
  accountId: string;
  arn: string;
}

export async function callerIdentity(
  factory: ClientFactory,
  credentials: AwsCredentialIdentityProvider,
  accountHint = 'self',
): Promise<CallerIdentity> {
  const sts = factory.client(STSClient, { credentials, region: STS_REGION, accountId: accountHint });
  const out = await sts.send(new GetCallerIdentityCommand({}));
  return { accountId: String(out.Account), arn: String(out.Arn) };
}

/** Resolves credentials for each account through the chain; one provider per account, reused. */
export class RoleChain {
  private readonly perAccount = new Map<string, AwsCredentialIdentityProvider>();
  readonly hub: AwsCredentialIdentityProvider | undefined;

  constructor(
    private readonly factory: ClientFactory,
    readonly base: AwsCredentialIdentityProvider,
    readonly baseAccountId: string,
    private readonly options: RoleChainOptions,
  ) {
    this.hub = options.hubRoleArn
      ? assumeRoleProvider(factory, base, {
          roleArn: options.hubRoleArn,
          sessionName: options.sessionName,
          sourceAccountId: baseAccountId,
          ...(options.externalId ? { externalId: options.externalId } : {}),
        })
      : undefined;
  }

  /** Credentials the Organization is listed with: the hub role when given, else the base credentials. */
  get discovery(): AwsCredentialIdentityProvider {
    return this.hub ?? this.base;
  }

  get discoveryAccountId(): string {
    return this.options.hubRoleArn ? accountOfArn(this.options.hubRoleArn) : this.baseAccountId;
  }

  roleArn(accountId: string): string {
    return roleArnFor(accountId, this.options.roleName, this.options.partition);
  }

  forAccount(accountId: string): AwsCredentialIdentityProvider {
    if (accountId === this.options.directAccountId) return this.discovery;
    let provider = this.perAccount.get(accountId);
    if (!provider) {
      provider = assumeRoleProvider(this.factory, this.discovery, {
        roleArn: this.roleArn(accountId),
        sessionName: this.options.sessionName,
        sourceAccountId: this.discoveryAccountId,
        ...(this.options.externalId ? { externalId: this.options.externalId } : {}),
      });
      this.perAccount.set(accountId, provider);
    }
    return provider;
  }

  /** Assume the role once, so an unreachable account is known before any work is scheduled for it. */
  async verify(accountId: string): Promise<Observed<{ roleArn: string }>> {
    const roleArn = accountId === this.options.directAccountId ? 'base credentials' : this.roleArn(accountId);
    try {
      await this.forAccount(accountId)();
      return seen({ roleArn });
    } catch (error) {
      const e = error as { name?: string };
      const reason = `Could not assume ${roleArn}: ${describeError(error, 'sts:AssumeRole')}`;
      const kind = classifyError(error);
      const inconclusive = kind === 'throttled' || kind === 'network' || e?.name === 'AbortError' || /Deadline/.test(e?.name ?? '');
      return (inconclusive ? unseenInconclusive : unseen)(reason, e?.name ?? 'Error');
    }
  }
}
