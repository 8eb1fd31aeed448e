// Runs a hunt on CloudTrail Lake: StartQuery, DescribeQuery until FINISHED, then every GetQueryResults page.
// Lake answers rows as lists of one-column maps; the match rows are checked like Athena's before they are used.
import {
  CloudTrailClient,
  DescribeQueryCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import type { ClientFactory, Credentials } from '../aws/clients.js';
import { pages } from '../aws/pages.js';
import { HuntQueryError, pollUntilDone, toMatch, type HuntMatch, type HuntResult, type PollOptions } from './query.js';
import type { IamAction } from '../model/iam.js';

/** What the hunt calls on CloudTrail Lake. */
export const IAM_ACTIONS: readonly IamAction[] = ['cloudtrail:StartQuery', 'cloudtrail:DescribeQuery', 'cloudtrail:GetQueryResults'];

export interface LakeRunOptions extends PollOptions {
  factory: ClientFactory;
  credentials: Credentials;
  region: string;
  accountId: string;
}

export interface LakeQuery {
  queryId: string;
  /** Every result page as the SDK returned it. */
  pages(): AsyncGenerator<GetQueryResultsCommandOutput>;
}

const FAILED_STATES = new Set(['FAILED', 'CANCELLED', 'TIMED_OUT']);

/** Starts the query and waits until Lake says FINISHED; the pages are then read on demand. */
export async function runLakeQuery(o: LakeRunOptions, sql: string): Promise<LakeQuery> {
  const lake = o.factory.client(CloudTrailClient, { credentials: o.credentials, region: o.region, accountId: o.accountId });
  const queryId = (await lake.send(new StartQueryCommand({ QueryStatement: sql }))).QueryId ?? '';
  if (!queryId) throw new HuntQueryError('CloudTrail Lake returned no query id');
  await pollUntilDone(
    queryId,
    async () => {
      const described = await lake.send(new DescribeQueryCommand({ QueryId: queryId }));
      if (described.QueryStatus === 'FINISHED') return { done: true };
      if (described.QueryStatus && FAILED_STATES.has(described.QueryStatus))
        return { done: false, failed: `${described.QueryStatus}: ${described.ErrorMessage ?? 'no reason given'}` };
      return { done: false };
    },
    o,
  );
  const read = (NextToken: string | undefined) => lake.send(new GetQueryResultsCommand({ QueryId: queryId, NextToken }));
  return { queryId, pages: () => pages<GetQueryResultsCommandOutput>(read, (p) => p.NextToken ?? undefined) };
}

/** A Lake row ([{col: value}, {col: value}]) as one map; later duplicates of a column never override earlier ones. */
export function lakeRow(row: Record<string, string>[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const cell of row ?? []) for (const [k, v] of Object.entries(cell ?? {})) if (!(k in out)) out[k] = v;
  return out;
}

export async function runLakeHunt(o: LakeRunOptions, sql: string): Promise<HuntResult> {
  const query = await runLakeQuery(o, sql);
  const matches: HuntMatch[] = [];
  let rejectedRows = 0;
  for await (const page of query.pages()) {
    for (const row of page.QueryResultRows ?? []) {
      const m = toMatch(lakeRow(row));
      if (m) matches.push(m);
      else rejectedRows++;
    }
  }
  return { queryId: query.queryId, matches, rejectedRows };
}
