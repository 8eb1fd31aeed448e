// A CloudWatch Logs group for the window: FilterLogEvents pages saved as returned, one file per page, so
// memory stays bounded however large the group. A missing group is a gap, not a failure.
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { SourceName } from '../manifest.js';
import { safeSegment } from '../paths.js';
import { apiCall, clientFor, evidencePath, recordGap, type AccountRegion, type CollectContext } from './context.js';
import type { IamAction } from '../../model/iam.js';

/** The IAM actions this source needs (the role template is built from such declarations). */
export const IAM_ACTIONS: readonly IamAction[] = ['logs:FilterLogEvents'];

export interface LogGroupResult {
  found: boolean;
  events: number;
  pages: number;
}

export async function collectLogGroup(
  ctx: CollectContext,
  where: AccountRegion,
  source: SourceName,
  logGroupName: string,
  subdir: string,
): Promise<LogGroupResult> {
  const logs = clientFor(ctx, CloudWatchLogsClient, where);
  const result: LogGroupResult = { found: true, events: 0, pages: 0 };
  let nextToken: string | undefined;
  try {
    do {
      result.pages++;
      const out = await apiCall(
        ctx,
        new FilterLogEventsCommand({
          logGroupName,
          startTime: ctx.window.start.getTime(),
          endTime: ctx.window.end.getTime(),
          ...(nextToken ? { nextToken } : {}),
        }),
        (c) => logs.send(c),
        {
          where,
          source,
          service: 'logs',
          path: evidencePath(
            where,
            source,
            subdir,
            safeSegment(logGroupName),
            `${ctx.phase === 'baseline' ? 'baseline-' : ''}events.p${String(result.pages).padStart(5, '0')}.json`,
          ),
        },
      );
      result.events += out.events?.length ?? 0;
      nextToken = out.nextToken;
    } while (nextToken);
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (name === 'ResourceNotFoundException') {
      result.found = false;
      await recordGap(
        ctx,
        where,
        source,
        `log group ${logGroupName}`,
        `Log group ${logGroupName} does not exist in ${where.accountId}/${where.region}: nothing was logged there (or it was deleted)`,
      );
    } else {
      await recordGap(ctx, where, source, `log group ${logGroupName}`, error, 'logs:FilterLogEvents');
    }
  }
  return result;
}
