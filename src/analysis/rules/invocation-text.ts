// The prompt and response text of a model invocation, whatever the record format: Bedrock InvokeModel bodies
// of any provider, Converse / ConverseStream, streamed chunk arrays (also base64 `bytes` chunks and SSE
// "data: ... [DONE]" lines), and SageMaker data capture (base64 or plain). Bounded: at most MAX_TEXT characters
// per side, however large the record.
import type { TimelineEvent } from '../event.js';
import { obj } from './support.js';

export const MAX_TEXT = 64 * 1024;

/** Keys whose values are never prompt or response text. */
const NOT_TEXT = new Set([
  'role',
  'type',
  'id',
  'modelId',
  'model',
  'stopReason',
  'stop_reason',
  'index',
  'contentType',
  'inputContentType',
  'outputContentType',
  'encoding',
  'mode',
  'observedContentType',
  'finish_reason',
  'object',
  'created',
  'usage',
  'metrics',
  'amazon-bedrock-invocationMetrics',
  'inputTokenCount',
  'outputTokenCount',
  'inputBodyS3Path',
  'outputBodyS3Path',
  'toolUseId',
  'name',
  'status',
]);
/** Chunk wrappers of a streamed response: their parts join without separators. */
const CHUNK_KEYS = /^(?:delta|contentBlockDelta|chunk|bytes|content_block_delta|choices|outputText|completion|generation|token)$/;

function decodeBase64Json(s: string): unknown {
  if (s.length < 8 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]+=*$/.test(s)) return undefined;
  const text = Buffer.from(s, 'base64').toString('utf8');
  if (!/^\s*[[{"]/.test(text)) return text.replace(/[^\P{C}\n\t]/gu, '').length > text.length * 0.9 ? text : undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** SSE lines ("data: {...}", "data: [DONE]") -> their payloads. */
function sseParts(s: string): unknown[] | null {
  if (!/^\s*data:/m.test(s)) return null;
  const out: unknown[] = [];
  for (const line of s.split(/\r?\n/)) {
    const m = /^\s*data:\s?(.*)$/.exec(line);
    if (!m || m[1]!.trim() === '[DONE]' || m[1]!.trim() === '') continue;
    try {
      out.push(JSON.parse(m[1]!));
    } catch {
      out.push(m[1]!);
    }
  }
  return out;
}

class TextBuilder {
  text = '';
  constructor(private readonly max: number) {}
  add(s: string): void {
    if (this.text.length < this.max) this.text += s.slice(0, this.max - this.text.length);
  }
  get full(): boolean {
    return this.text.length >= this.max;
  }
}

/** `chunk`: inside a streamed chunk, where parts join without separators. */
function walk(v: unknown, out: TextBuilder, depth: number, key: string | null, chunk: boolean): void {
  if (out.full || depth > 24 || v === null || v === undefined) return;
  if (typeof v === 'string') {
    if (v === '[DONE]') return;
    const sse = sseParts(v);
    if (sse) return walk(sse, out, depth + 1, null, true);
    const decoded = key === 'bytes' || key === 'data' || key === 'body' ? decodeBase64Json(v) : undefined;
    if (decoded !== undefined) return walk(decoded, out, depth + 1, null, true);
    if (/^\s*[[{]/.test(v) && (key === 'body' || key === 'data' || key === 'inputBody' || key === 'outputBody')) {
      try {
        return walk(JSON.parse(v), out, depth + 1, key, chunk);
      } catch {
        // plain text that looks like JSON
      }
    }
    out.add(v);
    out.add(chunk ? '' : '\n');
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) walk(x, out, depth + 1, key, chunk);
    return;
  }
  const o = obj(v);
  if (!o) return;
  for (const [k, x] of Object.entries(o)) if (!NOT_TEXT.has(k)) walk(x, out, depth + 1, k, chunk || CHUNK_KEYS.test(k));
}

export function textOf(v: unknown, max = MAX_TEXT): string {
  const out = new TextBuilder(max);
  walk(v, out, 0, null, false);
  return out.text;
}

export interface InvocationText {
  prompt: string;
  response: string;
}

/** Whether a source recorded the event: its own source, or one merged into it (CloudTrail leads a merged InvokeModel). */
const sawSource = (e: TimelineEvent, source: TimelineEvent['source']): boolean => e.source === source || (e.sources?.includes(source) ?? false);

/** Prompt and response text (each at most `max` characters) of a Bedrock invocation-log or SageMaker data-capture event; null for other events. */
export function invocationText(e: TimelineEvent, max = MAX_TEXT): InvocationText | null {
  const d = e.detail ?? {};
  if (sawSource(e, 'bedrock-invocation')) {
    const input = obj(d.input);
    const output = obj(d.output);
    return {
      prompt: textOf(input?.inputBodyJson ?? input?.inputBody ?? null, max),
      response: textOf(output?.outputBodyJson ?? output?.outputBody ?? null, max),
    };
  }
  if (sawSource(e, 'sagemaker-data-capture')) {
    const capture = obj(d.captureData);
    return { prompt: textOf(obj(capture?.endpointInput), max), response: textOf(obj(capture?.endpointOutput), max) };
  }
  return null;
}

/** True when the invocation's guardrail stepped in (stopReason guardrail_intervened, action INTERVENED, ...). */
export function guardrailIntervened(e: TimelineEvent): boolean {
  if (!sawSource(e, 'bedrock-invocation')) return false;
  let found = false;
  const visit = (v: unknown, depth: number): void => {
    if (found || depth > 12) return;
    if (typeof v === 'string') {
      if (/^(?:guardrail_intervened|GUARDRAIL_INTERVENED|INTERVENED)$/.test(v)) found = true;
      return;
    }
    if (Array.isArray(v)) for (const x of v.slice(0, 500)) visit(x, depth + 1);
    else if (obj(v)) for (const x of Object.values(v as Record<string, unknown>)) visit(x, depth + 1);
  };
  visit(e.detail?.guardrail, 0);
  const output = obj(obj(e.detail?.output)?.outputBodyJson);
  visit(output?.stopReason, 0);
  visit(output?.['amazon-bedrock-guardrailAction'], 0);
  const chunks = obj(e.detail?.output)?.outputBodyJson;
  if (Array.isArray(chunks)) for (const c of chunks.slice(-5)) visit(c, 0);
  return found;
}

/** Input + output tokens of an invocation-log record (null when not recorded). */
export function tokensOf(e: TimelineEvent): number | null {
  const i = e.detail?.inputTokenCount;
  const o = e.detail?.outputTokenCount;
  if (typeof i !== 'number' && typeof o !== 'number') return null;
  return (typeof i === 'number' ? i : 0) + (typeof o === 'number' ? o : 0);
}
