// Bundle naming and safe relative paths: S3 keys and resource names are attacker-controlled and must
// never escape the bundle or collide.
import { createHash, randomBytes } from 'node:crypto';

/** Incident ids become a directory name: letters, digits, dot, underscore, hyphen; no leading dot. */
export const INCIDENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function bundleIdFor(incident: string, at: Date, random = randomBytes(3).toString('hex')): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${incident}-${stamp}-${random}`;
}

/** Characters kept as they are; everything else (including '%', '~', '@' and '/') is percent-encoded. */
const KEPT = /[A-Za-z0-9._=+,-]/;
/** Longest encoded segment written as is; longer ones are cut and end in `~<hash>` ('~' is always encoded). */
const MAX_SEGMENT = 200;

function percentEncode(raw: string): string {
  let out = '';
  for (const ch of raw) {
    if (KEPT.test(ch)) out += ch;
    else out += [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

/** Keeps a segment within filesystem name limits; the hash of the raw name (and its kind) keeps it unique. */
function bounded(encoded: string, raw: string, kind: string, room = MAX_SEGMENT): string {
  if (encoded.length <= room) return encoded;
  const digest = createHash('sha256').update(`${kind}\0${raw}`).digest('hex').slice(0, 40);
  return `${encoded.slice(0, room - 41)}~${digest}`;
}

/** One path segment for a resource name: kept characters as they are, the rest percent-encoded; never "", "." or "..". */
export function safeSegment(raw: string): string {
  if (raw === '') return '%empty';
  let out = percentEncode(raw);
  if (out === '.' || out === '..') out = out.replace(/\./g, '%2E');
  return bounded(out, raw, 'name');
}

/**
 * An S3 key as a relative path, injective for every key S3 allows: each directory segment is the
 * percent-encoding of its name *and* its slash (`y/z` → `y%2F/z`), so a key can never be both a file and
 * a folder (`y` and `y/z`, `x.json.gz` and `x.json.gz/child` both keep their object), and joining the
 * segments gives back the percent-encoded key. Empty segments, ".", ".." and unicode are encoded; very long
 * segments end in a hash of their raw name.
 */
export function objectKeyPath(key: string, versionId?: string | null): string {
  const parts = key.split('/');
  const leaf = parts.pop()!;
  const dirs = parts.map((seg) => `${bounded(percentEncode(seg), seg, 'dir', MAX_SEGMENT - 3)}%2F`);
  let file: string;
  if (leaf === '')
    file = '%empty'; // a "folder" object such as `logs/`; '%' followed by non-hex is never produced by encoding
  else if (leaf === '.' || leaf === '..') file = leaf.replace(/\./g, '%2E');
  else file = percentEncode(leaf);
  // '@' is always encoded inside keys, so the version suffix cannot be confused with part of a name.
  const version = versionId ? `@${percentEncode(versionId)}` : '';
  return [...dirs, bounded(`${file}${version}`, `${leaf}\0${versionId ?? ''}`, 'file')].join('/');
}

export function joinRel(...parts: string[]): string {
  return parts.filter((p) => p.length > 0).join('/');
}
