// CloudTrail log file parsing. Accepts the delivery shape {"Records":[...]}, bare arrays (exports),
// single records and JSON lines; gzip or plain. A malformed file gives a CloudTrailParseError that says
// where, never a crash; the preserved copy is the raw file either way.
import { gunzipSync } from 'node:zlib';

export interface CloudTrailRecord {
  eventVersion?: string;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  eventID?: string;
  requestID?: string;
  recipientAccountId?: string;
  userIdentity?: {
    type?: string;
    arn?: string;
    accountId?: string;
    accessKeyId?: string;
    principalId?: string;
    userName?: string;
    sessionContext?: { sessionIssuer?: { arn?: string; userName?: string; type?: string } };
  };
  [key: string]: unknown;
}

export class CloudTrailParseError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: not a readable CloudTrail log file (${detail})`);
  }
}

export interface ParsedTrailFile {
  records: CloudTrailRecord[];
  /** Repairs made to read the file (the preserved copy is untouched). */
  warnings: string[];
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function decodeMaybeGzip(bytes: Uint8Array, file: string): string {
  if (!isGzip(bytes)) return Buffer.from(bytes).toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (error) {
    throw new CloudTrailParseError(file, `gzip data is corrupt: ${(error as Error).message}`);
  }
}

/** Escapes raw control characters inside JSON strings (AWS has delivered such records; strict parsers reject them). */
export function escapeControlCharsInStrings(text: string): string {
  let out = '';
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      else if (code < 0x20) {
        out += `\\u${code.toString(16).padStart(4, '0')}`;
        continue;
      }
    } else if (ch === '"') inString = true;
    out += ch;
  }
  return out;
}

function recordsOf(value: unknown, file: string): CloudTrailRecord[] {
  if (Array.isArray(value)) return value.filter((r): r is CloudTrailRecord => typeof r === 'object' && r !== null);
  if (value && typeof value === 'object') {
    const records = (value as { Records?: unknown }).Records;
    if (Array.isArray(records)) return records.filter((r): r is CloudTrailRecord => typeof r === 'object' && r !== null);
    if ('eventName' in value || 'eventTime' in value) return [value as CloudTrailRecord];
    // Digest files and other JSON are not event files.
    if ('digestStartTime' in value) return [];
  }
  throw new CloudTrailParseError(file, 'JSON has neither a Records array nor CloudTrail records');
}

function positionOf(error: unknown, text: string): string {
  const msg = (error as Error).message;
  const pos = /position (\d+)/.exec(msg);
  if (!pos) return msg;
  const at = Number(pos[1]);
  const line = text.slice(0, at).split('\n').length;
  return `${msg.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, offset ${at}`;
}

export function parseCloudTrailText(text: string, file: string): ParsedTrailFile {
  const warnings: string[] = [];
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.length === 0) throw new CloudTrailParseError(file, 'file is empty');
  let firstError: unknown;
  try {
    return { records: recordsOf(JSON.parse(trimmed), file), warnings };
  } catch (error) {
    if (error instanceof CloudTrailParseError) throw error;
    firstError = error;
  }
  const repaired = escapeControlCharsInStrings(trimmed);
  if (repaired !== trimmed) {
    try {
      const records = recordsOf(JSON.parse(repaired), file);
      warnings.push('raw control characters inside strings were escaped to read the file');
      return { records, warnings };
    } catch (error) {
      if (error instanceof CloudTrailParseError) throw error;
    }
  }
  // JSON lines: one record per line.
  const lines = trimmed.split('\n').filter((l) => l.trim().length > 0);
  if (lines.length > 1 && lines.every((l) => l.trim().startsWith('{'))) {
    try {
      return { records: lines.flatMap((l) => recordsOf(JSON.parse(escapeControlCharsInStrings(l)), file)), warnings: ['read as JSON lines'] };
    } catch {
      // fall through to the original error
    }
  }
  throw new CloudTrailParseError(file, `invalid JSON: ${positionOf(firstError, trimmed)}`);
}

export function parseCloudTrailFile(bytes: Uint8Array, file: string): ParsedTrailFile {
  return parseCloudTrailText(decodeMaybeGzip(bytes, file), file);
}

/**
 * eventTime as a Date. Accepts ISO-8601 and the space-separated form some pipelines normalise to
 * (`2025-01-21 17:49:47.000000000`, taken as UTC); null when unreadable.
 */
export function eventTimeOf(record: { eventTime?: unknown }): Date | null {
  const raw = record.eventTime;
  if (typeof raw !== 'string' || raw.length === 0) return null;
  let s = raw.trim();
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (m) s = `${m[1]}T${m[2]}${m[3] ? m[3].slice(0, 4) : ''}${m[4] ?? 'Z'}`;
  const t = new Date(s);
  return Number.isNaN(t.getTime()) ? null : t;
}
