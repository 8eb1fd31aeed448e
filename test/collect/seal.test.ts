// The seal anchored outside the bundle (verify --expect, --seal-key), verify's refusals and its view of
// added directories, and collect's refusals before any AWS call.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectAction, longWindowWarning, parseBaselineDays, parseByteSize, parseDeadline } from '../../src/cli/collect.js';
import { EXIT, UsageError } from '../../src/cli/common.js';
import { verifyAction } from '../../src/cli/verify.js';
import { BundleWriter } from '../../src/collect/bundle.js';
import { sha256Hex } from '../../src/collect/canonical.js';
import { readSealKey } from '../../src/collect/seal.js';
import { verifyBundle } from '../../src/collect/verify.js';
import { ACTOR, cleanupTempDirs, copyBundle, header, makeBundle, tempDir } from './helpers.js';
import { memoryIo } from '../support/cli.js';

afterAll(cleanupTempDirs);

async function usageOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(EXIT.usage);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

async function keyFile(name: string, text: string): Promise<string> {
  const path = join(await tempDir('key'), name);
  await writeFile(path, text);
  return path;
}

describe('verify --expect: the manifest SHA-256 recorded outside the bundle', () => {
  it('passes only for the sealed manifest, and says when nothing outside was checked', async () => {
    const bundle = await makeBundle(await tempDir('expect'));
    const sha = sha256Hex(await readFile(join(bundle, 'manifest.json')));
    const plain = memoryIo();
    expect(await verifyAction(bundle, {}, plain.io)).toBe(EXIT.ok);
    expect(plain.out.join('')).toMatch(/Self-consistent only/);
    const anchored = memoryIo();
    expect(await verifyAction(bundle, { expect: sha.toUpperCase() }, anchored.io)).toBe(EXIT.ok);
    expect(anchored.out.join('')).toMatch(/Anchored: manifest.json matches the expected SHA-256/);
    // Another, equally self-consistent bundle is not the one that was sealed.
    const other = await makeBundle(await tempDir('expect-other'));
    const report = await verifyBundle(other, { expectSha256: sha });
    expect((await verifyBundle(other)).ok).toBe(true);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'seal', message: expect.stringMatching(/is not the expected/) })]);
    expect(await usageOf(() => verifyAction(bundle, { expect: 'abc' }, memoryIo().io))).toMatch(/--expect: "abc" is not a SHA-256/);
  });
});

describe('--seal-key: an HMAC of the manifest under a key that never enters the bundle', () => {
  it('verifies with the key, fails with another key or without an HMAC', async () => {
    const key = await readSealKey(await keyFile('seal.key', 'k'.repeat(32) + '\n'));
    expect(key.length).toBe(32);
    const writer = await BundleWriter.create(await tempDir('hmac'), 'INC-H', ACTOR);
    await writer.writeBytes('evidence/x.json', '{}', {
      accountId: '123456789012',
      region: 'us-east-1',
      source: 'cloudtrail',
      origin: { kind: 'derived', description: 't' },
    });
    const sealed = await writer.seal(header(writer.id), { apiCalls: 0, durationMs: 1 }, { sealKey: key });
    expect(sealed.manifestHmacSha256).toMatch(/^[0-9a-f]{64}$/);
    const custody = await readFile(join(writer.dir, 'custody.jsonl'), 'utf8');
    expect(custody).toContain(sealed.manifestHmacSha256!);
    expect(custody).not.toContain('k'.repeat(32));
    expect((await verifyBundle(writer.dir, { sealKey: key })).ok).toBe(true);
    const wrong = await verifyBundle(writer.dir, { sealKey: Buffer.from('x'.repeat(32)) });
    expect(wrong.problems).toEqual([expect.objectContaining({ kind: 'seal', message: expect.stringMatching(/HMAC does not match/) })]);
    const unkeyed = await verifyBundle(await makeBundle(await tempDir('hmac-none')), { sealKey: key });
    expect(unkeyed.problems).toEqual([expect.objectContaining({ kind: 'seal', message: expect.stringMatching(/no HMAC/) })]);
  });

  it('refuses a short or unreadable key file', async () => {
    await expect(readSealKey(await keyFile('short.key', 'abc\n'))).rejects.toThrow(/holds 3 bytes; use at least 16/);
    await expect(readSealKey('/nonexistent/seal.key')).rejects.toThrow(/cannot read seal key file/);
  });
});

describe('verify: what is a bundle and what was added', () => {
  it('a directory that was never a bundle is exit 2 "not a bundle"', async () => {
    const dir = await tempDir('not-bundle');
    await writeFile(join(dir, 'notes.txt'), 'x');
    expect(await usageOf(() => verifyAction(dir, {}, memoryIo().io))).toMatch(/is not a bundle: it has neither manifest.json nor custody.jsonl/);
  });

  it('reports an added empty directory, but not the folder a deleted file leaves behind', async () => {
    const copy = await copyBundle(await makeBundle(await tempDir('emptydir')), 'emptydir');
    await mkdir(join(copy, 'evidence/123456789012/added'), { recursive: true });
    const report = await verifyBundle(copy);
    expect(report.problems.map((p) => `${p.kind} ${p.path} ${p.message}`)).toEqual([
      'extra evidence/123456789012/added extra empty directory not in the manifest',
    ]);
  });
});

describe('collect refuses before any AWS call', () => {
  const base = { incident: 'INC-9', start: '2026-11-01T00:00Z', end: '2026-11-02T00:00Z', endpointUrl: 'http://127.0.0.1:9' };

  it('--out inside a sealed bundle', async () => {
    const bundle = await makeBundle(await tempDir('inside'));
    expect(await usageOf(() => collectAction({ ...base, out: join(bundle, 'evidence', 'more') }, memoryIo().io))).toMatch(
      /is inside the sealed evidence bundle/,
    );
  });

  it('a short --seal-key, a bad --baseline-days, --deadline or size', async () => {
    const out = await tempDir('refuse');
    expect(await usageOf(() => collectAction({ ...base, out, sealKey: '/nonexistent/key' }, memoryIo().io))).toMatch(/--seal-key: cannot read/);
    expect(await usageOf(async () => parseBaselineDays('-1'))).toMatch(/--baseline-days: "-1"/);
    expect(await usageOf(async () => parseBaselineDays('400'))).toMatch(/0 \(no lookback\) to 365/);
    expect(await usageOf(async () => parseDeadline('soon', new Date()))).toMatch(/--deadline: "soon" is neither a duration/);
    expect(await usageOf(async () => parseDeadline('2020-01-01T00:00Z', new Date('2026-01-01T00:00Z')))).toMatch(/already past/);
    expect(await usageOf(async () => parseByteSize('--max-record-bytes', '12', 1))).toMatch(/--max-record-bytes: "12" is not a size of at least 1K/);
  });

  it('parses the good values', () => {
    expect(parseBaselineDays(undefined)).toBe(7);
    expect(parseBaselineDays('0')).toBe(0);
    expect(parseDeadline('90s', new Date())).toBe(90_000);
    expect(parseDeadline('2h', new Date())).toBe(7_200_000);
    expect(parseDeadline('2026-01-01T01:00Z', new Date('2026-01-01T00:00Z'))).toBe(3_600_000);
    expect(parseByteSize('--max-expanded-bytes', '64M', 1)).toBe(64 * 1024 * 1024);
    expect(parseByteSize('--max-expanded-bytes', '2GiB', 1)).toBe(2 * 1024 ** 3);
  });
});

describe('a long window warns with an estimate', () => {
  it.each([
    ['7 days', '2026-11-01T00:00Z', '2026-11-08T00:00Z', null],
    ['31 days', '2026-11-01T00:00Z', '2026-12-02T00:00Z', null],
    ['10 years', '2016-11-01T00:00Z', '2026-11-01T00:00Z', /the window is 3652 days long .* expect up to about 31,613,760 CloudTrail files/],
  ] as const)('%s', (_label, start, end, expected) => {
    const warning = longWindowWarning({ start: new Date(start), end: new Date(end) }, 7, 3, 10);
    if (expected === null) expect(warning).toBeNull();
    else expect(warning).toMatch(expected);
  });
});
