// One event per real request: the join on request id / eventID, the fallback on operation + target + requester
// within the window, one record per source family, and counts that count requests.
import { describe, expect, it } from 'vitest';
import { Correlator, canonicalOperation } from '../../src/analysis/correlate.js';
import { compareEvents, type TimelineEvent } from '../../src/analysis/event.js';
import { fromS3AccessLog } from '../../src/analysis/normalize.js';
import { parseS3AccessLog } from '../../src/collect/parsers/s3-access-log.js';
import { ctEvent, testEvent } from './helpers.js';

const USER = 'arn:aws:iam::111122223333:user/leaked';
const T0 = Date.UTC(2026, 10, 1, 10, 0, 0);
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

const trailGet = (s: number, requestID: string | null, key = 'data/a.csv', eventID = `e-${s}-${key}`) =>
  ctEvent(
    {
      eventVersion: '1.09',
      eventTime: iso(s),
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.23',
      eventID,
      ...(requestID ? { requestID } : {}),
      userIdentity: { type: 'IAMUser', arn: USER, accessKeyId: 'AKIALEAKED0000000001' },
      requestParameters: { bucketName: 'training', key },
    },
    'evidence/trail.json',
    s,
  );

const accessGet = (s: number, requestId: string, key = 'data/a.csv', bytes = 1000) => {
  const t = new Date(T0 + s * 1000);
  const stamp = `${String(t.getUTCDate()).padStart(2, '0')}/Nov/2026:${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}:${String(t.getUTCSeconds()).padStart(2, '0')} +0000`;
  const line = `79a5 training [${stamp}] 198.51.100.23 ${USER} ${requestId} REST.GET.OBJECT ${key} "GET /${key} HTTP/1.1" 200 - ${bytes} ${bytes} 1 1 "-" "aws-cli" -`;
  const n = fromS3AccessLog(parseS3AccessLog(line).records[0]!, {
    ref: { path: 'evidence/access.log', line: s + 1 },
    account: '111122223333',
    region: null,
  });
  if (!n.ok) throw new Error(n.reason);
  return n.event;
};

function correlate(events: TimelineEvent[], windowMs = 5000): { out: TimelineEvent[]; merged: number } {
  const c = new Correlator({ windowMs });
  const out: TimelineEvent[] = [];
  for (const e of [...events].sort(compareEvents)) out.push(...c.push(e));
  out.push(...c.flush());
  return { out, merged: c.merged };
}

describe('Correlator', () => {
  it.each<[string, TimelineEvent[], number]>([
    ['data event + access-log line with the same request id: one event', [trailGet(0, 'R1'), accessGet(1, 'R1')], 1],
    ['same request id, the access log 4 s later', [trailGet(0, 'R1'), accessGet(4, 'R1')], 1],
    ['different request ids: two requests', [trailGet(0, 'R1'), accessGet(1, 'R2')], 2],
    ['no request id on the trail side: joined on GET + object + requester within the window', [trailGet(0, null), accessGet(2, 'R9')], 1],
    ['no id, but too far apart: two requests', [trailGet(0, null), accessGet(30, 'R9')], 2],
    ['no id, different object: two requests', [trailGet(0, null), accessGet(1, 'R9', 'data/b.csv')], 2],
    [
      'two trails delivering the same event (same eventID): one event',
      [
        trailGet(0, 'R1', 'data/a.csv', 'E1'),
        {
          ...trailGet(0, 'R1', 'data/a.csv', 'E1'),
          evidenceRef: { path: 'evidence/other-trail.json', record: 0 },
          evidence: [{ path: 'evidence/other-trail.json', record: 0 }],
        },
      ],
      1,
    ],
    [
      'two alike GETs and their two log lines, no ids on the trail side: two events, paired one to one',
      [trailGet(0, null, 'data/a.csv', 'E1'), trailGet(1, null, 'data/a.csv', 'E2'), accessGet(1, 'Q1'), accessGet(2, 'Q2')],
      2,
    ],
    [
      'two CloudTrail events sharing a request id but not an eventID stay two',
      [trailGet(0, 'R1', 'data/a.csv', 'E1'), trailGet(0, 'R1', 'data/a.csv', 'E2')],
      2,
    ],
  ])('%s', (_name, events, want) => {
    const { out, merged } = correlate(events);
    expect(out).toHaveLength(want);
    expect(merged).toBe(events.length - want);
    for (let i = 1; i < out.length; i++) expect(out[i - 1]!.time <= out[i]!.time).toBe(true);
  });

  it('the merged event keeps CloudTrail identity, both evidence refs, the access log bytes, and both sources', () => {
    const { out } = correlate([accessGet(1, 'R1', 'data/a.csv', 4096), trailGet(1, 'R1')]);
    const [e] = out;
    expect(e).toMatchObject({
      source: 'cloudtrail',
      actorKey: 'AKIALEAKED0000000001',
      accessKeyId: 'AKIALEAKED0000000001',
      bytesOut: 4096,
      requestId: 'R1',
      sources: ['cloudtrail', 's3-access-log'],
    });
    expect(e!.evidence.map((r) => r.path).sort()).toEqual(['evidence/access.log', 'evidence/trail.json']);
    expect(e!.evidenceRef).toEqual(e!.evidence[0]);
  });

  it('a bulk read seen in both sources counts each request once (bytes too)', () => {
    const events = Array.from({ length: 50 }, (_, i) => [trailGet(i, `R${i}`, `data/${i}.csv`), accessGet(i, `R${i}`, `data/${i}.csv`, 100)]).flat();
    const { out } = correlate(events);
    expect(out).toHaveLength(50);
    expect(new Set(out.map((e) => e.target)).size).toBe(50);
    expect(out.reduce((n, e) => n + (e.bytesOut ?? 0), 0)).toBe(5000);
  });

  it('a Bedrock invocation record joins its CloudTrail InvokeModel on requestId and brings its content', () => {
    const trail = ctEvent({
      eventTime: iso(0),
      eventSource: 'bedrock.amazonaws.com',
      eventName: 'InvokeModel',
      requestID: 'b-1',
      userIdentity: { type: 'IAMUser', arn: USER, accessKeyId: 'AKIALEAKED0000000001' },
      requestParameters: { modelId: 'anthropic.claude-v2' },
    });
    const inv = testEvent({
      time: iso(0),
      source: 'bedrock-invocation',
      action: 'InvokeModel',
      target: 'anthropic.claude-v2',
      principal: USER,
      requestId: 'b-1',
      evidenceRef: { path: 'evidence/inv.jsonl', line: 1 },
      evidence: [{ path: 'evidence/inv.jsonl', line: 1 }],
      detail: { input: { inputBodyJson: { prompt: 'hi' } }, inputTokenCount: 5 },
    });
    const { out } = correlate([trail, inv]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      source: 'cloudtrail',
      sources: ['cloudtrail', 'bedrock-invocation'],
      detail: { input: { inputBodyJson: { prompt: 'hi' } }, inputTokenCount: 5, eventID: null },
    });
  });

  it('flow-log records are never merged', () => {
    const flow = (s: number) => testEvent({ time: iso(s), source: 'flow-log', action: 'ACCEPT', target: '10.0.0.1:443', sourceIp: '198.51.100.23' });
    expect(correlate([flow(0), flow(0)]).out).toHaveLength(2);
  });

  it.each([
    [{ source: 's3-access-log', action: 'REST.GET.OBJECT' }, 'GetObject'],
    [{ source: 's3-access-log', action: 'REST.GET.BUCKET' }, 'ListObjects'],
    [{ source: 'cloudtrail', action: 'ListObjectsV2' }, 'ListObjects'],
    [{ source: 'cloudtrail', action: 'PutObject' }, 'PutObject'],
  ] as const)('canonicalOperation(%o) = %s', (e, want) => expect(canonicalOperation(e)).toBe(want));
});

describe('merged detail', () => {
  // The detail of a merged event is { ...other, ...primary } as a spread makes it, also for keys hostile JSON may hold.
  const withDetail = (source: TimelineEvent['source'], record: number, detail: Record<string, unknown>) =>
    testEvent({ time: iso(0), source, requestId: 'R1', target: 's3://training/k', evidenceRef: { path: 'evidence/d.json', record }, detail });
  it.each([
    ['disjoint keys', { a: 1 }, { b: 2 }],
    ['the primary wins a shared key, in the other record key order', { b: 1, a: 1 }, { a: 2, c: 3 }],
    ['integer-like keys', { 2: 'x', z: 1 }, { 1: 'y' }],
    ['an own __proto__ key stays an own key', JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'), JSON.parse('{"__proto__": {"b": 1}}')],
  ])('%s', (_n, primary: Record<string, unknown>, other: Record<string, unknown>) => {
    const trail = withDetail('cloudtrail', 0, primary);
    const log = withDetail('s3-access-log', 1, other);
    const c = new Correlator();
    c.push(log);
    c.push(trail);
    const out = c.flush();
    expect(out).toHaveLength(1);
    const [e] = out;
    const want = { ...other, ...primary };
    expect(JSON.stringify(e!.detail)).toBe(JSON.stringify(want));
    expect(Object.getPrototypeOf(e!.detail)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
