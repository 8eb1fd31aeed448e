// Shared helpers of the analysis tests: public fixtures (read in place), events from raw records, temp dirs.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudTrailRecord } from '../../src/collect/parsers/cloudtrail.js';
import type { TimelineEvent } from '../../src/analysis/event.js';
import { fromCloudTrail } from '../../src/analysis/normalize.js';
import type { AnalysisContext } from '../../src/analysis/rules/index.js';

export const PUBLIC = '/work/shared/fixtures/public';
export const fixtureText = (rel: string): string => readFileSync(join(PUBLIC, rel), 'utf8');
export const fixtureJson = <T>(rel: string): T => JSON.parse(fixtureText(rel)) as T;

export interface PantherCase {
  name: string;
  expectedResult: boolean;
  log: CloudTrailRecord;
}
export const pantherCases = (file: string): PantherCase[] => fixtureJson<{ tests: PantherCase[] }>(`cloudtrail/${file}`).tests;

export function ctEvent(record: CloudTrailRecord, path = 'evidence/x.json', record_ = 0): TimelineEvent {
  const n = fromCloudTrail(record, { ref: { path, record: record_ }, account: null, region: null });
  if (!n.ok) throw new Error(n.reason);
  return n.event;
}

/** A complete event with neutral defaults: tests state only the fields they are about. */
export function testEvent(over: Partial<TimelineEvent> & Pick<TimelineEvent, 'time'>): TimelineEvent {
  const ref = over.evidenceRef ?? { path: 'evidence/x.json', record: 0 };
  return {
    source: 'cloudtrail',
    account: null,
    region: null,
    actor: null,
    principal: null,
    accessKeyId: null,
    sourceIp: null,
    service: null,
    action: 'A',
    target: null,
    outcome: 'success',
    evidenceRef: ref,
    evidence: [ref],
    requestId: null,
    actorKey: null,
    userType: null,
    sessionIssuer: null,
    sourceIdentity: null,
    userAgent: null,
    phase: 'incident',
    bytesOut: null,
    bytesIn: null,
    ...over,
  };
}

export function ruleCtx(over: Partial<AnalysisContext> = {}): AnalysisContext {
  return {
    window: { start: '2000-01-01T00:00:00.000Z', end: '2100-01-01T00:00:00.000Z' },
    baseline: null,
    knownAccounts: new Set(),
    aiBuckets: null,
    modelArtifacts: null,
    artifactVersions: [],
    aiNetwork: new Map(),
    expected: { ips: new Set(), principals: new Set() },
    ...over,
  };
}

const created: string[] = [];
export async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `forensight-analysis-test-${label}-`));
  created.push(dir);
  return dir;
}
export async function cleanupTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}
