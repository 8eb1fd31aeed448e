// End to end on moto: AI supply and spend. Records of an intruder pointing a Bedrock knowledge base at a bucket of
// an outside account and ingesting it, fine-tuning on the collected training bucket with results written to a
// bucket the bundle cannot place, buying provisioned throughput with a commitment, and detaching an agent's
// guardrail are dropped into a delivered trail file; the bundle is collected and analysed through main(), and each
// step is one finding of the intruder's key pointing at its record in the preserved file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectResult } from '../../src/collect/collector.js';
import { installMotoStubs } from '../../demo/seed.js';
import type { Analysis } from '../../src/analysis/run.js';
import { useEmulator } from '../support/emulator.js';
import type { CliRun } from '../support/cli.js';
import { seedCollectWorld, type CollectWorld } from '../collect/seed-collect.js';
import { cleanupTempDirs } from './helpers.js';
import { dropCollectAnalyze } from './trail-drop.js';

afterAll(cleanupTempDirs);
const env = useEmulator();

const OUTSIDE = '999988887777';
const KEY = 'AKIASUPPLIER0000001';
const IP = '203.0.113.88';
let world: CollectWorld;
let result: CollectResult;
let trailKey: string;
let run: CliRun;
let analysis: Analysis;

const iso = (t: Date) => t.toISOString().replace(/\.\d{3}Z$/, 'Z');

function records(W: string, at: Date): Record<string, unknown>[] {
  let n = 0;
  const rec = (eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
    eventVersion: '1.09',
    eventTime: iso(new Date(at.getTime() + n++ * 1000)),
    eventSource: 'bedrock.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: IP,
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${W}:user/supplier`, accountId: W, accessKeyId: KEY, userName: 'supplier' },
    requestParameters,
    responseElements: null,
    requestID: `supply-${n}`,
    eventID: `supply-ev-${n}`,
    recipientAccountId: W,
    eventType: 'AwsApiCall',
    ...over,
  });
  const agent = (guarded: boolean) => ({
    agentName: 'support',
    agentResourceRoleArn: `arn:aws:iam::${W}:role/agent`,
    foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
    ...(guarded ? { guardrailConfiguration: { guardrailIdentifier: 'gr-support', guardrailVersion: '3' } } : {}),
  });
  return [
    rec('CreateDataSource', {
      knowledgeBaseId: 'KBSUPPORT1',
      name: 'faq',
      dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::faq-mirror', bucketOwnerAccountId: OUTSIDE } },
    }),
    rec('StartIngestionJob', { knowledgeBaseId: 'KBSUPPORT1', dataSourceId: 'DSFAQ0001' }),
    rec('CreateModelCustomizationJob', {
      jobName: 'ft-support',
      customModelName: 'support-ft',
      roleArn: `arn:aws:iam::${W}:role/bedrock-ft`,
      baseModelIdentifier: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1',
      trainingDataConfig: { s3Uri: 's3://workload-training/data/train.jsonl' },
      outputDataConfig: { s3Uri: 's3://ft-results-drop/out/' },
    }),
    rec('CreateProvisionedModelThroughput', {
      provisionedModelName: 'pt-big',
      modelId: 'anthropic.claude-v2:1',
      modelUnits: 4,
      commitmentDuration: 'SixMonths',
    }),
    rec('CreateAgent', agent(true), { responseElements: { agent: { agentId: 'AGENT00001', agentName: 'support' } } }),
    rec('UpdateAgent', { agentId: 'AGENT00001', ...agent(false) }),
  ];
}

beforeAll(async () => {
  world = await seedCollectWorld(env.factory(), installMotoStubs(env.proxy));
  const W = world.workload;
  const at = new Date(world.window.start.getTime() + 6 * 3_600_000 + 23 * 60_000);
  ({ trailKey, result, run, analysis } = await dropCollectAnalyze(env, world, { at, label: 'supply', incident: 'INC-91', records: records(W, at) }));
}, 240_000);

describe('AI supply and spend on moto, through collect and analyze', () => {
  const of = (ruleId: string) => analysis.findings.filter((f) => f.ruleId === ruleId && f.actorKey === KEY);
  const preserved = (path: string) => result.manifest.items.find((i) => i.path === path);

  it('exits 0', () => {
    expect(run.code, run.stderr).toBe(0);
  });

  it('the knowledge base pointed at an outside bucket and ingested is one critical finding that carries the data-source change', () => {
    const found = of('ai-data-outside-org').filter((f) => /knowledge-base data source/.test(f.summary));
    expect(found).toHaveLength(1);
    const f = found[0]!;
    expect(f.severity).toBe('critical');
    expect(f.summary).toMatch(
      new RegExp(
        `reads arn:aws:s3:::faq-mirror .* in account ${OUTSIDE}, outside the Organization; then .* ingested it into knowledge base KBSUPPORT1`,
      ),
    );
    expect(f.eventCount).toBe(2);
    expect(f.mergedFrom).toEqual(['bedrock-agent-changed']);
    const ref = f.events[0]!.ref;
    expect(ref.record).toBe(0);
    expect(preserved(ref.path)?.origin).toMatchObject({ kind: 's3', bucket: 'org-trail-archive', key: trailKey });
    expect(of('bedrock-agent-changed').filter((x) => x.events.some((e) => e.action === 'CreateDataSource'))).toEqual([]);
  });

  it('fine-tuning on the collected training bucket with results sent to a bucket the bundle cannot place: the output only, one finding', () => {
    const found = of('ai-data-outside-org').filter((f) => /customization job ft-support/.test(f.summary));
    expect(found).toHaveLength(1);
    expect(found[0]!.summary).toMatch(
      /writes to s3:\/\/ft-results-drop\/out\/ \(outputDataConfig\.s3Uri\), a bucket not known to be in the Organization/,
    );
    expect(found[0]!.summary).not.toMatch(/workload-training/);
    expect(found[0]!.mergedFrom).toEqual(['bedrock-cost-abuse']);
    expect(of('bedrock-cost-abuse').filter((f) => /customization/.test(f.summary))).toEqual([]);
  });

  it('the six-month provisioned throughput is a high cost finding', () => {
    const found = of('bedrock-cost-abuse');
    expect(found.map((f) => f.summary)).toEqual([
      expect.stringMatching(/bought provisioned throughput pt-big .*4 model unit\(s\), committed for SixMonths/),
    ]);
    expect(found[0]!.severity).toBe('high');
    expect(found[0]!.actions.map((a) => a.kind)).toEqual(['deactivate-access-key']);
  });

  it('the agent updated without the guardrail it was created with is high', () => {
    const found = of('bedrock-agent-changed').filter((f) => f.events[0]!.action === 'UpdateAgent');
    expect(found).toHaveLength(1);
    expect(found[0]!.severity).toBe('high');
    expect(found[0]!.summary).toMatch(/guardrail gr-support:3 detached/);
  });
});
