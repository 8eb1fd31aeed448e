// VPC flow log records: the default version-2 format, or a custom format named by a header line (as S3
// delivery writes it). '-' is null; numeric fields become numbers.
import type { ParseProblem } from './s3-access-log.js';

export const DEFAULT_FLOW_LOG_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
];

const NUMERIC = new Set(['version', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'tcp-flags', 'traffic-path']);

export type FlowLogRecord = Record<string, string | number | null>;

const looksLikeHeader = (tokens: string[]): boolean =>
  tokens.includes('srcaddr') || (tokens[0] === 'version' && tokens.some((t) => /[a-z]-[a-z]/.test(t)));

export function parseFlowLog(
  text: string,
  fields: string[] = DEFAULT_FLOW_LOG_FIELDS,
): { records: FlowLogRecord[]; problems: ParseProblem[]; fields: string[] } {
  let names = fields;
  const records: FlowLogRecord[] = [];
  const problems: ParseProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) return;
    const tokens = line.split(/\s+/);
    if (looksLikeHeader(tokens)) {
      names = tokens;
      return;
    }
    if (tokens.length !== names.length) {
      problems.push({ line: index + 1, message: `${tokens.length} fields where the format has ${names.length}` });
      return;
    }
    const record: FlowLogRecord = {};
    names.forEach((name, i) => {
      const v = tokens[i]!;
      if (v === '-') record[name] = null;
      else if (NUMERIC.has(name) && /^\d+$/.test(v)) record[name] = Number(v);
      else record[name] = v;
    });
    records.push(record);
  });
  return { records, problems, fields: names };
}
