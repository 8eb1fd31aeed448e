// S3 evidence: server access log files of AI data buckets for the window (simple and date-partitioned key
// formats), and the version history and SHA-256 of model artifacts (current and previous versions).
import { GetBucketLoggingCommand, ListObjectVersionsCommand, type ListObjectVersionsCommandOutput } from '@aws-sdk/client-s3';
import { parseS3Location } from '../../model/s3-location.js';
import { accessLogInWindow, accessLogKeyTime, accessLogPrefixes, type AccessLogKeyFormat } from '../layout.js';
import type { ObservedVersion } from '../baseline.js';
import { safeSegment } from '../paths.js';
import { apiCall, copyLogFolder, copyObject, evidencePath, recordGap, type CollectContext } from './context.js';
import type { IamAction } from '../../model/iam.js';

/** The IAM actions this source needs: ListObjectVersions is s3:ListBucketVersions (objects are copied through context.ts). */
export const IAM_ACTIONS: readonly IamAction[] = ['s3:GetBucketLogging', 's3:ListBucketVersions'];

export async function collectAccessLogs(ctx: CollectContext, accountId: string, bucket: string): Promise<{ files: number }> {
  let files = 0;
  let where = { accountId, region: 'global' };
  try {
    const access = await ctx.buckets.access(bucket, accountId);
    where = { accountId: access.accountId, region: access.region };
    const out = await apiCall(ctx, new GetBucketLoggingCommand({ Bucket: bucket }), (c) => access.s3.send(c), {
      where,
      source: 's3-access-logs',
      service: 's3',
      path: evidencePath(where, 's3-access-logs', 'config', `${safeSegment(bucket)}.logging.json`),
    });
    const logging = out.LoggingEnabled;
    if (!logging?.TargetBucket) {
      await recordGap(
        ctx,
        where,
        's3-access-logs',
        `s3://${bucket}`,
        `Server access logging is off for ${bucket}: there are no access logs of its objects`,
      );
      return { files };
    }
    const partitioned = logging.TargetObjectKeyFormat?.PartitionedPrefix;
    const format: AccessLogKeyFormat = partitioned
      ? { kind: 'partitioned', dateSource: partitioned.PartitionDateSource === 'DeliveryTime' ? 'DeliveryTime' : 'EventTime' }
      : { kind: 'simple' };
    const targetBucket = logging.TargetBucket;
    const target = await ctx.buckets.access(targetBucket, access.accountId);
    const prefixes = accessLogPrefixes(
      logging.TargetPrefix ?? '',
      format,
      { accountId: access.accountId, region: access.region, bucket },
      ctx.window,
    );
    // A simple-format target prefix is shared by many source buckets: each object is copied once (claimed).
    const counts = { copied: 0, unrecognised: 0 };
    try {
      await copyLogFolder(
        ctx,
        target,
        prefixes,
        {
          where,
          source: 's3-access-logs',
          dir: evidencePath(where, 's3-access-logs', 'logs'),
          classify: (key) => (accessLogKeyTime(key) === null ? 'unrecognised' : accessLogInWindow(key, ctx.window) ? 'copy' : 'skip'),
          unrecognised: {
            dir: evidencePath(where, 's3-access-logs', 'logs-unrecognised'),
            expected: 'an access log name ending in YYYY-MM-DD-HH-MM-SS-<unique>',
          },
        },
        counts,
      );
    } finally {
      files += counts.copied;
    }
  } catch (error) {
    await recordGap(ctx, where, 's3-access-logs', `s3://${bucket}`, error);
  }
  return { files };
}

/** Versions per artifact collected at most (newest first); older ones are a recorded gap. */
export const MAX_VERSIONS_PER_ARTIFACT = 50;

/**
 * For each model artifact: ListObjectVersions (saved as returned), then every version's bytes streamed into
 * the bundle and hashed. Returns the observed versions for the baseline comparison.
 */
export async function collectModelArtifact(ctx: CollectContext, accountId: string, uri: string): Promise<ObservedVersion[]> {
  const observed: ObservedVersion[] = [];
  const parsed = parseS3Location(uri);
  if (!parsed || !parsed.key) return observed;
  let where = { accountId, region: 'global' };
  try {
    const access = await ctx.buckets.access(parsed.bucket, accountId);
    where = { accountId, region: access.region };
    const versions: { key: string; versionId: string; isLatest: boolean; lastModified: string | null }[] = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    let page = 0;
    do {
      page++;
      const out: ListObjectVersionsCommandOutput = await apiCall(
        ctx,
        new ListObjectVersionsCommand({
          Bucket: parsed.bucket,
          Prefix: parsed.key,
          ...(KeyMarker ? { KeyMarker } : {}),
          ...(VersionIdMarker ? { VersionIdMarker } : {}),
        }),
        (c) => access.s3.send(c),
        {
          where,
          source: 'model-artifacts',
          service: 's3',
          path: evidencePath(where, 'model-artifacts', 'versions', safeSegment(parsed.bucket), `${safeSegment(parsed.key)}.p${page}.json`),
        },
      );
      for (const v of out.Versions ?? []) {
        // Prefix listing: keep the artifact itself, or everything under it when the URI names a folder.
        if (!v.Key || (v.Key !== parsed.key && !parsed.key.endsWith('/'))) continue;
        versions.push({
          key: v.Key,
          versionId: String(v.VersionId ?? 'null'),
          isLatest: Boolean(v.IsLatest),
          lastModified: v.LastModified ? new Date(v.LastModified).toISOString() : null,
        });
      }
      KeyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
      VersionIdMarker = out.IsTruncated ? out.NextVersionIdMarker : undefined;
    } while (KeyMarker);
    versions.sort((a, b) => (b.lastModified ?? '').localeCompare(a.lastModified ?? ''));
    if (versions.length > MAX_VERSIONS_PER_ARTIFACT) {
      await recordGap(
        ctx,
        where,
        'model-artifacts',
        uri,
        `${versions.length} versions: only the newest ${MAX_VERSIONS_PER_ARTIFACT} were copied and hashed`,
      );
      versions.length = MAX_VERSIONS_PER_ARTIFACT;
    }
    if (versions.length === 0) await recordGap(ctx, where, 'model-artifacts', uri, `No object (or only delete markers) at ${uri}`);
    await Promise.all(
      versions.map(async (v) => {
        try {
          const written = await copyObject(ctx, access, v.key, {
            where,
            source: 'model-artifacts',
            dir: evidencePath(where, 'model-artifacts', 'objects'),
            ...(v.versionId !== 'null' ? { versionId: v.versionId } : {}),
          });
          if (written)
            observed.push({
              uri: `s3://${parsed.bucket}/${v.key}`,
              versionId: v.versionId === 'null' ? null : v.versionId,
              isLatest: v.isLatest,
              sha256: written.sha256,
              lastModified: v.lastModified,
            });
        } catch (error) {
          await recordGap(ctx, where, 'model-artifacts', `s3://${parsed.bucket}/${v.key}?versionId=${v.versionId}`, error, 's3:GetObjectVersion');
        }
      }),
    );
  } catch (error) {
    await recordGap(ctx, where, 'model-artifacts', uri, error);
  }
  return observed;
}
