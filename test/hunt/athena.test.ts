// The Athena flow end to end on moto: query submitted, polled to SUCCEEDED, results read and turned into the
// accounts, regions, days and log files of the hunt. moto answers with canned rows (its static
// query-results API): the SQL itself is only proven by the unit tables, never executed here.
import { describe, expect, it } from 'vitest';
import { runAthenaHunt } from '../../src/hunt/athena.js';
import { summarize } from '../../src/hunt/query.js';
import { athenaHuntSql } from '../../src/hunt/sql.js';
import { runCli } from '../support/cli.js';
import { TEST_CREDENTIALS, useEmulator } from '../support/emulator.js';
import { KEY_HUNT } from './fixtures.js';

const env = useEmulator();
const file = (acct: string, day: string) =>
  `s3://org-trail-logs/AWSLogs/o-abcdefghij/${acct}/CloudTrail/us-east-1/${day}/${acct}_CloudTrail_us-east-1_x.json.gz`;
const row = (...v: string[]) => ({ Data: v.map((VarCharValue) => ({ VarCharValue })) });

async function cannedResults(rows: ReturnType<typeof row>[]): Promise<void> {
  const res = await fetch(`${env.moto.url}/moto-api/static/athena/query-results`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account_id: '123456789012', region: 'us-east-1', results: [{ rows, column_info: [] }] }),
  });
  expect(res.status).toBe(201);
}

const header = row('path', 'account', 'region', 'day', 'matches');

describe('forensight hunt on Athena (emulator)', () => {
  it('submits, polls and turns the result rows into accounts, regions, days and files, dropping hostile rows', async () => {
    await env.reset();
    await cannedResults([
      header,
      row(file('111122223333', '2026/11/01'), '111122223333', 'us-east-1', '2026/11/01', '4'),
      row(file('444455556666', '2026/11/02'), '444455556666', 'us-east-1', '2026/11/02', '1'),
      row('file:///etc/passwd', '444455556666', 'us-east-1', '2026/11/02', '1'),
    ]);
    const sql = athenaHuntSql({ database: 'forensight', table: 'cloudtrail_org' }, KEY_HUNT);
    const sleeps: number[] = [];
    const result = await runAthenaHunt({
      factory: env.factory(),
      credentials: TEST_CREDENTIALS,
      region: 'us-east-1',
      accountId: '123456789012',
      sql,
      workGroup: 'primary',
      database: 'forensight',
      outputLocation: 's3://athena-results/hunt/',
      sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
    });
    expect(result.queryId).toMatch(/\S/);
    expect(result.rejectedRows).toBe(1);
    expect(summarize(result)).toEqual({
      accounts: ['111122223333', '444455556666'],
      regions: ['us-east-1'],
      days: ['2026/11/01', '2026/11/02'],
      files: [file('111122223333', '2026/11/01'), file('444455556666', '2026/11/02')],
      matches: 5,
    });
    const sent = env.proxy.requests.map((r) => r.action);
    expect(sent).toEqual(expect.arrayContaining(['StartQueryExecution', 'GetQueryExecution', 'GetQueryResults']));
  });

  it('a failed query is an error naming the query, never an empty result', async () => {
    await env.reset();
    env.proxy.addStub({
      service: 'athena',
      method: 'POST',
      path: '/',
      action: 'GetQueryExecution',
      respond: () => ({ body: { QueryExecution: { QueryExecutionId: 'q', Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND' } } } }),
    });
    const sql = athenaHuntSql({ database: 'forensight', table: 'cloudtrail_org' }, KEY_HUNT);
    await expect(
      runAthenaHunt({
        factory: env.factory(),
        credentials: TEST_CREDENTIALS,
        region: 'us-east-1',
        accountId: '123456789012',
        sql,
        workGroup: 'primary',
        database: 'forensight',
        sleep: () => Promise.resolve(),
      }),
    ).rejects.toThrow(/FAILED: TABLE_NOT_FOUND/);
  });

  it('the CLI prints the DDL, and exits 2 naming a hostile indicator', async () => {
    env.proxy.resetCounters();
    const ddl = await runCli([
      'hunt',
      '--print-ddl',
      '--trail-location',
      's3://org-trail-logs',
      '--org-id',
      'o-abcdefghij',
      '--accounts',
      '111122223333',
      '--regions',
      'us-east-1',
    ]);
    expect(ddl.code).toBe(0);
    expect(ddl.stdout).toContain("'projection.enabled' = 'true'");
    const bad = await runCli([
      'hunt',
      '--access-key-id',
      "AKIA' OR 1=1 --",
      '--start',
      '2026-11-01T00:00:00Z',
      '--end',
      '2026-11-02T00:00:00Z',
      '--endpoint-url',
      env.url,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--access-key-id');
    expect(env.proxy.requests.filter((r) => r.service === 'athena' && r.action === 'StartQueryExecution')).toHaveLength(0);
  });
});
