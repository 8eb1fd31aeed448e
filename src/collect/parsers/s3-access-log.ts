// S3 server access log lines -> records. Fields are space-separated; time is [bracketed], request-URI,
// referer and user agent are "quoted"; '-' means empty. Newer fields are appended over time, so extra
// trailing fields are kept and missing ones are null.
import { isIP } from 'node:net';

export const S3_ACCESS_LOG_FIELDS = [
  'bucketOwner',
  'bucket',
  'time',
  'remoteIp',
  'requester',
  'requestId',
  'operation',
  'key',
  'requestUri',
  'httpStatus',
  'errorCode',
  'bytesSent',
  'objectSize',
  'totalTime',
  'turnAroundTime',
  'referer',
  'userAgent',
  'versionId',
  'hostId',
  'signatureVersion',
  'cipherSuite',
  'authenticationType',
  'hostHeader',
  'tlsVersion',
  'accessPointArn',
  'aclRequired',
] as const;

export type S3AccessLogRecord = Partial<Record<(typeof S3_ACCESS_LOG_FIELDS)[number], string | null>> & {
  /** ISO-8601 of the [dd/Mon/yyyy:HH:mm:ss +0000] time, null if unreadable. */
  timeIso: string | null;
  remoteIpValid: boolean;
  extra?: string[];
};

export interface ParseProblem {
  line: number;
  message: string;
}

export function tokenizeAccessLogLine(line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    if (line[i] === '[') {
      const end = line.indexOf(']', i);
      if (end < 0) throw new Error('unterminated [time] field');
      tokens.push(line.slice(i + 1, end));
      i = end + 1;
    } else if (line[i] === '"') {
      // A quoted field ends at a quote followed by a space or the end of the line (user agents may contain quotes).
      let end = i + 1;
      for (;;) {
        end = line.indexOf('"', end);
        if (end < 0) throw new Error('unterminated quoted field');
        if (end + 1 >= line.length || line[end + 1] === ' ') break;
        end++;
      }
      tokens.push(line.slice(i + 1, end));
      i = end + 1;
    } else {
      let end = line.indexOf(' ', i);
      if (end < 0) end = line.length;
      tokens.push(line.slice(i, end));
      i = end;
    }
  }
  return tokens;
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

export function parseAccessLogTime(value: string): string | null {
  const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(value);
  if (!m || MONTHS[m[2]!] === undefined) return null;
  const offsetMin = (Number(m[8]) * 60 + Number(m[9])) * (m[7] === '-' ? -1 : 1);
  const t = Date.UTC(Number(m[3]), MONTHS[m[2]!], Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offsetMin * 60_000;
  return new Date(t).toISOString();
}

export function parseS3AccessLog(text: string): { records: S3AccessLogRecord[]; problems: ParseProblem[] } {
  const records: S3AccessLogRecord[] = [];
  const problems: ParseProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '').trimEnd();
    if (line.length === 0) return;
    let tokens: string[];
    try {
      tokens = tokenizeAccessLogLine(line);
    } catch (error) {
      problems.push({ line: index + 1, message: (error as Error).message });
      return;
    }
    if (tokens.length < 18) {
      problems.push({ line: index + 1, message: `only ${tokens.length} fields; an access log line has at least 18` });
      return;
    }
    const record: S3AccessLogRecord = { timeIso: null, remoteIpValid: false };
    S3_ACCESS_LOG_FIELDS.forEach((name, i) => {
      const v = tokens[i];
      record[name] = v === undefined || v === '-' ? null : v;
    });
    if (tokens.length > S3_ACCESS_LOG_FIELDS.length) record.extra = tokens.slice(S3_ACCESS_LOG_FIELDS.length);
    record.timeIso = record.time ? parseAccessLogTime(record.time) : null;
    if (!record.timeIso) problems.push({ line: index + 1, message: `unreadable time "${record.time ?? ''}"` });
    record.remoteIpValid = record.remoteIp ? isIP(record.remoteIp) !== 0 : false;
    records.push(record);
  });
  return { records, problems };
}
