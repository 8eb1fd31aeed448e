// A tiny sort budget (every few events spilled, a 16 KiB read-ahead) must not change the analysis: the same
// timeline.jsonl byte for byte (same order, same merged events) and the same findings, actors and counts as a run
// that sorts in memory. The bundle is the benchmark's: S3 GETs seen by CloudTrail and the access log (merged),
// management calls and Bedrock invocations, with a leaked key among 40 applications.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateAnalyzeBundle } from '../../bench/analyze.js';
import { analyzeBundle, type AnalyzeResult } from '../../src/analysis/run.js';
import { TimelineSorter } from '../../src/analysis/sorter.js';
import { cleanupTempDirs, tempDir } from './helpers.js';

afterAll(cleanupTempDirs);

const NOW = new Date('2026-12-01T00:00:00Z');
let roomy: AnalyzeResult;
let tiny: AnalyzeResult;
const spills = { roomy: 0, tiny: 0 };

beforeAll(async () => {
  const dir = await tempDir('sort-budget');
  const { bundleDir } = await generateAnalyzeBundle(dir, 6000);
  const spill = vi.spyOn(TimelineSorter.prototype, 'spill');
  roomy = await analyzeBundle({ bundleDir, outDir: join(dir, 'roomy'), formats: ['json'], now: NOW });
  spills.roomy = spill.mock.calls.length;
  tiny = await analyzeBundle({ bundleDir, outDir: join(dir, 'tiny'), formats: ['json'], now: NOW, sortLimits: { runBytes: 20_000 } });
  spills.tiny = spill.mock.calls.length - spills.roomy;
  spill.mockRestore();
}, 120_000);

describe('analysis with a tiny sort budget', () => {
  it('the tiny budget spilled hundreds of runs; the default one sorted in memory', () => {
    expect(tiny.analysis.stats.records).toBe(6000);
    expect(spills.roomy).toBe(0);
    expect(spills.tiny).toBeGreaterThan(100);
  });

  it('writes the same timeline, byte for byte', async () => {
    const [a, b] = await Promise.all([readFile(join(roomy.outDir, 'timeline.jsonl')), readFile(join(tiny.outDir, 'timeline.jsonl'))]);
    expect(a.length).toBeGreaterThan(0);
    expect(b.equals(a)).toBe(true);
  });

  it('finds the same findings, actors and counts', () => {
    const strip = (r: AnalyzeResult) => ({ ...r.analysis, derivedFrom: { ...r.analysis.derivedFrom, path: '' } });
    expect(roomy.analysis.findings.length).toBeGreaterThan(0);
    expect(roomy.analysis.stats.merged).toBeGreaterThan(0);
    expect(strip(tiny)).toEqual(strip(roomy));
  });
});
