// Hostile CloudTrail records through everything analyze runs: normalising, correlation, every rule, the actors
// table, and a whole bundle through analyzeBundle with its JSON and HTML outputs. The records are generated, not
// listed: for each rule module, the event sources and event names its source text mentions are combined into
// records whose request and response fields (the keys the module reads, and others) hold values of the wrong type,
// out-of-range numbers and dates, huge or deeply nested values, prototype keys and markup. None of it may throw,
// hang, pollute Object.prototype, or produce findings.json that fails the shipped schema.
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { rng } from '../../bench/reports.js';
import { ActorIndex } from '../../src/analysis/actors.js';
import { Correlator } from '../../src/analysis/correlate.js';
import { runRules } from '../../src/analysis/engine.js';
import { compareEvents, type TimelineEvent } from '../../src/analysis/event.js';
import { fromCloudTrail } from '../../src/analysis/normalize.js';
import { analyzeBundle } from '../../src/analysis/run.js';
import type { CloudTrailRecord } from '../../src/collect/parsers/cloudtrail.js';
import { trailFile, writeBundle } from '../support/analysis-bundle.js';
import { cleanupTempDirs, ruleCtx, tempDir } from './helpers.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const RULES_DIR = new URL('../../src/analysis/rules/', import.meta.url);
const RECORDS_PER_PAIR = 2;
const MAX_PAIRS_PER_MODULE = 150;
const MIN_PAIRS = 20;

type Random = () => number;
const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** Values a record can carry after JSON.parse that the code reading it may not expect (`heavy`: also very large ones). */
function hostileValue(r: Random, keys: readonly string[], heavy: boolean): unknown {
  const large: (() => unknown)[] = [
    () => 'x'.repeat(200_000),
    () => Array.from({ length: 5_000 }, (_, i) => ({ key: `k${i}`, accountId: String(i) })),
  ];
  const choices: (() => unknown)[] = [
    ...(heavy ? large : []),
    () => null,
    () => true,
    () => 0,
    () => -1,
    () => 1e308,
    () => -1e308,
    () => 2 ** 53 + 1,
    () => 0.5,
    () => '',
    () => ' ',
    () => '*',
    () => '<script>alert(1)</script><img src=x onerror=alert(2)>',
    () => '\u001b[2J\u001b]0;owned\u0007\r\u0000\u202e',
    () => '__proto__',
    () => '../../../../etc/passwd',
    () => '9999-99-99T99:99:99Z',
    () => '+275760-09-13T00:00:01.000Z',
    () => 'Jun 99, 2024, 12:00:00 AM',
    () => 'arn:aws:iam::*:root',
    () => '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
    () => '{"Statement":{"Effect":"Allow","Principal":{"AWS":["*",null,7]},"Condition":[]}}',
    () => '{"Version":"2012-10-17","Statement":"not a list"',
    () => JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}') as unknown,
    () => [],
    () => [null, 1, 'a', {}, []],
    () => ({}),
    () => Object.fromEntries(keys.slice(0, 8).map((k) => [k, pick(r, [null, 7, 'v', [], {}])])),
    () => nested(2_000),
  ];
  return pick(r, choices)();
}

function hostileObject(r: Random, keys: readonly string[], heavy: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = Math.floor(r() * 8);
  for (let i = 0; i < n; i++) out[pick(r, keys)] = hostileValue(r, keys, heavy);
  return out;
}

const IDENTITIES: readonly unknown[] = [
  { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', userName: 'alice' },
  {
    type: 'AssumedRole',
    arn: 'arn:aws:sts::111122223333:assumed-role/r/s',
    accessKeyId: 'ASIAEXAMPLE',
    sessionContext: { sessionIssuer: { arn: 7, userName: ['x'] }, attributes: { mfaAuthenticated: 'maybe', creationDate: 'never' } },
  },
  { type: 'Root', arn: 'arn:aws:iam::111122223333:root', accountId: 111122223333 },
  { type: 'AWSService', invokedBy: { evil: true } },
  { type: 'FederatedUser', principalId: null, arn: '\u001b[31mred' },
  'not an object',
  null,
  [],
  {},
];

const TIMES = ['2026-11-02T10:00:00Z', '2026-11-02T10:00:01.5Z', '2026-11-02T10:59:59Z', '2026-11-03T00:00:00Z', 'yesterday', 1_762_077_600, null];

interface ModuleVocabulary {
  module: string;
  services: string[];
  actions: string[];
  keys: string[];
}

function uniq(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort();
}

/** The event sources, event names and field names a rule module's source mentions. */
function vocabulary(module: string): ModuleVocabulary {
  const text = readFileSync(new URL(module, RULES_DIR), 'utf8');
  const services = uniq([...text.matchAll(/'([a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com)'/g)].map((m) => m[1]!));
  const actions = uniq([...text.matchAll(/'([A-Z][A-Za-z0-9]{2,})'/g)].map((m) => m[1]!));
  const keys = uniq([...text.matchAll(/\.([a-z][A-Za-z0-9]{1,40})\b/g), ...text.matchAll(/'([a-z][A-Za-z0-9]{1,40})'/g)].map((m) => m[1]!));
  return { module, services: services.length ? services : ['s3.amazonaws.com'], actions: actions.length ? actions : ['GetObject'], keys };
}

const MODULES = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith('.ts') && !['index.ts', 'types.ts', 'docs.ts'].includes(f))
  .map(vocabulary);

function recordsFor(v: ModuleVocabulary, seed: number, maxPairs = MAX_PAIRS_PER_MODULE, heavy = true): CloudTrailRecord[] {
  const r = rng(seed);
  const pairs = v.services.flatMap((s) => v.actions.map((a) => [s, a] as const));
  // Every pair when there are few (at least MIN_PAIRS records' worth, cycling), else a sample.
  const chosen =
    pairs.length > maxPairs
      ? Array.from({ length: maxPairs }, () => pick(r, pairs))
      : Array.from({ length: Math.max(pairs.length, Math.min(MIN_PAIRS, maxPairs)) }, (_, i) => pairs[i % pairs.length]!);
  const keys = v.keys.length ? v.keys : ['bucketName', 'key'];
  return chosen.flatMap(([eventSource, eventName], i) =>
    Array.from({ length: RECORDS_PER_PAIR }, (_, j) => {
      const record: Record<string, unknown> = {
        eventVersion: '1.09',
        eventTime: pick(r, TIMES),
        eventSource,
        eventName,
        awsRegion: pick(r, ['us-east-1', 'eu-west-1', '', 7, '../x']),
        sourceIPAddress: pick(r, ['203.0.113.7', '10.0.0.1', 'bedrock.amazonaws.com', '999.1.1.1', '::ffff:1.2.3.4', 'AWS Internal', null]),
        userAgent: pick(r, ['aws-cli/2', '\u001b]8;;http://evil\u0007link', 'x'.repeat(10_000)]),
        userIdentity: pick(r, IDENTITIES),
        requestID: pick(r, [`req-${i}-${j}`, '', null, 42, `req-${i}`]),
        eventID: `ev-${seed}-${i}-${j}`,
        recipientAccountId: pick(r, ['111122223333', '444455556666', null]),
        requestParameters: r() < 0.1 ? hostileValue(r, keys, heavy) : hostileObject(r, keys, heavy),
        responseElements: r() < 0.1 ? hostileValue(r, keys, heavy) : hostileObject(r, keys, heavy),
        additionalEventData: hostileObject(r, keys, heavy),
        resources:
          r() < 0.5 ? [{ ARN: pick(r, ['arn:aws:s3:::b/k', 7, null]), type: pick(r, ['AWS::S3::Object', null]) }] : hostileValue(r, keys, heavy),
      };
      if (r() < 0.3) record.errorCode = pick(r, ['AccessDenied', 'Client.UnauthorizedOperation', '', 5]);
      if (r() < 0.1) record.errorMessage = hostileValue(r, keys, heavy);
      return record;
    }),
  );
}

function normalise(records: CloudTrailRecord[], path: string): { events: TimelineEvent[]; unreadable: number } {
  const events: TimelineEvent[] = [];
  let unreadable = 0;
  records.forEach((record, i) => {
    const n = fromCloudTrail(record, { ref: { path, record: i }, account: '111122223333', region: 'us-east-1' });
    if (n.ok) events.push(n.event);
    else unreadable++;
  });
  return { events, unreadable };
}

function describeRecord(record: CloudTrailRecord): string {
  return JSON.stringify(record, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…` : v)).slice(0, 600);
}

/** Some of every module's records, a trail file per module, without the very large values (the pure path has them). */
function bundleFiles(): CloudTrailRecord[][] {
  return MODULES.map((v, i) => recordsFor(v, 5000 + i, 10, false));
}

afterAll(cleanupTempDirs);

describe('hostile records: no rule, the correlator or the actors table throws or pollutes prototypes', () => {
  it.each(MODULES.map((v, i) => [v.module, v, i] as const))('%s', (_name, v, i) => {
    const records = recordsFor(v, 1000 + i);
    const { events, unreadable } = normalise(records, `evidence/${v.module}.json`);
    // Generated times include unreadable ones: the reader counts them, and the rest are analysed.
    expect(events.length + unreadable).toBe(records.length);
    expect(events.length).toBeGreaterThan(0);
    const correlator = new Correlator();
    const merged = [...events.sort(compareEvents).flatMap((e) => correlator.push(e)), ...correlator.flush()];
    for (const ctx of [ruleCtx(), ruleCtx({ baseline: { start: '2026-11-01T00:00:00.000Z', end: '2026-11-02T10:00:00.500Z' } })]) {
      try {
        const run = runRules(merged, ctx);
        const actors = new ActorIndex({ hasBaseline: ctx.baseline !== null, window: ctx.window });
        for (const e of merged) actors.add(e);
        actors.summaries(run.findings);
        for (const f of run.findings) {
          expect(typeof f.title).toBe('string');
          expect(f.events.length + f.evidence.length).toBeGreaterThan(0);
          expect(f.eventCount).toBeGreaterThanOrEqual(f.events.length);
        }
      } catch (error) {
        const culprit = records.find((rec) => {
          try {
            runRules(normalise([rec], 'x').events, ctx);
            return false;
          } catch {
            return true;
          }
        });
        throw new Error(
          `${v.module}: ${(error as Error).message}\nfirst record that throws alone: ${culprit ? describeRecord(culprit) : 'none alone'}`,
          {
            cause: error,
          },
        );
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('a bundle of hostile records through analyzeBundle', () => {
  it('reads or counts every record, writes findings.json of linear size that validates against the shipped schema, and HTML with no live markup from the records', async () => {
    const files = bundleFiles();
    const bundleDir = await writeBundle(await tempDir('hostile-bundle'), {
      files: files.map((records, i) =>
        trailFile(`evidence/123456789012/us-east-1/cloudtrail/s3/trail/AWSLogs/hostile-${i}.json.gz`, records, [
          'trail',
          `AWSLogs/hostile-${i}.json.gz`,
        ]),
      ),
      header: { window: { start: '2026-11-02T00:00:00.000Z', end: '2026-11-04T00:00:00.000Z' } },
    });
    const result = await analyzeBundle({ bundleDir, outDir: join(await tempDir('hostile-out'), 'a'), formats: ['json', 'html'] });
    // Every record is read or counted as a problem naming its file; none is silently lost.
    expect(result.analysis.stats.records + result.analysis.stats.problems).toBe(files.flat().length);
    expect(result.analysis.stats.eventsInWindow).toBeGreaterThan(0);
    const schema = JSON.parse(readFileSync(new URL('../../src/model/schemas/findings.schema.json', import.meta.url), 'utf8')) as object;
    const validate = addFormats(new Ajv({ allErrors: true, strict: false })).compile(schema);
    const findingsText = await readFile(join(result.outDir, 'findings.json'), 'utf8');
    // Indenting nesting thousands of levels deep would make megabytes of spaces per record: the output stays linear.
    expect(findingsText.length).toBeLessThan(4 * JSON.stringify(files).length);
    const findings = JSON.parse(findingsText) as unknown;
    expect(validate(findings), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    const html = await readFile(join(result.outDir, 'incident-report.html'), 'utf8');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toMatch(/\u001b/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
