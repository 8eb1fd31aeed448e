// End to end on moto: seed the collect world, drop a StopLogging record into a delivered trail file, collect a
// bundle, then `forensight analyze` it through main() and follow the finding back to the exact bundle file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectResult } from '../../src/collect/collector.js';
import { accountCredentials, installMotoStubs } from '../../demo/seed.js';
import type { Analysis } from '../../src/analysis/run.js';
import type { TimelineEvent } from '../../src/analysis/event.js';
import { useEmulator } from '../support/emulator.js';
import { collectOnEmulator } from '../support/collect-run.js';
import { runCli } from '../support/cli.js';
import {
  ATTACKER_IP,
  ATTACKER_KEY,
  dayPath,
  seedCollectWorld,
  seedIncidentStory,
  stampOf,
  STORY_NEW_KEY,
  STORY_OTHER_USER,
  STORY_SECRETS,
  STORY_TRAINING_OBJECTS,
  type CollectWorld,
  type StoryWorld,
} from '../collect/seed-collect.js';
import { cleanupTempDirs, tempDir } from './helpers.js';

afterAll(cleanupTempDirs);
const env = useEmulator();

let world: CollectWorld;
let story: StoryWorld;
let result: CollectResult;
let stopKey: string;
let getKey: string;
const STOPPER = 'arn:aws:iam::__W__:user/intruder';

beforeAll(async () => {
  world = await seedCollectWorld(env.factory(), installMotoStubs(env.proxy));
  story = await seedIncidentStory(env.factory(), world, (account) => accountCredentials(env.factory(), account));
  const W = world.workload;
  const t = new Date(world.window.start.getTime() + 5 * 3_600_000 + 7 * 60_000);
  stopKey = `AWSLogs/${world.organizationId}/${W}/CloudTrail/us-east-1/${dayPath(t)}/${W}_CloudTrail_us-east-1_${stampOf(t)}_stop.json.gz`;
  const records = [
    {
      eventVersion: '1.09',
      eventTime: new Date(t.getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'DescribeTrails',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.200',
      userIdentity: { type: 'IAMUser', arn: STOPPER.replace('__W__', W), accountId: W },
      recipientAccountId: W,
      readOnly: true,
    },
    {
      eventVersion: '1.09',
      eventTime: t.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'StopLogging',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.200',
      userIdentity: { type: 'IAMUser', arn: STOPPER.replace('__W__', W), accountId: W, accessKeyId: 'AKIAINTRUDER0000001' },
      requestParameters: { name: 'org-trail' },
      responseElements: null,
      recipientAccountId: W,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
    },
  ];
  // The S3 data event of the GET the access log also recorded (same request id, same bucket): one request.
  const getAt = new Date(world.window.start.getTime() + 4 * 3_600_000);
  getKey = `AWSLogs/${world.organizationId}/${W}/CloudTrail/us-east-1/${dayPath(getAt)}/${W}_CloudTrail_us-east-1_${stampOf(getAt)}_get.json.gz`;
  const getRecord = {
    eventVersion: '1.09',
    eventTime: getAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: ATTACKER_IP,
    requestID: '3E57427F3EXAMPLE',
    eventID: 'get-train-1',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${W}:user/leaked`, accountId: W, accessKeyId: ATTACKER_KEY },
    requestParameters: { bucketName: 'workload-model-artifacts', key: 'data/train.csv' },
    additionalEventData: { bytesTransferredOut: 27 },
    recipientAccountId: W,
    readOnly: true,
    eventCategory: 'Data',
    managementEvent: false,
  };
  const s3 = env
    .factory()
    .client(S3Client, { credentials: accountCredentials(env.factory(), world.logArchive), region: 'us-east-1', accountId: world.logArchive });
  await s3.send(new PutObjectCommand({ Bucket: 'org-trail-archive', Key: stopKey, Body: gzipSync(JSON.stringify({ Records: records })) }));
  await s3.send(new PutObjectCommand({ Bucket: 'org-trail-archive', Key: getKey, Body: gzipSync(JSON.stringify({ Records: [getRecord] })) }));

  ({ result } = await collectOnEmulator(env.url, world, {
    incident: 'INC-77',
    sessionLabel: 'INC-77-analyze',
    outDir: await tempDir('e2e'),
    window: story.window,
  }));
}, 240_000);

describe('analyze a bundle collected on moto', () => {
  let run: Awaited<ReturnType<typeof runCli>>;
  let analysis: Analysis;
  let outDir: string;

  beforeAll(async () => {
    outDir = join(await tempDir('e2e-out'), 'analysis');
    run = await runCli(['analyze', result.bundleDir, '--format', 'json,html', '--out', outDir]);
    analysis = JSON.parse(await readFile(join(outDir, 'findings.json'), 'utf8')) as Analysis;
  });

  it('exits 0 with a summary on stderr and nothing on stdout', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/CRITICAL .* cloudtrail-tampering: Logging of org-trail was stopped/);
    expect(analysis.derivedFrom).toMatchObject({ path: result.bundleDir, bundleId: result.bundleId, manifestSha256: result.manifestSha256 });
  });

  it('finds the StopLogging and points at the preserved trail file and the record in it', () => {
    const f = analysis.findings.find((x) => x.ruleId === 'cloudtrail-tampering');
    expect(f).toBeDefined();
    expect(f).toMatchObject({ severity: 'critical', element: 'infrastructure-changes', account: world.workload, target: 'org-trail' });
    const ref = f!.events[0]!.ref;
    expect(ref.record).toBe(1);
    const item = result.manifest.items.find((i) => i.path === ref.path)!;
    expect(item.origin).toMatchObject({ kind: 's3', bucket: 'org-trail-archive', key: stopKey });
  });

  it('surfaces the model artifact that no longer matches the baseline, as one finding with the write that replaced it', () => {
    const f = analysis.findings.find((x) => x.ruleId === 'model-artifact-new-version' && x.target === world.artifactUri);
    expect(f?.severity).toBe('critical');
    expect(f!.mergedFrom).toContain('model-artifact-replaced');
    expect(f!.actorKey).toBe(ATTACKER_KEY);
    expect(analysis.findings.filter((x) => x.target === world.artifactUri).map((x) => x.ruleId)).toEqual(['model-artifact-new-version']);
    expect(f!.evidence[0]!.path).toBe('analysis/model-artifacts.json');
    expect(f!.evidence.slice(1).every((r) => result.manifest.items.some((i) => i.path === r.path && i.source === 'model-artifacts'))).toBe(true);
  });

  it('collected with a lookback: the baseline window, one event per request, and the leaked key as an actor in the report', async () => {
    expect(analysis.baselineWindow).toEqual(result.manifest.baselineWindow);
    expect(analysis.baselineWindow).not.toBeNull();
    const timeline = (await readFile(join(outDir, 'timeline.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TimelineEvent);
    const get = timeline.filter((e) => e.requestId === '3E57427F3EXAMPLE' && e.target === 's3://workload-model-artifacts/data/train.csv');
    expect(get).toHaveLength(1);
    expect(get[0]!.sources).toEqual(['cloudtrail', 's3-access-log']);
    expect(get[0]!.evidence.map((r) => result.manifest.items.find((i) => i.path === r.path)?.source).sort()).toEqual([
      'cloudtrail',
      's3-access-logs',
    ]);
    expect(analysis.stats.merged).toBeGreaterThanOrEqual(1);
    expect(analysis.stats.records - analysis.stats.merged).toBe(analysis.stats.events);
    if (result.manifest.items.some((i) => (i as { baseline?: boolean }).baseline === true)) expect(analysis.stats.baselineEvents).toBeGreaterThan(0);
    const leaked = analysis.actors.find((a) => a.key === ATTACKER_KEY);
    expect(leaked).toMatchObject({ kind: 'access-key', read: { objects: STORY_TRAINING_OBJECTS + 1 } });
    expect(leaked!.read.buckets.sort()).toEqual(['workload-model-artifacts', 'workload-training']);
    expect(leaked!.sourceIps.map((s) => s.ip)).toContain(ATTACKER_IP);
    const html = await readFile(join(outDir, 'incident-report.html'), 'utf8');
    const actorsAt = html.indexOf('id="actors"');
    expect(actorsAt).toBeGreaterThan(0);
    expect(html.indexOf(ATTACKER_KEY, actorsAt)).toBeGreaterThan(actorsAt);
    expect(html).toContain('<svg class="chart"');
    expect(html).toMatch(new RegExp(`baseline ${analysis.baselineWindow!.start.replace(/[.]/g, '\\.')}`));
  });

  it('merges every source into one ordered timeline with evidence refs into the bundle', async () => {
    const timeline = (await readFile(join(outDir, 'timeline.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TimelineEvent);
    const sources = new Set(timeline.map((e) => e.source));
    for (const s of ['cloudtrail', 'bedrock-invocation', 'sagemaker-endpoint-log', 'sagemaker-data-capture', 's3-access-log', 'flow-log'] as const)
      expect(sources.has(s), s).toBe(true);
    for (let i = 1; i < timeline.length; i++) expect(timeline[i - 1]!.time <= timeline[i]!.time).toBe(true);
    const paths = new Set(result.manifest.items.map((i) => i.path));
    for (const e of timeline) expect(paths.has(e.evidenceRef.path), e.evidenceRef.path).toBe(true);
    // The malformed trail file is a gap of the collection, not a crash of the analysis.
    expect(analysis.problems.some((p) => /bad\.json\.gz/.test(p.path))).toBe(true);
    const html = await readFile(join(outDir, 'incident-report.html'), 'utf8');
    expect(html).toContain('Logging of org-trail was stopped');
  });
});

describe('the seeded incident: each attacker step is one finding of the leaked key, with its evidence', () => {
  let run: Awaited<ReturnType<typeof runCli>>;
  let analysis: Analysis;
  let outDir: string;
  const W = () => world.workload;
  const ruleFindings = (ruleId: string) => analysis.findings.filter((f) => f.ruleId === ruleId && f.actorKey === ATTACKER_KEY);
  const one = (ruleId: string, summary: RegExp) => {
    const found = ruleFindings(ruleId).filter((f) => summary.test(f.summary));
    expect(
      found.map((f) => f.summary),
      `${ruleId} ${summary}`,
    ).toHaveLength(1);
    return found[0]!;
  };
  /** The S3 object the finding's first event was read from. */
  const originOf = (ref: { path: string }) => (result.manifest.items.find((i) => i.path === ref.path)?.origin as { key?: string } | undefined)?.key;

  beforeAll(async () => {
    outDir = join(await tempDir('e2e-story'), 'analysis');
    run = await runCli(['analyze', result.bundleDir, '--format', 'json,html', '--out', outDir]);
    analysis = JSON.parse(await readFile(join(outDir, 'findings.json'), 'utf8')) as Analysis;
  }, 120_000);

  it('LLMjacking: model access enabled, after enumeration and a discovery burst that began with GetCallerIdentity', () => {
    expect(run.code, run.stderr).toBe(0);
    const enabled = one('bedrock-model-access', /requested model access: PutUseCaseForModelAccess, CreateFoundationModelAgreement/);
    expect(enabled.severity).toBe('high');
    expect(originOf(enabled.events[0]!.ref)).toBe(story.trailKeys.attack);
    const enumerated = one('bedrock-model-access', /enumerated Bedrock model access/);
    expect(enumerated.summary).toMatch(/InvokeModel \(ValidationException\)/);
    expect(enumerated.mergedFrom).toEqual(['ai-recon-burst']);
    expect(enumerated.summary).toMatch(/made no call in the baseline; it started with GetCallerIdentity/);
    expect(enumerated.severity).toBe('high');
    expect(analysis.findings.filter((f) => f.ruleId === 'ai-recon-burst')).toEqual([]);
  });

  it('LLMjacking: invocations by the new key on a model and in a region the baseline never used', () => {
    const f = one('bedrock-new-invoker', /invocation/);
    expect(f.severity).toBe('critical');
    expect(f.summary).toMatch(/new IP\(s\) 198\.51\.100\.23/);
    expect(f.summary).toMatch(/claude-3-opus/);
    expect(f.summary).toMatch(/in region\(s\) not used in the baseline: eu-west-1/);
    expect(f.events.some((e) => originOf(e.ref) === story.trailKeys.euWest)).toBe(true);
    expect(f.actions).toContainEqual(expect.objectContaining({ kind: 'deactivate-access-key', target: ATTACKER_KEY }));
  });

  it('invocation content: the injection and the pasted secrets are found in the invocation log behind the CloudTrail Converse', () => {
    const injection = one('invocation-prompt-injection', /ignore-instructions, prompt-leak/);
    const secrets = one('invocation-secrets', /AWS access key id in a prompt, GitHub token in a prompt/);
    for (const f of [injection, secrets]) {
      expect(originOf(f.events[0]!.ref)).toBe(story.trailKeys.attack);
      expect(f.evidence.some((r) => result.manifest.items.find((i) => i.path === r.path)?.source === 'bedrock')).toBe(true);
    }
  });

  it('the secrets in the prompt are never printed: not on the terminal, in findings.json or in the report', async () => {
    const html = await readFile(join(outDir, 'incident-report.html'), 'utf8');
    const printed = [run.stdout, run.stderr, await readFile(join(outDir, 'findings.json'), 'utf8'), html];
    for (const secret of Object.values(STORY_SECRETS)) for (const text of printed) expect(text.includes(secret)).toBe(false);
  });

  it('training data read in bulk: every GET in CloudTrail and the access log counts once', async () => {
    const timeline = (await readFile(join(outDir, 'timeline.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TimelineEvent);
    const gets = timeline.filter((e) => e.requestId?.startsWith('STORYGET'));
    expect(gets).toHaveLength(STORY_TRAINING_OBJECTS);
    expect(gets.every((e) => e.sources?.join() === 'cloudtrail,s3-access-log' && e.evidence.length === 2)).toBe(true);
    const f = one('s3-ai-bulk-read', /distinct object/);
    expect(f.severity).toBe('high');
    expect(f.target).toBe('s3://workload-training');
    // 120 training objects, never 240; the one GET of the artifacts bucket the key made hours later is not part of
    // the burst (its window no longer holds a bulk read).
    expect(f.summary).toMatch(new RegExp(`read ${STORY_TRAINING_OBJECTS} distinct object`));
    expect(f.eventCount).toBe(STORY_TRAINING_OBJECTS);
    expect(f.mergedFrom).toEqual(['s3-ai-bucket-external-read']);
  });

  it('the model artifact overwrite is confirmed by the version history and says which version to restore', () => {
    const f = one('model-artifact-new-version', /not its usual writer; the version history confirms the new version/);
    expect(f.target).toBe(world.artifactUri);
    expect(f.summary).toContain(`version ${story.artifactVersions.written}`);
    expect(f.actions).toContainEqual(
      expect.objectContaining({ kind: 'rollback-artifact-version', target: `${world.artifactUri}?versionId=${story.artifactVersions.good}` }),
    );
    expect(f.events.some((e) => originOf(e.ref) === story.trailKeys.artifact)).toBe(true);
  });

  it('persistence, a denied StopLogging and a presigned notebook URL, each pointing at its record', () => {
    const key = one('iam-persistence', new RegExp(`created access key ${STORY_NEW_KEY} for another user, ${STORY_OTHER_USER}`));
    expect(
      key.actions
        .filter((a) => a.kind === 'deactivate-access-key')
        .map((a) => a.target)
        .sort(),
    ).toEqual([ATTACKER_KEY, STORY_NEW_KEY].sort());
    const stop = one('cloudtrail-tampering', /attempt denied: AccessDenied/);
    expect(stop.severity).toBe('high');
    const url = one('sagemaker-high-risk', /Presigned notebook URL created/);
    for (const f of [key, stop, url]) {
      expect(originOf(f.events[0]!.ref)).toBe(story.trailKeys.attack);
      expect(f.account).toBe(W());
      expect(f.events[0]!.sourceIp).toBe(ATTACKER_IP);
    }
  });

  it('the actors table leads with the leaked key, which holds the findings', async () => {
    expect(analysis.actors[0]!.key).toBe(ATTACKER_KEY);
    expect(analysis.actors[0]!.findings.length).toBeGreaterThanOrEqual(8);
    const html = await readFile(join(outDir, 'incident-report.html'), 'utf8');
    const table = html.slice(html.indexOf('id="actors"'));
    const firstRow = table.slice(table.indexOf('<tbody'), table.indexOf('</tr>', table.indexOf('<tbody')));
    expect(firstRow).toContain(ATTACKER_KEY);
  });
});
