// Which buckets need their properties read: every AI data or log bucket the checks classify, plus the
// replication destinations of those (an access-log target passes via replication to a locked bucket).
import { classifyBuckets } from '../../checks/lib/buckets.js';
import { bucketNameOf } from '../model/s3-location.js';
import type { CheckParameters } from '../../checks/types.js';
import type { Inventory } from '../model/inventory.js';

export function relevantBucketNames(inventory: Inventory, params: CheckParameters): string[] {
  const names = new Set(classifyBuckets(inventory, params).buckets.keys());
  for (const name of [...names]) {
    const replication = inventory.buckets[name]?.replication;
    if (replication?.ok && replication.value) for (const dest of replication.value.destinationBuckets) names.add(bucketNameOf(dest));
  }
  return [...names].sort();
}
