// --preserve-to: copy a sealed, verified bundle to an evidence bucket with Object Lock, each object with its
// SHA-256 checksum (S3 checks it on arrival) and a retention date; version ids go into custody.jsonl.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  GetBucketLocationCommand,
  GetObjectLockConfigurationCommand,
  PutObjectCommand,
  S3Client,
  type ObjectLockConfiguration,
  type ObjectLockRetentionMode,
} from '@aws-sdk/client-s3';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import pLimit from 'p-limit';
import type { ClientFactory } from '../aws/clients.js';
import { describeError, errorCode } from '../aws/errors.js';
import { hexToBase64, sha256Hex } from './canonical.js';
import { CustodyLog, type CustodyActor } from './custody.js';
import { CUSTODY_FILE, MANIFEST_FILE, type Manifest } from './manifest.js';
import { verifyBundle } from './verify.js';
import { isCurrentBucketName, parseS3Location, regionOfLocationConstraint } from '../model/s3-location.js';
import type { IamAction } from '../model/iam.js';

/** What --preserve-to needs on the evidence bucket (granted to the responder, not to the member roles). */
export const PRESERVE_IAM_ACTIONS: readonly IamAction[] = [
  's3:GetBucketObjectLockConfiguration',
  's3:GetBucketLocation',
  's3:PutObject',
  's3:PutObjectRetention',
];

export class PreserveRefusedError extends Error {}

export interface PreserveTarget {
  bucket: string;
  prefix: string;
}

/** s3://bucket[/prefix] (or any S3 location form) -> target; null if malformed. */
export function parsePreserveUri(uri: string): PreserveTarget | null {
  const location = parseS3Location(uri);
  // The evidence bucket is one created with Object Lock, so it follows today's naming rules.
  if (!location || !isCurrentBucketName(location.bucket)) return null;
  const prefix = location.key.replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((s) => s === '.' || s === '..')) return null;
  return { bucket: location.bucket, prefix };
}

/** Reads the bucket's Object Lock configuration; refuses (PreserveRefusedError) when it has none. */
export async function requireObjectLock(s3: S3Client, bucket: string): Promise<ObjectLockConfiguration> {
  let lock: ObjectLockConfiguration | undefined;
  try {
    lock = (await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))).ObjectLockConfiguration;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ObjectLockConfigurationNotFoundError') lock = undefined;
    else if (code === 'NoSuchBucket')
      throw new PreserveRefusedError(`--preserve-to: bucket ${bucket} does not exist (or is not visible to these credentials).`);
    else
      throw new PreserveRefusedError(
        `--preserve-to: cannot read the Object Lock configuration of s3://${bucket}: ${describeError(error, 's3:GetBucketObjectLockConfiguration')}`,
      );
  }
  if (lock?.ObjectLockEnabled !== 'Enabled') {
    throw new PreserveRefusedError(
      `--preserve-to: refusing s3://${bucket}: the bucket has no Object Lock, so the evidence could be deleted or overwritten there. Use a bucket created with Object Lock enabled (ideally with a COMPLIANCE default retention).`,
    );
  }
  return lock;
}

export interface PreserveOptions {
  bundleDir: string;
  target: PreserveTarget;
  factory: ClientFactory;
  credentials: AwsCredentialIdentityProvider;
  accountId: string;
  homeRegion: string;
  actor: CustodyActor;
  /** Retention in days; default: the bucket's default retention, else 365. */
  retentionDays?: number;
  now?: Date;
  onObject?: (path: string, bytes: number) => void;
}

export interface PreservedObject {
  path: string;
  key: string;
  versionId: string | null;
  checksumSHA256: string;
}

export interface PreserveResult {
  uriPrefix: string;
  mode: ObjectLockRetentionMode;
  retainUntil: string;
  objects: PreservedObject[];
  custodyObject: PreservedObject;
}

export async function preserveBundle(options: PreserveOptions): Promise<PreserveResult> {
  const { bucket, prefix } = options.target;
  const home = options.factory.client(S3Client, { credentials: options.credentials, region: options.homeRegion, accountId: options.accountId });

  // 1. The destination must have Object Lock, or the copy could be deleted or replaced.
  const lock = await requireObjectLock(home, bucket);
  // 2. Only a bundle that verifies is preserved.
  const check = await verifyBundle(options.bundleDir);
  if (!check.ok)
    throw new PreserveRefusedError(
      `Refusing to preserve ${options.bundleDir}: it fails verification (${check.problems[0]!.message}${check.problems.length > 1 ? `, and ${check.problems.length - 1} more` : ''})`,
    );

  const located = await home.send(new GetBucketLocationCommand({ Bucket: bucket }));
  const region = regionOfLocationConstraint(located.LocationConstraint);
  const s3 = options.factory.client(S3Client, { credentials: options.credentials, region, accountId: options.accountId });

  const rule = lock.Rule?.DefaultRetention;
  const mode: ObjectLockRetentionMode = rule?.Mode ?? 'COMPLIANCE';
  const days = options.retentionDays ?? rule?.Days ?? (rule?.Years ? rule.Years * 365 : 365);
  const now = options.now ?? new Date();
  const retainUntil = new Date(now.getTime() + days * 86_400_000);

  const manifest = JSON.parse(await readFile(join(options.bundleDir, MANIFEST_FILE), 'utf8')) as Manifest;
  const base = [prefix, manifest.bundleId].filter(Boolean).join('/');
  const custody = await CustodyLog.resume(join(options.bundleDir, CUSTODY_FILE), options.actor);
  await custody.append('preservation-started', {
    destination: `s3://${bucket}/${base}/`,
    objectLockMode: mode,
    retainUntil: retainUntil.toISOString(),
    retentionDays: days,
  });

  const upload = async (path: string, sha256: string): Promise<PreservedObject> => {
    const abs = join(options.bundleDir, ...path.split('/'));
    const size = (await stat(abs)).size;
    const key = `${base}/${path}`;
    const out = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: createReadStream(abs),
        ContentLength: size,
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: hexToBase64(sha256),
        ObjectLockMode: mode,
        ObjectLockRetainUntilDate: retainUntil,
        Metadata: { 'forensight-sha256': sha256, 'forensight-bundle': manifest.bundleId },
      }),
    );
    options.onObject?.(path, size);
    return { path, key, versionId: out.VersionId ?? null, checksumSHA256: out.ChecksumSHA256 ?? hexToBase64(sha256) };
  };

  const limit = pLimit(8);
  const objects: PreservedObject[] = [];
  try {
    const files = [
      ...manifest.items.map((i) => ({ path: i.path, sha256: i.sha256 })),
      { path: MANIFEST_FILE, sha256: sha256Hex(await readFile(join(options.bundleDir, MANIFEST_FILE))) },
    ];
    await Promise.all(
      files.map((f) =>
        limit(async () => {
          const done = await upload(f.path, f.sha256);
          objects.push(done);
          await custody.append('item-preserved', {
            path: done.path,
            uri: `s3://${bucket}/${done.key}`,
            versionId: done.versionId,
            checksumSHA256: done.checksumSHA256,
          });
        }),
      ),
    );
    await custody.append('preservation-complete', {
      destination: `s3://${bucket}/${base}/`,
      objects: objects.length,
      note: 'custody.jsonl is uploaded last; its version id is reported to the operator',
    });
  } catch (error) {
    await custody.append('preservation-failed', {
      destination: `s3://${bucket}/${base}/`,
      uploaded: objects.length,
      reason: describeError(error, 's3:PutObject'),
    });
    await custody.close();
    throw error;
  }
  await custody.close();
  const custodyObject = await upload(CUSTODY_FILE, sha256Hex(await readFile(join(options.bundleDir, CUSTODY_FILE))));
  return {
    uriPrefix: `s3://${bucket}/${base}/`,
    mode,
    retainUntil: retainUntil.toISOString(),
    objects: objects.sort((a, b) => a.path.localeCompare(b.path)),
    custodyObject,
  };
}
