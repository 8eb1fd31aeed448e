// Regional checks scoped to "regions with AI footprint" (guardduty-enabled, config-recorder-ai):
// NOT_APPLICABLE where the footprint is known absent; evaluated where it is present or unknown, and the
// reason says when it was unknown.
import type { RegionInventory } from '../../src/model/inventory.js';
import type { CheckContext, Finding } from '../types.js';
import { describeUnknown, regionFootprint, scannedRegions, type RegionFootprint } from './footprint.js';
import { finding, type Status } from './results.js';

export function perAiRegion(
  ctx: CheckContext,
  arnFor: (region: string) => string,
  judge: (r: RegionInventory, fp: RegionFootprint) => { status: Status; reason: string; evidence?: Record<string, unknown> },
): Finding[] {
  const { account } = ctx;
  return scannedRegions(account).map((r) => {
    const fp = regionFootprint(r);
    const arn = arnFor(r.region);
    const fpEv = { aiFootprint: fp.status, counts: fp.counts };
    if (fp.status === 'absent') return finding(account, r.region, arn, 'NOT_APPLICABLE', `No AI workloads in ${r.region}`, fpEv);
    const v = judge(r, fp);
    const suffix = fp.status === 'unknown' ? ` (${describeUnknown(fp)}; evaluated as if present)` : '';
    return finding(account, r.region, arn, v.status, `${v.reason}${suffix}`, { ...(v.evidence ?? {}), ...fpEv });
  });
}
