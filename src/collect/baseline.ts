// Known-good model artifact hashes (--baseline FILE) compared with what is in S3 now. Pure.
import { parseS3Location } from '../model/s3-location.js';

export interface BaselineEntry {
  uri: string;
  sha256: string;
  versionId?: string;
}

export class BaselineError extends Error {}

const HEX64 = /^[0-9a-fA-F]{64}$/;

/**
 * Accepted forms: JSON `{"artifacts":[{"uri","sha256","versionId"?}]}`, a JSON array of those, a JSON object
 * `{"s3://bucket/key": "<sha256>"}`, or sha256sum-style text lines `<sha256>  s3://bucket/key`.
 */
export function parseBaseline(text: string, file: string): BaselineEntry[] {
  const trimmed = text.trim();
  let entries: BaselineEntry[];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (error) {
      throw new BaselineError(`${file}: not valid JSON (${(error as Error).message})`);
    }
    const list = Array.isArray(data) ? data : (data as { artifacts?: unknown }).artifacts;
    if (Array.isArray(list)) {
      entries = list.map((e, i) => {
        const o = e as Partial<BaselineEntry>;
        if (typeof o?.uri !== 'string' || typeof o.sha256 !== 'string') throw new BaselineError(`${file}: entry ${i + 1} needs "uri" and "sha256"`);
        return { uri: o.uri, sha256: o.sha256, ...(typeof o.versionId === 'string' ? { versionId: o.versionId } : {}) };
      });
    } else {
      entries = Object.entries(data as Record<string, unknown>).map(([uri, sha]) => {
        if (typeof sha !== 'string') throw new BaselineError(`${file}: value for ${uri} must be a sha256 string`);
        return { uri, sha256: sha };
      });
    }
  } else {
    entries = trimmed
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0 && !l.startsWith('#'))
      .map((line, i) => {
        const m = /^([0-9a-fA-F]{64})\s+\*?(\S+)$/.exec(line);
        if (!m) throw new BaselineError(`${file}: line ${i + 1} is not "<sha256>  s3://bucket/key"`);
        return { uri: m[2]!, sha256: m[1]! };
      });
  }
  for (const e of entries) {
    const location = parseS3Location(e.uri);
    if (!location?.key) throw new BaselineError(`${file}: "${e.uri}" is not an s3://bucket/key URI`);
    // Any S3 location form names the artifact; it is compared as the s3:// URI collect records.
    e.uri = `s3://${location.bucket}/${location.key}`;
    if (!HEX64.test(e.sha256)) throw new BaselineError(`${file}: hash for ${e.uri} is not a 64-digit hex SHA-256`);
    e.sha256 = e.sha256.toLowerCase();
  }
  return entries;
}

export interface ObservedVersion {
  uri: string;
  versionId: string | null;
  isLatest: boolean;
  sha256: string;
  lastModified?: string | null;
}

export type BaselineVerdict = 'MATCH' | 'MISMATCH' | 'NOT_IN_BASELINE';

export interface BaselineComparison {
  versions: (ObservedVersion & { expectedSha256: string | null; verdict: BaselineVerdict })[];
  /** Current objects whose hash differs from the known-good one: possible tampering. */
  tampered: { uri: string; versionId: string | null; sha256: string; expectedSha256: string; knownGoodVersionId: string | null }[];
  /** Baseline artifacts with no current version in S3 (deleted, or never collected). */
  missing: BaselineEntry[];
}

export function compareToBaseline(observed: ObservedVersion[], baseline: BaselineEntry[]): BaselineComparison {
  const expected = new Map(baseline.map((b) => [b.uri, b]));
  const versions = observed.map((v) => {
    const b = expected.get(v.uri);
    const verdict: BaselineVerdict = !b ? 'NOT_IN_BASELINE' : b.sha256 === v.sha256 ? 'MATCH' : 'MISMATCH';
    return { ...v, expectedSha256: b?.sha256 ?? null, verdict };
  });
  const tampered = versions
    .filter((v) => v.isLatest && v.verdict === 'MISMATCH')
    .map((v) => ({
      uri: v.uri,
      versionId: v.versionId,
      sha256: v.sha256,
      expectedSha256: v.expectedSha256!,
      knownGoodVersionId: versions.find((o) => o.uri === v.uri && o.verdict === 'MATCH')?.versionId ?? null,
    }));
  const latest = new Set(observed.filter((v) => v.isLatest).map((v) => v.uri));
  return { versions, tampered, missing: baseline.filter((b) => !latest.has(b.uri)) };
}
