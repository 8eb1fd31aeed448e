import { describe, expect, it } from 'vitest';
import { athenaHuntSql, athenaTableDdl, HuntInputError, lakeHuntSql, literal, type HuntIndicators } from '../../src/hunt/sql.js';
import { toMatch } from '../../src/hunt/query.js';

const base: HuntIndicators = {
  accessKeyIds: ['AKIAIOSFODNN7EXAMPLE'],
  principals: [],
  sourceIps: [],
  eventNames: [],
  start: new Date('2026-11-01T00:00:00Z'),
  end: new Date('2026-11-03T12:00:00Z'),
};
const table = { database: 'forensight', table: 'cloudtrail_org' };

describe('hunt SQL (Athena)', () => {
  it('selects $path, account, region and day of the matching files, bounded by the day partitions and eventtime', () => {
    const sql = athenaHuntSql(table, {
      ...base,
      principals: ['arn:aws:iam::111122223333:role/ci'],
      sourceIps: ['203.0.113.7'],
      eventNames: ['GetObject', 'InvokeModel'],
    });
    expect(sql).toContain('SELECT "$path" AS path, account, region, day, count(*) AS matches');
    expect(sql).toContain('FROM "forensight"."cloudtrail_org"');
    expect(sql).toContain("day BETWEEN '2026/11/01' AND '2026/11/03'");
    expect(sql).toContain("eventtime >= '2026-11-01T00:00:00Z'");
    expect(sql).toContain("eventtime < '2026-11-03T12:00:00Z'");
    expect(sql).toContain(
      "(useridentity.accesskeyid IN ('AKIAIOSFODNN7EXAMPLE') OR useridentity.arn IN ('arn:aws:iam::111122223333:role/ci') OR useridentity.sessioncontext.sessionissuer.arn IN ('arn:aws:iam::111122223333:role/ci') OR sourceipaddress IN ('203.0.113.7'))",
    );
    expect(sql).toContain("eventname IN ('GetObject', 'InvokeModel')");
    expect(sql).toContain('GROUP BY "$path", account, region, day');
  });

  it.each<[string, Partial<HuntIndicators>, RegExp]>([
    ['quote in a key id', { accessKeyIds: ["AKIA' OR '1'='1"] }, /--access-key-id: .* is not a valid access key id/],
    ['SQL in a principal', { principals: ["arn:aws:iam::111122223333:role/a') OR 1=1 --"] }, /--principal: .* is not a valid principal/],
    ['semicolon in an IP', { sourceIps: ['1.2.3.4; DROP TABLE x'] }, /--source-ip: .* is not a valid source ip/],
    ['an IP out of range', { sourceIps: ['999.1.1.1'] }, /--source-ip/],
    ['event name with a quote', { eventNames: ["GetObject'"] }, /--event-name/],
    ['newline in a key id', { accessKeyIds: ['AKIAIOSFODNN7EXAMPLE\n'] }, /--access-key-id/],
    ['no actor at all', { accessKeyIds: [] }, /at least one of --access-key-id, --principal or --source-ip/],
    ['start after end', { start: new Date('2026-11-05T00:00:00Z') }, /--start must be before --end/],
    ['window over a year', { start: new Date('2024-01-01T00:00:00Z') }, /more than 366 days/],
  ])('rejects %s instead of escaping it', (_n, change, message) => {
    expect(() => athenaHuntSql(table, { ...base, ...change })).toThrow(HuntInputError);
    expect(() => athenaHuntSql(table, { ...base, ...change })).toThrow(message);
  });

  it('a principal with a trailing "--" is a valid IAM name character run and stays inside its literal', () => {
    const sql = athenaHuntSql(table, { ...base, accessKeyIds: [], principals: ['arn:aws:iam::111122223333:role/x--'] });
    expect(sql).toContain("useridentity.arn IN ('arn:aws:iam::111122223333:role/x--')");
  });

  it.each([['Forensight'], ['db"; DROP'], ['a-b']])('rejects the table identifier %s', (name) => {
    expect(() => athenaHuntSql({ database: name, table: 't' }, base)).toThrow(/--athena-database/);
  });

  it('literal doubles quotes and refuses control characters (defence in depth behind validation)', () => {
    expect(literal("it's")).toBe("'it''s'");
    expect(() => literal('a\u0000b')).toThrow(HuntInputError);
  });
});

describe('hunt SQL (CloudTrail Lake)', () => {
  it('runs the same search on an event data store', () => {
    const sql = lakeHuntSql('EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE', { ...base, sourceIps: ['2001:db8::1'] });
    expect(sql).toContain('FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE');
    expect(sql).toContain("eventTime >= '2026-11-01 00:00:00'");
    expect(sql).toContain("(userIdentity.accessKeyId IN ('AKIAIOSFODNN7EXAMPLE') OR sourceIPAddress IN ('2001:db8::1'))");
    expect(sql).toContain('GROUP BY recipientAccountId, awsRegion');
  });
  it('rejects an event data store id that is not one', () => {
    expect(() => lakeHuntSql('eds; DROP', base)).toThrow(/--event-data-store/);
  });
});

describe('trail table DDL', () => {
  const ddl = athenaTableDdl({
    ...table,
    trailLocation: 's3://org-trail-logs/prefix',
    organizationId: 'o-abcdefghij',
    accounts: ['111122223333', '444455556666'],
    regions: ['us-east-1', 'eu-west-1'],
    firstDay: '2025/01/01',
  });
  it('projects account, region and day over the organization trail prefix', () => {
    expect(ddl).toContain('PARTITIONED BY (account STRING, region STRING, day STRING)');
    expect(ddl).toContain("LOCATION 's3://org-trail-logs/prefix/AWSLogs/o-abcdefghij'");
    expect(ddl).toContain("'projection.account.values' = '111122223333,444455556666'");
    expect(ddl).toContain("'projection.region.values' = 'us-east-1,eu-west-1'");
    expect(ddl).toContain("'projection.day.range' = '2025/01/01,NOW'");
    expect(ddl).toContain("'storage.location.template' = 's3://org-trail-logs/prefix/AWSLogs/o-abcdefghij/${account}/CloudTrail/${region}/${day}'");
  });
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a location with a quote', { trailLocation: "s3://bucket/x'y" }, /--trail-location/],
    ['a bad org id', { organizationId: "o-x' --" }, /--org-id/],
    ['a bad account', { accounts: ['1234'] }, /--accounts/],
    ['a bad region', { regions: ["us-east-1'"] }, /--regions/],
  ])('rejects %s', (_n, change, message) => {
    expect(() =>
      athenaTableDdl({
        ...table,
        trailLocation: 's3://b-1/p',
        organizationId: 'o-abcdefghij',
        accounts: ['111122223333'],
        regions: ['us-east-1'],
        firstDay: '2025/01/01',
        ...change,
      }),
    ).toThrow(message);
  });
});

describe('result rows are hostile too', () => {
  it.each<[string, Record<string, string>, boolean]>([
    [
      'a good row',
      {
        path: 's3://org-trail-logs/AWSLogs/o-abcdefghij/111122223333/CloudTrail/us-east-1/2026/11/01/f.json.gz',
        account: '111122223333',
        region: 'us-east-1',
        day: '2026/11/01',
        matches: '3',
      },
      true,
    ],
    ['an account that is not one', { path: 's3://b-1/k', account: '../../etc', region: 'us-east-1', day: '2026/11/01', matches: '1' }, false],
    ['a path outside S3', { path: 'file:///etc/passwd', account: '111122223333', region: 'us-east-1', day: '2026/11/01', matches: '1' }, false],
    [
      'a control character in the path',
      { path: 's3://b-1/k\u001b[2J', account: '111122223333', region: 'us-east-1', day: '2026/11/01', matches: '1' },
      false,
    ],
    ['a zero count', { path: 's3://b-1/k', account: '111122223333', region: 'us-east-1', day: '2026/11/01', matches: '0' }, false],
  ])('%s', (_n, row, ok) => {
    expect(toMatch(row) !== null).toBe(ok);
  });
});
