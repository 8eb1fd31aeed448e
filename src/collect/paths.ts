// Bundle naming and safe relative paths: S3 keys and resource names are attacker-controlled and must
// never escape the bundle or collide.
import { randomBytes } from 'node:crypto';

/** Incident ids become a directory name: letters, digits, dot, underscore, hyphen; no leading dot. */
export const INCIDENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function bundleIdFor(incident: string, at: Date, random = randomBytes(3).toString('hex')): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `${incident}-${stamp}-${random}`;
}

/** One path segment: keep [A-Za-z0-9._=+@,-], percent-encode the rest; "." and ".." are encoded too. */
export function safeSegment(raw: string): string {
  if (raw === '') return '%00empty';
  let out = '';
  for (const ch of raw) {
    if (/[A-Za-z0-9._=+@,-]/.test(ch)) out += ch;
    else out += [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  if (out === '.' || out === '..') out = out.replace(/\./g, '%2E');
  // Keep every segment within common filesystem limits.
  if (out.length > 200) out = `${out.slice(0, 180)}~${Buffer.from(raw).toString('base64url').slice(-16)}`;
  return out;
}

/** An S3 key (or any slash-separated name) as a relative path of safe segments. */
export function safeKeyPath(key: string): string {
  return key.split('/').map(safeSegment).join('/');
}

export function joinRel(...parts: string[]): string {
  return parts.filter((p) => p.length > 0).join('/');
}
