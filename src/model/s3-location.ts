// The one S3 location parser. AWS APIs and users name S3 objects as
//   s3://bucket/key (also the Hadoop s3a:// and s3n:// schemes),
//   arn:<partition>:s3:::bucket/key,
//   https://bucket.s3.<region>.amazonaws.com/key (virtual-hosted, also s3-<region>, dualstack, .amazonaws.com.cn),
//   https://s3.<region>.amazonaws.com/bucket/key (path-style).
// Keys of https URLs are percent-decoded; keys of s3:// URIs and ARNs are taken as written.

export interface S3Location {
  bucket: string;
  /** Object key or prefix, '' for the bucket itself. */
  key: string;
}

// Bucket naming rules (S3 User Guide, "General purpose bucket naming rules"), plus the legacy us-east-1 names
// (up to 255 characters, upper case and underscores) that still exist. Never "..", never a slash.
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/;

const SCHEME = /^s3[an]?:\/\/([^/]+)(?:\/(.*))?$/is;
const ARN = /^arn:aws[a-z-]*:s3:::([^/]+)(?:\/(.*))?$/s;
const S3_HOST = /^s3(?:[.-](?:dualstack\.)?[a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/;
const VHOST = /^(.+)\.s3(?:[.-](?:dualstack\.)?[a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/;

const CURRENT_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** A name S3 may hold (including legacy us-east-1 names): what we accept when reading. */
export function isBucketName(name: string): boolean {
  return BUCKET.test(name) && !name.includes('..');
}

/** A name S3 lets you create today (3-63 lower-case letters, digits, dots, hyphens; not an IP address). */
export function isCurrentBucketName(name: string): boolean {
  return CURRENT_BUCKET.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
}

function location(bucket: string | undefined, key: string | undefined): S3Location | null {
  if (bucket === undefined || !isBucketName(bucket)) return null;
  return { bucket, key: key ?? '' };
}

function decode(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

function fromHttps(uri: string): S3Location | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase();
  const path = url.pathname.replace(/^\//, '');
  if (S3_HOST.test(host)) {
    const slash = path.indexOf('/');
    const bucket = decode(slash < 0 ? path : path.slice(0, slash));
    const key = slash < 0 ? '' : decode(path.slice(slash + 1));
    return bucket === null || key === null ? null : location(bucket, key);
  }
  const vhost = VHOST.exec(host);
  if (!vhost) return null;
  const key = decode(path);
  return key === null ? null : location(vhost[1], key);
}

/** Any supported form of S3 location -> { bucket, key }; null when it is not one. */
export function parseS3Location(uri: string | null | undefined): S3Location | null {
  if (!uri) return null;
  const scheme = SCHEME.exec(uri);
  if (scheme) return location(scheme[1], scheme[2]);
  const arn = ARN.exec(uri);
  if (arn) return location(arn[1], arn[2]);
  if (/^https?:\/\//i.test(uri)) return fromHttps(uri);
  return null;
}

/** The bucket any supported form of S3 location names; null when it is not one. */
export function bucketOf(uri: string | null | undefined): string | null {
  return parseS3Location(uri)?.bucket ?? null;
}

/** Bucket name from a value that is either a bucket name or an S3 location (replication destinations). */
export function bucketNameOf(value: string): string {
  return bucketOf(value) ?? value;
}

/** The region of a bucket from GetBucketLocation: null or '' means us-east-1, 'EU' is the legacy name of eu-west-1. */
export function regionOfLocationConstraint(constraint: string | null | undefined): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}
