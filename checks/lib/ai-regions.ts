// Regional checks scoped to "regions with AI footprint" (guardduty-enabled, config-recorder-ai):
// NOT_APPLICABLE where the footprint is known absent; evaluated where it is present or unknown. Where it is
// unknown a PASS stands and a FAIL becomes NOT_ASSESSED: "AI footprint unknown" (e.g. an ExpiredToken mid-scan)
// must never turn what would be NOT_APPLICABLE into a FAIL.
import { REGIONAL_SERVICE_NAMES, type RegionInventory } from '../../src/model/inventory.js';
import type { CheckContext, Finding } from '../types.js';
import { describeUnknown, regionFootprint, scannedRegions, type RegionFootprint } from './footprint.js';
import { fromVerdict, listText, noRegionScanned, type Verdict } from './results.js';

export function perAiRegion(
  ctx: CheckContext,
  arnFor: (region: string) => string,
  judge: (r: RegionInventory, fp: RegionFootprint) => Verdict,
): Finding[] {
  const { account } = ctx;
  const none = noRegionScanned(account);
  if (none) return [none];
  return scannedRegions(account).map((r) => {
    const fp = regionFootprint(r);
    const arn = arnFor(r.region);
    const fpEv = { aiFootprint: fp.status, counts: fp.counts };
    if (fp.status === 'absent') {
      // Services the region does not offer were not listed: known empty (see RegionInventory.notOffered).
      const notOffered = (r.notOffered ?? []).map((code) => REGIONAL_SERVICE_NAMES[code]);
      return fromVerdict(account, r.region, arn, {
        status: 'NOT_APPLICABLE',
        code: 'no-ai-footprint',
        reason: `No AI workloads in ${r.region}${notOffered.length > 0 ? ` (it does not offer ${listText(notOffered)})` : ''}`,
        evidence: notOffered.length > 0 ? { ...fpEv, servicesNotOffered: notOffered } : fpEv,
      });
    }
    const v = judge(r, fp);
    // Unknown footprint: judged as if present, but a FAIL there is not proven to matter, so it never becomes one.
    if (fp.status === 'unknown' && v.status === 'FAIL')
      return fromVerdict(account, r.region, arn, {
        status: 'NOT_ASSESSED',
        code: 'footprint-unknown',
        reason: `${v.reason}, but whether ${r.region} runs AI workloads is unknown: ${describeUnknown(fp)}`,
        evidence: { ...(v.evidence ?? {}), ...fpEv, wouldBe: v.code },
      });
    const suffix = fp.status === 'unknown' ? ` (${describeUnknown(fp)}; evaluated as if present)` : '';
    return fromVerdict(account, r.region, arn, { ...v, reason: `${v.reason}${suffix}`, evidence: { ...(v.evidence ?? {}), ...fpEv } });
  });
}

/** Codes perAiRegion adds to the regional check it drives. */
export const AI_REGION_CODES = {
  'no-ai-footprint': 'Every AI source of the region was read and none has resources (nor invocation logging).',
  'footprint-unknown': 'The setting is missing, but AI sources of the region could not be read, so it is not known to matter.',
} as const;
