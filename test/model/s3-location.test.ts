import { describe, expect, it } from 'vitest';
import { bucketNameOf, bucketOf, isBucketName, isCurrentBucketName, parseS3Location } from '../../src/model/s3-location.js';

describe('parseS3Location: every form AWS and users write', () => {
  it.each([
    ['s3://bucket/key/x', { bucket: 'bucket', key: 'key/x' }],
    ['s3://bucket', { bucket: 'bucket', key: '' }],
    ['s3://bucket/', { bucket: 'bucket', key: '' }],
    ['s3a://hadoop-bucket/data/part-0', { bucket: 'hadoop-bucket', key: 'data/part-0' }],
    ['S3://upper-scheme/k', { bucket: 'upper-scheme', key: 'k' }],
    ['s3n://old-hadoop/k', { bucket: 'old-hadoop', key: 'k' }],
    ['arn:aws:s3:::flow-bucket/prefix/', { bucket: 'flow-bucket', key: 'prefix/' }],
    ['arn:aws-us-gov:s3:::gov-bucket', { bucket: 'gov-bucket', key: '' }],
    ['arn:aws-cn:s3:::cn-bucket/a', { bucket: 'cn-bucket', key: 'a' }],
    ['https://my.bucket.s3.us-east-1.amazonaws.com/k', { bucket: 'my.bucket', key: 'k' }],
    ['https://vh-bucket.s3.amazonaws.com/a/b.tar.gz', { bucket: 'vh-bucket', key: 'a/b.tar.gz' }],
    ['https://legacy-dash.s3-eu-west-1.amazonaws.com/x', { bucket: 'legacy-dash', key: 'x' }],
    ['https://dual.s3.dualstack.eu-west-1.amazonaws.com/x', { bucket: 'dual', key: 'x' }],
    ['https://china.s3.cn-north-1.amazonaws.com.cn/x', { bucket: 'china', key: 'x' }],
    ['https://s3.us-east-1.amazonaws.com/pathbucket/k', { bucket: 'pathbucket', key: 'k' }],
    ['https://s3.amazonaws.com/pathbucket', { bucket: 'pathbucket', key: '' }],
    ['https://s3-us-west-2.amazonaws.com/pathbucket/model%20v2/model.tar.gz', { bucket: 'pathbucket', key: 'model v2/model.tar.gz' }],
    ['https://bucket-x.s3.us-west-2.amazonaws.com/a%2Fb%3Fc', { bucket: 'bucket-x', key: 'a/b?c' }],
  ])('%s', (uri, expected) => expect(parseS3Location(uri)).toEqual(expected));

  it.each([
    ['file:///tmp/x'],
    ['https://example.com/bucket/key'],
    ['https://x'],
    ['https://evil.amazonaws.com.attacker.net/k'],
    ['https://ap-123.s3-accesspoint.us-east-1.amazonaws.com/k'],
    ['arn:aws:s3:us-east-1:111122223333:accesspoint/ap'],
    ['s3://'],
    ['s3://a/k'],
    ['s3://bad..name/k'],
    ['s3://-leading/k'],
    ['https://s3.amazonaws.com/'],
    ['https://s3.amazonaws.com/b%ZZ/k'],
    ['bucket-name-only'],
    [''],
  ])('%s is not an S3 location', (uri) => expect(parseS3Location(uri)).toBeNull());

  it('null and undefined are not locations', () => {
    expect(parseS3Location(null)).toBeNull();
    expect(parseS3Location(undefined)).toBeNull();
  });
});

describe('bucket helpers', () => {
  it('bucketOf gives the bucket of any form', () => {
    expect(bucketOf('https://s3.us-east-1.amazonaws.com/pathbucket/k')).toBe('pathbucket');
    expect(bucketOf('ftp://x/y')).toBeNull();
  });
  it('bucketNameOf accepts a bare name or a location (replication destinations)', () => {
    expect(bucketNameOf('arn:aws:s3:::replica')).toBe('replica');
    expect(bucketNameOf('replica')).toBe('replica');
  });
  it('isBucketName allows legacy names and refuses slashes and ".."', () => {
    expect(isBucketName('Legacy_Bucket')).toBe(true);
    expect(isBucketName('a/b')).toBe(false);
    expect(isBucketName('a..b')).toBe(false);
    expect(isBucketName('ab')).toBe(false);
  });
  it('isCurrentBucketName follows the rules for creating a bucket today', () => {
    expect(isCurrentBucketName('evidence-bucket.v2')).toBe(true);
    expect(isCurrentBucketName('Legacy_Bucket')).toBe(false);
    expect(isCurrentBucketName('192.168.5.4')).toBe(false);
    expect(isCurrentBucketName('a'.repeat(64))).toBe(false);
  });
});
