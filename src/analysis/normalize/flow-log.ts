// VPC flow-log records -> TimelineEvent. The actor key is the remote (public) side of the flow, so flows sit
// beside the credentials that used the same IP; bytes count as out when they leave the VPC.
import type { FlowLogRecord } from '../../collect/parsers/flow-log.js';
import { isPublicIp, normaliseIp } from '../ip.js';
import { count, eventOf, fail, toIso, type Normalised, type RecordContext } from './common.js';

/** egress / ingress from the v5 `flow-direction` field, else from which side is public; null when it cannot be told. */
export function flowDirection(record: FlowLogRecord, src: string | null, dst: string | null): 'egress' | 'ingress' | null {
  const d = record['flow-direction'];
  if (d === 'egress' || d === 'ingress') return d;
  const srcPublic = isPublicIp(src);
  const dstPublic = isPublicIp(dst);
  if (!srcPublic && dstPublic) return 'egress';
  if (srcPublic && !dstPublic) return 'ingress';
  return null;
}

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
  const direction = flowDirection(record, src, dst);
  const bytes = count(record.bytes);
  const remote = direction === 'egress' ? dst : src;
  return eventOf(ctx, {
    time,
    source: 'flow-log',
    account: typeof record['account-id'] === 'string' ? record['account-id'] : ctx.account,
    actor: src,
    actorKey: remote,
    sourceIp: src,
    service: 'ec2.amazonaws.com',
    action: verdict ? `${verdict}${record.protocol != null ? ` proto=${record.protocol}` : ''}` : (status ?? 'FLOW'),
    target: dst ? `${dst}${dstport != null ? `:${dstport}` : ''}` : null,
    outcome: verdict === 'REJECT' ? 'REJECT' : status && status !== 'OK' ? status : 'success',
    bytesOut: direction === 'egress' ? bytes : null,
    bytesIn: direction === 'ingress' ? bytes : null,
    detail: {
      interfaceId: record['interface-id'] ?? null,
      srcaddr: src,
      dstaddr: dst,
      srcport: record.srcport ?? null,
      dstport: dstport ?? null,
      protocol: record.protocol ?? null,
      packets: record.packets ?? null,
      bytes: record.bytes ?? null,
      end: record.end ?? null,
      direction,
    },
  });
}
