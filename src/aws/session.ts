// Everything scan and collect share before touching a member account: base identity, role chain, scope.
import { ClientFactory, DeadlineExceededError } from './clients.js';
import { baseCredentials, callerIdentity, RoleChain, type CallerIdentity } from './credentials.js';
import { describeError } from './errors.js';
import { DEFAULT_SCAN_ROLE_NAME } from './role-names.js';
import { discoverAccounts, DiscoveryError, type AccountSelection, type DiscoveredScope } from './organization.js';
import type { RegionRequest } from './regions.js';

export interface TargetOptions {
  selection: AccountSelection;
  exclude: string[];
  /** Undefined: own-account scans use the base credentials; other scans use DEFAULT_SCAN_ROLE_NAME. */
  roleName?: string;
  externalId?: string;
  hubRoleArn?: string;
  profile?: string;
  regions: RegionRequest;
  endpoint?: string;
  /** Region for global calls and region discovery. */
  homeRegion: string;
  concurrency: number;
  maxAttempts: number;
  /** Per-request timeout (to response headers, and idle socket); undefined = the factory default. */
  requestTimeoutMs?: number;
}

export interface Session {
  factory: ClientFactory;
  caller: CallerIdentity;
  chain: RoleChain;
  scope: DiscoveredScope;
}

export async function openSession(
  options: TargetOptions,
  sessionName: string,
  factory?: ClientFactory,
  clientOptions: { captureRawResponses?: boolean; deadline?: AbortSignal } = {},
): Promise<Session> {
  const clients =
    factory ??
    new ClientFactory({
      endpoint: options.endpoint,
      maxAttempts: options.maxAttempts,
      maxSockets: Math.max(50, options.concurrency * 4),
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...clientOptions,
    });
  const base = baseCredentials(options.profile);
  let caller: CallerIdentity;
  try {
    caller = await callerIdentity(clients, base);
  } catch (error) {
    if (error instanceof DeadlineExceededError)
      throw new DiscoveryError(`The deadline passed before the base credentials were checked: nothing was scanned.`);
    throw new DiscoveryError(
      `No usable AWS credentials: ${describeError(error, 'sts:GetCallerIdentity')}. Set AWS_PROFILE or --profile, run 'aws sso login', or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.`,
    );
  }
  const direct = options.selection.mode === 'self' && !options.roleName && !options.hubRoleArn ? caller.accountId : undefined;
  const chain = new RoleChain(clients, base, caller.accountId, {
    roleName: options.roleName ?? DEFAULT_SCAN_ROLE_NAME,
    sessionName,
    ...(options.externalId ? { externalId: options.externalId } : {}),
    ...(options.hubRoleArn ? { hubRoleArn: options.hubRoleArn } : {}),
    ...(direct ? { directAccountId: direct } : {}),
  });
  if (chain.hub) {
    try {
      await chain.hub();
    } catch (error) {
      throw new DiscoveryError(`Could not assume the hub role ${options.hubRoleArn}: ${describeError(error, 'sts:AssumeRole')}`);
    }
  }
  const scope = await discoverAccounts(clients, chain.discovery, chain.discoveryAccountId, options.selection, options.exclude);
  return { factory: clients, caller, chain, scope };
}
