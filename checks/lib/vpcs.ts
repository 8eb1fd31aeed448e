// VPCs hosting AI workloads: the VpcPlacement of SageMaker models, training jobs, notebooks and domains,
// and the subnets of Bedrock customization jobs. A placement with only subnet ids is resolved through
// RegionInventory.subnetVpcs; a subnet that cannot be resolved is reported, never guessed.
import type { DescribedResource, Observed, RegionInventory, VpcPlacement } from '../../src/model/inventory.js';

export interface AiVpc {
  vpcId: string;
  /** What runs in it, e.g. "SageMaker notebook nb-1". */
  workloads: string[];
  /** The subnets those workloads use; all known only when `subnetsComplete` (a domain may give only its VPC). */
  subnetIds: string[];
  subnetsComplete: boolean;
}

export interface RegionAiVpcs {
  vpcs: AiVpc[];
  /** Workload sources or subnets that could not be read or resolved. */
  unresolved: string[];
}

export function aiVpcsInRegion(r: Pick<RegionInventory, 'region' | 'bedrock' | 'sagemaker' | 'subnetVpcs'>): RegionAiVpcs {
  const vpcs = new Map<string, AiVpc>();
  const unresolved: string[] = [];
  const addVpc = (vpcId: string, workload: string, subnets: string[]) => {
    const v = vpcs.get(vpcId) ?? { vpcId, workloads: [], subnetIds: [], subnetsComplete: true };
    if (!v.workloads.includes(workload)) v.workloads.push(workload);
    for (const s of subnets) if (!v.subnetIds.includes(s)) v.subnetIds.push(s);
    if (subnets.length === 0) v.subnetsComplete = false;
    vpcs.set(vpcId, v);
  };
  const place = (p: { vpcId: string | null; subnetIds: string[] } | null, workload: string) => {
    if (!p) return;
    if (p.vpcId) {
      addVpc(p.vpcId, workload, p.subnetIds);
      return;
    }
    for (const subnet of p.subnetIds) {
      if (!r.subnetVpcs.ok) {
        unresolved.push(`VPC of subnet ${subnet} (${workload}) could not be read: ${r.subnetVpcs.reason}`);
        continue;
      }
      const vpc = r.subnetVpcs.value[subnet];
      if (vpc) addVpc(vpc, workload, [subnet]);
      else unresolved.push(`VPC of subnet ${subnet} (${workload}) is unknown`);
    }
  };
  const sm = r.sagemaker;
  const groups: [Observed<({ name: string; vpc: VpcPlacement | null } & DescribedResource)[]>, string][] = [
    [sm.models, 'SageMaker model'],
    [sm.trainingJobs, 'SageMaker training job'],
    [sm.notebooks, 'SageMaker notebook'],
    [sm.domains, 'SageMaker domain'],
  ];
  for (const [obs, label] of groups) {
    if (!obs.ok) {
      unresolved.push(`${label}s in ${r.region} could not be read: ${obs.reason}`);
      continue;
    }
    for (const x of obs.value) {
      if (x.detailsUnseen) unresolved.push(`network placement of ${label} ${x.name} could not be read: ${x.detailsUnseen.reason}`);
      else place(x.vpc, `${label} ${x.name}`);
    }
  }
  const cj = r.bedrock.customizationJobs;
  if (cj.ok) {
    for (const j of cj.value)
      if (j.detailsUnseen) unresolved.push(`network placement of Bedrock customization job ${j.name} could not be read: ${j.detailsUnseen.reason}`);
      else if (j.vpcSubnetIds.length > 0) place({ vpcId: null, subnetIds: j.vpcSubnetIds }, `Bedrock customization job ${j.name}`);
  } else unresolved.push(`Bedrock customization jobs in ${r.region} could not be read: ${cj.reason}`);
  return { vpcs: [...vpcs.values()].sort((a, b) => a.vpcId.localeCompare(b.vpcId)), unresolved };
}
