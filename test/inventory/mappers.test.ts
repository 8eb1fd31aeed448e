// Pure mappers (SDK response -> Inventory shapes) and paths moto cannot exercise (ListBuckets continuation).
import { ListBucketsCommand, GetBucketLocationCommand, GetBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';
import { mapLoggingConfig, agentAliasArn } from '../../src/inventory/bedrock.js';
import { mapAdvancedSelector, mapClassicSelector, mapTrailStatus } from '../../src/inventory/cloudtrail.js';
import { mapConfigRecorders } from '../../src/inventory/detection.js';
import { mapLogGroup } from '../../src/inventory/logs.js';
import { mapFlowLog, mapSubnetInterfaces } from '../../src/inventory/network.js';
import { collectOwnedBuckets, mapBucketLocation, mapObjectLock, mapReplication, mapVersioning } from '../../src/inventory/s3.js';
import { mapDataCapture, mapDomain, mapModel } from '../../src/inventory/sagemaker.js';
import { paginate } from '../../src/inventory/util.js';
import { seen, unseen } from '../../src/model/inventory.js';
import { normalizeMotoBedrockJson } from '../../demo/proxy.js';

describe('S3 mappers', () => {
  it('maps bucket locations', () => {
    expect(mapBucketLocation(undefined)).toBe('us-east-1');
    expect(mapBucketLocation('')).toBe('us-east-1');
    expect(mapBucketLocation('EU')).toBe('eu-west-1');
    expect(mapBucketLocation('ap-south-1')).toBe('ap-south-1');
  });
  it('maps versioning, Object Lock and replication', () => {
    expect(mapVersioning({})).toEqual({ status: 'Disabled', mfaDelete: false });
    expect(mapVersioning({ Status: 'Enabled', MFADelete: 'Enabled' })).toEqual({ status: 'Enabled', mfaDelete: true });
    expect(mapObjectLock({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30, Years: 0 } } })).toEqual({
      enabled: true,
      defaultRetention: { mode: 'GOVERNANCE', days: 30 },
    });
    expect(mapObjectLock({ ObjectLockEnabled: 'Enabled' })).toEqual({ enabled: true, defaultRetention: null });
    expect(
      mapReplication({
        Role: 'r',
        Rules: [
          { Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::bucket-a' } },
          { Status: 'Disabled', Destination: { Bucket: 'arn:aws:s3:::bucket-b' } },
          { Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::bucket-a' } },
        ],
      }),
    ).toEqual({ destinationBuckets: ['bucket-a'] });
  });
});

describe('CloudTrail mappers', () => {
  it('keeps only the fields a selector sets', () => {
    expect(mapClassicSelector({ ReadWriteType: 'ReadOnly' })).toEqual({ readWriteType: 'ReadOnly', dataResources: [] });
    expect(mapAdvancedSelector({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'], StartsWith: [] }] })).toEqual({
      fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }],
    });
    expect(mapTrailStatus({ IsLogging: true, LatestDeliveryError: 'AccessDenied' })).toEqual({
      isLogging: true,
      latestDeliveryError: 'AccessDenied',
      latestDigestDeliveryError: null,
    });
    expect(mapTrailStatus({})).toEqual({ isLogging: false, latestDeliveryError: null, latestDigestDeliveryError: null });
    expect(mapTrailStatus({ IsLogging: true, LatestDigestDeliveryError: 'NoSuchBucket' })).toMatchObject({
      latestDigestDeliveryError: 'NoSuchBucket',
    });
  });
});

describe('Bedrock and SageMaker mappers', () => {
  it('treats an empty or destination-less logging config as off', () => {
    expect(mapLoggingConfig(undefined)).toBeNull();
    expect(mapLoggingConfig({})).toBeNull();
    expect(mapLoggingConfig({ textDataDeliveryEnabled: true })).toBeNull();
    expect(mapLoggingConfig({ s3Config: { bucketName: 'b' }, textDataDeliveryEnabled: true })).toEqual({
      textDataDelivery: true,
      imageDataDelivery: false,
      embeddingDataDelivery: false,
      s3: { bucketName: 'b', keyPrefix: null },
      cloudWatch: null,
    });
  });
  it('builds alias ARNs in the region partition', () => {
    expect(agentAliasArn('cn-north-1', '1', 'A', 'B')).toBe('arn:aws-cn:bedrock:cn-north-1:1:agent-alias/A/B');
  });
  it('maps data capture with the live endpoint state', () => {
    expect(mapDataCapture({})).toBeNull();
    expect(mapDataCapture({ DataCaptureConfig: {} as never })).toBeNull();
    expect(
      mapDataCapture(
        {
          DataCaptureConfig: {
            EnableCapture: true,
            InitialSamplingPercentage: 100,
            DestinationS3Uri: 's3://c/',
            CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
          },
        },
        { DataCaptureConfig: { EnableCapture: false, CurrentSamplingPercentage: 20 } as never },
      ),
    ).toEqual({
      enabled: false,
      captureStatus: null,
      initialSamplingPercentage: 100,
      currentSamplingPercentage: 20,
      destinationS3Uri: 's3://c/',
      captureModes: ['Input', 'Output'],
    });
  });
  it('maps models and domains, and marks failed details', () => {
    expect(
      mapModel(
        'arn:m',
        'm',
        seen({
          PrimaryContainer: { ModelDataUrl: 's3://a/1' },
          Containers: [{ ModelDataSource: { S3DataSource: { S3Uri: 's3://a/2', S3DataType: 'S3Prefix', CompressionType: 'None' } } }],
          $metadata: {},
        } as never),
      ),
    ).toEqual({ arn: 'arn:m', name: 'm', modelDataUrls: ['s3://a/1', 's3://a/2'], vpc: null });
    expect(mapModel('arn:m', 'm', unseen('AccessDenied on sagemaker:DescribeModel', 'AccessDenied'))).toEqual({
      arn: 'arn:m',
      name: 'm',
      modelDataUrls: [],
      vpc: null,
      detailsUnseen: { reason: 'AccessDenied on sagemaker:DescribeModel', errorCode: 'AccessDenied' },
    });
    expect(mapDomain('arn:d', 'd', seen({ VpcId: 'vpc-1', $metadata: {} } as never))).toEqual({
      arn: 'arn:d',
      name: 'd',
      vpc: { vpcId: 'vpc-1', subnetIds: [] },
    });
  });
});

describe('network, logs, detection mappers', () => {
  it('maps flow logs and log groups', () => {
    expect(
      mapFlowLog({
        FlowLogId: 'fl-1',
        ResourceId: 'vpc-1',
        TrafficType: 'ALL',
        FlowLogStatus: 'ACTIVE',
        LogDestinationType: 's3',
        LogDestination: 'arn:aws:s3:::b/p',
      }),
    ).toEqual({
      id: 'fl-1',
      resourceId: 'vpc-1',
      trafficType: 'ALL',
      status: 'ACTIVE',
      deliverLogsStatus: null,
      deliverLogsErrorMessage: null,
      destinationType: 's3',
      logGroupName: null,
      destinationArn: 'arn:aws:s3:::b/p',
      logFormat: null,
    });
    expect(
      mapFlowLog({ FlowLogId: 'fl-2', TrafficType: 'SOMETHING' as 'ALL', LogDestinationType: 'new-kind' as 's3', LogFormat: '${srcaddr}' }),
    ).toMatchObject({ trafficType: 'UNKNOWN', destinationType: 'UNKNOWN', logFormat: '${srcaddr}' });
    expect(mapLogGroup({ logGroupName: 'g', arn: 'arn:aws:logs:r:1:log-group:g:*' })).toEqual({
      name: 'g',
      arn: 'arn:aws:logs:r:1:log-group:g',
      retentionInDays: null,
    });
  });
  it('maps Config recorders; missing status is unknown', () => {
    expect(
      mapConfigRecorders(
        [{ name: 'a' }, { name: 'b', recordingGroup: { allSupported: false, resourceTypes: ['AWS::SageMaker::Model'] } }],
        [{ name: 'a', recording: true, lastStatus: 'Success' }],
      ),
    ).toEqual([
      {
        name: 'a',
        allSupported: true,
        includeGlobalResourceTypes: false,
        resourceTypes: [],
        exclusionTypes: [],
        recording: true,
        lastStatus: 'Success',
        strategy: null,
        recordingFrequency: null,
        frequencyOverrides: [],
      },
      {
        name: 'b',
        allSupported: false,
        includeGlobalResourceTypes: false,
        resourceTypes: ['AWS::SageMaker::Model'],
        exclusionTypes: [],
        recording: null,
        lastStatus: null,
        strategy: null,
        recordingFrequency: null,
        frequencyOverrides: [],
      },
    ]);
  });
});

describe('pagination', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());

  it('paginate stops on a repeated token', async () => {
    let calls = 0;
    const items = await paginate(async () => ({ items: [++calls], next: 'same' }));
    expect(items).toEqual([1, 2]);
  });

  it('ListBuckets follows ContinuationToken', async () => {
    s3.on(ListBucketsCommand, {}).resolves({ Buckets: [{ Name: 'a' }], ContinuationToken: 't1' });
    s3.on(ListBucketsCommand, { ContinuationToken: 't1' }).resolves({ Buckets: [{ Name: 'b' }] });
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'EU' });
    s3.on(GetBucketTaggingCommand).rejects(Object.assign(new Error('no tags'), { name: 'NoSuchTagSet' }));
    const factory = new ClientFactory({ endpoint: 'http://127.0.0.1:9' });
    const out = await collectOwnedBuckets({
      factory,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      accountId: '111122223333',
      homeRegion: 'us-east-1',
    });
    expect(out.ownedBuckets).toEqual({ ok: true, value: ['a', 'b'] });
    expect(out.bucketMeta.b).toEqual({
      name: 'b',
      ownerAccountId: '111122223333',
      region: { ok: true, value: 'eu-west-1' },
      tags: { ok: true, value: {} },
    });
    expect(s3.commandCalls(ListBucketsCommand)).toHaveLength(2);
  });
});

describe('moto compatibility', () => {
  it('rewrites moto Bedrock timestamps to RFC 3339 and leaves good ones alone', () => {
    expect(normalizeMotoBedrockJson('{"creationTime": "2026-11-21 07:57:03", "createdAt": 1795247839.05, "n": 12}')).toBe(
      `{"creationTime": "2026-11-21T07:57:03Z", "createdAt": "${new Date(1795247839.05 * 1000).toISOString()}", "n": 12}`,
    );
    expect(normalizeMotoBedrockJson('{"createdAt":"2026-11-21T07:57:03Z"}')).toBe('{"createdAt":"2026-11-21T07:57:03Z"}');
  });
});

describe('mapSubnetInterfaces', () => {
  it('lists every asked subnet (empty = listed, none there), ignores interfaces of other subnets and repeats', () => {
    expect(
      mapSubnetInterfaces(
        ['subnet-1', 'subnet-2'],
        [
          { NetworkInterfaceId: 'eni-b', SubnetId: 'subnet-1' },
          { NetworkInterfaceId: 'eni-a', SubnetId: 'subnet-1' },
          { NetworkInterfaceId: 'eni-a', SubnetId: 'subnet-1' },
          { NetworkInterfaceId: 'eni-x', SubnetId: 'subnet-9' },
          { SubnetId: 'subnet-2' },
        ],
      ),
    ).toEqual({ 'subnet-1': ['eni-a', 'eni-b'], 'subnet-2': [] });
  });
});
