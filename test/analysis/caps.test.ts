// Every bounded list of findings.json says how much it left out: one table per cap, with the list at cap - 1, at
// the cap and at cap + 5 entries, asserting the list length and the omitted count beside it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTOR_CAPS, ActorIndex, type ActorSummary } from '../../src/analysis/actors.js';
import { runRules } from '../../src/analysis/engine.js';
import type { TimelineEvent } from '../../src/analysis/event.js';
import { bedrockNewInvoker } from '../../src/analysis/rules/bedrock-new-invoker.js';
import { invocationSecrets } from '../../src/analysis/rules/invocation-secrets.js';
import { invocationTokenAbuse } from '../../src/analysis/rules/invocation-token-abuse.js';
import { defineRule, MAX_FINDING_EVENTS, MAX_FINDING_EVIDENCE, MAX_FINDING_KEYS, type Finding, type Rule } from '../../src/analysis/rules/index.js';
import { secretsBulkRetrieval } from '../../src/analysis/rules/secrets-bulk-retrieval.js';
import { EventSample, EvidenceSet, finding, mergeEvidence } from '../../src/analysis/rules/support.js';
import { analyzeBundle, findingEvents, MAX_ACTORS_OUT, MAX_FINDING_EVENTS_OUT, MAX_PROBLEMS } from '../../src/analysis/run.js';
import { trailFile, writeBundle } from '../support/analysis-bundle.js';
import { cleanupTempDirs, ruleCtx, tempDir, testEvent } from './helpers.js';
import { at, ct, inv } from './rules/builders.js';

afterAll(cleanupTempDirs);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const sizes = (cap: number): [number, number][] => [
  [cap - 1, 0],
  [cap, 0],
  [cap + 5, 5],
];

// ---- actor lists --------------------------------------------------------------------------------------------

const KEY = 'AKIALEAKED0000000001';
const SESSION = 'arn:aws:sts::111122223333:assumed-role/Trainer/i-0abc';
let n = 0;
const ev = (over: Partial<TimelineEvent>): TimelineEvent => {
  n++;
  const ref = { path: 'evidence/t.json', record: n };
  return testEvent({
    time: new Date(Date.UTC(2026, 10, 1, 10, 0, 0, n)).toISOString(),
    evidenceRef: ref,
    evidence: [ref],
    account: '111122223333',
    region: 'us-east-1',
    actorKey: KEY,
    accessKeyId: KEY,
    principal: 'arn:aws:iam::111122223333:user/dev',
    sourceIp: '198.51.100.23',
    ...over,
  });
};
const summary = (events: TimelineEvent[]): ActorSummary => {
  const ix = new ActorIndex({ hasBaseline: false });
  for (const e of events) ix.add(e);
  return ix.summaries().find((a) => a.key === KEY || a.key === SESSION)!;
};

/** Per list: events giving the actor `count` distinct entries, and the list with its omitted count. */
const ACTOR_LISTS: { list: string; cap: number; events: (count: number) => TimelineEvent[]; read: (a: ActorSummary) => [number, number] }[] = [
  {
    list: 'actions',
    cap: ACTOR_CAPS.actions,
    events: (c) => Array.from({ length: c }, (_, i) => ev({ action: `Describe${i}` })),
    read: (a) => [a.actions.length, a.actionsOmitted],
  },
  {
    list: 'changed',
    cap: ACTOR_CAPS.changed,
    events: (c) => Array.from({ length: c }, (_, i) => ev({ action: 'CreateThing', target: `thing-${i}` })),
    read: (a) => [a.changed.length, a.changedOmitted],
  },
  {
    list: 'sourceIps',
    cap: ACTOR_CAPS.sourceIps,
    events: (c) => Array.from({ length: c }, (_, i) => ev({ sourceIp: `198.51.100.${i + 1}` })),
    read: (a) => [a.sourceIps.length, a.sourceIpsOmitted],
  },
  {
    list: 'userAgents',
    cap: ACTOR_CAPS.userAgents,
    events: (c) => Array.from({ length: c }, (_, i) => ev({ userAgent: `agent/${i}` })),
    read: (a) => [a.userAgents.length, a.userAgentsOmitted],
  },
  {
    list: 'accessKeyIds',
    cap: ACTOR_CAPS.accessKeyIds,
    events: (c) =>
      Array.from({ length: c }, (_, i) => ev({ actorKey: SESSION, principal: SESSION, accessKeyId: `ASIATEMP${String(i).padStart(12, '0')}` })),
    read: (a) => [a.accessKeyIds.length, a.accessKeyIdsOmitted],
  },
  {
    list: 'accounts',
    cap: ACTOR_CAPS.accounts,
    events: (c) => Array.from({ length: c }, (_, i) => ev({ account: String(100000000000 + i) })),
    read: (a) => [a.accounts.length, a.accountsOmitted],
  },
  {
    list: 'regions',
    cap: ACTOR_CAPS.regions,
    events: (c) => Array.from({ length: c }, (_, i) => ev({ region: `region-${i}` })),
    read: (a) => [a.regions.length, a.regionsOmitted],
  },
  {
    list: 'read.buckets',
    cap: ACTOR_CAPS.buckets,
    events: (c) => Array.from({ length: c }, (_, i) => ev({ action: 'GetObject', target: `s3://bucket-${i}/k`, bytesOut: 1 })),
    read: (a) => [a.read.buckets.length, a.read.bucketsOmitted],
  },
  {
    list: 'written.buckets',
    cap: ACTOR_CAPS.buckets,
    events: (c) => Array.from({ length: c }, (_, i) => ev({ action: 'PutObject', target: `s3://bucket-${i}/k`, bytesIn: 1 })),
    read: (a) => [a.written.buckets.length, a.written.bucketsOmitted],
  },
  {
    list: 'network.interfaces',
    cap: ACTOR_CAPS.interfaces,
    events: (c) => [
      ev({}),
      ...Array.from({ length: c }, (_, i) =>
        ev({ source: 'flow-log', actorKey: '198.51.100.23', accessKeyId: null, principal: null, detail: { interfaceId: `eni-${i}` } }),
      ),
    ],
    read: (a) => [a.network!.interfaces.length, a.network!.interfacesOmitted],
  },
];

describe('actor lists', () => {
  it('the table covers every actor cap', () => {
    expect(new Set(ACTOR_LISTS.map((l) => l.cap))).toEqual(new Set(Object.values(ACTOR_CAPS)));
  });
  const rows = ACTOR_LISTS.flatMap((l) => sizes(l.cap).map(([count, omitted]) => [`${l.list}: ${count} distinct`, l, count, omitted] as const));
  it.each(rows)('%s', (_n, l, count, omitted) => {
    expect(l.read(summary(l.events(count)))).toEqual([Math.min(count, l.cap), omitted]);
  });
});

// ---- a finding's lists --------------------------------------------------------------------------------------

const gets = (count: number, identity?: (i: number) => Record<string, unknown>) =>
  Array.from({ length: count }, (_, i) =>
    ct({
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'GetSecretValue',
      requestParameters: { secretId: `s-${i}` },
      eventTime: at(i / 100),
      ...(identity ? { userIdentity: identity(i) } : {}),
    }),
  );
const role = (i: number) => ({
  type: 'AssumedRole',
  arn: 'arn:aws:sts::111122223333:assumed-role/app/s',
  accountId: '111122223333',
  accessKeyId: `ASIAAPP${String(i).padStart(13, '0')}`,
  sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/app' } },
});
/** Invocations carrying a secret, each seen by a second record (its CloudTrail twin) that becomes extra evidence. */
const twinned = (count: number) =>
  Array.from({ length: count }, (_, i) => {
    const e = inv({ input: { inputBodyJson: { prompt: `my key AKIAZ7VQ2TESTKEY${String(i).padStart(4, '0')}` } } });
    return { ...e, evidence: [e.evidenceRef, { path: 'evidence/ct.json', record: 1000 + i }] };
  });

const FINDING_LISTS = [
  {
    list: 'events',
    cap: MAX_FINDING_EVENTS,
    run: (c: number) => runRules(gets(c), ruleCtx(), {}, [secretsBulkRetrieval]).findings[0]!,
    read: (f: { events: unknown[]; eventsOmitted?: number }) => [f.events.length, f.eventsOmitted],
  },
  {
    list: 'accessKeyIds',
    cap: MAX_FINDING_KEYS,
    run: (c: number) => runRules(gets(c, role), ruleCtx(), {}, [secretsBulkRetrieval]).findings[0]!,
    read: (f: { accessKeyIds: unknown[]; accessKeyIdsOmitted?: number }) => [f.accessKeyIds.length, f.accessKeyIdsOmitted],
  },
  {
    list: 'evidence',
    cap: MAX_FINDING_EVIDENCE,
    run: (c: number) => runRules(twinned(c), ruleCtx(), {}, [invocationSecrets]).findings[0]!,
    read: (f: { evidence: unknown[]; evidenceOmitted?: number }) => [f.evidence.length, f.evidenceOmitted],
  },
  {
    // Every record cited twice (by two invocations): one piece of evidence each, counted once.
    list: 'evidence cited twice',
    cap: MAX_FINDING_EVIDENCE,
    run: (c: number) => runRules([...twinned(c), ...twinned(c)], ruleCtx(), {}, [invocationSecrets]).findings[0]!,
    read: (f: { evidence: unknown[]; evidenceOmitted?: number }) => [f.evidence.length, f.evidenceOmitted],
  },
] as const;

describe("a finding's lists", () => {
  const rows = FINDING_LISTS.flatMap((l) => sizes(l.cap).map(([count, omitted]) => [`${l.list}: ${count}`, l, count, omitted] as const));
  it.each(rows)('%s', (_n, l, count, omitted) => {
    const f = l.run(count);
    expect(l.read(f as never)).toEqual([Math.min(count, l.cap), omitted]);
  });
});

// ---- merged findings: two findings of one step count what they left out together -----------------------------

/** Request i of one actor, with its own access key and record. */
const request = (i: number): TimelineEvent =>
  testEvent({
    time: new Date(Date.UTC(2026, 10, 1, 10, 0, i)).toISOString(),
    evidenceRef: { path: 'evidence/merge.json', record: i },
    evidence: [{ path: 'evidence/merge.json', record: i }],
    actorKey: 'arn:aws:sts::111122223333:assumed-role/app/s',
    accessKeyId: `ASIAMERGE${String(i).padStart(11, '0')}`,
  });
/** A rule with `real`'s id (so rules/overlaps.ts merges it) whose one finding holds requests [from, to). */
const holding = (real: Rule, [from, to]: [number, number]): Rule =>
  defineRule({
    meta: real.meta,
    create: () => {
      const sample = new EventSample();
      return {
        event: (e) => void ((e.evidenceRef.record ?? -1) >= from && (e.evidenceRef.record ?? -1) < to && sample.add(e)),
        finish: () => ({ findings: [finding(real.meta, sample, 'held')], notAssessed: null }),
      };
    },
  });

describe('merged findings', () => {
  // bedrock-new-invoker absorbs invocation-token-abuse of the same actor; each request has its own key.
  it.each([
    ['disjoint, under both caps', [0, 10], [10, 20], 20, 0, 20, 0],
    ['disjoint keys over the key cap together', [0, 15], [15, 30], 20, 10, 30, 0],
    ['disjoint keys each over the key cap', [0, 25], [25, 50], 20, 30, 50, 0],
    ['disjoint events each over the event cap', [0, 60], [60, 120], 20, 100, 120, 70],
    ['overlapping events over the event cap', [0, 60], [30, 90], 20, 70, 90, 40],
    ['the same events', [0, 60], [0, 60], 20, 40, 60, 10],
    ['one inside the other', [0, 200], [100, 150], 20, 180, 200, 150],
  ] as const)('%s', (_n, primary, absorbed, keys, keysOmitted, eventCount, eventsOmitted) => {
    const events = Array.from({ length: 200 }, (_, i) => request(i));
    const run = runRules(events, ruleCtx(), {}, [holding(bedrockNewInvoker, [...primary]), holding(invocationTokenAbuse, [...absorbed])]);
    expect(run.findings).toHaveLength(1);
    const f = run.findings[0]!;
    expect(f.mergedFrom).toEqual(['invocation-token-abuse']);
    expect([f.accessKeyIds.length, f.accessKeyIdsOmitted, f.eventCount, f.events.length, f.eventsOmitted]).toEqual([
      keys,
      keysOmitted,
      eventCount,
      Math.min(eventCount, MAX_FINDING_EVENTS),
      eventsOmitted,
    ]);
    expect(new Set(f.events.map((e) => e.ref.record)).size).toBe(f.events.length);
    expect(Object.keys(f)).not.toContain('tally');
  });
});

/** A rule with `real`'s id whose one finding cites evidence records [from, to) (besides the events it holds). */
const citing = (real: Rule, [from, to]: [number, number], over: Partial<Finding> = {}): Rule =>
  defineRule({
    meta: real.meta,
    create: () => {
      const sample = new EventSample();
      return {
        event: (e) => void ((e.evidenceRef.record ?? -1) === 0 && sample.add(e)),
        finish: () => {
          const set = new EvidenceSet().addAll(
            Array.from({ length: to - from }, (_, i) => ({ path: 'evidence/invocations.json', record: from + i })),
          );
          const { more, atLeast: _a, ...evidence } = mergeEvidence([], set);
          const f = finding(real.meta, sample, 'cites', evidence);
          return { findings: [{ ...f, ...evidence, tally: { ...f.tally!, moreEvidence: more }, ...over }], notAssessed: null };
        },
      };
    },
  });

describe('merged findings: evidence', () => {
  const cap = MAX_FINDING_EVIDENCE;
  // Both findings of one step (same actor) cite records of the invocation log; a record both cite is one record.
  it.each([
    ['disjoint, together at cap - 1', [0, 20], [20, cap - 1], cap - 1, 0],
    ['disjoint, together at the cap', [0, 20], [20, cap], cap, 0],
    ['disjoint, together at cap + 5', [0, 30], [30, cap + 5], cap, 5],
    ['shared records, union at the cap', [0, 40], [10, cap], cap, 0],
    ['shared records, union at cap + 5', [0, 40], [10, cap + 5], cap, 5],
    ['both over the cap, half shared', [0, 60], [30, 90], cap, 40],
    ['the same records over the cap', [0, cap + 5], [0, cap + 5], cap, 5],
  ] as const)('%s', (_n, primary, absorbed, listed, omitted) => {
    const run = runRules([request(0)], ruleCtx(), {}, [citing(bedrockNewInvoker, [...primary]), citing(invocationTokenAbuse, [...absorbed])]);
    expect(run.findings).toHaveLength(1);
    const f = run.findings[0]!;
    expect([f.evidence.length, f.evidenceOmitted, f.lowerBounds]).toEqual([listed, omitted, undefined]);
    expect(new Set(f.evidence.map((r) => r.record)).size).toBe(f.evidence.length);
  });

  it('a side that counted records it does not know makes the merged count a lower bound', () => {
    // 50 listed and 10 more counted, but the records behind the 10 are not known (no tally): at least 10 + 5.
    const blind = citing(invocationTokenAbuse, [0, cap], { evidenceOmitted: 10 });
    const run = runRules([request(0)], ruleCtx(), {}, [citing(bedrockNewInvoker, [cap, cap + 5]), blind]);
    const f = run.findings[0]!;
    expect([f.evidence.length, f.evidenceOmitted, f.lowerBounds]).toEqual([cap, 10, ['evidenceOmitted']]);
  });

  it('a side whose event count is more than it remembered makes the merged event count a lower bound', () => {
    const events = Array.from({ length: 60 }, (_, i) => request(i));
    const inflated = defineRule({
      meta: invocationTokenAbuse.meta,
      create: () => {
        const sample = new EventSample();
        return {
          event: (e) => void sample.add(e),
          finish: () => ({ findings: [{ ...finding(invocationTokenAbuse.meta, sample, 'held'), eventCount: 70 }], notAssessed: null }),
        };
      },
    });
    const f = runRules(events, ruleCtx(), {}, [holding(bedrockNewInvoker, [0, 10]), inflated]).findings[0]!;
    expect([f.eventCount, f.eventsOmitted, f.lowerBounds]).toEqual([70, 20, ['eventCount']]);
  });
});

// ---- findings.json: the events the findings cite --------------------------------------------------------------

describe('findings.json events', () => {
  const cited = (count: number) => {
    const events = Array.from({ length: count }, (_, i) => request(i));
    return { findings: [{ events: events.map((e) => ({ ref: e.evidenceRef })) } as Pick<Finding, 'events'>], events };
  };
  it.each([
    [10, 9, 0],
    [10, 10, 0],
    [10, 15, 5],
    [MAX_FINDING_EVENTS_OUT, MAX_FINDING_EVENTS_OUT, 0],
    [MAX_FINDING_EVENTS_OUT, MAX_FINDING_EVENTS_OUT + 5, 5],
  ])('cap %i, %i cited events', (cap, count, omitted) => {
    const { findings, events } = cited(count);
    const uncited = request(count + 1);
    const out = cap === MAX_FINDING_EVENTS_OUT ? findingEvents(findings, [...events, uncited]) : findingEvents(findings, [...events, uncited], cap);
    expect([out.events.length, out.omitted]).toEqual([Math.min(count, cap), omitted]);
    expect(out.events).toEqual(events.slice(0, cap));
  });
});

// ---- findings.json: the actors and the unreadable records ---------------------------------------------------

const ACCOUNT = '123456789012';
const TRAIL = `evidence/${ACCOUNT}/us-east-1/cloudtrail/s3/trail/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/01/${ACCOUNT}_CloudTrail_us-east-1_20261101T1000Z_a.json.gz`;
const ACCESS = `evidence/${ACCOUNT}/global/s3-access-logs/logs/access-logs/training/2026-11-01-10-00-00-AAAA`;
const schema = JSON.parse(readFileSync(new URL('../../src/model/schemas/findings.schema.json', import.meta.url), 'utf8')) as object;

describe('findings.json', () => {
  it.each([
    [MAX_ACTORS_OUT - 1, MAX_PROBLEMS - 1, 0, 0],
    [MAX_ACTORS_OUT, MAX_PROBLEMS, 0, 0],
    [MAX_ACTORS_OUT + 5, MAX_PROBLEMS + 5, 5, 5],
  ])('%i actors and %i unreadable records', async (actors, broken, actorsOmitted, problemsOmitted) => {
    const records = Array.from({ length: actors }, (_, i) => ({
      eventVersion: '1.09',
      eventTime: '2026-11-01T10:00:00Z',
      eventSource: 'ec2.amazonaws.com',
      eventName: 'DescribeInstances',
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.23',
      eventID: `e-${i}`,
      userIdentity: {
        type: 'IAMUser',
        arn: `arn:aws:iam::${ACCOUNT}:user/u${i}`,
        accountId: ACCOUNT,
        accessKeyId: `AKIAUSER${String(i).padStart(12, '0')}`,
      },
      recipientAccountId: ACCOUNT,
    }));
    const bundleDir = await writeBundle(await tempDir('caps-bundle'), {
      files: [
        trailFile(TRAIL, records, ['trail', 'x.json.gz']),
        { path: ACCESS, body: 'not an access log line\n'.repeat(broken), source: 's3-access-logs', region: 'global', from: ['access-logs', 'k'] },
      ],
    });
    const { analysis } = await analyzeBundle({ bundleDir, outDir: join(await tempDir('caps-out'), 'a'), formats: ['json'] });
    expect([analysis.actors.length, analysis.actorsOmitted, analysis.stats.actors]).toEqual([
      Math.min(actors, MAX_ACTORS_OUT),
      actorsOmitted,
      actors,
    ]);
    expect([analysis.problems.length, analysis.problemsOmitted]).toEqual([Math.min(broken, MAX_PROBLEMS), problemsOmitted]);
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(JSON.stringify(analysis))), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });
});
