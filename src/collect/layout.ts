// Where AWS delivers each log type in S3, and which keys fall in an incident window. Pure functions.

export interface TimeWindow {
  start: Date;
  end: Date;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** UTC dates (YYYY/MM/DD path form) of every day the window touches. */
export function utcDays(window: TimeWindow): { y: string; m: string; d: string }[] {
  const out: { y: string; m: string; d: string }[] = [];
  const day = new Date(Date.UTC(window.start.getUTCFullYear(), window.start.getUTCMonth(), window.start.getUTCDate()));
  while (day.getTime() <= window.end.getTime()) {
    out.push({ y: String(day.getUTCFullYear()), m: pad(day.getUTCMonth() + 1), d: pad(day.getUTCDate()) });
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return out;
}

/** UTC hours (YYYY/MM/DD/HH) of every hour the window touches. */
export function utcHours(window: TimeWindow): string[] {
  const out: string[] = [];
  const hour = new Date(Math.floor(window.start.getTime() / 3_600_000) * 3_600_000);
  while (hour.getTime() <= window.end.getTime()) {
    out.push(`${hour.getUTCFullYear()}/${pad(hour.getUTCMonth() + 1)}/${pad(hour.getUTCDate())}/${pad(hour.getUTCHours())}`);
    hour.setTime(hour.getTime() + 3_600_000);
  }
  return out;
}

export function widen(window: TimeWindow, beforeMs: number, afterMs: number): TimeWindow {
  return { start: new Date(window.start.getTime() - beforeMs), end: new Date(window.end.getTime() + afterMs) };
}

export const inWindow = (t: Date, w: TimeWindow): boolean => t.getTime() >= w.start.getTime() && t.getTime() <= w.end.getTime();

function normPrefix(prefix: string | null | undefined): string {
  if (!prefix) return '';
  const p = prefix.replace(/^\/+/, '');
  return p.endsWith('/') ? p : `${p}/`;
}

// ---------------------------------------------------------------- CloudTrail

/**
 * CloudTrail log files are stamped with the minute they were written; an event is written within minutes of
 * the call (AWS gives no hard bound), so files up to this long after the window can still hold window events.
 */
export const CLOUDTRAIL_DELIVERY_SLACK_MS = 60 * 60_000;
/** A file stamped a little before the window start can hold events from its first minute. */
export const CLOUDTRAIL_LEAD_MS = 15 * 60_000;

export type TrailFileKind = 'CloudTrail' | 'CloudTrail-Digest';

/** `<prefix>/AWSLogs/[<org-id>/]<account>/` */
export function trailAccountRoot(s3KeyPrefix: string | null | undefined, accountId: string, organizationId?: string | null): string {
  return `${normPrefix(s3KeyPrefix)}AWSLogs/${organizationId ? `${organizationId}/` : ''}${accountId}/`;
}

/** Day prefixes `<root><kind>/<region>/YYYY/MM/DD/` covering the window widened by the delivery slack. */
export function trailDayPrefixes(root: string, kind: TrailFileKind, region: string, window: TimeWindow): string[] {
  return utcDays(widen(window, CLOUDTRAIL_LEAD_MS, CLOUDTRAIL_DELIVERY_SLACK_MS)).map(({ y, m, d }) => `${root}${kind}/${region}/${y}/${m}/${d}/`);
}

export interface TrailKey {
  accountId: string;
  region: string;
  /** The file's own timestamp (minute precision). */
  stamp: Date;
  digest: boolean;
  organizationId: string | null;
}

const TRAIL_FILE =
  /(?:^|\/)AWSLogs\/(?:(o-[a-z0-9]{10,32})\/)?(\d{12})\/(CloudTrail|CloudTrail-Digest)\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/\d{12}_CloudTrail(?:-Digest)?_[a-z0-9-]+_(?:.+_)?(\d{8})T(\d{4})(\d{2})?Z[^/]*\.json(?:\.gz)?$/;

/** Parses `..._CloudTrail_<region>_YYYYMMDDTHHmmZ_<unique>.json.gz` (and digest files); null if not a trail file. */
export function parseTrailKey(key: string): TrailKey | null {
  const m = TRAIL_FILE.exec(key);
  if (!m) return null;
  const [, org, accountId, kind, region, , , , ymd, hm, ss] = m;
  const stamp = new Date(
    Date.UTC(
      Number(ymd!.slice(0, 4)),
      Number(ymd!.slice(4, 6)) - 1,
      Number(ymd!.slice(6, 8)),
      Number(hm!.slice(0, 2)),
      Number(hm!.slice(2, 4)),
      Number(ss ?? 0),
    ),
  );
  return { accountId: accountId!, region: region!, stamp, digest: kind === 'CloudTrail-Digest', organizationId: org ?? null };
}

/** Whether a trail file may hold events of the window (the preserved copy is always the whole file). */
export function trailFileInWindow(key: TrailKey, window: TimeWindow): boolean {
  const w = key.digest
    ? widen(window, 0, CLOUDTRAIL_DELIVERY_SLACK_MS + 60 * 60_000)
    : widen(window, CLOUDTRAIL_LEAD_MS, CLOUDTRAIL_DELIVERY_SLACK_MS);
  return inWindow(key.stamp, w);
}

// ---------------------------------------------------------------- Bedrock model invocation logs

/** `<prefix>/AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/` for each hour of the window. */
export function bedrockHourPrefixes(keyPrefix: string | null | undefined, accountId: string, region: string, window: TimeWindow): string[] {
  // Delivery lags a few minutes; take the next hour too.
  return utcHours(widen(window, 0, 60 * 60_000)).map(
    (h) => `${normPrefix(keyPrefix)}AWSLogs/${accountId}/BedrockModelInvocationLogs/${region}/${h}/`,
  );
}

// ---------------------------------------------------------------- S3 server access logs

export type AccessLogKeyFormat = { kind: 'simple' } | { kind: 'partitioned'; dateSource: 'EventTime' | 'DeliveryTime' };

/**
 * List prefixes for the access logs of one source bucket in the window.
 * simple:      <TargetPrefix>YYYY-MM-DD-HH-MM-SS-<unique>
 * partitioned: <TargetPrefix><SourceAccountId>/<SourceRegion>/<SourceBucket>/YYYY/MM/DD/YYYY-MM-DD-HH-MM-SS-<unique>
 */
export function accessLogPrefixes(
  targetPrefix: string,
  format: AccessLogKeyFormat,
  source: { accountId: string; region: string; bucket: string },
  window: TimeWindow,
): string[] {
  const days = utcDays(widen(window, 0, 2 * 60 * 60_000));
  if (format.kind === 'simple') return days.map(({ y, m, d }) => `${targetPrefix}${y}-${m}-${d}-`);
  return days.map(({ y, m, d }) => `${targetPrefix}${source.accountId}/${source.region}/${source.bucket}/${y}/${m}/${d}/`);
}

const ACCESS_LOG_NAME = /(?:^|\/|[^0-9])(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-[0-9A-Za-z]+$/;

/** Timestamp in an access-log object name (both formats end in YYYY-MM-DD-HH-MM-SS-<unique>). */
export function accessLogKeyTime(key: string): Date | null {
  const m = ACCESS_LOG_NAME.exec(key);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}

/** Access logs are delivered within hours (best effort); a file written after the window can hold window requests. */
export function accessLogInWindow(key: string, window: TimeWindow): boolean {
  const t = accessLogKeyTime(key);
  return t !== null && inWindow(t, widen(window, 0, 2 * 60 * 60_000));
}

// ---------------------------------------------------------------- VPC flow logs in S3

/** `<prefix>/AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/` (hourly partitions, if on, sit below). */
export function flowLogDayPrefixes(keyPrefix: string | null | undefined, accountId: string, region: string, window: TimeWindow): string[] {
  return utcDays(widen(window, 0, 60 * 60_000)).map(
    ({ y, m, d }) => `${normPrefix(keyPrefix)}AWSLogs/${accountId}/vpcflowlogs/${region}/${y}/${m}/${d}/`,
  );
}

const FLOW_FILE = /_vpcflowlogs_[a-z0-9-]+_(fl-[0-9a-f]+)_(\d{8})T(\d{4})Z_[0-9a-f]+\.log(?:\.gz)?$/;

export function parseFlowLogKey(key: string): { flowLogId: string; stamp: Date } | null {
  const m = FLOW_FILE.exec(key);
  if (!m) return null;
  const [, id, ymd, hm] = m;
  return {
    flowLogId: id!,
    stamp: new Date(
      Date.UTC(Number(ymd!.slice(0, 4)), Number(ymd!.slice(4, 6)) - 1, Number(ymd!.slice(6, 8)), Number(hm!.slice(0, 2)), Number(hm!.slice(2, 4))),
    ),
  };
}

export function flowLogFileInWindow(key: string, window: TimeWindow): boolean {
  const k = parseFlowLogKey(key);
  // Files are written every 1-10 minutes; the stamp is the end of the aggregation interval.
  return k !== null && inWindow(k.stamp, widen(window, 0, 60 * 60_000));
}

// ---------------------------------------------------------------- SageMaker data capture

/** `<DestinationS3Uri>/<endpoint>/<variant>/YYYY/MM/DD/HH/<file>.jsonl` */
export function dataCaptureHourOf(key: string): Date | null {
  const m = /\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/[^/]+$/.exec(key);
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4])));
}

export function dataCaptureInWindow(key: string, window: TimeWindow): boolean {
  const hour = dataCaptureHourOf(key);
  if (!hour) return false;
  return hour.getTime() + 3_600_000 > window.start.getTime() && hour.getTime() <= window.end.getTime();
}
