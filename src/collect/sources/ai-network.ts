// The network interfaces of AI workloads in the customer's VPC (SageMaker endpoints, notebook instances and
// training jobs with a VpcConfig), so flow-log records can be tied to the workload that sent them. One
// DescribeNetworkInterfaces per account-region, filtered by the workloads' subnets (saved as returned), then
// a derived analysis/ai-network.json that says which interface belongs to which workload and why.
import { DescribeNetworkInterfacesCommand, EC2Client, type NetworkInterface } from '@aws-sdk/client-ec2';
import { apiCall, clientFor, evidencePath, recordGap, type AccountRegion, type CollectContext } from './context.js';
import type { IamAction } from '../../model/iam.js';

/** The IAM actions this source needs (the role template is built from such declarations). */
export const IAM_ACTIONS: readonly IamAction[] = ['ec2:DescribeNetworkInterfaces'];

export type AiWorkloadKind = 'endpoint' | 'notebook-instance' | 'training-job';

/** A SageMaker workload placed in the customer's VPC. */
export interface AiWorkload {
  arn: string;
  name: string;
  kind: AiWorkloadKind;
  subnetIds: string[];
  securityGroupIds: string[];
  /** Given by DescribeNotebookInstance; SageMaker names no interface for endpoints and training jobs. */
  networkInterfaceId: string | null;
}

export type AttributionBasis = 'network-interface-id' | 'description-names-workload' | 'subnet-and-security-groups';

export interface AiInterface {
  networkInterfaceId: string;
  accountId: string;
  region: string;
  /** Null when more than one workload fits (see candidates). */
  workloadArn: string | null;
  candidates: string[];
  kind: AiWorkloadKind | 'sagemaker';
  matchedBy: AttributionBasis;
  subnetId: string | null;
  securityGroupIds: string[];
  privateIpAddresses: string[];
  publicIp: string | null;
  description: string | null;
}

/** EC2 accepts at most 200 values per filter. */
const MAX_FILTER_VALUES = 200;

/** SageMaker creates these interfaces on the customer's behalf: requester-managed, or naming SageMaker. */
export function looksSageMakerManaged(eni: NetworkInterface): boolean {
  return eni.RequesterManaged === true || /sagemaker/i.test(`${eni.Description ?? ''} ${eni.RequesterId ?? ''}`);
}

const groupsOf = (eni: NetworkInterface): string[] =>
  (eni.Groups ?? [])
    .map((g) => g.GroupId ?? '')
    .filter(Boolean)
    .sort();

/** A workload fits an interface when the interface is in one of its subnets and carries all its security groups. */
function fits(workload: AiWorkload, eni: NetworkInterface): boolean {
  if (!eni.SubnetId || !workload.subnetIds.includes(eni.SubnetId)) return false;
  const groups = new Set(groupsOf(eni));
  return workload.securityGroupIds.every((g) => groups.has(g));
}

/** The description names the workload as a whole word (names are [a-zA-Z0-9-]; "fraud" is not "fraud-ep"). */
function namesWorkload(description: string, name: string): boolean {
  const at = description.indexOf(name);
  if (at < 0) return false;
  const before = description[at - 1];
  const after = description[at + name.length];
  const word = /[A-Za-z0-9-]/;
  return (!before || !word.test(before)) && (!after || !word.test(after));
}

/**
 * Which workload each interface belongs to: a notebook's own NetworkInterfaceId first; else, for interfaces
 * SageMaker manages, the workloads whose subnet and security groups fit, narrowed to the one the description
 * names. An interface nothing fits is not an AI interface; several that fit stay candidates, never a guess.
 */
export function attributeInterfaces(enis: NetworkInterface[], workloads: AiWorkload[], where: AccountRegion): AiInterface[] {
  const byId = new Map(workloads.filter((w) => w.networkInterfaceId).map((w) => [w.networkInterfaceId!, w]));
  const out: AiInterface[] = [];
  for (const eni of enis) {
    const id = eni.NetworkInterfaceId;
    if (!id) continue;
    let basis: AttributionBasis;
    let candidates: AiWorkload[];
    const own = byId.get(id);
    if (own) {
      basis = 'network-interface-id';
      candidates = [own];
    } else {
      if (!looksSageMakerManaged(eni)) continue;
      // A notebook has one interface in the customer's VPC, and DescribeNotebookInstance names it.
      candidates = workloads.filter((w) => !w.networkInterfaceId && fits(w, eni));
      if (candidates.length === 0) continue;
      const named = candidates.filter((w) => namesWorkload(eni.Description ?? '', w.name));
      basis = named.length === 1 ? 'description-names-workload' : 'subnet-and-security-groups';
      if (named.length === 1) candidates = named;
    }
    const kinds = new Set(candidates.map((c) => c.kind));
    out.push({
      networkInterfaceId: id,
      accountId: where.accountId,
      region: where.region,
      workloadArn: candidates.length === 1 ? candidates[0]!.arn : null,
      candidates: candidates.map((c) => c.arn).sort(),
      kind: kinds.size === 1 ? candidates[0]!.kind : 'sagemaker',
      matchedBy: basis,
      subnetId: eni.SubnetId ?? null,
      securityGroupIds: groupsOf(eni),
      privateIpAddresses: (eni.PrivateIpAddresses ?? []).map((p) => p.PrivateIpAddress ?? '').filter(Boolean),
      publicIp: eni.Association?.PublicIp ?? null,
      description: eni.Description ?? null,
    });
  }
  return out.sort((a, b) => a.networkInterfaceId.localeCompare(b.networkInterfaceId));
}

/** DescribeNetworkInterfaces for the subnets of the account-region's AI workloads, every page saved. */
export async function collectAiInterfaces(ctx: CollectContext, where: AccountRegion, workloads: AiWorkload[]): Promise<AiInterface[]> {
  const subnets = [...new Set(workloads.flatMap((w) => w.subnetIds))].sort();
  if (subnets.length === 0) return [];
  const ec2 = clientFor(ctx, EC2Client, where);
  const enis: NetworkInterface[] = [];
  try {
    for (let batch = 0; batch * MAX_FILTER_VALUES < subnets.length; batch++) {
      const values = subnets.slice(batch * MAX_FILTER_VALUES, (batch + 1) * MAX_FILTER_VALUES);
      let NextToken: string | undefined;
      let page = 0;
      do {
        page++;
        const command = new DescribeNetworkInterfacesCommand({
          Filters: [{ Name: 'subnet-id', Values: values }],
          ...(NextToken ? { NextToken } : {}),
        });
        const out = await apiCall(ctx, command, (c) => ec2.send(c), {
          where,
          source: 'sagemaker',
          service: 'ec2',
          path: evidencePath(where, 'sagemaker', 'network-interfaces', `subnets.b${batch + 1}.p${page}.json`),
        });
        enis.push(...(out.NetworkInterfaces ?? []));
        NextToken = out.NextToken;
      } while (NextToken);
    }
  } catch (error) {
    await recordGap(ctx, where, 'sagemaker', 'network interfaces of AI workloads', error, 'ec2:DescribeNetworkInterfaces');
  }
  return attributeInterfaces(enis, workloads, where);
}

/** analysis/ai-network.json: what analysis reads to tie flow-log records to workloads. */
export async function writeAiNetwork(ctx: Pick<CollectContext, 'bundle'>, interfaces: AiInterface[]): Promise<void> {
  await ctx.bundle.writeJson(
    'analysis/ai-network.json',
    { interfaces: [...interfaces].sort((a, b) => a.networkInterfaceId.localeCompare(b.networkInterfaceId)) },
    {
      accountId: 'all',
      region: 'all',
      source: 'analysis',
      origin: {
        kind: 'derived',
        description:
          'Network interfaces of SageMaker endpoints, notebook instances and training jobs in the VPC, from DescribeNetworkInterfaces matched to the workloads by interface id, subnet, security groups and description',
      },
    },
  );
}
