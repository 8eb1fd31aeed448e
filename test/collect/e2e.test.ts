import { createHash } from 'node:crypto';
// End to end on moto_server: an Organization with a log-archive account, collect, verify, tamper, verify again,
// preserve to an Object Lock bucket; every recorded action is read-only and allowed by the collection role.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundleContext } from '../../src/analysis/bundle-context.js';
import type { CollectResult } from '../../src/collect/collector.js';
import { iamActionsFor, isWriteAction } from '../../src/collect/iam-actions.js';
import type { Manifest } from '../../src/collect/manifest.js';
import { preserveBundle, PreserveRefusedError } from '../../src/collect/preserve.js';
import type { CollectProgress } from '../../src/collect/progress.js';
import { buildRoleTemplate, policyAllows } from '../../src/collect/role-template.js';
import { verifyBundle } from '../../src/collect/verify.js';
import { collectAction } from '../../src/cli/collect.js';
import { verifyAction } from '../../src/cli/verify.js';
import { useEmulator } from '../support/emulator.js';
import { collectOnEmulator } from '../support/collect-run.js';
import { installMotoStubs, SEED_CREDENTIALS } from '../../demo/seed.js';
import { ATTACKER_IP, seedCollectWorld, type CollectWorld } from './seed-collect.js';
import { copyBundle, tempDir, cleanupTempDirs } from './helpers.js';

afterAll(cleanupTempDirs);
import type { RecordedCall } from '../../src/aws/recorder.js';
import { memoryIo } from '../support/cli.js';

const env = useEmulator();

let world: CollectWorld;
let result: CollectResult;
let manifest: Manifest;
let calls: RecordedCall[];
let elapsedMs: number;
const progress: CollectProgress[] = [];

const itemFor = (uriSuffix: string) => manifest.items.find((i) => i.origin.kind === 's3' && i.origin.uri.endsWith(uriSuffix));

beforeAll(async () => {
  world = await seedCollectWorld(env.factory(), installMotoStubs(env.proxy));
  // Sagemaker in the log-archive account's us-east-1 is denied: a gap, never a stop.
  env.proxy.addRule({
    match: { service: 'sagemaker', accountId: world.logArchive, region: 'us-east-1' },
    error: { status: 400, code: 'AccessDeniedException', message: 'not authorized to perform sagemaker:ListEndpoints' },
  });
  const started = Date.now();
  ({ result, calls } = await collectOnEmulator(env.url, world, {
    incident: 'INC-42',
    sessionLabel: 'INC-42-e2e',
    outDir: await tempDir('e2e'),
    eventsCopy: true,
    onProgress: (p) => progress.push(p),
  }));
  elapsedMs = Date.now() - started;
  manifest = result.manifest;
  env.proxy.clearRules();
}, 240_000);

describe('collect on moto: an Organization with a log-archive trail bucket', () => {
  it('produces a bundle that verifies, listing every item with hash, size, source and time', async () => {
    const report = await verifyBundle(result.bundleDir);
    expect(report.problems).toEqual([]);
    expect(manifest.scope.accounts.map((a) => a.accountId).sort()).toEqual([world.management, world.workload, world.logArchive].sort());
    expect(manifest.scope.organization?.id).toBe(world.organizationId);
    expect(manifest.collector.sessionNames[0]).toMatch(/^forensight-collect-INC-42/);
    for (const item of manifest.items) {
      expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(item.collectedAt).toBeTruthy();
    }
    // Figures for the report.
    console.info(
      `[collect e2e] ${manifest.stats.items} items, ${manifest.stats.bytes} bytes, ${manifest.stats.apiCalls} API calls, ${manifest.gaps.length} gaps in ${elapsedMs} ms`,
    );
  });

  it('stores every API response byte-exact as it came over the wire, beside the parsed JSON', async () => {
    const raw = manifest.items.filter((i) => i.origin.kind === 'api' && 'rawResponse' in i.origin && i.origin.rawResponse);
    expect(raw.length).toBeGreaterThan(5);
    const describe = raw.find((i) => i.origin.kind === 'api' && i.origin.action === 'DescribeEndpoint');
    expect(describe, 'a DescribeEndpoint response').toBeDefined();
    const bytes = await readFile(join(result.bundleDir, describe!.path));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(describe!.sha256);
    expect(JSON.parse(bytes.toString('utf8'))).toHaveProperty('EndpointName');
    // The parsed copy sits beside it.
    expect(manifest.items.some((i) => i.path === describe!.path.replace(/\.response\.json$/, '.json'))).toBe(true);
  });

  it('copies the organization-trail files of every account byte-exact from the log-archive bucket, and the own-layout trail', async () => {
    for (const key of world.trailKeysIn) {
      const item = itemFor(`org-trail-archive/${key}`);
      expect(item, key).toBeDefined();
      expect(item!.origin).toMatchObject({ kind: 's3', bucket: 'org-trail-archive', readVia: world.logArchive });
    }
    for (const key of world.trailKeysIn) expect(itemFor(`org-trail-archive/${key}`)!.baseline, key).toBeUndefined();
    // Files of the 7-day lookback before the window are collected as baseline; older ones and other regions are not.
    const [old, early, otherRegion, ancient] = world.trailKeysOut as [string, string, string, string];
    for (const key of [old, early]) expect(itemFor(key)?.baseline, key).toBe(true);
    for (const key of [otherRegion, ancient]) expect(itemFor(key), key).toBeUndefined();
    expect(manifest.baselineWindow).toEqual({
      start: new Date(world.window.start.getTime() - 7 * 86_400_000).toISOString(),
      end: new Date(world.window.start.getTime() - 1).toISOString(),
    });
    const own = itemFor(`workload-trail-bucket/${world.ownTrailKey}`)!;
    expect(own.accountId).toBe(world.workload);
    // Byte-exact: the bundle copy equals the object in S3.
    const s3 = env.factory().client(S3Client, { credentials: SEED_CREDENTIALS, region: 'us-east-1', accountId: world.logArchive });
    const key = world.trailKeysIn[0]!;
    const original = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'org-trail-archive', Key: key }))).Body!.transformToByteArray());
    const copy = await readFile(join(result.bundleDir, itemFor(key)!.path));
    expect(copy.equals(original)).toBe(true);
    expect(itemFor(key)!.path).toMatch(new RegExp(`^evidence/${world.workload}/us-east-1/cloudtrail/s3/`));
  });

  it('keeps an object of a trail day folder that is not named like a trail file, apart and byte-exact, never parsed', () => {
    const item = itemFor(`org-trail-archive/${world.unrecognisedTrailKey}`);
    expect(item).toBeDefined();
    expect(item!.path).toMatch(new RegExp(`^evidence/${world.workload}/us-east-1/cloudtrail/s3-unrecognised/`));
    expect(item!.bytes).toBe(Buffer.byteLength('not a trail file\n'));
  });

  it('parses trail files for analysis; the malformed file is preserved and recorded as a clear gap', async () => {
    expect(result.cloudtrail.parseErrors).toBe(1);
    const gap = manifest.gaps.find((g) => g.target?.endsWith(world.badTrailKey));
    expect(gap?.reason).toMatch(/^Preserved byte-exact as evidence\/.*, but .*bad\.json\.gz /);
    expect(itemFor(world.badTrailKey)).toBeDefined();
    const events = (await readFile(join(result.bundleDir, 'analysis/events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { record: { eventName: string; sourceIPAddress: string } });
    expect(events.some((e) => e.record.eventName === 'InvokeModel' && e.record.sourceIPAddress === ATTACKER_IP)).toBe(true);
    expect(events.some((e) => e.record.eventName === 'Outside')).toBe(false);
    expect(result.cloudtrail.lookupAccountRegions).toBe(0);
  });

  it('collects Bedrock invocation logs from S3 and CloudWatch, and the configuration', async () => {
    expect(itemFor(world.bedrockKeyIn)).toBeDefined();
    expect(itemFor(world.bedrockKeyIn)!.baseline).toBeUndefined();
    // The day before the window is in the lookback: collected, marked baseline.
    const old = manifest.items.filter(
      (i) => i.origin.kind === 's3' && /BedrockModelInvocationLogs/.test(i.origin.uri) && /\/old\.json\.gz$/.test(i.origin.uri),
    );
    expect(old.map((i) => i.baseline)).toEqual([true]);
    const cw = manifest.items.find(
      (i) => i.path.includes('/bedrock/invocation-logs-cw/') && !i.baseline && i.path.endsWith('.json') && !i.path.endsWith('.response.json'),
    )!;
    // The log group is read for the lookback too, into its own pages.
    expect(
      manifest.items.some((i) => i.path.includes('/bedrock/invocation-logs-cw/') && i.baseline && /baseline-events\.p00001\.json$/.test(i.path)),
    ).toBe(true);
    const page = JSON.parse(await readFile(join(result.bundleDir, cw.path), 'utf8')) as { events: { message: string }[] };
    expect(page.events.map((e) => e.message).join()).toMatch(/ignore previous instructions/);
    expect(page.events.some((e) => e.message === 'after the window')).toBe(false);
    expect(manifest.items.some((i) => i.path === `evidence/${world.workload}/us-east-1/bedrock/config/model-invocation-logging.json`)).toBe(true);
    expect(manifest.items.some((i) => i.path.startsWith(`evidence/${world.workload}/us-east-1/bedrock/config/agents/`))).toBe(true);
  });

  it('collects SageMaker descriptions, endpoint logs and data capture; missing ones are gaps', async () => {
    const sm = `evidence/${world.workload}/us-east-1/sagemaker/`;
    for (const f of [
      'endpoints/fraud-ep.json',
      'endpoint-configs/fraud-ep-config.json',
      'models/fraud-ep-model.json',
      'training-jobs/fraud-train.json',
    ]) {
      expect(
        manifest.items.some((i) => i.path === sm + f),
        f,
      ).toBe(true);
    }
    expect(manifest.items.some((i) => i.path.startsWith(`${sm}endpoint-logs/`))).toBe(true);
    expect(itemFor(world.captureKeyIn)).toBeDefined();
    expect(manifest.items.some((i) => i.origin.kind === 's3' && i.origin.uri.endsWith('old.jsonl'))).toBe(false);
    expect(manifest.gaps.some((g) => g.accountId === world.workload && /\/aws\/sagemaker\/Endpoints\/quiet-ep does not exist/.test(g.reason))).toBe(
      true,
    );
    expect(manifest.gaps.some((g) => /quiet-ep has no data capture/.test(g.reason))).toBe(true);
    // AccessDenied in one account-region is recorded and the others still collected.
    const denied = manifest.gaps.find((g) => g.accountId === world.logArchive && g.region === 'us-east-1' && g.source === 'sagemaker');
    expect(denied).toMatchObject({ errorCode: 'AccessDeniedException' });
    expect(manifest.items.some((i) => i.path === `evidence/${world.logArchive}/eu-west-1/sagemaker/models/archive-model.json`)).toBe(true);
    expect(manifest.scope.accounts.find((a) => a.accountId === world.logArchive)?.status).toBe('PARTIAL');
  });

  it('collects access logs in both key formats for the window only', () => {
    for (const key of world.accessLogKeysIn) expect(itemFor(`workload-access-logs/${key}`), key).toBeDefined();
    expect(itemFor(world.accessLogKeyOut)?.baseline).toBe(true);
  });

  it('hashes every version of the model artifact and flags the one that differs from the baseline', async () => {
    const versions = manifest.items.filter((i) => i.origin.kind === 's3' && i.origin.uri === world.artifactUri);
    expect(versions).toHaveLength(2);
    expect(versions.every((v) => v.origin.kind === 's3' && v.origin.versionId)).toBe(true);
    expect(result.tampered).toBe(1);
    const analysis = JSON.parse(await readFile(join(result.bundleDir, 'analysis/model-artifacts.json'), 'utf8'));
    expect(analysis.tampered[0]).toMatchObject({ uri: world.artifactUri, expectedSha256: world.artifactV1Sha });
    expect(analysis.tampered[0].knownGoodVersionId).toBeTruthy();
    expect(manifest.items.some((i) => i.origin.kind === 's3' && i.origin.uri === 's3://archive-models/m/model.tar.gz')).toBe(true);
  });

  it('collects flow logs of the AI VPC from S3 and CloudWatch', async () => {
    const item = itemFor(world.flowLogKeyIn)!;
    expect(item).toBeDefined();
    expect(gunzipSync(await readFile(join(result.bundleDir, item.path))).toString()).toMatch(/ACCEPT OK/);
    expect(manifest.items.some((i) => i.path.includes(`/flow-logs/cloudwatch/`))).toBe(true);
  });

  it('stores the network interface of a VPC endpoint with its workload, and analysis ties it to the endpoint', async () => {
    const pages = manifest.items.filter(
      (i) => i.origin.kind === 'api' && i.origin.action === 'DescribeNetworkInterfaces' && i.accountId === world.workload,
    );
    expect(pages.length).toBeGreaterThan(0);
    const item = manifest.items.find((i) => i.path === 'analysis/ai-network.json')!;
    expect(item).toMatchObject({ source: 'analysis', origin: { kind: 'derived' } });
    const doc = JSON.parse(await readFile(join(result.bundleDir, item.path), 'utf8')) as {
      interfaces: { networkInterfaceId: string; workloadArn: string | null; kind: string; matchedBy: string }[];
    };
    const schema = JSON.parse(await readFile(new URL('../../src/model/schemas/ai-network.schema.json', import.meta.url), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const eni = doc.interfaces.find((i) => i.networkInterfaceId === world.endpointEniId);
    expect(eni).toMatchObject({ kind: 'endpoint', matchedBy: 'description-names-workload' });
    expect(eni!.workloadArn).toMatch(/^arn:aws:sagemaker:us-east-1:\d{12}:endpoint\/fraud-ep$/);
    const context = await loadBundleContext(result.bundleDir, manifest, 16 * 1024 * 1024);
    expect(context.aiNetwork.get(world.endpointEniId)).toEqual({ workloadArn: eni!.workloadArn, kind: 'endpoint' });
    expect(calls.some((c) => c.action === 'DescribeNetworkInterfaces')).toBe(true);
  });

  it('reports progress: accounts, sources and bytes', () => {
    const last = progress.at(-1)!;
    expect(last.phase).toBe('done');
    expect(last.accountsDone).toBe(3);
    expect(last.sourcesDone).toBe(last.sourcesTotal);
    expect(last.bytes).toBe(manifest.stats.bytes);
  });

  it('stays read-only, and every action it used is allowed by the collection role of the template', () => {
    const template = buildRoleTemplate();
    const distinct = [...new Set(calls.map((c) => `${c.service}:${c.action}`))].sort();
    expect(distinct.length).toBeGreaterThan(20);
    for (const call of distinct) {
      const [service, action] = call.split(':') as [string, string];
      for (const iam of iamActionsFor(service, action)) {
        expect(isWriteAction(iam), `${call} -> ${iam} is a write`).toBe(false);
        // AssumeRole is the caller's permission (hub or base credentials), not the member role's.
        if (iam === 'sts:AssumeRole') continue;
        expect(policyAllows(template, 'ForensightCollectRole', iam), `${iam} not allowed by the collection role`).toBe(true);
      }
    }
    // The proxy saw no write either (seeding used another factory before it was reset).
    expect(isWriteAction('s3:PutObject')).toBe(true);
  });
});

describe('tamper, verify, preserve', () => {
  it('names each altered, missing and extra file in a tampered copy (exit 1 through the CLI)', async () => {
    const copy = await copyBundle(result.bundleDir, 'e2e-tamper');
    const trail = itemFor(world.trailKeysIn[0]!)!;
    const buf = await readFile(join(copy, trail.path));
    buf[buf.length - 1] = buf[buf.length - 1]! ^ 1;
    await writeFile(join(copy, trail.path), buf);
    const removed = manifest.items.find((i) => i.path.endsWith('model-invocation-logging.json'))!;
    await rm(join(copy, removed.path));
    await writeFile(join(copy, 'evidence', 'planted.txt'), 'x');
    const report = await verifyBundle(copy);
    expect(report.problems.map((p) => `${p.kind} ${p.path}`).sort()).toEqual(
      [`altered ${trail.path}`, `extra evidence/planted.txt`, `missing ${removed.path}`].sort(),
    );
    const { io, out } = memoryIo();
    expect(await verifyAction(copy, {}, io)).toBe(1);
    expect(out.join('')).toMatch(/ALTERED/);
    expect(await verifyAction(result.bundleDir, {}, memoryIo().io)).toBe(0);
  });

  it('refuses an evidence bucket without Object Lock, then preserves with checksums, retention and version ids in custody', async () => {
    const factory = env.factory();
    const copy = await copyBundle(result.bundleDir, 'e2e-preserve');
    const base = {
      bundleDir: copy,
      factory,
      credentials: async () => SEED_CREDENTIALS as { accessKeyId: string; secretAccessKey: string },
      accountId: world.management,
      homeRegion: 'us-east-1',
      actor: {
        tool: 'forensight' as const,
        toolVersion: 'test',
        callerArn: 'arn:aws:iam::123456789012:user/responder',
        sessionName: 'forensight-collect-x',
        osUser: 'r',
        host: 'h',
      },
    };
    await expect(preserveBundle({ ...base, target: { bucket: world.unlockedBucket, prefix: 'evidence' } })).rejects.toThrow(PreserveRefusedError);
    await expect(preserveBundle({ ...base, target: { bucket: world.unlockedBucket, prefix: 'evidence' } })).rejects.toThrow(/no Object Lock/);
    const preserved = await preserveBundle({ ...base, target: { bucket: world.evidenceBucket, prefix: 'cases/INC-42' }, retentionDays: 2 });
    expect(preserved.objects).toHaveLength(manifest.items.length + 1);
    expect(preserved.mode).toBe('GOVERNANCE');
    const s3 = factory.client(S3Client, { credentials: base.credentials, region: 'us-east-1', accountId: world.management });
    const one = preserved.objects.find((o) => o.path === manifest.items[0]!.path)!;
    const head = await s3.send(new HeadObjectCommand({ Bucket: world.evidenceBucket, Key: one.key, ChecksumMode: 'ENABLED' }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    expect(head.ObjectLockRetainUntilDate).toBeTruthy();
    expect(head.ChecksumSHA256).toBe(Buffer.from(manifest.items[0]!.sha256, 'hex').toString('base64'));
    expect(one.versionId).toBeTruthy();
    const custody = (await readFile(join(copy, 'custody.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const preservedEntries = custody.filter((e) => e.action === 'item-preserved');
    expect(preservedEntries).toHaveLength(preserved.objects.length);
    expect(preservedEntries[0].detail.versionId).toBeTruthy();
    // The bundle still verifies with the custody log extended.
    expect((await verifyBundle(copy)).problems).toEqual([]);
    // Only the evidence bucket was written to.
    const writes = factory.recorder.calls.filter((c) => isWriteAction(iamActionsFor(c.service, c.action)[0]!));
    expect(new Set(writes.map((c) => c.action))).toEqual(new Set(['PutObject']));
  }, 180_000);

  it('the CLI writes a new bundle per run, with filters choosing only what is analysed', async () => {
    const out = await tempDir('e2e-cli');
    const { io, out: stdout } = memoryIo();
    const raw = {
      incident: 'INC-42',
      start: world.window.start.toISOString(),
      end: world.window.end.toISOString(),
      org: true,
      roleName: 'ForensightCollector',
      regions: 'us-east-1,eu-west-1',
      endpointUrl: env.url,
      sources: 'cloudtrail',
      sourceIp: ATTACKER_IP,
      eventsCopy: true,
      out,
    };
    expect(await collectAction(raw, io, { factory: env.factory() })).toBe(0);
    expect(await collectAction(raw, memoryIo().io, { factory: env.factory() })).toBe(0);
    const dirs = (await import('node:fs')).readdirSync(out);
    expect(dirs).toHaveLength(2);
    expect(stdout.join('')).toMatch(/Evidence bundle: .*INC-42-/);
    const bundle = join(out, dirs[0]!);
    const m = JSON.parse(await readFile(join(bundle, 'manifest.json'), 'utf8')) as Manifest;
    // All trail files preserved regardless of the filter...
    const trailItems = (mm: Manifest) =>
      mm.items
        .filter((i) => i.origin.kind === 's3' && i.origin.bucket === 'org-trail-archive')
        .map((i) => i.sha256)
        .sort();
    expect(trailItems(m)).toEqual(trailItems(manifest));
    // ...only the matching events analysed.
    const events = (await readFile(join(bundle, 'analysis/events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.length).toBe(2);
    expect(events.every((e) => e.record.sourceIPAddress === ATTACKER_IP)).toBe(true);
    expect((await verifyBundle(bundle)).ok).toBe(true);
  }, 180_000);
});
