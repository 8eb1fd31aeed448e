// ARN builders for check results. Real ARNs where AWS has them; stable pseudo-ARNs for account-level,
// region-level and account × type settings so every result has a unique, predictable resourceArn.
// The partition follows the Region (regional ARNs) or the account's Regions (global ARNs).
import { partitionOf, partitionOfRegions, type Partition } from '../../src/model/arn.js';
import type { AccountInventory } from '../../src/model/inventory.js';

export { parseArn, type ParsedArn } from '../../src/model/arn.js';
import { parseArn } from '../../src/model/arn.js';

/** The partition of an account's global resources (IAM, S3 bucket names, CloudTrail data-event settings). */
export const partitionOfAccount = (account: Pick<AccountInventory, 'regionsScanned'>): Partition => partitionOfRegions(account.regionsScanned);

/** The account itself (account-level results). */
export const accountArn = (accountId: string, partition: Partition): string => `arn:${partition}:iam::${accountId}:root`;

export const bucketArn = (bucket: string, partition: Partition): string => `arn:${partition}:s3:::${bucket}`;

export const vpcArn = (region: string, accountId: string, vpcId: string): string =>
  `arn:${partitionOf(region)}:ec2:${region}:${accountId}:vpc/${vpcId}`;

export const logGroupArn = (region: string, accountId: string, name: string): string =>
  `arn:${partitionOf(region)}:logs:${region}:${accountId}:log-group:${name}`;

/** Log group ARNs come with and without the trailing ":*"; results always use the form without it. */
export const normalizeLogGroupArn = (arn: string): string => arn.replace(/:\*$/, '');

export const bedrockLoggingArn = (region: string, accountId: string): string =>
  `arn:${partitionOf(region)}:bedrock:${region}:${accountId}:model-invocation-logging`;

export const guardDutyArn = (region: string, accountId: string): string => `arn:${partitionOf(region)}:guardduty:${region}:${accountId}:detector`;

export const configRecorderArn = (region: string, accountId: string): string =>
  `arn:${partitionOf(region)}:config:${region}:${accountId}:configuration-recorder`;

/** Account × data-event resource type, e.g. arn:aws:cloudtrail::111122223333:data-events/AWS::SageMaker::Endpoint */
export const dataEventsArn = (accountId: string, resourceType: string, partition: Partition): string =>
  `arn:${partition}:cloudtrail::${accountId}:data-events/${resourceType}`;

/** All SageMaker endpoints of a region, for region-level results of the endpoint check. */
export const sagemakerEndpointsArn = (region: string, accountId: string): string =>
  `arn:${partitionOf(region)}:sagemaker:${region}:${accountId}:endpoint/*`;

/** All log groups of a region, for region-level results of the retention check. */
export const logGroupsArn = (region: string, accountId: string): string => `arn:${partitionOf(region)}:logs:${region}:${accountId}:log-group:*`;

/** Log group ARN -> {region, accountId, name}; null if it is not a log group ARN. */
export function parseLogGroupArn(arn: string): { region: string; accountId: string; name: string } | null {
  const p = parseArn(normalizeLogGroupArn(arn));
  if (!p || p.service !== 'logs' || !p.resource.startsWith('log-group:')) return null;
  return { region: p.region, accountId: p.accountId, name: p.resource.slice('log-group:'.length) };
}
