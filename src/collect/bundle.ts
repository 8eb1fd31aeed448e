// The bundle writer: a new directory per run (never reused), every file created exclusively and hashed
// while it is written, custody entries as items land, manifest.json written last.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sha256Hex } from './canonical.js';
import { CustodyLog, type CustodyActor } from './custody.js';
import {
  CUSTODY_FILE,
  MANIFEST_FILE,
  MANIFEST_SCHEMA_VERSION,
  isSafeRelative,
  type Gap,
  type ItemOrigin,
  type Manifest,
  type ManifestHeader,
  type ManifestItem,
} from './manifest.js';
import type { StreamInspector } from './parsers/stream-reader.js';
import { bundleIdFor } from './paths.js';
import { manifestHmac } from './seal.js';
import { prettyJson } from '../model/pretty-json.js';

export interface ItemMeta {
  accountId: string;
  region: string;
  source: ManifestItem['source'];
  origin: ItemOrigin;
  /** Collected for the lookback before the window (--baseline-days). */
  baseline?: boolean;
}

export interface WrittenItem {
  path: string;
  absolutePath: string;
  sha256: string;
  bytes: number;
}

export interface LineSink {
  /** Returns a promise when the caller should wait for the disk to catch up. */
  write(line: string): Promise<void> | undefined;
  readonly lines: number;
  close(): Promise<WrittenItem>;
}

export class BundleExistsError extends Error {}

export class BundleWriter {
  readonly items: ManifestItem[] = [];
  readonly gaps: Gap[] = [];
  private readonly used = new Set<string>();
  private sealed = false;
  private bytesTotal = 0;
  /** Called after each item is on disk (progress). */
  onItem: ((item: ManifestItem) => void) | undefined;

  private constructor(
    readonly dir: string,
    readonly id: string,
    readonly custody: CustodyLog,
  ) {}

  /** Creates `<outDir>/<incident>-<UTC stamp>-<random>/`; fails rather than reuse an existing directory. */
  static async create(outDir: string, incident: string, actor: CustodyActor, now = new Date(), random?: string): Promise<BundleWriter> {
    await mkdir(outDir, { recursive: true });
    const id = bundleIdFor(incident, now, random);
    const dir = join(outDir, id);
    try {
      await mkdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        throw new BundleExistsError(`Bundle directory ${dir} already exists; nothing is overwritten. Run again for a new bundle.`);
      throw error;
    }
    const custody = await CustodyLog.create(join(dir, CUSTODY_FILE), actor);
    const writer = new BundleWriter(dir, id, custody);
    await custody.append('bundle-created', { bundleId: id, incident, directory: id });
    return writer;
  }

  get totalBytes(): number {
    return this.bytesTotal;
  }

  /** Writes bytes to a new file (exclusive create). A path already used gets a ~N suffix. */
  async writeBytes(relPath: string, data: string | Uint8Array, meta: ItemMeta): Promise<WrittenItem> {
    const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const { rel, abs, handle } = await this.reserve(relPath);
    try {
      await handle.writeFile(buffer);
    } finally {
      await handle.close();
    }
    return this.register(rel, abs, sha256Hex(buffer), buffer.length, meta);
  }

  /** An API response as the SDK returned it, pretty-printed JSON (compact where it nests too deep to indent). */
  writeJson(relPath: string, value: unknown, meta: ItemMeta): Promise<WrittenItem> {
    return this.writeBytes(relPath, `${prettyJson(value)}\n`, meta);
  }

  /**
   * Streams a body to a new file, hashing on the way: memory stays bounded whatever the size. An inspector
   * (a parser) sees the same chunks as they pass, so nothing is read twice. A failed stream leaves no file.
   */
  async writeStream(
    relPath: string,
    body: Readable | AsyncIterable<Uint8Array>,
    meta: ItemMeta,
    inspector?: StreamInspector,
    signal?: AbortSignal,
  ): Promise<WrittenItem> {
    const { rel, abs, handle } = await this.reserve(relPath);
    await handle.close();
    const hash = createHash('sha256');
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        bytes += chunk.length;
        const wait = inspector?.write(chunk);
        if (wait) wait.then(() => done(null, chunk), done);
        else done(null, chunk);
      },
    });
    try {
      // The file was created exclusively above; the stream reopens it for writing ('r+' never creates).
      await pipeline(body, tap, createWriteStream(abs, { flags: 'r+' }), signal ? { signal } : {});
      await inspector?.end();
    } catch (error) {
      inspector?.abort();
      this.used.delete(rel);
      await unlink(abs).catch(() => undefined);
      throw error;
    }
    return this.register(rel, abs, hash.digest('hex'), bytes, meta);
  }

  /** A file written line by line as records arrive (parsed events); registered when closed. */
  openLineSink(relPath: string, meta: ItemMeta): LineSink {
    const stream = new PassThrough();
    const done = this.writeStream(relPath, stream, meta);
    let lines = 0;
    return {
      write(line: string) {
        lines++;
        if (!stream.write(`${line}\n`)) return new Promise<void>((resolve) => stream.once('drain', () => resolve()));
        return undefined;
      },
      get lines() {
        return lines;
      },
      close: async () => {
        stream.end();
        return done;
      },
    };
  }

  async addGap(gap: Omit<Gap, 'at'>): Promise<void> {
    const full: Gap = { ...gap, at: new Date().toISOString() };
    this.gaps.push(full);
    await this.custody.append('gap-recorded', { ...full });
  }

  note(action: string, detail: Record<string, unknown>): Promise<unknown> {
    return this.custody.append(action, detail);
  }

  /** Writes manifest.json (last, atomically, never over an existing file), then the custody seal entry. */
  async seal(
    header: ManifestHeader,
    stats: { apiCalls: number; durationMs: number },
    options: { sealKey?: Buffer } = {},
  ): Promise<{ manifest: Manifest; manifestSha256: string; manifestHmacSha256: string | null }> {
    if (this.sealed) throw new Error('bundle already sealed');
    this.sealed = true;
    const head = this.custody.head!;
    const manifest: Manifest = {
      schemaVersion: MANIFEST_SCHEMA_VERSION,
      kind: 'forensight-evidence-bundle',
      ...header,
      finishedAt: new Date().toISOString(),
      items: [...this.items].sort((a, b) => a.path.localeCompare(b.path)),
      gaps: this.gaps,
      custody: { entriesBeforeSeal: head.seq + 1, headHash: head.hash },
      stats: { items: this.items.length, bytes: this.bytesTotal, apiCalls: stats.apiCalls, gaps: this.gaps.length, durationMs: stats.durationMs },
    };
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    const tmp = join(this.dir, `.${MANIFEST_FILE}.${process.pid}.tmp`);
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // link() is atomic and fails if manifest.json exists: the manifest appears complete or not at all.
    await link(tmp, join(this.dir, MANIFEST_FILE));
    await unlink(tmp);
    const manifestSha256 = sha256Hex(text);
    const manifestHmacSha256 = options.sealKey ? manifestHmac(options.sealKey, text) : null;
    await this.custody.append('bundle-sealed', {
      manifest: MANIFEST_FILE,
      manifestSha256,
      ...(manifestHmacSha256 ? { manifestHmacSha256 } : {}),
      items: manifest.items.length,
      bytes: this.bytesTotal,
      gaps: this.gaps.length,
      ...(manifest.incomplete ? { incomplete: manifest.incomplete.reason } : {}),
    });
    await this.custody.close();
    return { manifest, manifestSha256, manifestHmacSha256 };
  }

  private async reserve(relPath: string): Promise<{ rel: string; abs: string; handle: FileHandle }> {
    if (this.sealed) throw new Error('bundle is sealed; nothing more can be written');
    if (!isSafeRelative(relPath)) throw new Error(`unsafe bundle path: ${relPath}`);
    if (relPath === MANIFEST_FILE || relPath === CUSTODY_FILE) throw new Error(`${relPath} is reserved`);
    for (let n = 1; n < 1000; n++) {
      const rel = n === 1 ? relPath : withSuffix(relPath, n);
      if (this.used.has(rel)) continue;
      this.used.add(rel);
      const abs = join(this.dir, ...rel.split('/'));
      await mkdir(dirname(abs), { recursive: true });
      try {
        return { rel, abs, handle: await open(abs, 'wx') };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    throw new Error(`could not find a free name for ${relPath}`);
  }

  private async register(rel: string, abs: string, sha256: string, bytes: number, meta: ItemMeta): Promise<WrittenItem> {
    const item: ManifestItem = {
      path: rel,
      sha256,
      bytes,
      accountId: meta.accountId,
      region: meta.region,
      source: meta.source,
      origin: meta.origin,
      collectedAt: new Date().toISOString(),
      ...(meta.baseline ? { baseline: true } : {}),
    };
    this.items.push(item);
    this.bytesTotal += bytes;
    await this.custody.append('item-collected', { path: rel, sha256, bytes, origin: originLabel(meta.origin) });
    this.onItem?.(item);
    return { path: rel, absolutePath: abs, sha256, bytes };
  }
}

function withSuffix(path: string, n: number): string {
  const slash = path.lastIndexOf('/');
  const dot = path.indexOf('.', slash + 1);
  return dot > slash + 1 ? `${path.slice(0, dot)}~${n}${path.slice(dot)}` : `${path}~${n}`;
}

export function originLabel(origin: ItemOrigin): string {
  if (origin.kind === 's3') return `${origin.uri}${origin.versionId ? `?versionId=${origin.versionId}` : ''}`;
  if (origin.kind === 'api')
    return `${origin.service}:${origin.action} ${origin.accountId}/${origin.region}${origin.requestId ? ` requestId=${origin.requestId}` : ''}`;
  return `derived: ${origin.description}`;
}
