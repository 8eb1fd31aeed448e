// EC2: which VPC each AI subnet belongs to, and the region's flow logs.
import {
  DescribeFlowLogsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  EC2Client,
  type FlowLog,
  type NetworkInterface,
  type Subnet,
} from '@aws-sdk/client-ec2';
import { closedValue, FLOW_LOG_DESTINATION_TYPES, FLOW_LOG_TRAFFIC_TYPES, seen, type FlowLogInfo, type Observed } from '../model/inventory.js';
import { attempt, clientFor, paginate, uniq, type CollectorContext } from './util.js';
import type { IamAction } from '../model/iam.js';

/** The IAM actions these reads need (the role template is built from such declarations). */
export const IAM_ACTIONS: readonly IamAction[] = ['ec2:DescribeSubnets', 'ec2:DescribeFlowLogs', 'ec2:DescribeNetworkInterfaces'];

/** Subnet ids per DescribeSubnets call (a filter takes up to 200 values). */
export const SUBNET_CHUNK = 100;

export function mapSubnets(subnets: Subnet[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of subnets) if (s.SubnetId && s.VpcId) out[s.SubnetId] = s.VpcId;
  return out;
}

export function mapFlowLog(f: FlowLog): FlowLogInfo {
  return {
    id: String(f.FlowLogId),
    resourceId: String(f.ResourceId ?? ''),
    trafficType: closedValue(FLOW_LOG_TRAFFIC_TYPES, f.TrafficType),
    status: String(f.FlowLogStatus ?? ''),
    deliverLogsStatus: f.DeliverLogsStatus || null,
    deliverLogsErrorMessage: f.DeliverLogsErrorMessage || null,
    destinationType: closedValue(FLOW_LOG_DESTINATION_TYPES, f.LogDestinationType ?? (f.LogGroupName ? 'cloud-watch-logs' : null)),
    logGroupName: f.LogGroupName || null,
    destinationArn: f.LogDestination || null,
    logFormat: f.LogFormat || null,
  };
}

/** Sorted unique subnet ids in chunks of SUBNET_CHUNK, for a `subnet-id` filter. */
function subnetChunks(subnetIds: string[]): string[][] {
  const ids = uniq(subnetIds.filter(Boolean)).sort();
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += SUBNET_CHUNK) chunks.push(ids.slice(i, i + SUBNET_CHUNK));
  return chunks;
}

/**
 * subnet id -> VPC id for the given subnets. Uses a subnet-id filter rather than SubnetIds, so a subnet that no
 * longer exists is simply absent instead of failing the whole call (InvalidSubnetID.NotFound).
 */
export async function collectSubnetVpcs(ctx: CollectorContext, subnetIds: string[]): Promise<Observed<Record<string, string>>> {
  const chunks = subnetChunks(subnetIds);
  if (chunks.length === 0) return seen({});
  const ec2 = clientFor(ctx, EC2Client);
  return attempt('ec2:DescribeSubnets', async () => {
    const pages = await Promise.all(
      chunks.map((chunk) =>
        paginate(async (NextToken) => {
          const out = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'subnet-id', Values: chunk }], NextToken }));
          return { items: out.Subnets, next: out.NextToken };
        }),
      ),
    );
    return mapSubnets(pages.flat());
  });
}

/** subnet id -> the interface ids in it; every asked subnet is present (empty = listed, none there). */
export function mapSubnetInterfaces(subnetIds: string[], interfaces: NetworkInterface[]): Record<string, string[]> {
  const bySubnet = new Map(uniq(subnetIds).map((s) => [s, new Set<string>()]));
  for (const i of interfaces) if (i.SubnetId && i.NetworkInterfaceId) bySubnet.get(i.SubnetId)?.add(i.NetworkInterfaceId);
  return Object.fromEntries([...bySubnet].map(([subnet, ids]) => [subnet, [...ids].sort()]));
}

/**
 * The network interfaces in the given subnets (ec2:DescribeNetworkInterfaces, subnet-id filter, paginated): read
 * only where an AI VPC's flow-log coverage rests on interface-level flow logs, so no other region pays for it.
 */
export async function collectSubnetInterfaces(ctx: CollectorContext, subnetIds: string[]): Promise<Observed<Record<string, string[]>>> {
  const chunks = subnetChunks(subnetIds);
  if (chunks.length === 0) return seen({});
  const ec2 = clientFor(ctx, EC2Client);
  return attempt('ec2:DescribeNetworkInterfaces', async () => {
    const pages = await Promise.all(
      chunks.map((chunk) =>
        paginate(async (NextToken) => {
          const out = await ec2.send(
            new DescribeNetworkInterfacesCommand({
              Filters: [{ Name: 'subnet-id', Values: chunk }],
              MaxResults: ctx.pageSize,
              NextToken,
            }),
          );
          return { items: out.NetworkInterfaces, next: out.NextToken };
        }),
      ),
    );
    return mapSubnetInterfaces(chunks.flat(), pages.flat());
  });
}

export async function collectFlowLogs(ctx: CollectorContext): Promise<Observed<FlowLogInfo[]>> {
  const ec2 = clientFor(ctx, EC2Client);
  return attempt('ec2:DescribeFlowLogs', async () => {
    const items = await paginate(async (NextToken) => {
      const out = await ec2.send(new DescribeFlowLogsCommand({ MaxResults: ctx.pageSize, NextToken }));
      return { items: out.FlowLogs, next: out.NextToken };
    });
    return [...new Map(items.map((f) => [String(f.FlowLogId), mapFlowLog(f)])).values()];
  });
}
