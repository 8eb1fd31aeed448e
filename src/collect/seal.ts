// Anchoring a bundle's seal outside the bundle. On its own a bundle is only self-consistent: anyone can
// rewrite evidence and recompute manifest and custody chain with this tool's code. What they cannot redo is
// (a) the manifest SHA-256 the operator wrote down or the preserved Object Lock copy kept (verify --expect),
// and (b) an HMAC of the manifest under a key that never enters the bundle (--seal-key).
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export class SealKeyError extends Error {}

/** Shortest key accepted, in bytes (HMAC-SHA256 keys shorter than this are guessable). */
export const MIN_SEAL_KEY_BYTES = 16;

/** The key file's bytes; one trailing newline (as editors write it) is not part of the key. */
export async function readSealKey(file: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new SealKeyError(`cannot read seal key file "${file}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (bytes.at(-1) === 0x0a) bytes = bytes.subarray(0, bytes.at(-2) === 0x0d ? -2 : -1);
  if (bytes.length < MIN_SEAL_KEY_BYTES)
    throw new SealKeyError(
      `seal key file "${file}" holds ${bytes.length} bytes; use at least ${MIN_SEAL_KEY_BYTES} random bytes (for example: openssl rand -hex 32 > seal.key)`,
    );
  return bytes;
}

export function manifestHmac(key: Buffer, manifestBytes: Buffer | string): string {
  return createHmac('sha256', key).update(manifestBytes).digest('hex');
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
