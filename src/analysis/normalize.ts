// Pure normalisers: one record of each evidence source -> TimelineEvent (or null with a reason). Every string
// they copy is attacker-controlled data and stays data.
import { isIP } from 'node:net';
import { eventTimeOf, type CloudTrailRecord } from '../collect/parsers/cloudtrail.js';
import type { FlowLogRecord } from '../collect/parsers/flow-log.js';
import type { S3AccessLogRecord } from '../collect/parsers/s3-access-log.js';
import type { EventSource, EvidenceRef, TimelineEvent } from './event.js';

/** Where a record sits and what the manifest says about its file. */
export interface RecordContext {
  ref: EvidenceRef;
  /** Account and region of the manifest item (fallbacks when the record does not say). */
  account: string | null;
  region: string | null;
}

export type Normalised = { ok: true; event: TimelineEvent } | { ok: false; reason: string };

const fail = (reason: string): Normalised => ({ ok: false, reason });
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** Dotted-quad with zero-padded octets (some anonymisers and exports write 08.1.250.216) -> canonical form; other strings unchanged. */
export function normaliseIp(raw: unknown): string | null {
  const s = str(raw)?.trim();
  if (!s) return null;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (m) {
    const octets = m.slice(1, 5).map(Number);
    if (octets.every((o) => o <= 255)) return octets.join('.');
    return s;
  }
  if (isIP(s) === 6) return s.toLowerCase();
  return s;
}

/** A routable public address (not private, loopback, link-local, CGNAT, unspecified); false for service names. */
export function isPublicIp(ip: string | null): boolean {
  if (!ip) return false;
  const v = isIP(ip);
  if (v === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    if (a === 10 || a === 127 || a === 0 || a >= 224) return false;
    if (a === 172 && b >= 16 && b <= 31) return false;
    if (a === 192 && b === 168) return false;
    if (a === 169 && b === 254) return false;
    if (a === 100 && b >= 64 && b <= 127) return false;
    return true;
  }
  if (v === 6) {
    const l = ip.toLowerCase();
    return !(l === '::1' || l === '::' || l.startsWith('fc') || l.startsWith('fd') || l.startsWith('fe80'));
  }
  return false;
}

const toIso = (t: Date): string | null => (Number.isNaN(t.getTime()) ? null : t.toISOString());

// ---------------------------------------------------------------- CloudTrail

const TARGET_KEYS = [
  'trailName', 'name', 'roleName', 'userName', 'groupName', 'policyArn', 'endpointName', 'endpointConfigName', 'modelName', 'modelId',
  'guardrailIdentifier', 'agentId', 'knowledgeBaseId', 'logGroupName', 'functionName', 'secretId', 'instanceId', 'resolverQueryLogConfigId',
];

function cloudTrailTarget(record: CloudTrailRecord): string | null {
  const req = obj(record.requestParameters);
  if (req) {
    const bucket = str(req.bucketName);
    if (bucket) return `s3://${bucket}${str(req.key) ? `/${String(req.key)}` : ''}`;
    for (const k of TARGET_KEYS) if (str(req[k])) return String(req[k]);
    const flow = obj(obj(req.DeleteFlowLogsRequest)?.FlowLogId);
    if (flow && str(flow.content)) return String(flow.content);
    const ids = req.flowLogIds ?? req.FlowLogIds;
    if (Array.isArray(ids)) return ids.map(String).join(',');
  }
  const resources = record.resources;
  if (Array.isArray(resources)) {
    const first = obj(resources[0]);
    if (first && str(first.ARN)) return String(first.ARN);
  }
  return null;
}

export function fromCloudTrail(record: CloudTrailRecord, ctx: RecordContext, source: EventSource = 'cloudtrail'): Normalised {
  const t = eventTimeOf(record);
  if (!t) return fail(`unreadable eventTime ${JSON.stringify(record.eventTime ?? null)}`);
  const time = toIso(t);
  if (!time) return fail('unreadable eventTime');
  const identity = obj(record.userIdentity) ?? {};
  const issuer = obj(obj(identity.sessionContext)?.sessionIssuer);
  const principal = str(identity.arn) ?? str(issuer?.arn) ?? (identity.type === 'AWSService' ? str(identity.invokedBy) : null) ?? str(identity.principalId);
  const accessKeyId = str(identity.accessKeyId);
  const sourceIp = normaliseIp(record.sourceIPAddress);
  const insight = record.eventType === 'AwsCloudTrailInsight' ? obj(record.insightDetails) : null;
  const action = insight ? `Insight:${str(insight.eventName) ?? '?'}:${str(insight.state) ?? '?'}` : (str(record.eventName) ?? '(no eventName)');
  const service = insight ? str(insight.eventSource) : str(record.eventSource);
  const response = obj(record.responseElements);
  const outcome = str(record.errorCode) ?? (response?.ConsoleLogin === 'Failure' ? 'ConsoleLoginFailure' : 'success');
  const attributes = obj(obj(identity.sessionContext)?.attributes);
  const detail: Record<string, unknown> = {
    eventID: record.eventID ?? null,
    eventType: record.eventType ?? null,
    userIdentityType: identity.type ?? null,
    userAgent: record.userAgent ?? null,
    readOnly: record.readOnly ?? null,
  };
  if (record.requestParameters != null) detail.requestParameters = record.requestParameters;
  if (record.additionalEventData != null) detail.additionalEventData = record.additionalEventData;
  if (response) detail.responseElements = response;
  if (record.errorMessage != null) detail.errorMessage = record.errorMessage;
  if (attributes?.mfaAuthenticated != null) detail.mfaAuthenticated = attributes.mfaAuthenticated;
  if (insight) detail.insightDetails = insight;
  return {
    ok: true,
    event: {
      time,
      source,
      account: str(record.recipientAccountId) ?? str(identity.accountId) ?? ctx.account,
      region: str(record.awsRegion) ?? ctx.region,
      actor: principal ?? accessKeyId ?? sourceIp,
      principal,
      accessKeyId,
      sourceIp,
      service,
      action,
      target: cloudTrailTarget(record),
      outcome,
      evidenceRef: ctx.ref,
      detail,
    },
  };
}

// ---------------------------------------------------------------- Bedrock model invocation logs

const excerpt = (v: unknown, max = 300): string | null => {
  if (v === undefined || v === null) return null;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max)}…` : s;
};

/**
 * A normalised event of one record: account, region and evidence ref default to the manifest item's, and the
 * who-fields to unknown, so each source states only what its records actually carry.
 */
function eventOf(
  ctx: RecordContext,
  fields: Pick<TimelineEvent, 'time' | 'source' | 'service' | 'action' | 'target' | 'outcome' | 'detail'> & Partial<TimelineEvent>,
): Normalised {
  return { ok: true, event: { account: ctx.account, region: ctx.region, actor: null, principal: null, accessKeyId: null, sourceIp: null, evidenceRef: ctx.ref, ...fields } };
}

export function fromBedrockInvocation(record: unknown, ctx: RecordContext): Normalised {
  const r = obj(record);
  if (!r) return fail('not a JSON object');
  const ts = str(r.timestamp);
  const time = ts ? toIso(new Date(ts)) : null;
  if (!time) return fail(`unreadable timestamp ${JSON.stringify(r.timestamp ?? null)}`);
  const principal = str(obj(r.identity)?.arn);
  const input = obj(r.input);
  const output = obj(r.output);
  return eventOf(ctx, {
    time,
    source: 'bedrock-invocation',
    account: str(r.accountId) ?? ctx.account,
    region: str(r.region) ?? ctx.region,
    actor: principal,
    principal,
    service: 'bedrock.amazonaws.com',
    action: str(r.operation) ?? 'InvokeModel',
    target: str(r.modelId),
    outcome: str(r.errorCode) ?? 'success',
    detail: {
      requestId: r.requestId ?? null,
      inputTokenCount: input?.inputTokenCount ?? null,
      outputTokenCount: output?.outputTokenCount ?? null,
      input: excerpt(input?.inputBodyJson ?? input?.inputBodyS3Path ?? null),
      output: excerpt(output?.outputBodyJson ?? output?.outputBodyS3Path ?? null),
    },
  });
}

// ---------------------------------------------------------------- CloudWatch Logs events (SageMaker endpoint containers)

export function fromEndpointLogEvent(event: unknown, ctx: RecordContext & { logGroup: string | null }): Normalised {
  const e = obj(event);
  if (!e) return fail('not a JSON object');
  const time = typeof e.timestamp === 'number' ? toIso(new Date(e.timestamp)) : null;
  if (!time) return fail('no timestamp');
  const endpoint = ctx.logGroup?.match(/^\/aws\/sagemaker\/Endpoints\/(.+)$/)?.[1] ?? ctx.logGroup;
  return eventOf(ctx, {
    time,
    source: 'sagemaker-endpoint-log',
    service: 'sagemaker.amazonaws.com',
    action: 'EndpointLog',
    target: endpoint ?? null,
    outcome: 'success',
    detail: { logStream: e.logStreamName ?? null, message: excerpt(e.message, 500) },
  });
}

// ---------------------------------------------------------------- SageMaker data capture

export function fromDataCapture(record: unknown, ctx: RecordContext & { key: string | null }): Normalised {
  const r = obj(record);
  const meta = obj(r?.eventMetadata);
  if (!r || !meta) return fail('not a data-capture record (no eventMetadata)');
  const ts = str(meta.inferenceTime);
  const time = ts ? toIso(new Date(ts)) : null;
  if (!time) return fail('unreadable inferenceTime');
  const m = ctx.key ? /(?:^|\/)([^/]+)\/([^/]+)\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/[^/]+$/.exec(ctx.key) : null;
  const capture = obj(r.captureData);
  return eventOf(ctx, {
    time,
    source: 'sagemaker-data-capture',
    service: 'sagemaker.amazonaws.com',
    action: 'InvokeEndpoint',
    target: m ? `${m[1]}/${m[2]}` : null,
    outcome: 'success',
    detail: { eventId: meta.eventId ?? null, inferenceId: meta.inferenceId ?? null, input: excerpt(obj(capture?.endpointInput)?.data ?? null), output: excerpt(obj(capture?.endpointOutput)?.data ?? null) },
  });
}

// ---------------------------------------------------------------- S3 server access logs

export function fromS3AccessLog(record: S3AccessLogRecord, ctx: RecordContext): Normalised {
  if (!record.timeIso) return fail(`unreadable time ${JSON.stringify(record.time ?? null)}`);
  const sourceIp = normaliseIp(record.remoteIp);
  const status = Number(record.httpStatus);
  const ok = Number.isFinite(status) && status >= 200 && status < 400;
  const principal = record.requester && record.requester.startsWith('arn:') ? record.requester : null;
  return eventOf(ctx, {
    time: new Date(record.timeIso).toISOString(),
    source: 's3-access-log',
    actor: principal ?? record.requester ?? sourceIp,
    principal,
    sourceIp,
    service: 's3.amazonaws.com',
    action: record.operation ?? '(no operation)',
    target: record.bucket ? `s3://${record.bucket}${record.key ? `/${record.key}` : ''}` : null,
    outcome: ok ? 'success' : (record.errorCode ?? `HTTP ${record.httpStatus ?? '?'}`),
    detail: {
      httpStatus: record.httpStatus ?? null,
      bytesSent: record.bytesSent ?? null,
      userAgent: record.userAgent ?? null,
      requestId: record.requestId ?? null,
      remoteIpValid: record.remoteIpValid,
      requester: record.requester ?? null,
    },
  });
}

// ---------------------------------------------------------------- VPC flow logs

export function fromFlowLog(record: FlowLogRecord, ctx: RecordContext): Normalised {
  const start = record.start;
  if (typeof start !== 'number') return fail('no start time');
  const time = toIso(new Date(start * 1000));
  if (!time) return fail('unreadable start time');
  const status = typeof record['log-status'] === 'string' ? record['log-status'] : null;
  const verdict = typeof record.action === 'string' ? record.action : null;
  const src = normaliseIp(record.srcaddr);
  const dst = normaliseIp(record.dstaddr);
  const dstport = record.dstport;
  return eventOf(ctx, {
    time,
    source: 'flow-log',
    account: typeof record['account-id'] === 'string' ? record['account-id'] : ctx.account,
    actor: src,
    sourceIp: src,
    service: 'ec2.amazonaws.com',
    action: verdict ? `${verdict}${record.protocol != null ? ` proto=${record.protocol}` : ''}` : (status ?? 'FLOW'),
    target: dst ? `${dst}${dstport != null ? `:${dstport}` : ''}` : null,
    outcome: verdict === 'REJECT' ? 'REJECT' : status && status !== 'OK' ? status : 'success',
    detail: {
      interfaceId: record['interface-id'] ?? null,
      srcport: record.srcport ?? null,
      dstport: dstport ?? null,
      protocol: record.protocol ?? null,
      packets: record.packets ?? null,
      bytes: record.bytes ?? null,
      end: record.end ?? null,
    },
  });
}
