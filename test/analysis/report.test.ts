// The incident report and findings.json on a bundle with a baseline lookback and one S3 request seen in both
// CloudTrail and the access log: findings.json validates against the shipped schema, counts count requests, the
// report opens with the actors and the chart, then what to do, the narrative, findings by element, unknowns.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeBundle, type AnalyzeResult } from '../../src/analysis/run.js';
import { renderIncidentReport } from '../../reports/incident/html.js';
import { buildIncidentPdfDefinition } from '../../reports/incident/pdf.js';
import { responseActions, unknowns } from '../../reports/incident/story.js';
import { cleanupTempDirs, tempDir } from './helpers.js';
import { trailFile, writeBundle } from '../support/analysis-bundle.js';

afterAll(cleanupTempDirs);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ACCOUNT = '123456789012';
const KEY = 'AKIALEAKED0000000001';
const USER = `arn:aws:iam::${ACCOUNT}:user/leaked`;
const TRAIL = `evidence/${ACCOUNT}/us-east-1/cloudtrail/s3/trail/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/01/${ACCOUNT}_CloudTrail_us-east-1_20261101T1000Z_a.json.gz`;
const ACCESS = `evidence/${ACCOUNT}/global/s3-access-logs/logs/access-logs/training/2026-11-01-10-00-00-AAAA`;

const rec = (time: string, eventName: string, over: Record<string, unknown> = {}) => ({
  eventVersion: '1.09',
  eventTime: time,
  eventSource: 'cloudtrail.amazonaws.com',
  eventName,
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.23',
  eventID: `e-${time}-${eventName}`,
  userIdentity: { type: 'IAMUser', arn: USER, accountId: ACCOUNT, accessKeyId: KEY },
  recipientAccountId: ACCOUNT,
  ...over,
});

let result: AnalyzeResult;
let htmlText: string;

beforeAll(async () => {
  const records = [
    rec('2026-10-30T09:00:00Z', 'DescribeTrails', {
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ops`, accountId: ACCOUNT, accessKeyId: 'AKIAOPS0000000000001' },
      sourceIPAddress: '192.0.2.10',
    }),
    rec('2026-11-01T10:00:00Z', 'DescribeTrails', {
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ops`, accountId: ACCOUNT, accessKeyId: 'AKIAOPS0000000000001' },
      sourceIPAddress: '192.0.2.10',
    }),
    rec('2026-11-01T10:05:00Z', 'GetObject', {
      eventSource: 's3.amazonaws.com',
      requestID: 'REQ1',
      requestParameters: { bucketName: 'training', key: 'data/a.csv' },
      eventCategory: 'Data',
      readOnly: true,
    }),
    rec('2026-11-01T10:07:00Z', 'StopLogging', { requestParameters: { name: 'org-trail' } }),
  ];
  const bundleDir = await writeBundle(await tempDir('report-bundles'), {
    files: [
      trailFile(TRAIL, records, ['trail', 'x.json.gz']),
      {
        path: ACCESS,
        body: `79a5 training [01/Nov/2026:10:05:01 +0000] 198.51.100.23 ${USER} REQ1 REST.GET.OBJECT data/a.csv "GET /training/data/a.csv HTTP/1.1" 200 - 4096 4096 1 1 "-" "aws-cli/2" -\n`,
        source: 's3-access-logs',
        region: 'global',
        from: ['access-logs', 'training/2026-11-01-10-00-00-AAAA'],
      },
    ],
    gaps: [{ accountId: ACCOUNT, region: 'eu-west-1', source: 'bedrock', reason: 'AccessDenied on GetModelInvocationLoggingConfiguration' }],
    header: { baselineWindow: { start: '2026-10-25T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' } },
  });
  result = await analyzeBundle({ bundleDir, outDir: join(await tempDir('report-out'), 'a'), formats: ['json', 'html'] });
  htmlText = await readFile(join(result.outDir, 'incident-report.html'), 'utf8');
});

describe('findings.json v2 and the incident report', () => {
  it('validates against the shipped findings schema (schemaVersion 2)', async () => {
    const schema = JSON.parse(readFileSync(new URL('../../src/model/schemas/findings.schema.json', import.meta.url), 'utf8')) as object;
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
    const validate = ajv.compile(schema);
    const onDisk = JSON.parse(await readFile(join(result.outDir, 'findings.json'), 'utf8')) as unknown;
    expect(validate(onDisk), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    expect(validate({ ...(onDisk as object), schemaVersion: 1 })).toBe(false);
  });

  it('counts requests: the GET seen in CloudTrail and the access log is one event with both evidence refs', async () => {
    const a = result.analysis;
    expect(a.stats).toMatchObject({ records: 5, events: 4, merged: 1, baselineEvents: 1 });
    const timeline = (await readFile(join(result.outDir, 'timeline.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; evidence: { path: string }[]; bytesOut: number | null; phase: string });
    expect(timeline).toHaveLength(4);
    const get = timeline.find((e) => e.action === 'GetObject')!;
    expect(get.evidence.map((r) => r.path).sort()).toEqual([ACCESS, TRAIL].sort());
    expect(get.bytesOut).toBe(4096);
    expect(timeline[0]!.phase).toBe('baseline');
  });

  it('names the leaked key first, new against the baseline, the ops key as usual', () => {
    const [first, second] = result.analysis.actors;
    expect(first).toMatchObject({ key: KEY, kind: 'access-key', new: true, read: { objects: 1, bytes: 4096, buckets: ['training'] } });
    expect(first!.findings.length).toBeGreaterThan(0);
    expect(second).toMatchObject({ key: 'AKIAOPS0000000000001', new: false, baselineEvents: 1, events: 1 });
  });

  it('the report opens with who acted and the chart, then what to do, the narrative, findings by element, unknowns', () => {
    const order = ['id="actors"', '<svg class="chart"', 'id="actions"', 'id="narrative"', 'id="findings"', 'id="unknowns"', 'id="events"'].map((s) =>
      htmlText.indexOf(s),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(htmlText).toMatch(/<polygon [^>]*fill="#8b0000"><title>F-0001 critical/);
    expect(htmlText).toContain(`Access key ${KEY} of ${USER}: not seen in the baseline`);
    expect(htmlText).toContain('AccessDenied on GetModelInvocationLoggingConfiguration');
    expect(htmlText).toContain(`<code>${TRAIL}#3</code>`);
  });
});

describe('report story helpers', () => {
  const f = (
    id: string,
    severity: 'critical' | 'high',
    actions: { kind: 'deactivate-access-key' | 'restore-logging'; target: string; text: string }[],
  ) => ({ id, severity, actions }) as never;
  it('aggregates actions once per kind and target, containment first, naming every finding that asks for it', () => {
    const out = responseActions({
      findings: [
        f('F-0002', 'high', [
          { kind: 'restore-logging', target: 'org-trail', text: 'Restart logging of org-trail' },
          { kind: 'deactivate-access-key', target: KEY, text: `Deactivate access key ${KEY}` },
        ]),
        f('F-0001', 'critical', [{ kind: 'deactivate-access-key', target: KEY, text: `Deactivate access key ${KEY}` }]),
      ],
    });
    expect(out).toEqual([
      { kind: 'deactivate-access-key', target: KEY, text: `Deactivate access key ${KEY}`, findings: ['F-0002', 'F-0001'], severity: 'critical' },
      { kind: 'restore-logging', target: 'org-trail', text: 'Restart logging of org-trail', findings: ['F-0002'], severity: 'high' },
    ]);
  });

  it('says "at least N" for counts past the tracking limit, and exact counts plainly, in the HTML and the PDF', () => {
    const base = result.analysis;
    const actor = base.actors[0]!;
    const finding = base.findings[0]!;
    const a = {
      ...base,
      actors: [
        { ...actor, read: { ...actor.read, objects: 100_000, objectsCapped: true }, written: { ...actor.written, objects: 7, objectsCapped: false } },
      ],
      findings: [
        {
          ...finding,
          eventCount: finding.events.length + 120_000,
          evidenceOmitted: 100_000,
          lowerBounds: ['eventCount' as const, 'evidenceOmitted' as const],
        },
        { ...finding, id: 'F-9999', eventCount: finding.events.length + 3, evidenceOmitted: 2, lowerBounds: undefined },
      ],
    };
    const pdf = JSON.stringify(buildIncidentPdfDefinition(a, [], 0));
    for (const out of [renderIncidentReport(a, [], 0), pdf]) {
      expect(out).toContain('at least 100000 obj');
      expect(out).not.toContain('at least 7 obj');
      expect(out).toContain('at least 120000 more events of this finding');
      expect(out).toContain('at least 100000 more evidence records of this finding');
      expect(out).toMatch(/(?<!at least )\b3 more events of this finding/);
      expect(out).toMatch(/(?<!at least )\b2 more evidence records of this finding/);
    }
  });

  it('what we cannot know: no baseline, rules not assessed, gaps', () => {
    const a = { ...result.analysis, baselineWindow: null, rules: [{ ...result.analysis.rules[0]!, notAssessed: 'no invocation logs' }] };
    const list = unknowns(a);
    expect(list[0]!.why).toMatch(/No baseline lookback was collected/);
    expect(list.some((u) => u.why === 'no invocation logs')).toBe(true);
    expect(list.some((u) => /AccessDenied/.test(u.why))).toBe(true);
    expect(unknowns(result.analysis).some((u) => /No baseline/.test(u.why))).toBe(false);
  });
});
