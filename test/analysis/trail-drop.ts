// What every analysis flow on the emulator does: drop CloudTrail records into a delivered organization-trail file of
// the workload account, collect the world into a bundle, and analyse it through the CLI as a user would.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { accountCredentials } from '../../demo/seed.js';
import type { CollectResult } from '../../src/collect/collector.js';
import type { Analysis } from '../../src/analysis/run.js';
import { dayPath, stampOf, type CollectWorld } from '../collect/seed-collect.js';
import { runCli, type CliRun } from '../support/cli.js';
import { collectOnEmulator } from '../support/collect-run.js';
import type { EmulatorHandle } from '../support/emulator.js';
import { tempDir } from './helpers.js';

export interface DroppedTrailRun {
  /** The S3 key of the dropped trail file (its path in the bundle ends with it). */
  trailKey: string;
  result: CollectResult;
  run: CliRun;
  analysis: Analysis;
}

/** `label` names the trail file, the session and the temp dirs; `at` is the file's delivery time (in the window). */
export async function dropCollectAnalyze(
  env: EmulatorHandle,
  world: CollectWorld,
  drop: { at: Date; label: string; incident: string; records: unknown[] },
): Promise<DroppedTrailRun> {
  const W = world.workload;
  const { at, label } = drop;
  const trailKey = `AWSLogs/${world.organizationId}/${W}/CloudTrail/us-east-1/${dayPath(at)}/${W}_CloudTrail_us-east-1_${stampOf(at)}_${label}.json.gz`;
  const s3 = env
    .factory()
    .client(S3Client, { credentials: accountCredentials(env.factory(), world.logArchive), region: 'us-east-1', accountId: world.logArchive });
  await s3.send(new PutObjectCommand({ Bucket: 'org-trail-archive', Key: trailKey, Body: gzipSync(JSON.stringify({ Records: drop.records })) }));
  const { result } = await collectOnEmulator(env.url, world, {
    incident: drop.incident,
    sessionLabel: `${drop.incident}-${label}`,
    outDir: await tempDir(`e2e-${label}`),
  });
  const outDir = join(await tempDir(`e2e-${label}-out`), 'analysis');
  const run = await runCli(['analyze', result.bundleDir, '--format', 'json', '--out', outDir]);
  const analysis = JSON.parse(await readFile(join(outDir, 'findings.json'), 'utf8')) as Analysis;
  return { trailKey, result, run, analysis };
}
