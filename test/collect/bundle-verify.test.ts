import { appendFile, mkdir, readFile, rename, rm, symlink, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleExistsError, BundleWriter } from '../../src/collect/bundle.js';
import { sha256Hex } from '../../src/collect/canonical.js';
import { CUSTODY_GENESIS, hashEntry, makeEntry, verifyCustodyChain, type CustodyEntry } from '../../src/collect/custody.js';
import { verifyBundle } from '../../src/collect/verify.js';
import { ACTOR, copyBundle, makeBundle, tempDir, cleanupTempDirs } from './helpers.js';

afterAll(cleanupTempDirs);

const EVIDENCE = 'evidence/123456789012/us-east-1/cloudtrail/s3/trail/a.json.gz';
const API = 'evidence/123456789012/us-east-1/cloudtrail/config/describe-trails.json';

async function lines(dir: string): Promise<string[]> {
  return (await readFile(join(dir, 'custody.jsonl'), 'utf8')).split('\n').filter(Boolean);
}

describe('custody chain', () => {
  it('chains from a fixed genesis and re-derives every hash', () => {
    const a = makeEntry(undefined, ACTOR, 'one', { x: 1 });
    const b = makeEntry(a, ACTOR, 'two', { y: [1, 2] });
    expect(a.prevHash).toBe(CUSTODY_GENESIS);
    expect(b.prevHash).toBe(a.hash);
    expect(hashEntry(b)).toBe(b.hash);
    const text = `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`;
    expect(verifyCustodyChain(text).problems).toEqual([]);
  });

  it('hash does not depend on key order (canonical JSON)', () => {
    const a = makeEntry(undefined, ACTOR, 'one', { b: 1, a: 2 });
    const reordered = JSON.parse(
      JSON.stringify({ hash: a.hash, detail: { a: 2, b: 1 }, prevHash: a.prevHash, action: a.action, actor: a.actor, at: a.at, seq: a.seq }),
    ) as CustodyEntry;
    expect(hashEntry(reordered)).toBe(a.hash);
  });

  it('names altered, removed, reordered and truncated entries', () => {
    const e0 = makeEntry(undefined, ACTOR, 'a', {});
    const e1 = makeEntry(e0, ACTOR, 'b', {});
    const e2 = makeEntry(e1, ACTOR, 'c', {});
    const L = [e0, e1, e2].map((e) => JSON.stringify(e));
    expect(
      verifyCustodyChain(`${L[0]}\n${L[2]}\n`)
        .problems.map((p) => p.message)
        .join(),
    ).toMatch(/sequence break.*chain break/);
    expect(verifyCustodyChain(`${L[1]}\n${L[0]}\n${L[2]}\n`).problems.length).toBeGreaterThan(0);
    const altered = JSON.stringify({ ...e1, action: 'forged' });
    expect(verifyCustodyChain(`${L[0]}\n${altered}\n${L[2]}\n`).problems[0]).toMatchObject({ line: 2, message: expect.stringMatching(/altered/) });
    expect(
      verifyCustodyChain(`${L[0]}\n${L[1]}\n${L[2]!.slice(0, 40)}`)
        .problems.map((p) => p.message)
        .join(),
    ).toMatch(/newline|not valid JSON/);
    expect(verifyCustodyChain('').problems[0]!.message).toMatch(/empty/);
  });
});

describe('bundle writer', () => {
  it('creates a fresh directory per run and never reuses one', async () => {
    const out = await tempDir('writer');
    const now = new Date('2026-11-03T10:00:00Z');
    const w = await BundleWriter.create(out, 'INC-9', ACTOR, now, 'abc123');
    expect(w.id).toBe('INC-9-20261103T100000Z-abc123');
    await expect(BundleWriter.create(out, 'INC-9', ACTOR, now, 'abc123')).rejects.toBeInstanceOf(BundleExistsError);
  });

  it('streams large bodies to disk with the right hash, and never overwrites a path', async () => {
    const out = await tempDir('writer');
    const w = await BundleWriter.create(out, 'INC-9', ACTOR);
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const expected = sha256Hex(Buffer.concat(Array.from({ length: 20 }, () => chunk)));
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < 20; i++) yield chunk;
      })(),
    );
    const meta = { accountId: '1', region: 'r', source: 'cloudtrail' as const, origin: { kind: 'derived' as const, description: 't' } };
    const written = await w.writeStream('evidence/big.bin', body, meta);
    expect(written).toMatchObject({ sha256: expected, bytes: 20 * 1024 * 1024 });
    const again = await w.writeBytes('evidence/big.bin', 'x', meta);
    expect(again.path).toBe('evidence/big~2.bin');
    await expect(w.writeBytes('../escape', 'x', meta)).rejects.toThrow(/unsafe/);
    await expect(w.writeBytes('manifest.json', 'x', meta)).rejects.toThrow(/reserved/);
  });
});

describe('verify: tampering with a copy of a bundle', () => {
  let bundle: string;
  beforeAll(async () => {
    bundle = await makeBundle(await tempDir('origin'));
  });

  const tamper = async (label: string, change: (dir: string) => Promise<void>) => {
    const dir = await copyBundle(bundle, label);
    await change(dir);
    return verifyBundle(dir);
  };

  it('an untouched bundle verifies', async () => {
    const report = await verifyBundle(bundle);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.filesChecked).toBe(3);
  });

  it('one changed byte in an evidence file', async () => {
    const r = await tamper('byte', async (d) => {
      const p = join(d, EVIDENCE);
      const b = await readFile(p);
      b[2] = b[2]! ^ 0xff;
      await writeFile(p, b);
    });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'altered', path: EVIDENCE })]);
  });

  it('a truncated, an emptied, a deleted and a renamed file', async () => {
    expect((await tamper('trunc', (d) => truncate(join(d, EVIDENCE), 2))).problems).toEqual([
      expect.objectContaining({ kind: 'altered', path: EVIDENCE }),
    ]);
    expect((await tamper('empty', (d) => writeFile(join(d, API), ''))).problems).toEqual([expect.objectContaining({ kind: 'altered', path: API })]);
    expect((await tamper('delete', (d) => unlink(join(d, API)))).problems).toEqual([expect.objectContaining({ kind: 'missing', path: API })]);
    const renamed = await tamper('rename', (d) => rename(join(d, API), join(d, `${API}.bak`)));
    expect(renamed.problems.map((p) => `${p.kind} ${p.path}`).sort()).toEqual([`extra ${API}.bak`, `missing ${API}`]);
  });

  it('extra files anywhere, including hidden ones and leftovers next to the manifest', async () => {
    const r = await tamper('extra', async (d) => {
      await writeFile(join(d, 'evidence/123456789012/us-east-1/cloudtrail/s3/trail/planted.json'), '{}');
      await mkdir(join(d, 'evidence/999999999999'), { recursive: true });
      await writeFile(join(d, 'evidence/999999999999/.hidden'), 'x');
      await writeFile(join(d, 'manifest.json.old'), 'x');
    });
    expect(
      r.problems
        .filter((p) => p.kind === 'extra')
        .map((p) => p.path)
        .sort(),
    ).toEqual(['evidence/123456789012/us-east-1/cloudtrail/s3/trail/planted.json', 'evidence/999999999999/.hidden', 'manifest.json.old']);
  });

  it('a file replaced by a symbolic link to an identical copy', async () => {
    const r = await tamper('symlink', async (d) => {
      const p = join(d, API);
      await writeFile(join(d, '..', 'copy.json'), await readFile(p));
      await unlink(p);
      await symlink(join(d, '..', 'copy.json'), p);
    });
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'altered', path: API, message: expect.stringMatching(/symbolic link/) })]);
  });

  it('a file altered and the manifest hash updated to match', async () => {
    const r = await tamper('manifest-forged', async (d) => {
      await writeFile(join(d, API), '{"trailList":["forged"]}\n');
      const m = JSON.parse(await readFile(join(d, 'manifest.json'), 'utf8'));
      const item = m.items.find((i: { path: string }) => i.path === API);
      item.sha256 = sha256Hex('{"trailList":["forged"]}\n');
      item.bytes = Buffer.byteLength('{"trailList":["forged"]}\n');
      await writeFile(join(d, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
    });
    const kinds = r.problems.map((p) => p.kind).sort();
    expect(kinds).toContain('seal'); // manifest no longer matches the sealed hash
    expect(kinds).toContain('custody'); // the hash recorded at collection differs
    expect(r.problems.some((p) => p.kind === 'altered')).toBe(false);
  });

  it('an item removed from the manifest together with its file', async () => {
    const r = await tamper('manifest-drop', async (d) => {
      const m = JSON.parse(await readFile(join(d, 'manifest.json'), 'utf8'));
      m.items = m.items.filter((i: { path: string }) => i.path !== API);
      await writeFile(join(d, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
      await unlink(join(d, API));
    });
    expect(r.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'seal' }),
        expect.objectContaining({ kind: 'custody', path: API, message: expect.stringMatching(/absent from the manifest/) }),
      ]),
    );
  });

  it('the manifest deleted, unparsable, not matching the schema, or pointing outside the bundle', async () => {
    const gone = await tamper('no-manifest', (d) => unlink(join(d, 'manifest.json')));
    expect(gone.problems[0]).toMatchObject({ kind: 'missing', path: 'manifest.json' });
    expect(gone.problems.filter((p) => p.kind === 'extra')).toHaveLength(3);
    const garbled = await tamper('bad-manifest', (d) => appendFile(join(d, 'manifest.json'), '}'));
    expect(garbled.problems[0]).toMatchObject({ kind: 'manifest', message: expect.stringMatching(/not valid JSON/) });
    const schema = await tamper('schema', async (d) => {
      const m = JSON.parse(await readFile(join(d, 'manifest.json'), 'utf8'));
      delete m.collector;
      m.items[0].sha256 = 'nothex';
      await writeFile(join(d, 'manifest.json'), JSON.stringify(m));
    });
    expect(schema.problems.some((p) => p.kind === 'manifest' && /schema/.test(p.message))).toBe(true);
    const escape = await tamper('escape', async (d) => {
      const m = JSON.parse(await readFile(join(d, 'manifest.json'), 'utf8'));
      m.items[0].path = '../../etc/passwd';
      await writeFile(join(d, 'manifest.json'), JSON.stringify(m));
    });
    expect(escape.problems.some((p) => p.kind === 'manifest' && /escapes/.test(p.message))).toBe(true);
  });

  it('custody entries edited, removed, reordered, truncated, or the log deleted', async () => {
    const edited = await tamper('custody-edit', async (d) => {
      const L = await lines(d);
      L[2] = L[2]!.replace('"bytes":', '"bytes":1');
      await writeFile(join(d, 'custody.jsonl'), `${L.join('\n')}\n`);
    });
    expect(edited.problems.some((p) => p.kind === 'custody' && p.path === 'custody.jsonl:3')).toBe(true);
    const removed = await tamper('custody-remove', async (d) => {
      const L = await lines(d);
      L.splice(1, 1);
      await writeFile(join(d, 'custody.jsonl'), `${L.join('\n')}\n`);
    });
    expect(removed.problems.some((p) => /sequence break/.test(p.message))).toBe(true);
    const reordered = await tamper('custody-order', async (d) => {
      const L = await lines(d);
      [L[1], L[2]] = [L[2]!, L[1]!];
      await writeFile(join(d, 'custody.jsonl'), `${L.join('\n')}\n`);
    });
    expect(reordered.problems.some((p) => p.kind === 'custody')).toBe(true);
    const cut = await tamper('custody-cut', async (d) => {
      const L = await lines(d);
      await writeFile(join(d, 'custody.jsonl'), `${L.slice(0, -1).join('\n')}\n`);
    });
    expect(cut.problems.some((p) => p.kind === 'seal' && /bundle-sealed/.test(p.message))).toBe(true);
    const gone = await tamper('custody-gone', (d) => rm(join(d, 'custody.jsonl')));
    expect(gone.problems.some((p) => p.kind === 'missing' && p.path === 'custody.jsonl')).toBe(true);
  });

  it('a well-chained forged entry appended after the seal that claims an extra item', async () => {
    const r = await tamper('custody-append', async (d) => {
      const L = await lines(d);
      const last = JSON.parse(L[L.length - 1]!) as CustodyEntry;
      const forged = makeEntry(last, ACTOR, 'item-collected', { path: 'evidence/planted.bin', sha256: sha256Hex('x'), bytes: 1 });
      await appendFile(join(d, 'custody.jsonl'), `${JSON.stringify(forged)}\n`);
    });
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'custody', path: 'evidence/planted.bin' })]);
  });
});
