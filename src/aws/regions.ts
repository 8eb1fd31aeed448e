// Which regions to scan in an account: the requested list, or all regions enabled for it.
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { ClientFactory } from './clients.js';
import { describeError } from './errors.js';
import type { IamAction } from '../model/iam.js';

/** The IAM actions of region discovery. */
export const IAM_ACTIONS: readonly IamAction[] = ['ec2:DescribeRegions'];

export type RegionRequest = string[] | 'all';

/** Commercial regions enabled by default in every account (no opt-in). */
export const ALWAYS_ENABLED_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
]);

export interface RegionPlan {
  scan: string[];
  skipped: { region: string; reason: string }[];
}

export async function planRegions(
  factory: ClientFactory,
  credentials: AwsCredentialIdentityProvider,
  accountId: string,
  requested: RegionRequest,
  homeRegion: string,
): Promise<RegionPlan> {
  // Regions introduced before 20 March 2019 are enabled in every account and cannot be disabled
  // (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html): nothing to ask.
  if (requested !== 'all' && requested.every((r) => ALWAYS_ENABLED_REGIONS.has(r))) return { scan: [...requested], skipped: [] };
  const ec2 = factory.client(EC2Client, { credentials, region: homeRegion, accountId });
  let regions: { name: string; enabled: boolean }[];
  try {
    const out = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    regions = (out.Regions ?? []).map((r) => ({ name: String(r.RegionName), enabled: r.OptInStatus !== 'not-opted-in' }));
  } catch (error) {
    const reason = describeError(error, 'ec2:DescribeRegions');
    if (requested === 'all') {
      return { scan: [homeRegion], skipped: [{ region: 'all', reason: `Could not list enabled regions (${reason}); scanned ${homeRegion} only` }] };
    }
    return { scan: [...requested], skipped: [] };
  }
  if (requested === 'all') {
    return {
      scan: regions
        .filter((r) => r.enabled)
        .map((r) => r.name)
        .sort(),
      skipped: [],
    };
  }
  const byName = new Map(regions.map((r) => [r.name, r]));
  const plan: RegionPlan = { scan: [], skipped: [] };
  for (const name of requested) {
    const region = byName.get(name);
    if (!region) plan.skipped.push({ region: name, reason: `${name} is not a region of this account's partition` });
    else if (!region.enabled) plan.skipped.push({ region: name, reason: `${name} is an opt-in region that is not enabled in this account` });
    else plan.scan.push(name);
  }
  return plan;
}
