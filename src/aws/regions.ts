// Which regions to scan in an account: the requested list, or all regions enabled for it.
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { ClientFactory } from './clients.js';
import { describeError } from './errors.js';

export type RegionRequest = string[] | 'all';

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
    return { scan: regions.filter((r) => r.enabled).map((r) => r.name).sort(), skipped: [] };
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
