// Reads the evidence files a manifest lists and yields normalised events, one file at a time and line by
// line where the format allows (gzip or plain), so memory stays bounded by the largest single JSON document.
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
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
import type { ModelArtifactsReport } from './rules/types.js';

export type ItemKind = 'trail-file' | 'lookup-events' | 'bedrock-s3' | 'bedrock-cw' | 'endpoint-logs' | 'data-capture' | 'access-log' | 'flow-log-s3' | 'flow-log-cw';

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

const isGz = async (abs: string): Promise<boolean> => {
  const handle = await open(abs, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
};

/** Lines of a plain or gzip file, streamed. */
export async function* readLines(abs: string): AsyncGenerator<string> {
  let stream: Readable = createReadStream(abs);
  if (await isGz(abs)) stream = stream.pipe(createGunzip());
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of rl) yield line;
  } finally {
    rl.close();
    stream.destroy();
  }
}

function out(n: Normalised, path: string, at: { line?: number; record?: number }): ReadOutput {
  return n.ok ? { kind: 'event', event: n.event } : { kind: 'problem', path, ...at, message: n.reason };
}

const ctxFor = (item: ManifestItem, ref: RecordContext['ref']): RecordContext => ({
  ref,
  account: /^\d{12}$/.test(item.accountId) ? item.accountId : null,
  region: item.region === 'global' || item.region === 'all' ? null : item.region,
});

/** JSON lines; a record wrapped over several lines (as some published samples are) is re-joined, up to 64 lines. */
async function* jsonLines(abs: string, path: string): AsyncGenerator<{ value: unknown; line: number } | { problem: string; line: number }> {
  let pending = '';
  let startLine = 0;
  let n = 0;
  for await (const raw of readLines(abs)) {
    n++;
    if (pending === '' && raw.trim() === '') continue;
    if (pending === '') startLine = n;
    pending = pending ? `${pending}\n${raw}` : raw;
    try {
      const value = JSON.parse(pending) as unknown;
      yield { value, line: startLine };
      pending = '';
    } catch {
      if (n - startLine >= 64 || pending.length > 4 * 1024 * 1024) {
        yield { problem: `${path}: line ${startLine} is not JSON`, line: startLine };
        pending = '';
      }
    }
  }
  if (pending.trim()) yield { problem: 'trailing data is not JSON', line: startLine };
}

export async function* readItem(bundleDir: string, item: ManifestItem, kind: ItemKind): AsyncGenerator<ReadOutput> {
  const abs = join(bundleDir, ...item.path.split('/'));
  const path = item.path;
  switch (kind) {
    case 'trail-file': {
      let records: CloudTrailRecord[];
      try {
        records = parseCloudTrailFile(await readFile(abs), path).records;
      } catch (error) {
        yield { kind: 'problem', path, message: error instanceof CloudTrailParseError ? error.message : (error as Error).message };
        return;
      }
      for (let i = 0; i < records.length; i++) yield out(fromCloudTrail(records[i]!, ctxFor(item, { path, record: i })), path, { record: i });
      return;
    }
    case 'lookup-events': {
      const page = JSON.parse(await readFile(abs, 'utf8')) as { Events?: { CloudTrailEvent?: string; EventName?: string; EventTime?: string; EventSource?: string; Username?: string; EventId?: string }[] };
      const events = page.Events ?? [];
      for (let i = 0; i < events.length; i++) {
        const ev = events[i]!;
        let record: CloudTrailRecord | null = null;
        try {
          record = ev.CloudTrailEvent ? (JSON.parse(ev.CloudTrailEvent) as CloudTrailRecord) : null;
        } catch {
          record = null;
        }
        record ??= { eventName: ev.EventName, eventTime: ev.EventTime, eventSource: ev.EventSource, eventID: ev.EventId, userIdentity: { userName: ev.Username } };
        yield out(fromCloudTrail(record, ctxFor(item, { path, record: i }), 'cloudtrail-lookup'), path, { record: i });
      }
      return;
    }
    case 'bedrock-s3':
    case 'data-capture': {
      const key = item.origin.kind === 's3' ? item.origin.key : null;
      for await (const r of jsonLines(abs, path)) {
        if ('problem' in r) {
          yield { kind: 'problem', path, line: r.line, message: r.problem };
          continue;
        }
        const ctx = ctxFor(item, { path, line: r.line });
        yield out(kind === 'bedrock-s3' ? fromBedrockInvocation(r.value, ctx) : fromDataCapture(r.value, { ...ctx, key }), path, { line: r.line });
      }
      return;
    }
    case 'bedrock-cw':
    case 'endpoint-logs':
    case 'flow-log-cw': {
      const page = JSON.parse(await readFile(abs, 'utf8')) as { events?: { message?: string; timestamp?: number }[] };
      const group = item.origin.kind === 'api' && typeof item.origin.params?.logGroupName === 'string' ? item.origin.params.logGroupName : null;
      const events = page.events ?? [];
      for (let i = 0; i < events.length; i++) {
        const ev = events[i]!;
        const ctx = ctxFor(item, { path, record: i });
        if (kind === 'endpoint-logs') {
          yield out(fromEndpointLogEvent(ev, { ...ctx, logGroup: group }), path, { record: i });
        } else if (kind === 'bedrock-cw') {
          let value: unknown;
          try {
            value = JSON.parse(ev.message ?? '');
          } catch {
            yield { kind: 'problem', path, record: i, message: 'log event message is not an invocation log record (not JSON)' };
            continue;
          }
          yield out(fromBedrockInvocation(value, ctx), path, { record: i });
        } else {
          const parsed = parseFlowLog(ev.message ?? '', DEFAULT_FLOW_LOG_FIELDS);
          if (parsed.problems[0]) yield { kind: 'problem', path, record: i, message: parsed.problems[0].message };
          for (const r of parsed.records) yield out(fromFlowLog(r, ctx), path, { record: i });
        }
      }
      return;
    }
    case 'access-log': {
      let n = 0;
      for await (const line of readLines(abs)) {
        n++;
        if (line.trim() === '') continue;
        const { records, problems } = parseS3AccessLog(line);
        for (const p of problems) yield { kind: 'problem', path, line: n, message: p.message };
        for (const r of records) yield out(fromS3AccessLog(r, ctxFor(item, { path, line: n })), path, { line: n });
      }
      return;
    }
    case 'flow-log-s3': {
      let fields = DEFAULT_FLOW_LOG_FIELDS;
      let n = 0;
      for await (const line of readLines(abs)) {
        n++;
        if (line.trim() === '') continue;
        const parsed = parseFlowLog(line, fields);
        fields = parsed.fields;
        for (const p of parsed.problems) yield { kind: 'problem', path, line: n, message: p.message };
        for (const r of parsed.records) yield out(fromFlowLog(r, ctxFor(item, { path, line: n })), path, { line: n });
      }
      return;
    }
  }
}

export const SOURCE_OF_KIND: Record<ItemKind, EventSource> = {
  'trail-file': 'cloudtrail',
  'lookup-events': 'cloudtrail-lookup',
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
    if (item.origin.kind === 's3' && (item.source === 'model-artifacts' || (item.source === 'sagemaker' && item.path.includes('/data-capture/')) || (item.source === 'bedrock' && item.path.includes('/invocation-logs-s3/')))) {
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
  return { path: MODEL_ARTIFACTS_PATH, baseline: data.baseline ?? null, tampered: Array.isArray(data.tampered) ? data.tampered : [], missing: Array.isArray(data.missing) ? data.missing : [], copies };
}
