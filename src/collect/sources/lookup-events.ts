// CloudTrail LookupEvents, for account-regions whose trail files cannot be read: management events only,
// the last 90 days, and 2 requests per second per account and region, which a token bucket enforces.
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { retryThrottled } from '../throttle.js';
import { apiCall, clientFor, evidencePath, recordGap, type AccountRegion, type CollectContext } from './context.js';
import type { IamAction } from '../../model/iam.js';

/** The IAM actions this source needs (the role template is built from such declarations). */
export const IAM_ACTIONS: readonly IamAction[] = ['cloudtrail:LookupEvents'];

export const LOOKUP_EVENTS_RETENTION_DAYS = 90;

export interface LookupResult {
  pages: number;
  events: number;
  throttleRetries: number;
}

export async function collectLookupEvents(
  ctx: CollectContext,
  where: AccountRegion,
  why: string,
  options: { retries?: number; baseDelayMs?: number; now?: Date } = {},
): Promise<LookupResult> {
  const result: LookupResult = { pages: 0, events: 0, throttleRetries: 0 };
  const now = options.now ?? new Date();
  const oldest = new Date(now.getTime() - LOOKUP_EVENTS_RETENTION_DAYS * 86_400_000);
  await ctx.bundle.note('lookup-events-fallback', { accountId: where.accountId, region: where.region, reason: why });
  if (ctx.window.end.getTime() < oldest.getTime()) {
    await recordGap(
      ctx,
      where,
      'cloudtrail',
      'cloudtrail:LookupEvents',
      `The window ends before ${oldest.toISOString()}: LookupEvents keeps only ${LOOKUP_EVENTS_RETENTION_DAYS} days and no trail files were readable (${why})`,
    );
    return result;
  }
  if (ctx.window.start.getTime() < oldest.getTime()) {
    await recordGap(
      ctx,
      where,
      'cloudtrail',
      'cloudtrail:LookupEvents',
      `Events before ${oldest.toISOString()} are beyond LookupEvents' ${LOOKUP_EVENTS_RETENTION_DAYS}-day history (${why})`,
    );
  }
  await recordGap(
    ctx,
    where,
    'cloudtrail',
    'cloudtrail:LookupEvents',
    `Only management events from LookupEvents: no data events (S3 objects, Bedrock/SageMaker invocations) because ${why}`,
  );
  const client = clientFor(ctx, CloudTrailClient, where);
  const bucket = ctx.lookupLimiters.for(`${where.accountId}|${where.region}`);
  const start = ctx.window.start.getTime() < oldest.getTime() ? oldest : ctx.window.start;
  let NextToken: string | undefined;
  try {
    do {
      const page = result.pages + 1;
      const input = { StartTime: start, EndTime: ctx.window.end, MaxResults: 50, ...(NextToken ? { NextToken } : {}) };
      const out = await retryThrottled(
        async () => {
          await bucket.take();
          return apiCall(ctx, new LookupEventsCommand(input), (c) => client.send(c), {
            where,
            source: 'cloudtrail',
            service: 'cloudtrail',
            path: evidencePath(
              where,
              'cloudtrail',
              'lookup-events',
              `${ctx.phase === 'baseline' ? 'baseline-' : ''}page-${String(page).padStart(5, '0')}.json`,
            ),
          });
        },
        { retries: options.retries ?? 6, baseDelayMs: options.baseDelayMs ?? 1000, onRetry: () => void result.throttleRetries++ },
      );
      result.pages = page;
      for (const event of out.Events ?? []) {
        result.events++;
        let record: object | null = null;
        try {
          record = event.CloudTrailEvent ? (JSON.parse(event.CloudTrailEvent) as object) : null;
        } catch {
          record = null;
        }
        await ctx.events.add(
          record ?? {
            eventID: event.EventId,
            eventName: event.EventName,
            eventSource: event.EventSource,
            eventTime: event.EventTime,
            username: event.Username,
          },
          `lookup-events:${where.accountId}/${where.region}`,
        );
      }
      NextToken = out.NextToken;
    } while (NextToken);
  } catch (error) {
    await recordGap(ctx, where, 'cloudtrail', 'cloudtrail:LookupEvents', error, 'cloudtrail:LookupEvents');
  }
  return result;
}
