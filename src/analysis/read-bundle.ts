// Reads the evidence files a manifest lists and yields normalised events, one file at a time and line by line
// where the format allows (gzip or plain); records and documents over the read limits are unreadable records.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudTrailParseError, parseCloudTrailFile, type CloudTrailRecord } from '../collect/parsers/cloudtrail.js';
import { DEFAULT_FLOW_LOG_FIELDS, parseFlowLog } from '../collect/parsers/flow-log.js';
import { parseS3AccessLog } from '../collect/parsers/s3-access-log.js';
import type { Manifest, ManifestItem } from '../collect/manifest.js';
import type { EventSource, TimelineEvent } from './event.js';
import {
  fromBedrockInvocation,
  fromCloudTrail,
  fromDataCapture,
  fromEndpointLogEvent,
  fromFlowLog,
  fromS3AccessLog,
  type Normalised,
  type RecordContext,
} from './normalize.js';
import type { AnalysisProblem } from './model.js';
import type { ModelArtifactsReport } from './rules/types.js';
import {
  DEFAULT_READ_LIMITS,
  DocumentTooLargeError,
  overLimitMessage,
  readDocumentBytes,
  readJsonDocument,
  readJsonLines,
  readRawLines,
  type ReadLimits,
} from './lines.js';

export type ItemKind =
  | 'trail-file'
  | 'lookup-events'
  | 'lake-events'
  | 'bedrock-s3'
  | 'bedrock-cw'
  | 'endpoint-logs'
  | 'data-capture'
  | 'access-log'
  | 'flow-log-s3'
  | 'flow-log-cw';

export const MODEL_ARTIFACTS_PATH = 'analysis/model-artifacts.json';

/** Which reader an item needs; null for configuration, listings, raw wire copies (their parsed twin is read) and derived files. */
export function classifyItem(item: ManifestItem): ItemKind | null {
  const { path, origin, source } = item;
  if (/\.response\.(json|xml|cbor)$/.test(path)) return null;
  const s3 = origin.kind === 's3';
  const api = origin.kind === 'api' ? origin.action : null;
  switch (source) {
    case 'cloudtrail':
      if (s3 && path.includes('/cloudtrail/s3/')) return 'trail-file';
      if (api === 'GetQueryResults' && path.includes('/cloudtrail/lake-events/')) return 'lake-events';
      return api === 'LookupEvents' ? 'lookup-events' : null;
    case 'bedrock':
      if (s3 && path.includes('/bedrock/invocation-logs-s3/')) return 'bedrock-s3';
      return api === 'FilterLogEvents' ? 'bedrock-cw' : null;
    case 'sagemaker':
      if (s3 && path.includes('/sagemaker/data-capture/')) return 'data-capture';
      return api === 'FilterLogEvents' ? 'endpoint-logs' : null;
    case 's3-access-logs':
      return s3 && path.includes('/s3-access-logs/logs/') ? 'access-log' : null;
    case 'flow-logs':
      if (s3) return 'flow-log-s3';
      return api === 'FilterLogEvents' ? 'flow-log-cw' : null;
    default:
      return null;
  }
}

export type ReadOutput = { kind: 'event'; event: TimelineEvent } | { kind: 'problem'; path: string; line?: number; record?: number; message: string };

/** A reader's problem as the analysis lists it (the same fields, in the same order, whichever thread read it). */
export function problemOf(r: Extract<ReadOutput, { kind: 'problem' }>): AnalysisProblem {
  return {
    path: r.path,
    ...(r.line !== undefined ? { line: r.line } : {}),
    ...(r.record !== undefined ? { record: r.record } : {}),
    message: r.message,
  };
}

/** The item was collected for the baseline lookback (manifest `"baseline": true`). */
export const isBaselineItem = (item: ManifestItem): boolean => (item as { baseline?: unknown }).baseline === true;

export interface ReadOptions {
  /** Incident window start (ISO): records before it are baseline. */
  windowStart?: string | null;
  limits?: ReadLimits;
  /** A trail file's bytes already on their way (readAhead): null when the read ahead gave up, and it is read here. */
  document?: Promise<Buffer | null>;
}

/** Where an item is on disk. */
export const itemFile = (bundleDir: string, item: ManifestItem): string => join(bundleDir, ...item.path.split('/'));

/** Expanded bytes a read ahead may hold; a larger document is read when its turn comes, as if never read ahead. */
const READ_AHEAD_BYTES = 32 * 1024 * 1024;

/**
 * Starts reading a trail file's bytes (the disk and gunzip work on the thread pool) while the item before it is
 * parsed; hand the promise to readItem as `document`. Other kinds stream as they are read: nothing to start.
 */
export function readAhead(bundleDir: string, item: ManifestItem, kind: ItemKind, limits: ReadLimits): Promise<Buffer | null> | undefined {
  if (kind !== 'trail-file') return undefined;
  const bytes = readDocumentBytes(itemFile(bundleDir, item), Math.min(READ_AHEAD_BYTES, limits.maxDocumentBytes)).catch((error: unknown) => {
    if (error instanceof DocumentTooLargeError) return null;
    throw error;
  });
  // Awaited when the item's turn comes (its failure is that item's problem then), not an unhandled rejection before.
  bytes.catch(() => undefined);
  return bytes;
}

/** One item being read: where it is, and the record context of each of its records. */
interface ItemReader {
  abs: string;
  path: string;
  item: ManifestItem;
  limits: ReadLimits;
  document: Promise<Buffer | null> | undefined;
  at(ref: RecordContext['ref']): RecordContext;
}

function out(n: Normalised, path: string, at: { line?: number; record?: number }): ReadOutput {
  return n.ok ? { kind: 'event', event: n.event } : { kind: 'problem', path, ...at, message: n.reason };
}

async function* trailFile(r: ItemReader): AsyncGenerator<ReadOutput> {
  let records: CloudTrailRecord[];
  try {
    const bytes = (await r.document) ?? (await readDocumentBytes(r.abs, r.limits.maxDocumentBytes));
    records = parseCloudTrailFile(bytes, r.path).records;
  } catch (error) {
    yield { kind: 'problem', path: r.path, message: error instanceof CloudTrailParseError ? error.message : (error as Error).message };
    return;
  }
  for (let i = 0; i < records.length; i++) yield out(fromCloudTrail(records[i]!, r.at({ path: r.path, record: i })), r.path, { record: i });
}

type LookupPage = {
  Events?: { CloudTrailEvent?: string; EventName?: string; EventTime?: string; EventSource?: string; Username?: string; EventId?: string }[];
};

async function* lookupEvents(r: ItemReader): AsyncGenerator<ReadOutput> {
  const page = (await readJsonDocument(r.abs, r.limits.maxDocumentBytes)) as LookupPage | null;
  const events = Array.isArray(page?.Events) ? page.Events : [];
  for (let i = 0; i < events.length; i++) {
    const ev = events[i]!;
    // The CloudTrailEvent string is the full record; the outer fields are the fallback when it is absent or broken.
    const record = {
      eventName: ev.EventName,
      eventTime: ev.EventTime,
      eventSource: ev.EventSource,
      eventID: ev.EventId,
      userIdentity: { userName: ev.Username },
      ...(typeof ev.CloudTrailEvent === 'string' ? { CloudTrailEvent: ev.CloudTrailEvent } : {}),
    };
    yield out(fromCloudTrail(record, r.at({ path: r.path, record: i }), 'cloudtrail-lookup'), r.path, { record: i });
  }
}

type LakePage = { QueryResultRows?: Record<string, string>[][] };

/** A hunt's CloudTrail Lake page: each row's eventJson is the full record as CloudTrail wrote it. */
async function* lakeEvents(r: ItemReader): AsyncGenerator<ReadOutput> {
  const page = (await readJsonDocument(r.abs, r.limits.maxDocumentBytes)) as LakePage | null;
  const rows = Array.isArray(page?.QueryResultRows) ? page.QueryResultRows : [];
  for (let i = 0; i < rows.length; i++) {
    const cells = Array.isArray(rows[i]) ? rows[i]! : [];
    const json = cells.map((c) => (c && typeof c === 'object' ? c.eventJson : undefined)).find((v) => typeof v === 'string');
    if (json === undefined) {
      yield { kind: 'problem', path: r.path, record: i, message: 'CloudTrail Lake row has no eventJson column' };
      continue;
    }
    yield out(fromCloudTrail({ CloudTrailEvent: json }, r.at({ path: r.path, record: i })), r.path, { record: i });
  }
}

async function* jsonLinesItem(r: ItemReader, kind: 'bedrock-s3' | 'data-capture'): AsyncGenerator<ReadOutput> {
  const key = r.item.origin.kind === 's3' ? r.item.origin.key : null;
  for await (const l of readJsonLines(r.abs, r.limits)) {
    if ('problem' in l) {
      yield { kind: 'problem', path: r.path, line: l.line, message: l.problem };
      continue;
    }
    const ctx = r.at({ path: r.path, line: l.line });
    yield out(kind === 'bedrock-s3' ? fromBedrockInvocation(l.value, ctx) : fromDataCapture(l.value, { ...ctx, key }), r.path, { line: l.line });
  }
}

function* logEvent(
  r: ItemReader,
  kind: 'bedrock-cw' | 'endpoint-logs' | 'flow-log-cw',
  ev: { message?: string; timestamp?: number },
  i: number,
  group: string | null,
): Generator<ReadOutput> {
  const ctx = r.at({ path: r.path, record: i });
  if (kind === 'endpoint-logs') {
    yield out(fromEndpointLogEvent(ev, { ...ctx, logGroup: group }), r.path, { record: i });
    return;
  }
  if (kind === 'bedrock-cw') {
    let value: unknown;
    try {
      value = JSON.parse(ev.message ?? '');
    } catch {
      yield { kind: 'problem', path: r.path, record: i, message: 'log event message is not an invocation log record (not JSON)' };
      return;
    }
    yield out(fromBedrockInvocation(value, ctx), r.path, { record: i });
    return;
  }
  const parsed = parseFlowLog(ev.message ?? '', DEFAULT_FLOW_LOG_FIELDS);
  if (parsed.problems[0]) yield { kind: 'problem', path: r.path, record: i, message: parsed.problems[0].message };
  for (const rec of parsed.records) yield out(fromFlowLog(rec, ctx), r.path, { record: i });
}

async function* logEventsPage(r: ItemReader, kind: 'bedrock-cw' | 'endpoint-logs' | 'flow-log-cw'): AsyncGenerator<ReadOutput> {
  const page = (await readJsonDocument(r.abs, r.limits.maxDocumentBytes)) as { events?: { message?: string; timestamp?: number }[] } | null;
  const origin = r.item.origin;
  const group = origin.kind === 'api' && typeof origin.params?.logGroupName === 'string' ? origin.params.logGroupName : null;
  const events = Array.isArray(page?.events) ? page.events : [];
  for (let i = 0; i < events.length; i++) yield* logEvent(r, kind, events[i]!, i, group);
}

async function* textLines(r: ItemReader, kind: 'access-log' | 'flow-log-s3'): AsyncGenerator<ReadOutput> {
  let fields = DEFAULT_FLOW_LOG_FIELDS;
  for await (const raw of readRawLines(r.abs, r.limits.maxRecordBytes)) {
    if ('overLimit' in raw) {
      yield { kind: 'problem', path: r.path, line: raw.line, message: overLimitMessage(raw.overLimit, r.limits.maxRecordBytes) };
      continue;
    }
    if (raw.text.trim() === '') continue;
    const ctx = r.at({ path: r.path, line: raw.line });
    if (kind === 'access-log') {
      const { records, problems } = parseS3AccessLog(raw.text);
      for (const p of problems) yield { kind: 'problem', path: r.path, line: raw.line, message: p.message };
      for (const rec of records) yield out(fromS3AccessLog(rec, ctx), r.path, { line: raw.line });
    } else {
      const parsed = parseFlowLog(raw.text, fields);
      fields = parsed.fields;
      for (const p of parsed.problems) yield { kind: 'problem', path: r.path, line: raw.line, message: p.message };
      for (const rec of parsed.records) yield out(fromFlowLog(rec, ctx), r.path, { line: raw.line });
    }
  }
}

/** Every event (or unreadable record) of one evidence item, streamed. */
export async function* readItem(bundleDir: string, item: ManifestItem, kind: ItemKind, options: ReadOptions = {}): AsyncGenerator<ReadOutput> {
  const baseline = isBaselineItem(item);
  const r: ItemReader = {
    abs: itemFile(bundleDir, item),
    path: item.path,
    item,
    limits: options.limits ?? DEFAULT_READ_LIMITS,
    document: options.document,
    at: (ref) => ({
      ref,
      account: /^\d{12}$/.test(item.accountId) ? item.accountId : null,
      region: item.region === 'global' || item.region === 'all' ? null : item.region,
      baseline,
      windowStart: options.windowStart ?? null,
    }),
  };
  switch (kind) {
    case 'trail-file':
      yield* trailFile(r);
      return;
    case 'lookup-events':
      yield* lookupEvents(r);
      return;
    case 'lake-events':
      yield* lakeEvents(r);
      return;
    case 'bedrock-s3':
    case 'data-capture':
      yield* jsonLinesItem(r, kind);
      return;
    case 'bedrock-cw':
    case 'endpoint-logs':
    case 'flow-log-cw':
      yield* logEventsPage(r, kind);
      return;
    case 'access-log':
    case 'flow-log-s3':
      yield* textLines(r, kind);
      return;
  }
}

export const SOURCE_OF_KIND: Record<ItemKind, EventSource> = {
  'trail-file': 'cloudtrail',
  'lookup-events': 'cloudtrail-lookup',
  'lake-events': 'cloudtrail',
  'bedrock-s3': 'bedrock-invocation',
  'bedrock-cw': 'bedrock-invocation',
  'endpoint-logs': 'sagemaker-endpoint-log',
  'data-capture': 'sagemaker-data-capture',
  'access-log': 's3-access-log',
  'flow-log-s3': 'flow-log',
  'flow-log-cw': 'flow-log',
};

const decodeSegment = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** AI data buckets the bundle names: access-logged buckets, artifact, capture and invocation-log buckets. */
export function aiBucketsOf(manifest: Manifest): Set<string> {
  const out = new Set<string>();
  for (const item of manifest.items) {
    const m = /\/s3-access-logs\/config\/([^/]+)\.logging\.json$/.exec(item.path);
    if (m) out.add(decodeSegment(m[1]!));
    if (
      item.origin.kind === 's3' &&
      (item.source === 'model-artifacts' ||
        (item.source === 'sagemaker' && item.path.includes('/data-capture/')) ||
        (item.source === 'bedrock' && item.path.includes('/invocation-logs-s3/')))
    ) {
      out.add(item.origin.bucket);
    }
  }
  return out;
}

/** The collector's baseline comparison (analysis/model-artifacts.json), with the bundle paths of the object copies. */
export async function loadModelArtifacts(bundleDir: string, manifest: Manifest): Promise<ModelArtifactsReport | null> {
  const item = manifest.items.find((i) => i.path === MODEL_ARTIFACTS_PATH);
  if (!item) return null;
  const data = JSON.parse(await readFile(join(bundleDir, MODEL_ARTIFACTS_PATH), 'utf8')) as Partial<ModelArtifactsReport>;
  const copies: Record<string, string> = {};
  for (const i of manifest.items) {
    if (i.source !== 'model-artifacts' || i.origin.kind !== 's3') continue;
    copies[`${i.origin.uri}?versionId=${i.origin.versionId ?? 'null'}`] = i.path;
    copies[i.origin.uri] ??= i.path;
  }
  return {
    path: MODEL_ARTIFACTS_PATH,
    baseline: data.baseline ?? null,
    tampered: Array.isArray(data.tampered) ? data.tampered : [],
    missing: Array.isArray(data.missing) ? data.missing : [],
    copies,
  };
}
