// `forensight verify`: recompute every file hash and the custody chain of a bundle, and name each
// missing, extra or altered file and each break in the chain.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sha256Hex } from './canonical.js';
import { manifestHmac } from './seal.js';
import { verifyCustodyChain, type CustodyEntry } from './custody.js';
import { CUSTODY_FILE, EMPTY_DIRECTORY, MANIFEST_FILE, compareWithManifest, type ActualFile, type Manifest, type VerifyProblem } from './manifest.js';

export interface VerifyOptions {
  /** The manifest SHA-256 recorded outside the bundle (collect's output, the Object Lock copy). */
  expectSha256?: string;
  /** The key collect --seal-key used; the seal's HMAC must match. */
  sealKey?: Buffer;
}

export interface VerifyReport {
  bundleDir: string;
  ok: boolean;
  /** What the OK rests on: 'self' (only the bundle's own hashes), or anchors checked outside it. */
  anchoredBy: ('expected-sha256' | 'seal-key')[];
  /** The manifest's reason when collection stopped early. */
  incomplete: string | null;
  filesChecked: number;
  custodyEntries: number;
  problems: VerifyProblem[];
  manifest: Pick<Manifest, 'bundleId' | 'incident' | 'window'> | null;
}

let validator: (((data: unknown) => boolean) & { errors?: unknown }) | undefined;

async function manifestValidator(): Promise<((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null }> {
  if (!validator) {
    const schema = JSON.parse(await readFile(new URL('../model/schemas/bundle-manifest.schema.json', import.meta.url), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  return validator as never;
}

async function hashFile(path: string): Promise<ActualFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Every file below the bundle except manifest.json and custody.jsonl at the top, hashed; empty directories too. */
async function scanFiles(root: string): Promise<Map<string, ActualFile>> {
  const found = new Map<string, ActualFile>();
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(rel ? join(root, rel) : root, { withFileTypes: true });
    // Collect never creates an empty directory; one found was added.
    if (rel && entries.length === 0) found.set(rel, { sha256: '', bytes: 0, notRegular: EMPTY_DIRECTORY });
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (!rel && (entry.name === MANIFEST_FILE || entry.name === CUSTODY_FILE)) continue;
      const abs = join(root, childRel);
      const stat = await lstat(abs);
      if (stat.isSymbolicLink()) found.set(childRel, { sha256: '', bytes: 0, notRegular: 'symbolic link' });
      else if (stat.isDirectory()) await walk(childRel);
      else if (stat.isFile()) found.set(childRel, await hashFile(abs));
      else found.set(childRel, { sha256: '', bytes: 0, notRegular: 'special file' });
    }
  };
  await walk('');
  return found;
}

export class NotABundleError extends Error {}

/** A directory with neither manifest.json nor custody.jsonl was never a bundle: that is a usage error, not tampering. */
export async function assertBundleDir(bundleDir: string): Promise<void> {
  const present = await Promise.all(
    [MANIFEST_FILE, CUSTODY_FILE].map((f) =>
      lstat(join(bundleDir, f)).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (!present.some(Boolean))
    throw new NotABundleError(
      `"${bundleDir}" is not a bundle: it has neither ${MANIFEST_FILE} nor ${CUSTODY_FILE}. Give the directory that forensight collect created.`,
    );
}

export async function verifyBundle(bundleDir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  // 1. The manifest: present, valid JSON, valid against the schema.
  const { manifest, manifestSha, manifestBytes } = await readManifest(bundleDir, problems);

  // 2. Every file against the manifest.
  const actual = await scanFiles(bundleDir);
  if (manifest) problems.push(...compareWithManifest(manifest.items, actual));
  else for (const path of actual.keys()) problems.push({ kind: 'extra', path, message: 'cannot be checked: no usable manifest' });

  // 3. The custody chain.
  const entries = await readCustodyChain(bundleDir, problems);

  // 4. The seal binds manifest and chain; custody item entries must agree with the manifest.
  if (manifest && entries.length > 0) checkSeal(manifest, manifestSha, entries, problems);

  // 5. Anchors outside the bundle: the only checks a rewritten bundle cannot pass.
  const anchoredBy = checkAnchors(options, manifestSha, manifestBytes, entries, problems);

  return {
    bundleDir,
    ok: problems.length === 0,
    anchoredBy,
    incomplete: manifest?.incomplete?.reason ?? null,
    filesChecked: actual.size,
    custodyEntries: entries.length,
    problems,
    manifest: manifest ? { bundleId: manifest.bundleId, incident: manifest.incident, window: manifest.window } : null,
  };
}

async function readManifest(
  bundleDir: string,
  problems: VerifyProblem[],
): Promise<{ manifest: Manifest | null; manifestSha: string | null; manifestBytes: Buffer | null }> {
  let manifest: Manifest | null = null;
  let manifestSha: string | null = null;
  let manifestBytes: Buffer | null = null;
  try {
    const st = await lstat(join(bundleDir, MANIFEST_FILE));
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'NOTFILE' });
    const bytes = await readFile(join(bundleDir, MANIFEST_FILE));
    manifestBytes = bytes;
    manifestSha = sha256Hex(bytes);
    try {
      manifest = JSON.parse(bytes.toString('utf8')) as Manifest;
    } catch (error) {
      problems.push({
        kind: 'manifest',
        path: MANIFEST_FILE,
        message: `not valid JSON (${(error as Error).message}); the file list cannot be checked`,
      });
    }
    if (manifest) {
      const validate = await manifestValidator();
      if (!validate(manifest)) {
        const errs = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
        problems.push({ kind: 'manifest', path: MANIFEST_FILE, message: `does not match the bundle manifest schema: ${errs.join('; ')}` });
        if (!Array.isArray(manifest.items)) manifest = null;
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push({
      kind: 'missing',
      path: MANIFEST_FILE,
      message: code === 'ENOENT' ? 'missing: the bundle was never sealed or the manifest was removed' : `unreadable (${(error as Error).message})`,
    });
  }
  return { manifest, manifestSha, manifestBytes };
}

async function readCustodyChain(bundleDir: string, problems: VerifyProblem[]): Promise<CustodyEntry[]> {
  let entries: CustodyEntry[] = [];
  try {
    const st = await lstat(join(bundleDir, CUSTODY_FILE));
    if (!st.isFile()) throw new Error('not a regular file');
    const check = verifyCustodyChain(await readFile(join(bundleDir, CUSTODY_FILE), 'utf8'));
    entries = check.entries;
    for (const p of check.problems) problems.push({ kind: 'custody', path: `${CUSTODY_FILE}:${p.line}`, message: p.message });
  } catch (error) {
    problems.push({ kind: 'missing', path: CUSTODY_FILE, message: `custody log missing or unreadable (${(error as Error).message})` });
  }
  return entries;
}

function checkSeal(manifest: Manifest, manifestSha: string | null, entries: CustodyEntry[], problems: VerifyProblem[]): void {
  const sealAt = manifest.custody?.entriesBeforeSeal;
  const before = typeof sealAt === 'number' ? entries.find((e) => e.seq === sealAt - 1) : undefined;
  const seal = typeof sealAt === 'number' ? entries.find((e) => e.seq === sealAt) : undefined;
  if (!before || before.hash !== manifest.custody.headHash) {
    problems.push({
      kind: 'seal',
      path: MANIFEST_FILE,
      message: `the custody chain head recorded in the manifest (seq ${Number(sealAt) - 1}) does not match custody.jsonl`,
    });
  }
  if (!seal || seal.action !== 'bundle-sealed') {
    problems.push({ kind: 'seal', path: CUSTODY_FILE, message: 'the bundle-sealed entry is missing from the custody log' });
  } else if (seal.detail.manifestSha256 !== manifestSha) {
    problems.push({
      kind: 'seal',
      path: MANIFEST_FILE,
      message: `manifest.json was altered after sealing: sha256 ${manifestSha}, sealed as ${String(seal.detail.manifestSha256)}`,
    });
  }
  const custodyItems = new Map<string, string>();
  for (const e of entries)
    if (e.action === 'item-collected' && typeof e.detail.path === 'string') custodyItems.set(e.detail.path, String(e.detail.sha256));
  for (const item of manifest.items) {
    const recorded = custodyItems.get(item.path);
    if (recorded === undefined)
      problems.push({ kind: 'custody', path: item.path, message: 'listed in the manifest but never recorded as collected in the custody log' });
    else if (recorded !== item.sha256)
      problems.push({
        kind: 'custody',
        path: item.path,
        message: `manifest hash ${item.sha256} differs from the hash recorded at collection ${recorded}`,
      });
    custodyItems.delete(item.path);
  }
  for (const path of custodyItems.keys())
    problems.push({ kind: 'custody', path, message: 'recorded as collected in the custody log but absent from the manifest' });
}

function checkAnchors(
  options: VerifyOptions,
  manifestSha: string | null,
  manifestBytes: Buffer | null,
  entries: CustodyEntry[],
  problems: VerifyProblem[],
): VerifyReport['anchoredBy'] {
  const anchoredBy: VerifyReport['anchoredBy'] = [];
  if (options.expectSha256 !== undefined) {
    anchoredBy.push('expected-sha256');
    if (manifestSha !== options.expectSha256.toLowerCase()) {
      problems.push({
        kind: 'seal',
        path: MANIFEST_FILE,
        message: `sha256 ${manifestSha ?? '(no manifest)'} is not the expected ${options.expectSha256.toLowerCase()} recorded at collection: the bundle is not the one that was sealed`,
      });
    }
  }
  if (options.sealKey) {
    anchoredBy.push('seal-key');
    const sealEntry = entries.find((e) => e.action === 'bundle-sealed');
    const recorded = typeof sealEntry?.detail.manifestHmacSha256 === 'string' ? sealEntry.detail.manifestHmacSha256 : null;
    const actual = manifestBytes ? manifestHmac(options.sealKey, manifestBytes) : null;
    if (!recorded)
      problems.push({
        kind: 'seal',
        path: CUSTODY_FILE,
        message: 'the seal has no HMAC: the bundle was not sealed with a key (or the HMAC was removed)',
      });
    else if (recorded !== actual)
      problems.push({
        kind: 'seal',
        path: MANIFEST_FILE,
        message:
          'the seal HMAC does not match manifest.json under this key: the manifest was rewritten, or the key is not the one used at collection',
      });
  }
  return anchoredBy;
}
