// Normalisers per source (public fixtures and our own records), the timeline order, and the on-disk sort.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareEvents, type TimelineEvent } from '../../src/analysis/event.js';
import {
  fromBedrockInvocation,
  fromCloudTrail,
  fromDataCapture,
  fromEndpointLogEvent,
  fromFlowLog,
  fromS3AccessLog,
  isPublicIp,
  normaliseIp,
} from '../../src/analysis/normalize.js';
import { classifyItem } from '../../src/analysis/read-bundle.js';
import { TimelineSorter } from '../../src/analysis/sorter.js';
import { parseCloudTrailFile, type CloudTrailRecord } from '../../src/collect/parsers/cloudtrail.js';
import { parseFlowLog } from '../../src/collect/parsers/flow-log.js';
import { parseS3AccessLog } from '../../src/collect/parsers/s3-access-log.js';
import { type ManifestItem, s3Origin } from '../../src/collect/manifest.js';
import { cleanupTempDirs, ctEvent, fixtureJson, fixtureText, pantherCases, PUBLIC, tempDir, testEvent } from './helpers.js';

afterAll(cleanupTempDirs);
const ctx = { ref: { path: 'p', line: 1 }, account: '111122223333', region: 'us-east-1' };

describe('IP normalisation', () => {
  it.each([
    ['08.1.250.216', '8.1.250.216'],
    ['251.234.045.249', '251.234.45.249'],
    ['225.01.00.16', '225.1.0.16'],
    ['1.125.222.333', '1.125.222.333'],
    ['2001:DB8::1', '2001:db8::1'],
    ['s3.amazonaws.com', 's3.amazonaws.com'],
    ['', null],
  ])('%s -> %s', (raw, want) => expect(normaliseIp(raw)).toBe(want));

  it.each([
    ['8.8.8.8', true],
    ['10.0.0.1', false],
    ['172.20.1.1', false],
    ['192.168.0.1', false],
    ['100.64.0.1', false],
    ['198.51.100.23', true],
    ['fd00::1', false],
    ['AWS Internal', false],
  ])('isPublicIp(%s) = %s', (ip, want) => expect(isPublicIp(ip)).toBe(want));
});

describe('CloudTrail records', () => {
  it('stratus detonation: zero-padded IP, fake region, principal ARN, target from requestParameters', () => {
    const [r] = fixtureJson<CloudTrailRecord[]>('cloudtrail/stratus.aws.defense-evasion.cloudtrail-delete.json');
    const e = ctEvent(r!);
    expect(e).toMatchObject({
      time: '2024-07-31T12:46:41.000Z',
      source: 'cloudtrail',
      account: '847129010505',
      actor: 'arn:aws:iam::847129010505:user/christophe',
      sourceIp: '8.1.250.216',
      service: 'cloudtrail.amazonaws.com',
      action: 'DeleteTrail',
      target: 'stratus-red-team-cloudtraild-trail-kvrwohmiai',
      outcome: 'success',
    });
    expect(e.region).toBe(r!.awsRegion);
  });

  it("Panther's normalised eventTime (space, nanoseconds) becomes ISO UTC", () => {
    const c = pantherCases('panther.aws_vpc_flow_logs_deleted.tests.json')[0]!;
    expect(ctEvent(c.log).time).toBe('2024-11-26T19:29:38.000Z');
    expect(ctEvent(c.log).target).toBe('fl-0ef673ef70c4f07cc');
  });

  it('error records carry the error code as outcome', () => {
    const c = pantherCases('panther.aws_cloudtrail_stopped.tests.json').find((t) => t.name === 'Error Stopping CloudTrail')!;
    expect(ctEvent(c.log).outcome).toBe('InvalidTrailNameException');
    const guide = parseCloudTrailFile(readFileSync(join(PUBLIC, 'cloudtrail/cloudtrail-user-guide-log-file-examples.Records.json')), 'guide').records;
    const errors = guide.map((r) => ctEvent(r)).filter((e) => e.outcome !== 'success');
    expect(errors.length).toBeGreaterThan(0);
  });

  it('insights events become Insight:<api>:<state> with the API source as service', () => {
    const { records } = parseCloudTrailFile(readFileSync(join(PUBLIC, 'cloudtrail/cloudtrail-user-guide-insights-event.json')), 'insights');
    const e = ctEvent(records[0]!);
    expect(e.action).toBe('Insight:UpdateInstanceInformation:Start');
    expect(e.service).toBe('ssm.amazonaws.com');
    expect(e.actor).toBeNull();
  });

  it('a record with a raw control character is read (parser repair) and keeps the character as data', () => {
    const { records, warnings } = parseCloudTrailFile(
      readFileSync(join(PUBLIC, 'cloudtrail/cloudtrail-user-guide-CreateRole-raw-nonstrict.json')),
      'raw',
    );
    expect(warnings.join()).toMatch(/control characters/);
    expect(records.map((r) => ctEvent(r).action)).toContain('CreateRole');
  });

  it('SageMaker example: recipientAccountId wins over userIdentity.accountId', () => {
    const { records } = parseCloudTrailFile(readFileSync(join(PUBLIC, 'cloudtrail/sagemaker-developer-guide-examples.Records.json')), 'sm');
    const events = records.map((r) => ctEvent(r));
    expect(events.map((e) => e.action).sort()).toEqual(['CreateEndpoint', 'CreateModel']);
    for (const [i, e] of events.entries()) expect(e.account).toBe(records[i]!.recipientAccountId);
  });

  it('an unreadable eventTime is a reason, not a crash', () => {
    expect(fromCloudTrail({ eventName: 'X', eventTime: 'yesterday' }, ctx)).toEqual({ ok: false, reason: 'unreadable eventTime "yesterday"' });
  });
});

describe('other sources', () => {
  it('Bedrock invocation log record', () => {
    const n = fromBedrockInvocation(
      {
        schemaType: 'ModelInvocationLog',
        timestamp: '2024-05-01T10:00:00Z',
        accountId: '111122223333',
        region: 'eu-west-1',
        operation: 'Converse',
        modelId: 'anthropic.claude-v2',
        identity: { arn: 'arn:aws:iam::111122223333:user/u' },
        input: { inputBodyJson: { prompt: 'hi' } },
      },
      ctx,
    );
    expect(n.ok && n.event).toMatchObject({
      time: '2024-05-01T10:00:00.000Z',
      source: 'bedrock-invocation',
      region: 'eu-west-1',
      actor: 'arn:aws:iam::111122223333:user/u',
      action: 'Converse',
      target: 'anthropic.claude-v2',
      outcome: 'success',
    });
    expect(fromBedrockInvocation({ timestamp: 'nope' }, ctx).ok).toBe(false);
  });

  it('SageMaker endpoint CloudWatch events (published sample)', () => {
    const lines = fixtureText('sagemaker/sumologic-docs-cloudwatch-log-events.jsonl').split('\n').filter(Boolean);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    const event = { timestamp: Date.parse('2024-01-01T00:00:00Z'), message: JSON.stringify(first), logStreamName: 'AllTraffic/i-1' };
    const n = fromEndpointLogEvent(event, { ...ctx, logGroup: '/aws/sagemaker/Endpoints/fraud-ep' });
    expect(n.ok && n.event).toMatchObject({ source: 'sagemaker-endpoint-log', target: 'fraud-ep', time: '2024-01-01T00:00:00.000Z' });
  });

  it('SageMaker data capture (published sample, re-joined over its wrapped lines by the reader)', () => {
    const text = fixtureText('sagemaker/awsdocs-data-capture-sample.jsonl');
    // Re-join the way the reader does: accumulate lines until they parse.
    const records: unknown[] = [];
    let pending = '';
    for (const line of text.split('\n')) {
      if (!pending && !line.trim()) continue;
      pending = pending ? `${pending}\n${line}` : line;
      try {
        records.push(JSON.parse(pending));
        pending = '';
      } catch {
        // keep accumulating
      }
    }
    expect(records.length).toBeGreaterThan(0);
    const n = fromDataCapture(records[0], { ...ctx, key: 'capture/fraud-ep/AllTraffic/2024/01/01/00/a.jsonl' });
    expect(n.ok && n.event).toMatchObject({ source: 'sagemaker-data-capture', action: 'InvokeEndpoint', target: 'fraud-ep/AllTraffic' });
  });

  it('S3 access log lines (official examples; invalid IP kept as data)', () => {
    const { records } = parseS3AccessLog(fixtureText('s3-access-logs/awsdocs-LogFormat-examples.log'));
    const events = records
      .map((r) => fromS3AccessLog(r, ctx))
      .filter((n) => n.ok)
      .map((n) => (n as { event: TimelineEvent }).event);
    expect(events.length).toBe(records.length);
    expect(events[0]).toMatchObject({ source: 's3-access-log', service: 's3.amazonaws.com' });
    expect(events[0]!.target).toMatch(/^s3:\/\//);
    const bad = parseS3AccessLog(fixtureText('s3-access-logs/cloudgrep-readme-example.log')).records[0]!;
    const e = fromS3AccessLog(bad, ctx);
    expect(e.ok && e.event.sourceIp).toBe('1.125.222.333');
    expect(e.ok && e.event.detail?.remoteIpValid).toBe(false);
  });

  it('VPC flow log records (default v2: ACCEPT, REJECT, NODATA)', () => {
    const { records } = parseFlowLog(fixtureText('vpc-flow-logs/awsdocs-default-format-v2.log'));
    const events = records
      .map((r) => fromFlowLog(r, ctx))
      .filter((n) => n.ok)
      .map((n) => (n as { event: TimelineEvent }).event);
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((e) => e.outcome === 'REJECT')).toBe(true);
    expect(events.some((e) => e.outcome === 'success' && e.action.startsWith('ACCEPT'))).toBe(true);
    for (const e of events) expect(e.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
  });
});

describe('bundle items', () => {
  const item = (path: string, source: ManifestItem['source'], origin: ManifestItem['origin']): ManifestItem => ({
    path,
    source,
    origin,
    sha256: '0'.repeat(64),
    bytes: 1,
    accountId: '111122223333',
    region: 'us-east-1',
    collectedAt: '',
  });
  const s3 = s3Origin('b', 'k', '1');
  const api = (action: string) => ({ kind: 'api' as const, service: 'x', action, accountId: '1', region: 'r', requestId: null });
  it.each([
    ['evidence/1/us-east-1/cloudtrail/s3/b/k.json.gz', 'cloudtrail', s3, 'trail-file'],
    ['evidence/1/us-east-1/cloudtrail/s3-digest/b/k.json.gz', 'cloudtrail', s3, null],
    ['evidence/1/us-east-1/cloudtrail/lookup-events/page-00001.json', 'cloudtrail', api('LookupEvents'), 'lookup-events'],
    ['evidence/1/us-east-1/cloudtrail/lookup-events/page-00001.response.json', 'cloudtrail', api('LookupEvents'), null],
    ['evidence/1/us-east-1/bedrock/invocation-logs-s3/b/k.json.gz', 'bedrock', s3, 'bedrock-s3'],
    ['evidence/1/us-east-1/bedrock/invocation-logs-cw/g/events.p00001.json', 'bedrock', api('FilterLogEvents'), 'bedrock-cw'],
    ['evidence/1/us-east-1/bedrock/config/model-invocation-logging.json', 'bedrock', api('GetModelInvocationLoggingConfiguration'), null],
    ['evidence/1/us-east-1/sagemaker/endpoint-logs/g/events.p00001.json', 'sagemaker', api('FilterLogEvents'), 'endpoint-logs'],
    ['evidence/1/us-east-1/sagemaker/data-capture/b/k.jsonl', 'sagemaker', s3, 'data-capture'],
    ['evidence/1/global/s3-access-logs/logs/b/k', 's3-access-logs', s3, 'access-log'],
    ['evidence/1/us-east-1/flow-logs/s3/b/k.log.gz', 'flow-logs', s3, 'flow-log-s3'],
    ['evidence/1/us-east-1/flow-logs/cloudwatch/g/events.p00001.json', 'flow-logs', api('FilterLogEvents'), 'flow-log-cw'],
    ['analysis/events.jsonl', 'analysis', { kind: 'derived' as const, description: 'd' }, null],
  ])('%s -> %s', (path, source, origin, want) => expect(classifyItem(item(path, source as ManifestItem['source'], origin))).toBe(want));
});

describe('timeline order', () => {
  const ev = (time: string, path: string, line?: number, record?: number): TimelineEvent => {
    const ref = { path, ...(line !== undefined ? { line } : {}), ...(record !== undefined ? { record } : {}) };
    return testEvent({ time, evidenceRef: ref, evidence: [ref] });
  };

  it('sorts by time, then file, line and record, whatever the input order', () => {
    const events = [
      ev('2024-01-01T00:00:01.000Z', 'b', 1),
      ev('2024-01-01T00:00:00.000Z', 'z'),
      ev('2024-01-01T00:00:01.000Z', 'a', 2),
      ev('2024-01-01T00:00:01.000Z', 'a', 1),
      ev('2024-01-01T00:00:01.000Z', 'a', undefined, 3),
    ];
    const sorted = [...events]
      .sort(compareEvents)
      .map((e) => `${e.time.slice(17, 19)} ${e.evidenceRef.path}:${e.evidenceRef.line ?? '-'}#${e.evidenceRef.record ?? '-'}`);
    expect(sorted).toEqual(['00 z:-#-', '01 a:-#3', '01 a:1#-', '01 a:2#-', '01 b:1#-']);
    expect([...events].reverse().sort(compareEvents)).toEqual([...events].sort(compareEvents));
  });

  it('the on-disk merge sort gives the same order as an in-memory sort', async () => {
    const dir = await tempDir('sort');
    const events = Array.from({ length: 257 }, (_, i) =>
      ev(new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % 101) * 1000).toISOString(), `f${i % 5}`, i),
    );
    const sorter = new TimelineSorter(join(dir, 'runs'), 10);
    for (const e of events) await sorter.add(e);
    const out: TimelineEvent[] = [];
    for await (const e of sorter.sorted()) out.push(e);
    expect(out).toEqual([...events].sort(compareEvents));
  });
});

describe('contract fields of every event', () => {
  const W = '111122223333';
  const base = {
    eventVersion: '1.09',
    eventTime: '2024-05-01T10:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    requestID: 'REQ1',
    userAgent: 'aws-cli/2',
  };
  const session = `arn:aws:sts::${W}:assumed-role/Trainer/i-123`;

  it.each([
    ['long-term key', { type: 'IAMUser', arn: `arn:aws:iam::${W}:user/dev`, accessKeyId: 'AKIAEXAMPLE000000001' }, 'AKIAEXAMPLE000000001'],
    [
      'temporary key rolls up to its role session',
      {
        type: 'AssumedRole',
        arn: session,
        accessKeyId: 'ASIAEXAMPLE000000001',
        sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${W}:role/Trainer` } },
      },
      session,
    ],
    ['no key: the principal', { type: 'IAMUser', arn: `arn:aws:iam::${W}:user/dev` }, `arn:aws:iam::${W}:user/dev`],
    ['nothing but the IP', {}, '198.51.100.7'],
    ['AWS service', { type: 'AWSService', invokedBy: 'config.amazonaws.com' }, 'config.amazonaws.com'],
  ])('actorKey: %s', (_name, userIdentity, want) => {
    expect(ctEvent({ ...base, userIdentity }).actorKey).toBe(want);
  });

  it('reads lower-cased exports (accesskeyid, useridentity, requestid) the same as the delivered shape', () => {
    const lower = {
      eventtime: '2024-05-01T10:00:00Z',
      eventsource: 's3.amazonaws.com',
      eventname: 'GetObject',
      sourceipaddress: '198.51.100.7',
      requestid: 'REQ1',
      useridentity: { type: 'IAMUser', arn: `arn:aws:iam::${W}:user/dev`, accesskeyid: 'AKIAEXAMPLE000000001' },
    };
    const e = ctEvent(lower);
    expect(e).toMatchObject({
      action: 'GetObject',
      accessKeyId: 'AKIAEXAMPLE000000001',
      actorKey: 'AKIAEXAMPLE000000001',
      requestId: 'REQ1',
      sourceIp: '198.51.100.7',
    });
  });

  it("unwraps LookupEvents' CloudTrailEvent string", () => {
    const inner = {
      ...base,
      userIdentity: {
        type: 'AssumedRole',
        arn: session,
        accessKeyId: 'ASIAX',
        sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${W}:role/Trainer` }, sourceIdentity: 'alice' },
      },
    };
    const e = ctEvent({ EventName: 'GetObject', CloudTrailEvent: JSON.stringify(inner) });
    expect(e).toMatchObject({
      requestId: 'REQ1',
      actorKey: session,
      sessionIssuer: `arn:aws:iam::${W}:role/Trainer`,
      sourceIdentity: 'alice',
      userType: 'AssumedRole',
      userAgent: 'aws-cli/2',
    });
  });

  it('S3 data events carry bytes transferred; evidence starts with the record', () => {
    const e = ctEvent(
      { ...base, userIdentity: { type: 'IAMUser', accessKeyId: 'AKIAQ' }, additionalEventData: { bytesTransferredOut: 2048, bytesTransferredIn: 0 } },
      'evidence/t.json',
      3,
    );
    expect(e).toMatchObject({ bytesOut: 2048, bytesIn: 0, evidence: [{ path: 'evidence/t.json', record: 3 }] });
    expect(e.evidence[0]).toBe(e.evidenceRef);
  });

  it('phase: baseline for baseline items and for time before the window, else incident', () => {
    const rec = { ...base, userIdentity: {} } as CloudTrailRecord;
    const at = (over: object) => {
      const n = fromCloudTrail(rec, { ref: { path: 'p' }, account: null, region: null, ...over });
      return n.ok ? n.event.phase : n.reason;
    };
    expect(at({})).toBe('incident');
    expect(at({ baseline: true })).toBe('baseline');
    expect(at({ windowStart: '2024-05-01T10:00:01.000Z' })).toBe('baseline');
    expect(at({ windowStart: '2024-05-01T10:00:00.000Z' })).toBe('incident');
  });

  it('S3 access log: Request ID, bytes sent out, object size in for writes', () => {
    const get = parseS3AccessLog(fixtureText('s3-access-logs/awsdocs-LogFormat-examples.log'))
      .records.map((r) => fromS3AccessLog(r, ctx))
      .find((n) => n.ok && n.event.action === 'REST.GET.VERSIONING');
    expect(get?.ok && get.event.requestId).toBeTruthy();
    const put = parseS3AccessLog(
      '79a5 amzn-s3-demo-bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 arn:aws:iam::123456789012:user/x 3E57427F3EXAMPLE REST.PUT.OBJECT data/a.csv "PUT /data/a.csv HTTP/1.1" 200 - - 4096 70 10 "-" "S3Console/0.4" -',
    ).records[0]!;
    const n = fromS3AccessLog(put, ctx);
    expect(n.ok && n.event).toMatchObject({
      requestId: '3E57427F3EXAMPLE',
      bytesIn: 4096,
      bytesOut: null,
      actorKey: 'arn:aws:iam::123456789012:user/x',
      userAgent: 'S3Console/0.4',
    });
  });

  it('flow logs: bytes leaving the VPC are out, the actor key is the remote address', () => {
    const out = parseFlowLog('2 123456789010 eni-1235b8ca123456789 10.0.1.5 203.0.113.12 49761 443 6 20 4249 1418530010 1418530070 ACCEPT OK')
      .records[0]!;
    const inn = parseFlowLog('2 123456789010 eni-1235b8ca123456789 203.0.113.12 10.0.1.5 443 49761 6 20 999 1418530010 1418530070 ACCEPT OK')
      .records[0]!;
    const a = fromFlowLog(out, ctx);
    const b = fromFlowLog(inn, ctx);
    expect(a.ok && a.event).toMatchObject({ bytesOut: 4249, bytesIn: null, actorKey: '203.0.113.12' });
    expect(b.ok && b.event).toMatchObject({ bytesOut: null, bytesIn: 999, actorKey: '203.0.113.12' });
  });

  it('Bedrock invocation logs keep request id, model, raw input/output, token counts and guardrail fields', () => {
    const rec = {
      timestamp: '2024-05-01T10:00:00Z',
      requestId: 'b-1',
      operation: 'Converse',
      modelId: 'anthropic.claude-3',
      identity: { arn: session },
      input: { inputBodyJson: { messages: [{ role: 'user', content: [{ text: 'hi' }] }] }, inputTokenCount: 12 },
      output: { outputBodyJson: { stopReason: 'guardrail_intervened', 'amazon-bedrock-guardrailAction': 'INTERVENED' }, outputTokenCount: 3 },
    };
    const n = fromBedrockInvocation(rec, ctx);
    expect(n.ok && n.event).toMatchObject({
      requestId: 'b-1',
      actorKey: session,
      action: 'Converse',
      detail: {
        modelId: 'anthropic.claude-3',
        inputTokenCount: 12,
        outputTokenCount: 3,
        input: rec.input,
        output: rec.output,
        guardrail: { 'amazon-bedrock-guardrailAction': 'INTERVENED' },
      },
    });
  });
});
