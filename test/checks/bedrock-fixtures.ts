// Shared inventories for the three Bedrock invocation-logging check tables.
import type { BedrockLoggingConfig, BucketInfo, Observed } from '../../src/model/inventory.js';
import {
  bucket,
  inventory,
  logGroup,
  loggingConfig,
  LOGARCHIVE,
  MGMT,
  seen,
  unseen,
  type InventoryBuilder,
  type RegionBuilder,
} from '../support/inventory-builder.js';

export const BEDROCK_ARN = `arn:aws:bedrock:us-east-1:${MGMT}:model-invocation-logging`;
export const cwOnly = (largeData: string | null = null) =>
  loggingConfig({
    s3: null,
    cloudWatch: { logGroupName: '/bedrock/inv', roleArn: null, largeDataS3: largeData ? { bucketName: largeData, keyPrefix: null } : null },
  });
export const ownBucket = bucket('invocation-logs', {}, MGMT);
export const missingBucket = bucket('invocation-logs', { region: unseen('Bucket invocation-logs does not exist', 'NoSuchBucket') }, null);
export const otherAccountBucket = bucket('invocation-logs', {}, LOGARCHIVE);
export const otherRegionBucket = bucket('invocation-logs', { region: seen('eu-west-1') }, MGMT);
export const outsideBucket = bucket('invocation-logs', {}, null);

type Fp = (r: RegionBuilder) => unknown;
export const withBedrock: Fp = (r) => r.withBedrock();

/** One account (MGMT, which lists its buckets) with us-east-1 logging as given; the buckets are added to the inventory. */
export function bedrockInventory(
  logging: Observed<BedrockLoggingConfig | null> | BedrockLoggingConfig | null,
  buckets: BucketInfo[] = [ownBucket],
  fp: Fp = withBedrock,
  groups = ['/bedrock/inv'],
): InventoryBuilder {
  const inv = inventory().region('us-east-1', (r) => {
    fp(r);
    r.logging(logging).logGroups(groups.map((g) => logGroup(g, 365)));
  });
  inv.account(MGMT, (a) => {
    a.a.ownedBuckets = seen(buckets.filter((b) => b.ownerAccountId === MGMT).map((b) => b.name));
  });
  for (const b of buckets) inv.bucket(b);
  return inv;
}
