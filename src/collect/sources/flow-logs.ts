// VPC flow logs of the VPCs that host AI workloads, for the window: CloudWatch Logs groups or S3 files.
import { DescribeFlowLogsCommand, DescribeSubnetsCommand, EC2Client, type FlowLog } from '@aws-sdk/client-ec2';
import { parseS3Location } from '../../model/s3-location.js';
import { flowLogDayPrefixes, flowLogFileInWindow, parseFlowLogKey } from '../layout.js';
import { collectLogGroup } from './cwlogs.js';
import { apiCall, clientFor, copyLogFolder, evidencePath, recordGap, type AccountRegion, type CollectContext } from './context.js';
import type { IamAction } from '../../model/iam.js';

/** The IAM actions this source needs (log groups and files are read through cwlogs.ts and context.ts). */
export const IAM_ACTIONS: readonly IamAction[] = ['ec2:DescribeSubnets', 'ec2:DescribeFlowLogs'];

export async function collectFlowLogs(ctx: CollectContext, where: AccountRegion, subnetIds: Set<string>): Promise<{ vpcs: string[]; files: number }> {
  const result = { vpcs: [] as string[], files: 0 };
  if (subnetIds.size === 0) return result;
  const ec2 = clientFor(ctx, EC2Client, where);
  const meta = (path: string) => ({ where, source: 'flow-logs' as const, service: 'ec2', path });
  let flowLogs: FlowLog[];
  try {
    const subnets = await apiCall(
      ctx,
      new DescribeSubnetsCommand({ SubnetIds: [...subnetIds].sort() }),
      (c) => ec2.send(c),
      meta(evidencePath(where, 'flow-logs', 'config', 'subnets.json')),
    );
    result.vpcs = [...new Set((subnets.Subnets ?? []).map((s) => s.VpcId).filter((v): v is string => Boolean(v)))].sort();
    if (result.vpcs.length === 0) return result;
    const out = await apiCall(
      ctx,
      new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: result.vpcs }] }),
      (c) => ec2.send(c),
      meta(evidencePath(where, 'flow-logs', 'config', 'flow-logs.json')),
    );
    flowLogs = out.FlowLogs ?? [];
  } catch (error) {
    await recordGap(ctx, where, 'flow-logs', `subnets ${[...subnetIds].join(',')}`, error);
    return result;
  }
  for (const vpc of result.vpcs) {
    if (!flowLogs.some((f) => f.ResourceId === vpc))
      await recordGap(ctx, where, 'flow-logs', vpc, `VPC ${vpc} hosts AI workloads but has no flow log: its network traffic was not recorded`);
  }
  for (const fl of flowLogs) {
    if (fl.LogDestinationType === 's3' && fl.LogDestination) {
      const dest = parseS3Location(fl.LogDestination);
      if (!dest) continue;
      const counts = { copied: 0, unrecognised: 0 };
      try {
        const access = await ctx.buckets.access(dest.bucket, where.accountId);
        await copyLogFolder(
          ctx,
          access,
          flowLogDayPrefixes(dest.key, where.accountId, where.region, ctx.window),
          {
            where,
            source: 'flow-logs',
            dir: evidencePath(where, 'flow-logs', 's3'),
            classify: (key) => {
              const parsed = parseFlowLogKey(key);
              if (!parsed) return 'unrecognised';
              if (!flowLogFileInWindow(key, ctx.window)) return 'skip';
              return fl.FlowLogId && parsed.flowLogId !== fl.FlowLogId ? 'skip' : 'copy';
            },
            unrecognised: {
              dir: evidencePath(where, 'flow-logs', 's3-unrecognised'),
              expected: 'a flow log file name (<account>_vpcflowlogs_<region>_<fl-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz)',
            },
          },
          counts,
        );
      } catch (error) {
        await recordGap(ctx, where, 'flow-logs', fl.LogDestination, error, 's3:ListBucket');
      }
      result.files += counts.copied;
    } else if (fl.LogGroupName) {
      await collectLogGroup(ctx, where, 'flow-logs', fl.LogGroupName, 'cloudwatch');
    }
  }
  return result;
}
