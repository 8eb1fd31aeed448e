import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compareToBaseline, parseBaseline } from '../../src/collect/baseline.js';
import { matchesFilter, normalizeIp, principalMatches } from '../../src/collect/filters.js';
import {
  accessLogInWindow,
  accessLogKeyTime,
  accessLogPrefixes,
  bedrockHourPrefixes,
  dataCaptureInWindow,
  flowLogDayPrefixes,
  flowLogFileInWindow,
  parseTrailKey,
  trailAccountRoot,
  trailDayPrefixes,
  trailFileInWindow,
  utcDays,
} from '../../src/collect/layout.js';
import {
  CloudTrailParseError,
  eventTimeOf,
  parseCloudTrailFile,
  parseCloudTrailText,
  type CloudTrailRecord,
} from '../../src/collect/parsers/cloudtrail.js';
import { parseFlowLog } from '../../src/collect/parsers/flow-log.js';
import { parseS3AccessLog } from '../../src/collect/parsers/s3-access-log.js';
import { objectKeyPath, safeSegment } from '../../src/collect/paths.js';
import { isSafeRelative, s3Origin } from '../../src/collect/manifest.js';
import { RateLimiters, retryThrottled, TokenBucket } from '../../src/collect/throttle.js';

// Real records, read in place at test time (never copied into the repo).
const PUBLIC = '/work/shared/fixtures/public';
const fixture = (rel: string): Buffer => readFileSync(join(PUBLIC, rel));

const W = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-03T00:00:00Z') };

describe('CloudTrail key layout', () => {
  it('account and organization roots, with and without a key prefix', () => {
    expect(trailAccountRoot(null, '111122223333')).toBe('AWSLogs/111122223333/');
    expect(trailAccountRoot('trails/', '111122223333', 'o-abcdefghij')).toBe('trails/AWSLogs/o-abcdefghij/111122223333/');
    expect(trailAccountRoot('/x', '111122223333')).toBe('x/AWSLogs/111122223333/');
  });

  it('day prefixes cover the window plus delivery slack', () => {
    const p = trailDayPrefixes('AWSLogs/111122223333/', 'CloudTrail', 'us-east-1', W);
    expect(p[0]).toBe('AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/31/');
    expect(p.at(-1)).toBe('AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/03/');
    expect(p).toHaveLength(4);
    expect(utcDays({ start: new Date('2026-12-31T23:00Z'), end: new Date('2027-01-01T01:00Z') }).map((d) => `${d.y}${d.m}${d.d}`)).toEqual([
      '20261231',
      '20270101',
    ]);
  });

  it('parses the official file name grammar (from the CloudTrail user guide) and digest files', () => {
    const grammarExample = fixture('cloudtrail/cloudtrail-log-file-name-format.txt').toString().split('\n')[1]!.trim();
    const k = parseTrailKey(`AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/${grammarExample}`)!;
    expect(k).toMatchObject({ accountId: '111122223333', region: 'us-east-2', digest: false, organizationId: null });
    expect(k.stamp.toISOString()).toBe('2015-08-01T02:10:00.000Z');
    const org = parseTrailKey(
      'p/AWSLogs/o-abcdefghij/012345678901/CloudTrail/eu-west-1/2026/11/01/012345678901_CloudTrail_eu-west-1_20261101T2355Z_x.json.gz',
    )!;
    expect(org).toMatchObject({ organizationId: 'o-abcdefghij', accountId: '012345678901' });
    const digest = parseTrailKey(
      'AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2016/08/10/111122223333_CloudTrail-Digest_us-east-2_my-trail_us-east-2_20160810T221541Z.json.gz',
    )!;
    expect(digest).toMatchObject({ digest: true });
    expect(digest.stamp.toISOString()).toBe('2016-08-10T22:15:41.000Z');
    expect(parseTrailKey('AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/readme.txt')).toBeNull();
  });

  it('selects files by their stamp, with slack after the window', () => {
    const key = (stamp: string) =>
      parseTrailKey(`AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/111122223333_CloudTrail_us-east-1_${stamp}_x.json.gz`)!;
    expect(trailFileInWindow(key('20261101T0005Z'), W)).toBe(true);
    expect(trailFileInWindow(key('20261103T0040Z'), W)).toBe(true); // late delivery
    expect(trailFileInWindow(key('20261103T0200Z'), W)).toBe(false);
    expect(trailFileInWindow(key('20261031T2300Z'), W)).toBe(false);
  });
});

describe('other key layouts', () => {
  it('Bedrock invocation logs by hour', () => {
    const p = bedrockHourPrefixes('bedrock', '111122223333', 'us-east-1', {
      start: new Date('2026-11-01T10:30Z'),
      end: new Date('2026-11-01T11:10Z'),
    });
    expect(p).toEqual([
      'bedrock/AWSLogs/111122223333/BedrockModelInvocationLogs/us-east-1/2026/11/01/10/',
      'bedrock/AWSLogs/111122223333/BedrockModelInvocationLogs/us-east-1/2026/11/01/11/',
      'bedrock/AWSLogs/111122223333/BedrockModelInvocationLogs/us-east-1/2026/11/01/12/',
    ]);
  });

  it('S3 access logs in the simple and the date-partitioned formats', () => {
    const src = { accountId: '111122223333', region: 'us-east-1', bucket: 'training' };
    expect(accessLogPrefixes('logs/', { kind: 'simple' }, src, W)[0]).toBe('logs/2026-11-01-');
    expect(accessLogPrefixes('logs/', { kind: 'partitioned', dateSource: 'EventTime' }, src, W)[0]).toBe(
      'logs/111122223333/us-east-1/training/2026/11/01/',
    );
    expect(accessLogKeyTime('logs/2026-11-01-10-05-09-ABCDEF0123456789')!.toISOString()).toBe('2026-11-01T10:05:09.000Z');
    expect(accessLogKeyTime('logs/111122223333/us-east-1/training/2026/11/01/2026-11-01-10-05-09-ABCDEF0123456789')!.toISOString()).toBe(
      '2026-11-01T10:05:09.000Z',
    );
    expect(accessLogInWindow('logs/2026-10-31-23-59-59-AAAA', W)).toBe(false);
    expect(accessLogInWindow('logs/2026-11-03-01-00-00-AAAA', W)).toBe(true);
    expect(accessLogKeyTime('logs/notes.txt')).toBeNull();
  });

  it('flow log files and data capture hours', () => {
    expect(flowLogDayPrefixes(null, '111122223333', 'us-east-1', W)[0]).toBe('AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/01/');
    expect(
      flowLogFileInWindow(
        'AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/01/111122223333_vpcflowlogs_us-east-1_fl-1234abcd_20261101T1005Z_0a1b2c3d.log.gz',
        W,
      ),
    ).toBe(true);
    expect(
      flowLogFileInWindow(
        'AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/10/30/111122223333_vpcflowlogs_us-east-1_fl-1234abcd_20261030T1005Z_0a1b2c3d.log.gz',
        W,
      ),
    ).toBe(false);
    expect(dataCaptureInWindow('capture/ep/AllTraffic/2026/11/02/23/x.jsonl', W)).toBe(true);
    expect(dataCaptureInWindow('capture/ep/AllTraffic/2026/11/03/00/x.jsonl', W)).toBe(true);
    expect(dataCaptureInWindow('capture/ep/AllTraffic/2026/11/03/01/x.jsonl', W)).toBe(false);
  });

  it('keys become safe relative paths', () => {
    expect(objectKeyPath('../../etc/passwd')).toBe('..%2F/..%2F/etc%2F/passwd');
    expect(objectKeyPath('..')).toBe('%2E%2E');
    expect(safeSegment('a b:c')).toBe('a%20b%3Ac');
    expect(safeSegment('..')).toBe('%2E%2E');
    expect(objectKeyPath('models/v1/model.tar.gz')).toBe('models%2F/v1%2F/model.tar.gz');
    expect(safeSegment('x'.repeat(300)).length).toBeLessThanOrEqual(200);
  });

  // Keys S3 allows that collide under naive mappings: file and folder at once, empty segments, dots,
  // case, unicode (composed and decomposed), very long names that share a prefix, version suffixes.
  const hostileKeys = [
    'y',
    'y/z',
    'x.json.gz',
    'x.json.gz/child',
    'x.json.gz/',
    'a//b',
    'a/b',
    '/a',
    'a/',
    '',
    '.',
    '..',
    './a',
    '../a',
    'A',
    'a',
    'caf\u00e9',
    'cafe\u0301',
    '%41',
    'A%2F',
    'a@v1',
    'a~2',
    'name%empty',
    `${'L'.repeat(400)}1`,
    `${'L'.repeat(400)}2`,
    `d/${'M'.repeat(300)}/x`,
    `d/${'M'.repeat(301)}/x`,
    'emoji/\ud83d\ude00.json',
    'new\nline',
  ];

  it('maps every key S3 allows to a distinct, safe, deterministic path (injective)', () => {
    const paths = new Map<string, string>();
    for (const key of hostileKeys) {
      for (const version of [undefined, 'v1', 'null']) {
        const path = objectKeyPath(key, version);
        expect(objectKeyPath(key, version), 'deterministic').toBe(path);
        expect(isSafeRelative(path), `${JSON.stringify(key)} -> ${path}`).toBe(true);
        for (const segment of path.split('/')) expect(Buffer.byteLength(segment), path).toBeLessThanOrEqual(255);
        const label = `${JSON.stringify(key)}@${version ?? '-'}`;
        expect(paths.get(path), `${label} collides`).toBeUndefined();
        paths.set(path, label);
      }
    }
    // No object path is a directory of another: a key is never both a file and a folder on disk.
    const all = [...paths.keys()];
    for (const p of all) for (const q of all) if (p !== q) expect(q.startsWith(`${p}/`), `${p} is a folder of ${q}`).toBe(false);
  });
});

describe('CloudTrail parsing (public fixtures)', () => {
  it('reads the official Records shape, pretty and single-line, plain and gzip', () => {
    for (const f of [
      'cloudtrail/cloudtrail.json',
      'cloudtrail/cloudtrail_singleline.json',
      'cloudtrail/cloudtrail-user-guide-log-file-examples.Records.json',
      'cloudtrail/sagemaker-developer-guide-examples.Records.json',
    ]) {
      const raw = fixture(f);
      const plain = parseCloudTrailFile(raw, f);
      expect(plain.records.length).toBeGreaterThan(0);
      expect(parseCloudTrailFile(gzipSync(raw), f).records).toEqual(plain.records);
    }
  });

  it('reads Stratus Red Team detonations (bare arrays)', () => {
    const { records } = parseCloudTrailFile(fixture('cloudtrail/stratus.aws.defense-evasion.cloudtrail-stop.json'), 'stratus');
    expect(records.some((r) => r.eventName === 'StopLogging')).toBe(true);
  });

  it('bad_cloudtrail.json gives a clear error naming the file, not a crash', () => {
    let error: unknown;
    try {
      parseCloudTrailFile(fixture('cloudtrail/bad_cloudtrail.json'), 's3://trail/bad_cloudtrail.json.gz');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CloudTrailParseError);
    expect((error as Error).message).toMatch(/^s3:\/\/trail\/bad_cloudtrail\.json\.gz: not a readable CloudTrail log file \(invalid JSON/);
    expect(() => parseCloudTrailFile(Buffer.from([0x1f, 0x8b, 0, 0]), 'corrupt.gz')).toThrow(/gzip data is corrupt/);
    expect(() => parseCloudTrailText('{"foo": 1}', 'x')).toThrow(/neither a Records array/);
    expect(() => parseCloudTrailText('  ', 'x')).toThrow(/empty/);
  });

  it('tolerates a raw control character inside a string (user guide CreateRole record)', () => {
    const { records, warnings } = parseCloudTrailFile(fixture('cloudtrail/cloudtrail-user-guide-CreateRole-raw-nonstrict.json'), 'createrole');
    expect(records[0]!.eventName).toBe('CreateRole');
    expect(warnings[0]).toMatch(/control characters/);
  });

  it('event times in ISO-8601 and the normalised Panther form', () => {
    expect(eventTimeOf({ eventTime: '2023-07-19T21:14:20Z' })!.toISOString()).toBe('2023-07-19T21:14:20.000Z');
    expect(eventTimeOf({ eventTime: '2025-01-21 17:49:47.000000000' })!.toISOString()).toBe('2025-01-21T17:49:47.000Z');
    expect(eventTimeOf({ eventTime: 'yesterday' })).toBeNull();
    const panther = JSON.parse(fixture('cloudtrail/panther.aws_cloudtrail_stopped.tests.json').toString()) as { tests: { log: CloudTrailRecord }[] };
    for (const t of panther.tests) if (t.log.eventTime) expect(eventTimeOf(t.log)).not.toBeNull();
  });
});

describe('S3 access log and flow log parsing (public fixtures)', () => {
  it('parses the official access log lines', () => {
    const { records, problems } = parseS3AccessLog(fixture('s3-access-logs/awsdocs-LogFormat-examples.log').toString());
    expect(problems).toEqual([]);
    expect(records).toHaveLength(5);
    expect(records[0]).toMatchObject({
      bucket: 'DOC-EXAMPLE-BUCKET1',
      operation: 'REST.GET.VERSIONING',
      httpStatus: '200',
      timeIso: '2019-02-06T00:00:38.000Z',
      userAgent: 'S3Console/0.4',
      remoteIpValid: true,
    });
    expect(records[4]).toMatchObject({ operation: 'REST.PUT.OBJECT', key: 's3-dg.pdf', objectSize: '4406583' });
    expect(records[1]!.accessPointArn).toBeNull();
  });

  it('keeps a line with an invalid IP, flagged', () => {
    const { records } = parseS3AccessLog(fixture('s3-access-logs/cloudgrep-readme-example.log').toString());
    expect(records[0]).toMatchObject({ remoteIp: '1.125.222.333', remoteIpValid: false, requester: expect.stringMatching(/assumed-role/) });
    expect(parseS3AccessLog('short line').problems[0]!.message).toMatch(/fields/);
  });

  it('parses default v2 flow logs and custom formats with a header', () => {
    const { records } = parseFlowLog(fixture('vpc-flow-logs/awsdocs-default-format-v2.log').toString());
    expect(records).toHaveLength(7);
    expect(records[0]).toMatchObject({ srcaddr: '172.31.16.139', dstport: 22, action: 'ACCEPT', 'log-status': 'OK' });
    expect(records[2]).toMatchObject({ srcaddr: null, 'log-status': 'NODATA' });
    const annotated = parseFlowLog(fixture('vpc-flow-logs/awsdocs-flow-logs-records-examples.annotated.txt').toString());
    expect(annotated.records.length).toBeGreaterThan(7);
    expect(annotated.records.some((r) => r['vpc-id'] === 'vpc-abcdefab012345678' && r['tcp-flags'] === 2)).toBe(true);
  });
});

describe('analysis filters', () => {
  const rec = (over: Partial<CloudTrailRecord>): CloudTrailRecord => ({
    eventSource: 'bedrock.amazonaws.com',
    sourceIPAddress: '203.0.113.7',
    ...over,
  });
  it('principal: user ARN, role ARN against assumed-role sessions, session issuer', () => {
    const assumed = rec({
      userIdentity: {
        arn: 'arn:aws:sts::111122223333:assumed-role/AppRole/i-123',
        sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::111122223333:role/service/AppRole' } },
      },
    });
    expect(principalMatches(assumed, 'arn:aws:iam::111122223333:role/service/AppRole')).toBe(true);
    expect(principalMatches(assumed, 'arn:aws:sts::111122223333:assumed-role/AppRole')).toBe(true);
    expect(principalMatches(assumed, 'arn:aws:iam::111122223333:role/Other')).toBe(false);
    expect(principalMatches(rec({ userIdentity: { arn: 'arn:aws:iam::1:user/Nikki' } }), 'arn:aws:iam::1:user/Nikki')).toBe(true);
  });
  it('access key, source IP (zero-padded IPv4 normalised) and AI sources, combined with AND', () => {
    expect(normalizeIp('086.245.003.234')).toBe('86.245.3.234');
    const r = rec({ sourceIPAddress: '086.245.153.234', userIdentity: { accessKeyId: 'AKIAI44QH8DHBEXAMPLE' } });
    expect(matchesFilter(r, { sourceIp: '86.245.153.234', accessKeyId: 'AKIAI44QH8DHBEXAMPLE', aiOnly: true })).toBe(true);
    expect(matchesFilter(rec({ eventSource: 's3.amazonaws.com' }), { aiOnly: true })).toBe(false);
    expect(matchesFilter(r, { accessKeyId: 'AKIAOTHEROTHEROTHER1' })).toBe(false);
  });
});

describe('baseline of known-good model artifact hashes', () => {
  const good = 'a'.repeat(64);
  const bad = 'b'.repeat(64);
  it('accepts JSON and sha256sum forms with clear errors', () => {
    expect(parseBaseline(JSON.stringify({ artifacts: [{ uri: 's3://ml-models/model.tar.gz', sha256: good }] }), 'f')).toEqual([
      { uri: 's3://ml-models/model.tar.gz', sha256: good },
    ]);
    expect(parseBaseline(JSON.stringify({ 's3://ml-models/model.tar.gz': good.toUpperCase() }), 'f')[0]!.sha256).toBe(good);
    expect(parseBaseline(`# known good\n${good}  s3://ml-models/model.tar.gz\n`, 'f')).toHaveLength(1);
    expect(() => parseBaseline(`${good} /local/path`, 'f')).toThrow(/not an s3/);
    expect(() => parseBaseline('{"s3://ml-models/k": "123"}', 'f')).toThrow(/64-digit/);
    expect(() => parseBaseline('{oops', 'f')).toThrow(/not valid JSON/);
  });
  it('reads an artifact named in any S3 location form as the s3:// URI collect records, and refuses a bucket S3 cannot hold', () => {
    const named = [
      'https://ml-models.s3.eu-west-1.amazonaws.com/model.tar.gz',
      'https://s3.eu-west-1.amazonaws.com/ml-models/model.tar.gz',
      'arn:aws:s3:::ml-models/model.tar.gz',
      's3://ml-models/model.tar.gz',
    ];
    for (const uri of named) expect(parseBaseline(`${good}  ${uri}\n`, 'f'), uri).toEqual([{ uri: 's3://ml-models/model.tar.gz', sha256: good }]);
    expect(() => parseBaseline(`${good}  s3://ml-models/\n`, 'f')).toThrow(/not an s3:\/\/bucket\/key URI/);
    expect(() => parseBaseline(`${good}  s3://a..b/model.tar.gz\n`, 'f')).toThrow(/not an s3:\/\/bucket\/key URI/);
  });
  it('flags a current version that differs and names the known-good version', () => {
    const cmp = compareToBaseline(
      [
        { uri: 's3://ml-models/model.tar.gz', versionId: 'v2', isLatest: true, sha256: bad },
        { uri: 's3://ml-models/model.tar.gz', versionId: 'v1', isLatest: false, sha256: good },
        { uri: 's3://ml-models/other.tar.gz', versionId: null, isLatest: true, sha256: good },
      ],
      [
        { uri: 's3://ml-models/model.tar.gz', sha256: good },
        { uri: 's3://ml-models/gone.tar.gz', sha256: good },
      ],
    );
    expect(cmp.tampered).toEqual([
      { uri: 's3://ml-models/model.tar.gz', versionId: 'v2', sha256: bad, expectedSha256: good, knownGoodVersionId: 'v1' },
    ]);
    expect(cmp.versions.map((v) => v.verdict)).toEqual(['MISMATCH', 'MATCH', 'NOT_IN_BASELINE']);
    expect(cmp.missing.map((m) => m.uri)).toEqual(['s3://ml-models/gone.tar.gz']);
  });
});

describe('request pacing', () => {
  it('a token bucket spaces takes evenly at the rate', async () => {
    let now = 0;
    const slept: number[] = [];
    const bucket = new TokenBucket(
      2,
      () => now,
      async (ms) => {
        slept.push(ms);
        now += ms;
      },
    );
    for (let i = 0; i < 5; i++) await bucket.take();
    expect(now).toBe(2000);
    expect(slept).toEqual([500, 500, 500, 500]);
    const limiters = new RateLimiters(
      2,
      () => 0,
      async () => {},
    );
    expect(limiters.for('a|us-east-1')).toBe(limiters.for('a|us-east-1'));
    expect(limiters.for('a|us-east-1')).not.toBe(limiters.for('a|eu-west-1'));
  });
  it('retries throttling only', async () => {
    let calls = 0;
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const out = await retryThrottled(async () => (++calls < 3 ? Promise.reject(throttle) : 'ok'), {
      retries: 5,
      baseDelayMs: 1,
      sleep: async () => {},
    });
    expect(out).toBe('ok');
    expect(calls).toBe(3);
    await expect(
      retryThrottled(async () => Promise.reject(Object.assign(new Error('no'), { name: 'AccessDeniedException' })), { retries: 5, baseDelayMs: 1 }),
    ).rejects.toThrow('no');
  });
});

describe('s3Origin', () => {
  const read = { ETag: '"e1"', LastModified: new Date('2026-11-01T10:00:00Z'), $metadata: { requestId: 'REQ1' } };
  it.each([
    ['a versioned answer names its version', { ...read, VersionId: 'v2' }, undefined, 'v2'],
    ['"null" is an unversioned object, not a version', { ...read, VersionId: 'null' }, undefined, null],
    ['the requested version stands in when the answer names none', read, 'v1', 'v1'],
    ['the answer wins over the requested version', { ...read, VersionId: 'v3' }, 'v1', 'v3'],
  ])('%s', (_, answer, requested, versionId) => {
    expect(s3Origin('b', 'a/k.json.gz', '111122223333', answer, requested)).toEqual({
      kind: 's3',
      uri: 's3://b/a/k.json.gz',
      bucket: 'b',
      key: 'a/k.json.gz',
      versionId,
      etag: '"e1"',
      lastModified: '2026-11-01T10:00:00.000Z',
      readVia: '111122223333',
      requestId: 'REQ1',
    });
  });

  it('a read that says nothing gives nulls, never invented values', () => {
    expect(s3Origin('b', 'k', '111122223333')).toMatchObject({ versionId: null, etag: null, lastModified: null, requestId: null });
  });
});
