// Events for rule tables, built through the real normalisers so the fields are what analyze produces.
import type { TimelineEvent } from '../../../src/analysis/event.js';
import { fromBedrockInvocation, fromCloudTrail, fromS3AccessLog, fromFlowLog, fromDataCapture } from '../../../src/analysis/normalize.js';
import { parseS3AccessLog } from '../../../src/collect/parsers/s3-access-log.js';
import type { CloudTrailRecord } from '../../../src/collect/parsers/cloudtrail.js';
import type { FlowLogRecord } from '../../../src/collect/parsers/flow-log.js';

export const ACCOUNT = '111122223333';
export const WINDOW = { start: '2024-06-01T00:00:00.000Z', end: '2024-06-02T00:00:00.000Z' };
export const BASELINE = { start: '2024-05-25T00:00:00.000Z', end: '2024-06-01T00:00:00.000Z' };
export const MALLORY = {
  type: 'IAMUser',
  arn: `arn:aws:iam::${ACCOUNT}:user/mallory`,
  accountId: ACCOUNT,
  accessKeyId: 'AKIAMALLORY000000001',
  userName: 'mallory',
};
export const APP_ROLE = {
  type: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/i-0abc`,
  accountId: ACCOUNT,
  accessKeyId: 'ASIAAPP0000000000001',
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/app` } },
};
export const ROOT = { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };

let seq = 0;
const ok = (n: { ok: true; event: TimelineEvent } | { ok: false; reason: string }): TimelineEvent => {
  if (!n.ok) throw new Error(n.reason);
  return n.event;
};

/** A CloudTrail record (defaults: IAM user mallory from 203.0.113.9, in the window). */
export function ct(over: Partial<CloudTrailRecord> & Record<string, unknown>): TimelineEvent {
  seq++;
  const record: CloudTrailRecord = {
    eventVersion: '1.09',
    eventTime: '2024-06-01T10:00:00Z',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.9',
    recipientAccountId: ACCOUNT,
    userIdentity: MALLORY,
    requestID: `req-${seq}`,
    eventID: `ev-${seq}`,
    ...over,
  };
  return ok(fromCloudTrail(record, { ref: { path: 'evidence/ct.json', record: seq }, account: null, region: null, windowStart: WINDOW.start }));
}

/** A Bedrock model invocation log record. */
export function inv(over: Record<string, unknown> = {}): TimelineEvent {
  seq++;
  const record = {
    schemaType: 'ModelInvocationLog',
    schemaVersion: '1.0',
    timestamp: '2024-06-01T10:00:00Z',
    accountId: ACCOUNT,
    region: 'us-east-1',
    requestId: `inv-${seq}`,
    operation: 'InvokeModel',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    identity: { arn: MALLORY.arn },
    ...over,
  };
  return ok(
    fromBedrockInvocation(record, { ref: { path: 'evidence/invocations.jsonl', line: seq }, account: null, region: null, windowStart: WINDOW.start }),
  );
}

/** An S3 server access log line (GET of an object by default). */
export function s3log(o: {
  ip?: string;
  bucket?: string;
  key?: string;
  time?: string;
  bytes?: number;
  requester?: string;
  requestId?: string;
  op?: string;
}): TimelineEvent {
  seq++;
  const t = o.time ?? '01/Jun/2024:10:00:00 +0000';
  const bucket = o.bucket ?? 'training';
  const key = o.key ?? `data/part-${seq}.parquet`;
  const line = `79a5 ${bucket} [${t}] ${o.ip ?? '203.0.113.9'} ${o.requester ?? MALLORY.arn} ${o.requestId ?? `S3REQ${seq}`} ${o.op ?? 'REST.GET.OBJECT'} ${key} "GET /${bucket}/${key} HTTP/1.1" 200 - ${o.bytes ?? 1000} ${o.bytes ?? 1000} 1 1 "-" "aws-cli/2" - hid SigV4 ECDHE AuthHeader ${bucket}.s3.amazonaws.com TLSv1.2 - -`;
  return ok(
    fromS3AccessLog(parseS3AccessLog(line).records[0]!, {
      ref: { path: 'evidence/access.log', line: seq },
      account: null,
      region: null,
      windowStart: WINDOW.start,
    }),
  );
}

/** A VPC flow-log record (v2 fields). */
export function flow(o: { eni: string; src: string; dst: string; bytes: number; start: number; direction?: 'egress' | 'ingress' }): TimelineEvent {
  seq++;
  const record = {
    version: 5,
    'account-id': ACCOUNT,
    'interface-id': o.eni,
    srcaddr: o.src,
    dstaddr: o.dst,
    srcport: 40000,
    dstport: 443,
    protocol: 6,
    packets: 10,
    bytes: o.bytes,
    start: o.start,
    end: o.start + 60,
    action: 'ACCEPT',
    'log-status': 'OK',
    ...(o.direction ? { 'flow-direction': o.direction } : {}),
  } as unknown as FlowLogRecord;
  return ok(fromFlowLog(record, { ref: { path: 'evidence/flow.log', line: seq }, account: null, region: null, windowStart: WINDOW.start }));
}

/** A SageMaker data-capture record. */
export function capture(input: string, output: string, time = '2024-06-01T10:00:00Z'): TimelineEvent {
  seq++;
  const record = {
    captureData: {
      endpointInput: { observedContentType: 'application/json', mode: 'INPUT', data: Buffer.from(input).toString('base64'), encoding: 'BASE64' },
      endpointOutput: { observedContentType: 'application/json', mode: 'OUTPUT', data: output, encoding: 'JSON' },
    },
    eventMetadata: { eventId: `e${seq}`, inferenceTime: time },
  };
  return ok(
    fromDataCapture(record, {
      ref: { path: 'evidence/capture.jsonl', line: seq },
      account: ACCOUNT,
      region: 'us-east-1',
      windowStart: WINDOW.start,
      key: 'capture/fraud-ep/AllTraffic/2024/06/01/10/x.jsonl',
    }),
  );
}

/** ISO time `minutes` after 10:00 on the window day (negative: earlier). */
export const at = (minutes: number, day = '2024-06-01'): string =>
  new Date(Date.parse(`${day}T10:00:00Z`) + minutes * 60_000).toISOString().replace('.000Z', 'Z');
