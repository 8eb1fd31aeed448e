// A small sealed bundle written with the real BundleWriter, as the analyze tests need one: the files a test
// states (one account by default), the gaps it states, sealed with the test header.
import { gzipSync } from 'node:zlib';
import { BundleWriter } from '../../src/collect/bundle.js';
import { s3Origin, type Gap, type ItemOrigin, type ManifestHeader, type ManifestItem } from '../../src/collect/manifest.js';
import { ACTOR, header } from '../collect/helpers.js';

export const BUNDLE_ACCOUNT = '123456789012';

export interface BundleFile {
  /** Path inside the bundle (evidence/<account>/<region>/<source>/...). */
  path: string;
  body: string | Uint8Array;
  source: ManifestItem['source'];
  /** Where it was read from: an S3 object `[bucket, key]` (read via the account), or an origin as given. */
  from: [bucket: string, key: string] | ItemOrigin;
  region?: string;
  accountId?: string;
  /** Collected for the baseline lookback (manifest `"baseline": true`). */
  baseline?: boolean;
}

/** A CloudTrail delivery file: the records gzipped as `{ Records }`, read from `s3://bucket/key`. */
export function trailFile(path: string, records: unknown[], from: [bucket: string, key: string]): BundleFile {
  return { path, body: gzipSync(JSON.stringify({ Records: records })), source: 'cloudtrail', from };
}

export interface BundleSpec {
  files: BundleFile[];
  incident?: string;
  gaps?: Omit<Gap, 'at'>[];
  /** Header fields other than the test header's (incident follows `incident`). */
  header?: Partial<ManifestHeader>;
}

/** Writes and seals the bundle under `outDir`; returns the bundle directory. */
export async function writeBundle(outDir: string, spec: BundleSpec): Promise<string> {
  const incident = spec.incident ?? 'INC-1';
  const writer = await BundleWriter.create(outDir, incident, ACTOR);
  for (const file of spec.files) {
    const accountId = file.accountId ?? BUNDLE_ACCOUNT;
    const origin = Array.isArray(file.from) ? s3Origin(file.from[0], file.from[1], accountId) : file.from;
    await writer.writeBytes(file.path, file.body, {
      accountId,
      region: file.region ?? 'us-east-1',
      source: file.source,
      origin,
      ...(file.baseline ? { baseline: true } : {}),
    });
  }
  for (const gap of spec.gaps ?? []) await writer.addGap(gap);
  await writer.seal({ ...header(writer.id), incident, ...spec.header }, { apiCalls: 1, durationMs: 1 });
  return writer.dir;
}
