// Analysis filters (--principal, --access-key-id, --source-ip, --ai-only). They choose which parsed records
// go to analysis/events.jsonl; they never decide what is preserved: log files are always kept whole.
import { isIP } from 'node:net';
import type { CloudTrailRecord } from './parsers/cloudtrail.js';

export interface EventFilter {
  principal?: string;
  accessKeyId?: string;
  sourceIp?: string;
  aiOnly?: boolean;
}

/** CloudTrail event sources of AI services (Bedrock runtime and agents log as bedrock.amazonaws.com). */
export const AI_EVENT_SOURCES = new Set([
  'bedrock.amazonaws.com',
  'sagemaker.amazonaws.com',
  'q.amazonaws.com',
  'qbusiness.amazonaws.com',
  'comprehend.amazonaws.com',
  'rekognition.amazonaws.com',
  'textract.amazonaws.com',
  'transcribe.amazonaws.com',
  'translate.amazonaws.com',
]);

/** Leading zeros in IPv4 octets dropped, IPv6 lower-cased; anything else unchanged. */
export function normalizeIp(ip: string): string {
  const v = ip.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v))
    return v
      .split('.')
      .map((o) => String(Number(o)))
      .join('.');
  if (isIP(v) === 6) return v.toLowerCase();
  return v;
}

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const ASSUMED = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)(?:\/(.+))?$/;

export function principalMatches(record: CloudTrailRecord, principal: string): boolean {
  const ui = record.userIdentity ?? {};
  const arn = ui.arn ?? '';
  if (arn === principal || ui.sessionContext?.sessionIssuer?.arn === principal) return true;
  const role = ROLE_ARN.exec(principal);
  const actual = ASSUMED.exec(arn);
  if (role && actual) return role[2] === actual[2] && role[3] === actual[3];
  const wanted = ASSUMED.exec(principal);
  if (wanted && actual && wanted[4] === undefined) return wanted[2] === actual[2] && wanted[3] === actual[3];
  return false;
}

export function matchesFilter(record: CloudTrailRecord, filter: EventFilter): boolean {
  if (filter.principal && !principalMatches(record, filter.principal)) return false;
  if (filter.accessKeyId && record.userIdentity?.accessKeyId !== filter.accessKeyId) return false;
  if (filter.sourceIp && (typeof record.sourceIPAddress !== 'string' || normalizeIp(record.sourceIPAddress) !== normalizeIp(filter.sourceIp)))
    return false;
  if (filter.aiOnly && !AI_EVENT_SOURCES.has(String(record.eventSource ?? ''))) return false;
  return true;
}

export const isEmptyFilter = (f: EventFilter): boolean => !f.principal && !f.accessKeyId && !f.sourceIp && !f.aiOnly;
