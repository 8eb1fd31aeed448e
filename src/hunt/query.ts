// What Athena and CloudTrail Lake hunts have in common: the matches they return, and waiting for a query that
// runs where the logs are. Both services answer "still running" for as long as they like, so the wait is
// bounded (polls × interval) and the sleep is injected, never a wall-clock wait in tests.

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

export class HuntQueryError extends Error {}

export interface PollOptions {
  /** Injected for tests; defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
  maxPolls?: number;
}

export type QueryState = { done: true } | { done: false; failed?: string };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Asks `state` until the query is done; a failed state or too many polls is a HuntQueryError naming the query. */
export async function pollUntilDone(queryId: string, state: () => Promise<QueryState>, o: PollOptions): Promise<void> {
  const sleep = o.sleep ?? defaultSleep;
  for (let poll = 0; ; poll++) {
    const s = await state();
    if (s.done) return;
    if (s.failed !== undefined) throw new HuntQueryError(`query ${queryId} ${s.failed}`);
    if (poll >= (o.maxPolls ?? 600)) throw new HuntQueryError(`query ${queryId} did not finish after ${poll} polls`);
    await sleep(o.pollMs ?? 1000);
  }
}

const SHAPE = {
  account: /^\d{12}$/,
  region: /^[a-z]{2}(-[a-z]+)+-\d$/,
  day: /^\d{4}\/\d{2}\/\d{2}$/,
  path: /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[^\u0000-\u001f\u007f]{1,1024}$/,
};

/**
 * One result row (column name -> value) as a match, or null when a field is not of its shape. Result rows are
 * attacker-influenced (an account id or a log path can be planted in a log), so nothing is trusted unchecked.
 */
export function toMatch(row: Record<string, string | undefined>): HuntMatch | null {
  const { account = '', region = '', path = '', matches = '' } = row;
  const day = (row.day ?? '').replace(/-/g, '/');
  if (!SHAPE.account.test(account) || !SHAPE.region.test(region) || !SHAPE.day.test(day)) return null;
  const n = Number(matches);
  if (!Number.isInteger(n) || n < 1) return null;
  if (row.path !== undefined && !SHAPE.path.test(path)) return null;
  return { account, region, day, path: row.path === undefined ? null : path, matches: n };
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
