// AI footprint of an account-region (DESIGN.md): SageMaker endpoints, notebooks, training jobs, models or
// domains; Bedrock custom models, customization jobs, agents, knowledge bases, provisioned throughput or
// guardrails, or Bedrock used on demand (invocation logging configured). present = at least one resource seen; absent = every source read and empty; unknown = nothing
// seen but at least one source could not be read.
import { seen, type AccountInventory, type Observed, type RegionInventory } from '../../src/model/inventory.js';

export type FootprintStatus = 'present' | 'absent' | 'unknown';

export interface ServiceFootprint {
  status: FootprintStatus;
  /** Resource counts by kind, for the kinds that were read. */
  counts: Record<string, number>;
  /** What could not be read, with the reason. */
  unreadable: string[];
}

export interface RegionFootprint extends ServiceFootprint {
  region: string;
  bedrock: ServiceFootprint;
  sagemaker: ServiceFootprint;
}

function combine(sources: [string, Observed<unknown[]>][], label: string, region: string): ServiceFootprint {
  const counts: Record<string, number> = {};
  const unreadable: string[] = [];
  for (const [kind, obs] of sources) {
    if (obs.ok) counts[kind] = obs.value.length;
    else unreadable.push(`${label} ${kind} in ${region}: ${obs.reason}`);
  }
  const any = Object.values(counts).some((n) => n > 0);
  return { status: any ? 'present' : unreadable.length > 0 ? 'unknown' : 'absent', counts, unreadable };
}

/**
 * Bedrock used on demand leaves no resource to list: a configured invocation-logging setup says the region uses
 * Bedrock, so it counts as footprint beside the resources.
 */
export function bedrockFootprint(r: Pick<RegionInventory, 'region' | 'bedrock'>): ServiceFootprint {
  const b = r.bedrock;
  const onDemand: Observed<unknown[]> = b.logging.ok ? seen(b.logging.value ? [b.logging.value] : []) : b.logging;
  return combine(
    [
      ['custom models', b.customModels],
      ['customization jobs', b.customizationJobs],
      ['agents', b.agents],
      ['knowledge bases', b.knowledgeBases],
      ['provisioned throughputs', b.provisionedThroughputs],
      ['guardrails', b.guardrails],
      ['invocation logging configured', onDemand],
    ],
    'Bedrock',
    r.region,
  );
}

export function sagemakerFootprint(r: Pick<RegionInventory, 'region' | 'sagemaker'>): ServiceFootprint {
  const s = r.sagemaker;
  return combine(
    [
      ['endpoints', s.endpoints],
      ['notebooks', s.notebooks],
      ['training jobs', s.trainingJobs],
      ['models', s.models],
      ['domains', s.domains],
    ],
    'SageMaker',
    r.region,
  );
}

const merge = (a: FootprintStatus, b: FootprintStatus): FootprintStatus =>
  a === 'present' || b === 'present' ? 'present' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'absent';

/** Takes only what it reads, so collection can ask it before the rest of the region is read. */
export function regionFootprint(r: Pick<RegionInventory, 'region' | 'bedrock' | 'sagemaker'>): RegionFootprint {
  const bedrock = bedrockFootprint(r);
  const sagemaker = sagemakerFootprint(r);
  return {
    region: r.region,
    status: merge(bedrock.status, sagemaker.status),
    counts: Object.fromEntries<number>([
      ...Object.entries(bedrock.counts).map(([k, v]): [string, number] => [`bedrock ${k}`, v]),
      ...Object.entries(sagemaker.counts).map(([k, v]): [string, number] => [`sagemaker ${k}`, v]),
    ]),
    unreadable: [...bedrock.unreadable, ...sagemaker.unreadable],
    bedrock,
    sagemaker,
  };
}

/** Footprint of every scanned region of the account, keyed by region. */
export function accountFootprint(account: AccountInventory): Record<string, RegionFootprint> {
  const out: Record<string, RegionFootprint> = {};
  for (const r of Object.values(account.regions)) out[r.region] = regionFootprint(r);
  return out;
}

/** Account-level footprint: present in any region, else unknown if any region unknown, else absent. */
export function accountFootprintStatus(account: AccountInventory): FootprintStatus {
  return Object.values(account.regions).reduce<FootprintStatus>((acc, r) => merge(acc, regionFootprint(r).status), 'absent');
}

/** Short phrase for reasons: "AI footprint unknown (SageMaker endpoints in us-east-1: AccessDenied)". */
export function describeUnknown(fp: ServiceFootprint): string {
  return `AI footprint unknown (${fp.unreadable.join('; ')})`;
}

/** Regions of the account in scan order (regionsScanned first, then any other region present). */
export function scannedRegions(account: AccountInventory): RegionInventory[] {
  const seen = new Set<string>();
  const out: RegionInventory[] = [];
  for (const name of account.regionsScanned) {
    const r = account.regions[name];
    if (r && !seen.has(name)) {
      out.push(r);
      seen.add(name);
    }
  }
  for (const [name, r] of Object.entries(account.regions)) if (!seen.has(name)) out.push(r);
  return out;
}
