// Runs the hunt query on Athena: submit, poll until it finishes, read every result page, and turn the rows
// into matches (account, region, day, log file). Results are attacker-influenced strings too: a row whose
// account, region, day or path is not of its shape is dropped and counted, never trusted.
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import type { ClientFactory, Credentials } from '../aws/clients.js';

export interface HuntMatch {
  account: string;
  region: string;
  /** yyyy/MM/dd */
  day: string;
  /** s3://bucket/key of the log file ($path); null for CloudTrail Lake, which holds events, not files. */
  path: string | null;
  matches: number;
}

export interface HuntResult {
  queryId: string;
  matches: HuntMatch[];
  /** Rows whose fields were not of the expected shape. */
  rejectedRows: number;
}

export interface AthenaRunOptions {
  factory: ClientFactory;
  credentials: Credentials;
  region: string;
  accountId: string;
  sql: string;
  workGroup: string;
  database: string;
  outputLocation?: string;
  /** Injected for tests; defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
  maxPolls?: number;
}

export class HuntQueryError extends Error {}

const SHAPE = {
  account: /^\d{12}$/,
  region: /^[a-z]{2}(-[a-z]+)+-\d$/,
  day: /^\d{4}\/\d{2}\/\d{2}$/,
  path: /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[^\u0000-\u001f\u007f]{1,1024}$/,
};

/** One result row (header names -> values) as a match, or null when a field is not of its shape. */
export function toMatch(row: Record<string, string | undefined>): HuntMatch | null {
  const { account = '', region = '', day = '', path = '', matches = '' } = row;
  if (!SHAPE.account.test(account) || !SHAPE.region.test(region) || !SHAPE.day.test(day)) return null;
  const n = Number(matches);
  if (!Number.isInteger(n) || n < 1) return null;
  if (row.path !== undefined && !SHAPE.path.test(path)) return null;
  return { account, region, day, path: row.path === undefined ? null : path, matches: n };
}

export async function runAthenaHunt(o: AthenaRunOptions): Promise<HuntResult> {
  const athena = o.factory.client(AthenaClient, { credentials: o.credentials, region: o.region, accountId: o.accountId });
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: o.sql,
      WorkGroup: o.workGroup,
      QueryExecutionContext: { Database: o.database },
      ...(o.outputLocation ? { ResultConfiguration: { OutputLocation: o.outputLocation } } : {}),
    }),
  );
  const queryId = String(started.QueryExecutionId ?? '');
  if (!queryId) throw new HuntQueryError('Athena returned no query execution id');
  for (let poll = 0; ; poll++) {
    const state = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }))).QueryExecution?.Status;
    if (state?.State === 'SUCCEEDED') break;
    if (state?.State === 'FAILED' || state?.State === 'CANCELLED')
      throw new HuntQueryError(`Athena query ${queryId} ${state.State}: ${state.StateChangeReason ?? 'no reason given'}`);
    if (poll >= (o.maxPolls ?? 600)) throw new HuntQueryError(`Athena query ${queryId} did not finish after ${poll} polls`);
    await sleep(o.pollMs ?? 1000);
  }
  const matches: HuntMatch[] = [];
  let rejectedRows = 0;
  let header: string[] | null = null;
  let NextToken: string | undefined;
  const seenTokens = new Set<string>();
  do {
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: queryId, NextToken }));
    for (const row of page.ResultSet?.Rows ?? []) {
      const values = (row.Data ?? []).map((d) => d.VarCharValue ?? '');
      if (!header) {
        header = values;
        continue;
      }
      const m = toMatch(Object.fromEntries(header.map((h, i) => [h, values[i]])));
      if (m) matches.push(m);
      else rejectedRows++;
    }
    NextToken = page.NextToken ?? undefined;
    if (NextToken && seenTokens.has(NextToken)) break;
    if (NextToken) seenTokens.add(NextToken);
  } while (NextToken);
  return { queryId, matches, rejectedRows };
}

/** Accounts, regions and days with matches, and the log files, as the hunt prints them. */
export function summarize(result: HuntResult): { accounts: string[]; regions: string[]; days: string[]; files: string[]; matches: number } {
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  return {
    accounts: uniq(result.matches.map((m) => m.account)),
    regions: uniq(result.matches.map((m) => m.region)),
    days: uniq(result.matches.map((m) => m.day)),
    files: uniq(result.matches.flatMap((m) => (m.path ? [m.path] : []))),
    matches: result.matches.reduce((n, m) => n + m.matches, 0),
  };
}
