// Account-wide collectors against moto: trails across regions, owned buckets, bucket details; faults and call counts.
import { beforeAll, describe, expect, it } from 'vitest';
import { collectAccountGlobal, collectBucketDetails, collectTrails } from '../../src/inventory/index.js';
import { useEmulator } from '../support/emulator.js';
import * as seed from '../../demo/seed.js';

const env = useEmulator();
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2'];
const ACCOUNT = seed.MOTO_ACCOUNT;

function value<T>(o: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!o.ok) throw new Error(`expected seen, got unseen: ${o.reason}`);
  return o.value;
}

function countBy(calls: { action: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of calls) counts[c.action] = (counts[c.action] ?? 0) + 1;
  return counts;
}

let trails: { main: seed.SeededTrail; eu: seed.SeededTrail; west: seed.SeededTrail; org: seed.SeededTrail };
let member: seed.SeededAccount;

beforeAll(async () => {
  const factory = env.factory();
  const org = await seed.seedOrganization(factory, { accounts: [{ name: 'ml-member' }] });
  member = org.accounts[0]!;
  const east: seed.SeedTarget = { factory, region: 'us-east-1' };
  const main = await seed.seedTrail(east, {
    name: 'main-trail',
    bucket: 'trail-logs-main',
    multiRegion: true,
    logFileValidation: true,
    s3KeyPrefix: 'ct',
    selectors: {
      classic: [
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: true,
          DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::training-data/'] }],
        },
        {
          ReadWriteType: 'WriteOnly',
          IncludeManagementEvents: false,
          DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }],
        },
      ],
    },
  });
  const org_ = await seed.seedTrail(east, {
    name: 'org-trail',
    bucket: 'trail-logs-org',
    organization: true,
    selectors: { advanced: [seed.managementEventsSelector(), seed.dataEventSelector('AWS::Bedrock::AgentAlias')] },
  });
  const eu = await seed.seedTrail(
    { factory, region: 'eu-west-1' },
    {
      name: 'eu-local',
      bucket: 'trail-logs-eu',
      multiRegion: false,
      logFileValidation: false,
      logging: false,
      selectors: {
        advanced: [
          {
            Name: 'sagemaker endpoints',
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::SageMaker::Endpoint'] },
              { Field: 'resources.ARN', StartsWith: ['arn:aws:sagemaker:eu-west-1:'], NotEndsWith: ['/test'] },
              { Field: 'readOnly', NotEquals: ['true'] },
            ],
          },
        ],
      },
    },
  );
  const west = await seed.seedTrail(
    { factory, region: 'us-west-2' },
    { name: 'west-none', bucket: 'trail-logs-west', multiRegion: false, selectors: 'none' },
  );
  trails = { main, eu, west, org: org_ };

  await seed.seedBucket(east, { name: 'training-data', versioning: true, tags: { 'forensight:role': 'training-data', team: 'ml' } });
  await seed.seedBucket(east, { name: 'access-logs', logDeliveryTarget: true });
  await seed.seedBucket(
    { factory, region: 'eu-west-1' },
    { name: 'eu-locked', objectLock: { mode: 'COMPLIANCE', years: 1 }, tags: { 'forensight:role': 'evidence' } },
  );
  await seed.seedBucket({ factory, region: 'eu-west-1' }, { name: 'eu-replica', versioning: true });
  await seed.seedBucket(east, {
    name: 'model-artifacts',
    accessLogging: { targetBucket: 'access-logs', targetPrefix: 'models/' },
    replication: { destinationBuckets: ['eu-replica'] },
  });
  await seed.seedBucket(east, { name: 'suspended', versioning: 'Suspended' });
  await seed.seedBucket(member.target, { name: 'member-only-bucket', tags: { owner: 'member' } });
});

function ctx(factory = env.factory()) {
  return { factory, credentials: seed.SEED_CREDENTIALS, accountId: ACCOUNT };
}

describe('trails', () => {
  it('reads every trail once, deduplicated across regions, with status and selectors from its home region', async () => {
    const c = ctx();
    const out = value(await collectTrails({ ...c, regions: REGIONS }));
    expect(out.map((t) => t.name).sort()).toEqual(['eu-local', 'main-trail', 'org-trail', 'west-none']);
    const byName = Object.fromEntries(out.map((t) => [t.name, t]));
    expect(byName['main-trail']).toMatchObject({
      arn: trails.main.arn,
      homeRegion: 'us-east-1',
      ownerAccountId: ACCOUNT,
      isMultiRegion: true,
      isOrganizationTrail: false,
      logFileValidationEnabled: true,
      s3BucketName: 'trail-logs-main',
      s3KeyPrefix: 'ct',
      cloudWatchLogGroupArn: null,
      kmsKeyId: null,
      status: { ok: true, value: { isLogging: true, latestDeliveryError: null } },
    });
    expect(value(byName['main-trail']!.selectors)).toEqual({
      classic: [
        {
          readWriteType: 'All',
          includeManagementEvents: true,
          dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::training-data/'] }],
        },
        {
          readWriteType: 'WriteOnly',
          includeManagementEvents: false,
          dataResources: [{ type: 'AWS::Lambda::Function', values: ['arn:aws:lambda'] }],
        },
      ],
      advanced: [],
    });
    expect(byName['org-trail']).toMatchObject({ isOrganizationTrail: true, isMultiRegion: true });
    expect(value(byName['org-trail']!.selectors).advanced).toEqual([
      { name: 'management events', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] },
      {
        name: 'data events AWS::Bedrock::AgentAlias',
        fieldSelectors: [
          { field: 'eventCategory', equals: ['Data'] },
          { field: 'resources.type', equals: ['AWS::Bedrock::AgentAlias'] },
        ],
      },
    ]);
    expect(byName['eu-local']).toMatchObject({
      homeRegion: 'eu-west-1',
      isMultiRegion: false,
      logFileValidationEnabled: false,
      status: { ok: true, value: { isLogging: false } },
    });
    expect(value(byName['eu-local']!.selectors).advanced[0]).toEqual({
      name: 'sagemaker endpoints',
      fieldSelectors: [
        { field: 'eventCategory', equals: ['Data'] },
        { field: 'resources.type', equals: ['AWS::SageMaker::Endpoint'] },
        { field: 'resources.ARN', startsWith: ['arn:aws:sagemaker:eu-west-1:'], notEndsWith: ['/test'] },
        { field: 'readOnly', notEquals: ['true'] },
      ],
    });
    expect(value(byName['west-none']!.selectors)).toEqual({ classic: [], advanced: [] });

    const calls = c.factory.recorder.calls.filter((r) => r.service === 'cloudtrail');
    // One listing for the account, one DescribeTrails per home region holding its trails.
    expect(countBy(calls)).toEqual({ ListTrails: 1, DescribeTrails: 3, GetTrailStatus: 4, GetEventSelectors: 4 });
    // Status and selectors go to the trail's home region.
    const euCalls = calls.filter((r) => !['ListTrails', 'DescribeTrails'].includes(r.action) && r.region === 'eu-west-1');
    expect(euCalls).toHaveLength(2);
    expect(new Set(calls.filter((r) => r.action === 'DescribeTrails').map((r) => r.region))).toEqual(new Set(REGIONS));
  });

  it('keeps only the trails the account owns when asked', async () => {
    const out = value(await collectTrails({ ...ctx(), regions: REGIONS, ownerAccountId: '999999999999' }));
    expect(out).toEqual([]);
  });

  it('is unseen as a whole if DescribeTrails fails in any region', async () => {
    env.proxy.addRule({
      match: { service: 'cloudtrail', action: 'DescribeTrails', region: 'eu-west-1' },
      error: { status: 400, code: 'AccessDeniedException' },
    });
    try {
      const out = await collectTrails({ ...ctx(), regions: REGIONS });
      expect(out).toEqual({ ok: false, reason: expect.stringMatching(/eu-west-1.*cloudtrail:DescribeTrails/), errorCode: 'AccessDeniedException' });
    } finally {
      env.proxy.clearRules();
    }
  });

  it('a failing GetEventSelectors makes only the selectors of that trail unseen', async () => {
    env.proxy.addRule({
      match: { service: 'cloudtrail', action: 'GetEventSelectors', region: 'eu-west-1' },
      error: { status: 400, code: 'AccessDeniedException' },
    });
    try {
      const out = value(await collectTrails({ ...ctx(), regions: REGIONS }));
      const eu = out.find((t) => t.name === 'eu-local')!;
      expect(eu.selectors).toMatchObject({
        ok: false,
        reason: expect.stringContaining('cloudtrail:GetEventSelectors'),
        errorCode: 'AccessDeniedException',
      });
      expect(eu.status.ok).toBe(true);
      expect(out.filter((t) => t.selectors.ok)).toHaveLength(3);
    } finally {
      env.proxy.clearRules();
    }
  });
});

describe('collectAccountGlobal', () => {
  it('returns owned trails and buckets with region and tags, each bucket read once in its region', async () => {
    const c = ctx();
    const out = await collectAccountGlobal({ ...c, homeRegion: 'us-east-1', regions: REGIONS });
    expect(
      value(out.trails)
        .map((t) => t.name)
        .sort(),
    ).toEqual(['eu-local', 'main-trail', 'org-trail', 'west-none']);
    const names = value(out.ownedBuckets);
    expect(names).toEqual(
      expect.arrayContaining(['training-data', 'access-logs', 'eu-locked', 'eu-replica', 'model-artifacts', 'suspended', 'trail-logs-eu']),
    );
    expect(names).not.toContain('member-only-bucket');
    expect(out.bucketMeta['training-data']).toEqual({
      name: 'training-data',
      ownerAccountId: ACCOUNT,
      region: { ok: true, value: 'us-east-1' },
      tags: { ok: true, value: { 'forensight:role': 'training-data', team: 'ml' } },
    });
    expect(out.bucketMeta['eu-locked']).toMatchObject({
      region: { ok: true, value: 'eu-west-1' },
      tags: { ok: true, value: { 'forensight:role': 'evidence' } },
    });
    expect(out.bucketMeta['access-logs']!.tags).toEqual({ ok: true, value: {} });
    expect(out.bucketMeta['trail-logs-west']!.region).toEqual({ ok: true, value: 'us-west-2' });

    const s3 = c.factory.recorder.calls.filter((r) => r.service === 's3');
    const counts = countBy(s3);
    expect(counts.ListBuckets).toBe(1);
    // ListBuckets gives each bucket's region (BucketRegion): no GetBucketLocation.
    expect(counts.GetBucketLocation).toBeUndefined();
    expect(out.bucketMeta['eu-locked']!.region).toEqual({ ok: true, value: 'eu-west-1' });
    expect(counts.GetBucketTagging).toBe(names.length);
    // Tagging of an eu-west-1 bucket goes to eu-west-1.
    expect(s3.filter((r) => r.action === 'GetBucketTagging' && r.region === 'eu-west-1')).toHaveLength(
      names.filter((n) => out.bucketMeta[n]!.region.ok && (out.bucketMeta[n]!.region as { value: string }).value === 'eu-west-1').length,
    );
  });

  it('reads a member account through its own credentials', async () => {
    const factory = env.factory();
    const out = await collectAccountGlobal({
      factory,
      credentials: member.credentials,
      accountId: member.accountId,
      homeRegion: 'us-east-1',
      regions: ['us-east-1'],
    });
    expect(value(out.ownedBuckets)).toEqual(['member-only-bucket']);
    expect(out.bucketMeta['member-only-bucket']).toMatchObject({ ownerAccountId: member.accountId, tags: { ok: true, value: { owner: 'member' } } });
    expect(value(out.trails)).toEqual([]);
  });

  it('ListBuckets denied: ownedBuckets unseen, trails still read', async () => {
    env.proxy.addRule({ match: { service: 's3', action: 'ListBuckets' }, error: { status: 403, code: 'AccessDenied' } });
    try {
      const out = await collectAccountGlobal({ ...ctx(), homeRegion: 'us-east-1', regions: REGIONS });
      expect(out.ownedBuckets).toMatchObject({ ok: false, reason: expect.stringContaining('s3:ListBuckets'), errorCode: 'AccessDenied' });
      expect(out.bucketMeta).toEqual({});
      expect(out.trails.ok).toBe(true);
    } finally {
      env.proxy.clearRules();
    }
  });

  it('GetBucketTagging denied: only tags unseen', async () => {
    env.proxy.addRule({ match: { service: 's3', action: 'GetBucketTagging' }, error: { status: 403, code: 'AccessDenied' } });
    try {
      const out = await collectAccountGlobal({ ...ctx(), homeRegion: 'us-east-1', regions: ['us-east-1'] });
      expect(out.bucketMeta['training-data']!.tags).toMatchObject({
        ok: false,
        reason: expect.stringContaining('s3:GetBucketTagging'),
        errorCode: 'AccessDenied',
      });
      expect(out.bucketMeta['training-data']!.region).toEqual({ ok: true, value: 'us-east-1' });
    } finally {
      env.proxy.clearRules();
    }
  });
});

describe('collectBucketDetails', () => {
  const details = (bucket: string, region: string, factory = env.factory()) =>
    collectBucketDetails({ factory, credentials: seed.SEED_CREDENTIALS, ownerAccountId: ACCOUNT, bucket, region });

  it('maps versioning, Object Lock, access logging and replication; absent configurations are not errors', async () => {
    const factory = env.factory();
    expect(await details('model-artifacts', 'us-east-1', factory)).toEqual({
      versioning: { ok: true, value: { status: 'Enabled', mfaDelete: false } },
      objectLock: { ok: true, value: { enabled: false, defaultRetention: null } },
      logging: { ok: true, value: { targetBucket: 'access-logs', targetPrefix: 'models/' } },
      replication: { ok: true, value: { destinationBuckets: ['eu-replica'] } },
    });
    expect(await details('eu-locked', 'eu-west-1', factory)).toEqual({
      versioning: { ok: true, value: { status: 'Enabled', mfaDelete: false } },
      objectLock: { ok: true, value: { enabled: true, defaultRetention: { mode: 'COMPLIANCE', years: 1 } } },
      logging: { ok: true, value: null },
      replication: { ok: true, value: null },
    });
    expect((await details('access-logs', 'us-east-1', factory)).versioning).toEqual({ ok: true, value: { status: 'Disabled', mfaDelete: false } });
    expect((await details('suspended', 'us-east-1', factory)).versioning).toEqual({ ok: true, value: { status: 'Suspended', mfaDelete: false } });
    const calls = factory.recorder.calls;
    expect(countBy(calls)).toEqual({ GetBucketVersioning: 4, GetObjectLockConfiguration: 4, GetBucketLogging: 4, GetBucketReplication: 4 });
    expect(calls.filter((c) => c.region === 'eu-west-1')).toHaveLength(4);
  });

  it('a denied call makes only its property unseen', async () => {
    env.proxy.addRule({ match: { service: 's3', action: 'GetBucketVersioning' }, error: { status: 403, code: 'AccessDenied' } });
    try {
      const out = await details('model-artifacts', 'us-east-1');
      expect(out.versioning).toMatchObject({ ok: false, reason: expect.stringContaining('s3:GetBucketVersioning'), errorCode: 'AccessDenied' });
      expect(out.logging?.ok).toBe(true);
      expect(out.objectLock?.ok).toBe(true);
      expect(out.replication?.ok).toBe(true);
    } finally {
      env.proxy.clearRules();
    }
  });
});
