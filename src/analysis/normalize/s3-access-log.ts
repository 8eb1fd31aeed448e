// S3 server access log records -> TimelineEvent. Bytes: "Bytes Sent" went to the requester; for writes the
// object size came in.
import type { S3AccessLogRecord } from '../../collect/parsers/s3-access-log.js';
import { normaliseIp } from '../ip.js';
import { count, eventOf, fail, type Normalised, type RecordContext } from './common.js';

const isWrite = (operation: string | null | undefined): boolean => /^REST\.(PUT|POST|COPY)\./.test(operation ?? '');

export function fromS3AccessLog(record: S3AccessLogRecord, ctx: RecordContext): Normalised {
  if (!record.timeIso) return fail(`unreadable time ${JSON.stringify(record.time ?? null)}`);
  const sourceIp = normaliseIp(record.remoteIp);
  const status = Number(record.httpStatus);
  const ok = Number.isFinite(status) && status >= 200 && status < 400;
  const principal = record.requester && record.requester.startsWith('arn:') ? record.requester : null;
  const sent = count(record.bytesSent);
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
    requestId: record.requestId ?? null,
    userAgent: record.userAgent ?? null,
    bytesOut: sent,
    bytesIn: isWrite(record.operation) ? count(record.objectSize) : null,
    detail: {
      httpStatus: record.httpStatus ?? null,
      bytesSent: record.bytesSent ?? null,
      objectSize: record.objectSize ?? null,
      userAgent: record.userAgent ?? null,
      requestId: record.requestId ?? null,
      remoteIpValid: record.remoteIpValid,
      requester: record.requester ?? null,
      versionId: record.versionId ?? null,
    },
  });
}
