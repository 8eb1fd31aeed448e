// One collection on the emulator as the e2e suites run it: the whole Organization through the collection role,
// every source, each API response kept byte-exact, and the seeded model artifact as the integrity baseline.
import { ClientFactory } from '../../src/aws/clients.js';
import { sessionNameFor } from '../../src/aws/credentials.js';
import type { RecordedCall } from '../../src/aws/recorder.js';
import { openSession, type TargetOptions } from '../../src/aws/session.js';
import { parseBaseline } from '../../src/collect/baseline.js';
import { runCollection, type CollectOptions, type CollectResult } from '../../src/collect/collector.js';
import { SOURCE_NAMES } from '../../src/collect/manifest.js';
import type { CollectWorld } from '../collect/seed-collect.js';

/** The Organization-wide target of the collect world (seedCollectWorld), with `over` applied. */
export function collectTarget(endpoint: string, over: Partial<TargetOptions> = {}): TargetOptions {
  return {
    selection: { mode: 'org' },
    exclude: [],
    roleName: 'ForensightCollector',
    regions: ['us-east-1', 'eu-west-1'],
    endpoint,
    homeRegion: 'us-east-1',
    concurrency: 8,
    maxAttempts: 2,
    ...over,
  };
}

export interface EmulatorCollection {
  result: CollectResult;
  /** Every AWS call the collection made, in the order they completed. */
  calls: RecordedCall[];
}

/**
 * Collects `incident` from the collect world at `endpoint` into `outDir`: every source, the seeded artifact's
 * hash as baseline; `extra` adds or overrides collect options (window, progress listener, events copy...).
 */
export async function collectOnEmulator(
  endpoint: string,
  world: CollectWorld,
  run: { incident: string; sessionLabel: string; outDir: string } & Partial<Omit<CollectOptions, 'incident' | 'outDir' | 'target' | 'sessionName'>>,
): Promise<EmulatorCollection> {
  const { incident, sessionLabel, outDir, ...extra } = run;
  const target = collectTarget(endpoint);
  const factory = new ClientFactory({ endpoint, maxAttempts: target.maxAttempts, captureRawResponses: true });
  const sessionName = sessionNameFor('collect', sessionLabel);
  const session = await openSession(target, sessionName, factory);
  const result = await runCollection(session, {
    incident,
    window: world.window,
    sources: [...SOURCE_NAMES],
    filter: {},
    outDir,
    target,
    sessionName,
    baseline: { file: 'baseline.txt', entries: parseBaseline(`${world.artifactV1Sha}  ${world.artifactUri}\n`, 'baseline.txt') },
    ...extra,
  });
  return { result, calls: [...factory.recorder.calls] };
}
