// A collection that cannot finish still seals: a hung call becomes a gap, SIGINT and --deadline stop new
// work, and what was collected is sealed and marked incomplete (on moto, behind the stalling proxy).
import { EventEmitter } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';
import { sessionNameFor } from '../../src/aws/credentials.js';
import { openSession, type TargetOptions } from '../../src/aws/session.js';
import { collectAction, EXIT_INTERRUPTED } from '../../src/cli/collect.js';
import { runCollection } from '../../src/collect/collector.js';
import type { Manifest } from '../../src/collect/manifest.js';
import { verifyBundle } from '../../src/collect/verify.js';
import { useEmulator } from '../support/emulator.js';
import { cleanupTempDirs, tempDir } from './helpers.js';
import { memoryIo } from '../support/cli.js';

afterAll(cleanupTempDirs);

const env = useEmulator();
const WINDOW = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-02T00:00:00Z') };

function target(): TargetOptions {
  return {
    selection: { mode: 'self' },
    exclude: [],
    regions: ['us-east-1'],
    endpoint: env.url,
    homeRegion: 'us-east-1',
    concurrency: 4,
    maxAttempts: 1,
  };
}

async function onlyBundle(out: string): Promise<{ dir: string; manifest: Manifest; custody: string }> {
  const [name] = await readdir(out);
  const dir = join(out, name!);
  return {
    dir,
    manifest: JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest,
    custody: await readFile(join(dir, 'custody.jsonl'), 'utf8'),
  };
}

describe('collect always seals', () => {
  it('a call that never answers times out into a gap; the rest is collected and sealed', async () => {
    env.proxy.addRule({ match: { service: 'sagemaker', action: 'ListEndpoints' }, stall: 'no-response' });
    const factory = new ClientFactory({ endpoint: env.url, maxAttempts: 1, requestTimeoutMs: 5000, captureRawResponses: true });
    const session = await openSession(target(), sessionNameFor('collect', 'INC-T'), factory);
    const result = await runCollection(session, {
      incident: 'INC-T',
      window: WINDOW,
      sources: ['sagemaker'],
      filter: {},
      outDir: await tempDir('timeout'),
      target: target(),
      sessionName: 'forensight-collect-INC-T',
    });
    expect(result.incomplete).toBeNull();
    expect(result.manifest.gaps.some((g) => g.source === 'sagemaker' && g.target === 'endpoints')).toBe(true);
    // The other SageMaker lists were still read.
    expect(result.manifest.items.some((i) => i.origin.kind === 'api' && i.origin.action === 'ListTrainingJobs')).toBe(true);
    expect((await verifyBundle(result.bundleDir)).ok).toBe(true);
  });

  it('SIGINT records the interruption in custody, seals what was collected as incomplete, exit 130', async () => {
    env.proxy.addRule({ match: { service: 'sagemaker', action: 'ListEndpoints' }, stall: 'no-response' });
    const interrupts = new EventEmitter();
    const out = await tempDir('sigint');
    // Interrupt once this run's hung call is in flight.
    const seen = env.proxy.requests.length;
    const watcher = setInterval(() => {
      if (
        interrupts.listenerCount('SIGINT') > 0 &&
        env.proxy.requests.slice(seen).some((r) => r.service === 'sagemaker' && r.action === 'ListEndpoints')
      ) {
        clearInterval(watcher);
        interrupts.emit('SIGINT');
      }
    }, 20);
    const { io, out: stdout, err } = memoryIo();
    const factory = new ClientFactory({ endpoint: env.url, maxAttempts: 1, requestTimeoutMs: 20_000, captureRawResponses: true });
    const code = await collectAction(
      {
        incident: 'INC-INT',
        start: WINDOW.start.toISOString(),
        end: WINDOW.end.toISOString(),
        endpointUrl: env.url,
        regions: 'us-east-1',
        sources: 'sagemaker,cloudtrail',
        out,
      },
      io,
      { factory, interrupts },
    );
    clearInterval(watcher);
    expect(code).toBe(EXIT_INTERRUPTED);
    const { dir, manifest, custody } = await onlyBundle(out);
    expect(manifest.incomplete).toEqual({ reason: 'interrupted by SIGINT' });
    expect(custody).toMatch(/"action":"collection-interrupted"/);
    expect(custody).toMatch(/"action":"bundle-sealed".*"incomplete":"interrupted by SIGINT"/);
    // The phases that never started say so; the bundle that was sealed verifies.
    expect(manifest.gaps.some((g) => g.target === 'CloudTrail' && /Not collected: interrupted by SIGINT/.test(g.reason))).toBe(true);
    expect((await verifyBundle(dir)).ok).toBe(true);
    expect(stdout.join('')).toMatch(/INCOMPLETE: interrupted by SIGINT/);
    expect(err.join('')).toMatch(/manifest.json sha256 [0-9a-f]{64} \(INCOMPLETE/);
  });

  it('--deadline stops new work and seals as incomplete', async () => {
    env.proxy.addRule({ match: { service: 'sagemaker', action: 'ListEndpoints' }, stall: 'no-response' });
    const out = await tempDir('deadline');
    const factory = new ClientFactory({ endpoint: env.url, maxAttempts: 1, requestTimeoutMs: 20_000, captureRawResponses: true });
    const code = await collectAction(
      {
        incident: 'INC-DL',
        start: WINDOW.start.toISOString(),
        end: WINDOW.end.toISOString(),
        endpointUrl: env.url,
        regions: 'us-east-1',
        sources: 'sagemaker,cloudtrail',
        out,
        deadline: '1s',
      },
      memoryIo().io,
      { factory, interrupts: new EventEmitter() },
    );
    expect(code).toBe(0);
    const { dir, manifest } = await onlyBundle(out);
    expect(manifest.incomplete?.reason).toMatch(/the --deadline was reached/);
    expect(manifest.gaps.some((g) => g.source === 'sagemaker' && /stopped while waiting/.test(g.reason))).toBe(true);
    expect((await verifyBundle(dir)).ok).toBe(true);
  });
});
