// Runs the hunt query on Athena: submit, poll until it finishes, read every result page, and turn the rows
// into matches (account, region, day, log file). A row whose account, region, day or path is not of its shape
// is dropped and counted, never trusted.
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import type { ClientFactory, Credentials } from '../aws/clients.js';
import { pages } from '../aws/pages.js';
import { HuntQueryError, pollUntilDone, toMatch, type HuntMatch, type HuntResult, type PollOptions } from './query.js';
import type { IamAction } from '../model/iam.js';

/** What the hunt calls on Athena (Athena's own reads of Glue and S3 are in the hunt policy, src/hunt/policy.ts). */
export const IAM_ACTIONS: readonly IamAction[] = ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'];

export interface AthenaRunOptions extends PollOptions {
  factory: ClientFactory;
  credentials: Credentials;
  region: string;
  accountId: string;
  sql: string;
  workGroup: string;
  database: string;
  outputLocation?: string;
}

export async function runAthenaHunt(o: AthenaRunOptions): Promise<HuntResult> {
  const athena = o.factory.client(AthenaClient, { credentials: o.credentials, region: o.region, accountId: o.accountId });
  const started = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: o.sql,
      WorkGroup: o.workGroup,
      QueryExecutionContext: { Database: o.database },
      ...(o.outputLocation ? { ResultConfiguration: { OutputLocation: o.outputLocation } } : {}),
    }),
  );
  const queryId = started.QueryExecutionId ?? '';
  if (!queryId) throw new HuntQueryError('Athena returned no query execution id');
  await pollUntilDone(
    queryId,
    async () => {
      const status = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }))).QueryExecution?.Status;
      if (status?.State === 'SUCCEEDED') return { done: true };
      if (status?.State === 'FAILED' || status?.State === 'CANCELLED')
        return { done: false, failed: `${status.State}: ${status.StateChangeReason ?? 'no reason given'}` };
      return { done: false };
    },
    o,
  );
  const matches: HuntMatch[] = [];
  let rejectedRows = 0;
  let header: string[] | null = null;
  const read = (NextToken: string | undefined) => athena.send(new GetQueryResultsCommand({ QueryExecutionId: queryId, NextToken }));
  for await (const page of pages<GetQueryResultsCommandOutput>(read, (p) => p.NextToken ?? undefined)) {
    for (const row of page.ResultSet?.Rows ?? []) {
      const values = (row.Data ?? []).map((d) => d.VarCharValue ?? '');
      // Athena repeats no header on later pages: the first row of the first page names the columns.
      if (!header) {
        header = values;
        continue;
      }
      const m = toMatch(Object.fromEntries(header.map((h, i) => [h, values[i]])));
      if (m) matches.push(m);
      else rejectedRows++;
    }
  }
  return { queryId, matches, rejectedRows };
}
