// CloudWatch Logs: every log group of the region with its retention.
import { CloudWatchLogsClient, DescribeLogGroupsCommand, type LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import type { LogGroupInfo, Observed } from '../model/inventory.js';
import { attempt, clientFor, paginate, type CollectorContext } from './util.js';
import type { IamAction } from '../model/iam.js';

/** The IAM actions these reads need (the role template is built from such declarations). */
export const IAM_ACTIONS: readonly IamAction[] = ['logs:DescribeLogGroups'];

/** `arn` ends in ':*' (legacy); logGroupArn does not. retentionInDays absent = never expire = null. */
export function mapLogGroup(g: LogGroup): LogGroupInfo {
  const arn = g.logGroupArn || String(g.arn ?? '').replace(/:\*$/, '');
  return { name: String(g.logGroupName), arn, retentionInDays: g.retentionInDays ?? null };
}

export async function collectLogGroups(ctx: CollectorContext): Promise<Observed<LogGroupInfo[]>> {
  const logs = clientFor(ctx, CloudWatchLogsClient);
  return attempt('logs:DescribeLogGroups', async () => {
    const groups = await paginate(async (nextToken) => {
      const out = await logs.send(new DescribeLogGroupsCommand({ limit: ctx.pageSize, nextToken }));
      return { items: out.logGroups, next: out.nextToken };
    });
    return groups.map(mapLogGroup);
  });
}
