// CloudTrail Lake hunts on the emulator (Lake's query API stubbed in the proxy from the API reference) and the
// paging both hunts share: every page read, a looping token stopped, hostile rows dropped, failures named.
import { describe, expect, it } from 'vitest';
import { runAthenaHunt } from '../../src/hunt/athena.js';
import { lakeRow, runLakeHunt } from '../../src/hunt/lake.js';
import { pages } from '../../src/aws/pages.js';
import { HuntQueryError, summarize } from '../../src/hunt/query.js';
import { athenaHuntSql, lakeHuntSql } from '../../src/hunt/sql.js';
import { TEST_CREDENTIALS, useEmulator } from '../support/emulator.js';
import { stubLake } from '../support/lake-stub.js';
import { KEY_HUNT } from './fixtures.js';

const env = useEmulator();
const run = () => ({
  factory: env.factory(),
  credentials: TEST_CREDENTIALS,
  region: 'us-east-1',
  accountId: '123456789012',
  sleep: () => Promise.resolve(),
});
const match = (account: string, region: string, day: string, n: string): Record<string, string>[] => [
  { account },
  { region },
  { day },
  { matches: n },
];

describe('pages', () => {
  it.each([
    { name: 'follows tokens to the last page', tokens: ['a', 'b', undefined], read: 3 },
    { name: 'stops when a token repeats', tokens: ['a', 'b', 'a', 'b', 'a'], read: 3 },
    { name: 'one page without a token', tokens: [undefined], read: 1 },
  ])('$name', async ({ tokens, read }) => {
    let calls = 0;
    const seen: (string | undefined)[] = [];
    for await (const p of pages(
      (t) => (seen.push(t), Promise.resolve(tokens[calls++])),
      (p) => p,
    ))
      void p;
    expect(calls).toBe(read);
    expect(seen[0]).toBeUndefined();
  });
});

describe('lakeRow', () => {
  it('merges one-column cells, first value of a repeated column wins', () => {
    expect(lakeRow([{ account: '111122223333' }, { region: 'us-east-1' }, { account: '999999999999' }])).toEqual({
      account: '111122223333',
      region: 'us-east-1',
    });
    expect(lakeRow(undefined)).toEqual({});
  });
});

describe('CloudTrail Lake hunt (emulator, Lake stubbed in the proxy)', () => {
  it('sends the Lake SQL, reads every page and drops rows not of their shape', async () => {
    await env.reset();
    const lake = stubLake(env.proxy, {
      matchRows: [
        match('111122223333', 'us-east-1', '2026-11-01', '4'),
        match('444455556666', 'eu-west-1', '2026-11-02', '2'),
        match('../../etc', 'us-east-1', '2026-11-02', '1'),
      ],
      pageSize: 1,
    });
    try {
      const result = await runLakeHunt(run(), lakeHuntSql('eds-1', KEY_HUNT));
      expect(lake.statements).toEqual([lakeHuntSql('eds-1', KEY_HUNT)]);
      expect(result.rejectedRows).toBe(1);
      expect(summarize(result)).toEqual({
        accounts: ['111122223333', '444455556666'],
        regions: ['eu-west-1', 'us-east-1'],
        days: ['2026/11/01', '2026/11/02'],
        files: [],
        matches: 6,
      });
      expect(env.proxy.requests.filter((r) => r.action === 'GetQueryResults')).toHaveLength(3);
    } finally {
      lake.remove();
    }
  });

  it.each(['FAILED', 'TIMED_OUT'] as const)('a %s query is an error naming the query and Lake’s reason, never an empty result', async (status) => {
    await env.reset();
    const lake = stubLake(env.proxy, { matchRows: [], status, errorMessage: 'EventDataStoreNotFoundException' });
    try {
      const hunt = runLakeHunt(run(), lakeHuntSql('eds-1', KEY_HUNT));
      await expect(hunt).rejects.toBeInstanceOf(HuntQueryError);
      await expect(hunt).rejects.toThrow(new RegExp(`q-match ${status}: EventDataStoreNotFoundException`));
    } finally {
      lake.remove();
    }
  });

  it('a query that never finishes stops after the poll limit', async () => {
    await env.reset();
    const lake = stubLake(env.proxy, { matchRows: [], status: 'RUNNING' });
    try {
      await expect(runLakeHunt({ ...run(), maxPolls: 3 }, lakeHuntSql('eds-1', KEY_HUNT))).rejects.toThrow(/did not finish after 3 polls/);
      expect(env.proxy.requests.filter((r) => r.action === 'DescribeQuery')).toHaveLength(4);
    } finally {
      lake.remove();
    }
  });
});

describe('Athena hunt pagination (emulator, GetQueryResults paged in the proxy)', () => {
  it('reads the header from the first page only and every row of later pages', async () => {
    await env.reset();
    const file = (acct: string) =>
      `s3://org-trail-logs/AWSLogs/o-abcdefghij/${acct}/CloudTrail/us-east-1/2026/11/01/${acct}_CloudTrail_us-east-1_x.json.gz`;
    const cells = (...v: string[]) => ({ Data: v.map((VarCharValue) => ({ VarCharValue })) });
    const pageRows = [
      [cells('path', 'account', 'region', 'day', 'matches'), cells(file('111122223333'), '111122223333', 'us-east-1', '2026/11/01', '2')],
      [cells(file('444455556666'), '444455556666', 'us-east-1', '2026/11/01', '1')],
      [cells(file('777788889999'), '777788889999', 'us-east-1', '2026/11/01', '5')],
    ];
    const remove = env.proxy.addStub({
      service: 'athena',
      method: 'POST',
      path: '/',
      action: 'GetQueryResults',
      respond: (_req, body) => {
        const at = Number((JSON.parse(body.toString('utf8')) as { NextToken?: string }).NextToken ?? 0);
        return { body: { ResultSet: { Rows: pageRows[at] }, ...(at + 1 < pageRows.length ? { NextToken: String(at + 1) } : {}) } };
      },
    });
    try {
      const result = await runAthenaHunt({
        ...run(),
        sql: athenaHuntSql({ database: 'forensight', table: 'cloudtrail_org' }, KEY_HUNT),
        workGroup: 'primary',
        database: 'forensight',
        outputLocation: 's3://athena-results/',
      });
      expect(result.rejectedRows).toBe(0);
      expect(result.matches.map((m) => [m.account, m.matches])).toEqual([
        ['111122223333', 2],
        ['444455556666', 1],
        ['777788889999', 5],
      ]);
    } finally {
      remove();
    }
  });
});
