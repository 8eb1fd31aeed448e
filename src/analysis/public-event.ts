// What an output may show of an event. Invocation content (prompts, responses, data capture, guardrail traces)
// is attacker- or user-supplied and may carry credentials: outputs (timeline.jsonl, findings.json, the reports,
// the terminal) get it reassembled into text, with every secret replaced by its type, capped per field, and with
// the full text's sha256 (unless a secret was removed) so the responder can match it to the record the evidence reference names (the bundle
// keeps the original byte-exact). Rules see the raw event; only outputs see this.
import * as crypto from 'node:crypto';
import type { EventSource, TimelineEvent } from './event.js';
import { invocationText } from './rules/invocation-text.js';
import { redact } from '../model/secrets.js';

/** Characters of one content field an output shows. */
export const MAX_FIELD_CHARS = 2000;
/** Characters of prompt or response text read to count and hash it. */
const MAX_CONTENT_CHARS = 1024 * 1024;
const MAX_DEPTH = 8;
const MAX_ITEMS = 100;

/** Invocation content as outputs show it. */
export interface ShownContent {
  /** Redacted text, cut at MAX_FIELD_CHARS with "… N more characters". */
  text: string;
  /** Characters of the full text (before redaction; a lower bound past MAX_CONTENT_CHARS). */
  chars: number;
  /** SHA-256 of the full text (UTF-8), before redaction; null when a secret was removed, since a hash of text
   * holding a secret lets anyone confirm a guessed secret (the evidence reference still finds the record). */
  sha256: string | null;
  /** Types of secret removed from the text. */
  redacted: string[];
}

/** Sources whose records carry invocation content. */
const CONTENT_SOURCES: ReadonlySet<EventSource> = new Set(['bedrock-invocation', 'sagemaker-data-capture', 'sagemaker-endpoint-log']);
/** Raw content fields the reassembled prompt/response replace. */
const RAW_CONTENT = new Set(['input', 'output', 'captureData']);

const carriesContent = (e: TimelineEvent): boolean => CONTENT_SOURCES.has(e.source) || (e.sources?.some((s) => CONTENT_SOURCES.has(s)) ?? false);

/** Cut to `max` characters, saying how many are left out ("at least" when the text itself was cut short). */
export function capText(text: string, max = MAX_FIELD_CHARS, cutShort = false): string {
  return text.length > max ? `${text.slice(0, max)}… ${cutShort ? 'at least ' : ''}${text.length - max} more characters` : text;
}

/** A string of hostile content with its secrets redacted, then capped. */
export const safeString = (text: string): string => capText(redact(text).text);

/** SHA-256 (hex) of a string's UTF-8: one call where Node has crypto.hash (20.12+), no Hash object per field. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text) : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** `text` was read up to `cutAt` characters: when it reached that, `chars` and the count left out are lower bounds. */
export function shownContent(text: string, cutAt = MAX_CONTENT_CHARS): ShownContent {
  const r = redact(text);
  const sha256 = r.types.length > 0 ? null : sha256Hex(text);
  return { text: capText(r.text, MAX_FIELD_CHARS, text.length >= cutAt), chars: text.length, sha256, redacted: r.types };
}

/** Fields that hold matched sensitive content itself (a guardrail filter's `match`): withheld, whatever they look like. */
const WITHHELD = new Set(['match']);

/** Every string inside redacted and capped; depth and array length bounded. */
function safeValue(v: unknown, depth: number, key: string | null = null): unknown {
  if (typeof v === 'string') return key !== null && WITHHELD.has(key) ? `[withheld: ${v.length} characters]` : safeString(v);
  if (v === null || typeof v !== 'object') return v;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(v)) {
    const items = v.slice(0, MAX_ITEMS).map((x) => safeValue(x, depth + 1));
    return v.length > MAX_ITEMS ? [...items, `… ${v.length - MAX_ITEMS} more items`] : items;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = safeValue(x, depth + 1, k);
  return out;
}

/** The event as outputs show it: the same object when it carries no invocation content. */
export function publicEvent(e: TimelineEvent): TimelineEvent {
  if (!carriesContent(e) || !e.detail) return e;
  const detail: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.detail)) if (!RAW_CONTENT.has(k)) detail[k] = safeValue(v, 1);
  const text = invocationText(e, MAX_CONTENT_CHARS);
  if (text) {
    detail.prompt = shownContent(text.prompt);
    detail.response = shownContent(text.response);
  }
  return { ...e, detail };
}
