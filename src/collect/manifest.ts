// manifest.json of an evidence bundle: what was collected, from where, when, by whom; and the pure
// comparison of a manifest against the files actually present.

export const MANIFEST_SCHEMA_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const CUSTODY_FILE = 'custody.jsonl';

export const SOURCE_NAMES = ['cloudtrail', 'bedrock', 'sagemaker', 's3-access-logs', 'model-artifacts', 'flow-logs'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** An object copied byte-exact from S3. */
export interface S3Origin {
  kind: 's3';
  uri: string;
  bucket: string;
  key: string;
  versionId: string | null;
  etag: string | null;
  lastModified: string | null;
  /** Account whose credentials read the object (the bucket owner when known). */
  readVia: string;
  requestId: string | null;
}

/** What an S3 read (a GetObject answer) tells an origin. */
export interface S3ReadMeta {
  VersionId?: string;
  ETag?: string;
  LastModified?: Date | string;
  $metadata?: { requestId?: string };
}

/**
 * The origin of an object copied from S3, from the read that fetched it (fields the read lacks are null;
 * `requestedVersionId` stands in when the answer names no version). S3 answers "null" for an unversioned object.
 */
export function s3Origin(bucket: string, key: string, readVia: string, read: S3ReadMeta = {}, requestedVersionId?: string): S3Origin {
  return {
    kind: 's3',
    uri: `s3://${bucket}/${key}`,
    bucket,
    key,
    versionId: read.VersionId && read.VersionId !== 'null' ? read.VersionId : (requestedVersionId ?? null),
    etag: read.ETag ?? null,
    lastModified: read.LastModified ? new Date(read.LastModified).toISOString() : null,
    readVia,
    requestId: read.$metadata?.requestId ?? null,
  };
}

/** An API response, serialised as the SDK returned it (including $metadata). */
export interface ApiOrigin {
  kind: 'api';
  service: string;
  action: string;
  accountId: string;
  region: string;
  requestId: string | null;
  params?: Record<string, unknown>;
  /** Present on the byte-exact copy of the response as it came over the wire. */
  rawResponse?: { statusCode: number; contentType: string | null };
}

/** A file the tool derived from other items (parsed records, hash tables). */
export interface DerivedOrigin {
  kind: 'derived';
  description: string;
}

export type ItemOrigin = S3Origin | ApiOrigin | DerivedOrigin;

export interface ManifestItem {
  path: string;
  sha256: string;
  bytes: number;
  /** Account and region the evidence is about ('global' for account-wide sources). */
  accountId: string;
  region: string;
  source: SourceName | 'analysis';
  origin: ItemOrigin;
  collectedAt: string;
  /** Collected for the lookback before the window (`collect --baseline-days`), which defines normal. */
  baseline?: true;
}

export interface Gap {
  accountId: string;
  region: string;
  source: SourceName | 'access' | 'discovery';
  /** What could not be read: an S3 URI, a log group, an API action. */
  target?: string;
  reason: string;
  errorCode?: string;
  at: string;
}

export interface ManifestHeader {
  bundleId: string;
  incident: string;
  window: { start: string; end: string };
  /** The lookback collected before the window (`--baseline-days`); null when none was asked for. */
  baselineWindow: { start: string; end: string } | null;
  scope: {
    organization: { id: string; managementAccountId: string } | null;
    accounts: { accountId: string; name: string; regions: string[]; status: 'COLLECTED' | 'PARTIAL' | 'NOT_COLLECTED'; reason?: string }[];
  };
  sources: SourceName[];
  filters: Record<string, unknown>;
  collector: {
    tool: 'forensight';
    version: string;
    callerArn: string;
    callerAccountId: string;
    sessionNames: string[];
    roleName: string | null;
    osUser: string;
    host: string;
  };
  startedAt: string;
  /** Present when collection stopped early (SIGINT, --deadline): what was collected is sealed, the rest is not there. */
  incomplete?: { reason: string };
}

/** Days of lookback before `--start` that collect gathers as the baseline when `--baseline-days` is not given. */
export const DEFAULT_BASELINE_DAYS = 7;

export interface Manifest extends ManifestHeader {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  kind: 'forensight-evidence-bundle';
  finishedAt: string;
  items: ManifestItem[];
  gaps: Gap[];
  /** The custody chain head at sealing: the seal entry that follows names this manifest's SHA-256. */
  custody: { entriesBeforeSeal: number; headHash: string };
  stats: { items: number; bytes: number; apiCalls: number; gaps: number; durationMs: number };
}

export type ProblemKind = 'missing' | 'extra' | 'altered' | 'custody' | 'manifest' | 'seal';

export interface VerifyProblem {
  kind: ProblemKind;
  path?: string;
  message: string;
}

export interface ActualFile {
  sha256: string;
  bytes: number;
  /** A symlink, device or directory where a regular file belongs. */
  notRegular?: string;
}

export const EMPTY_DIRECTORY = 'empty directory';

/** Compares manifest items with the files found in the bundle (everything but manifest.json and custody.jsonl). Pure. */
export function compareWithManifest(items: ManifestItem[], actual: Map<string, ActualFile>): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const listed = new Set<string>();
  for (const item of items) {
    if (listed.has(item.path)) {
      problems.push({ kind: 'manifest', path: item.path, message: `listed more than once in ${MANIFEST_FILE}` });
      continue;
    }
    listed.add(item.path);
    if (!isSafeRelative(item.path)) {
      problems.push({ kind: 'manifest', path: item.path, message: 'path escapes the bundle directory' });
      continue;
    }
    const file = actual.get(item.path);
    if (!file) {
      problems.push({ kind: 'missing', path: item.path, message: `missing (expected ${item.bytes} bytes, sha256 ${item.sha256})` });
      continue;
    }
    if (file.notRegular) {
      problems.push({ kind: 'altered', path: item.path, message: `is now a ${file.notRegular}, not the regular file that was collected` });
      continue;
    }
    if (file.sha256 !== item.sha256 || file.bytes !== item.bytes) {
      problems.push({
        kind: 'altered',
        path: item.path,
        message: `altered: sha256 ${file.sha256} (${file.bytes} bytes), manifest says ${item.sha256} (${item.bytes} bytes)`,
      });
    }
  }
  const expectedDirs = new Set<string>();
  for (const path of listed) for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) expectedDirs.add(path.slice(0, i));
  for (const [path, file] of actual) {
    // An empty directory where listed files were (they are reported missing) is no news; anywhere else it was added.
    if (file.notRegular === EMPTY_DIRECTORY && expectedDirs.has(path)) continue;
    if (!listed.has(path))
      problems.push({
        kind: 'extra',
        path,
        message: file.notRegular ? `extra ${file.notRegular} not in the manifest` : `extra file not in the manifest (${file.bytes} bytes)`,
      });
  }
  return problems;
}

export function isSafeRelative(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
