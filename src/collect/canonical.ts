// Canonical JSON (sorted keys, no whitespace) and SHA-256 helpers: the basis of every hash in a bundle.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level; undefined members dropped, Dates as ISO strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortValue(value));
}

function sortValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortValue(v)));
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return sortValue((value as { toJSON(): unknown }).toJSON());
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortValue(v);
  }
  return out;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export const hexToBase64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
