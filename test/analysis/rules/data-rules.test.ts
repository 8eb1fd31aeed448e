import { aiEniEgress } from '../../../src/analysis/rules/ai-eni-egress.js';
import { s3BulkRead } from '../../../src/analysis/rules/s3-bulk-read.js';
import { s3CopyOutsideOrg } from '../../../src/analysis/rules/s3-copy-outside-org.js';
import { s3ExternalRead } from '../../../src/analysis/rules/s3-external-read.js';
import { ctEvent, pantherCases } from '../helpers.js';
import { ACCOUNT, APP_ROLE, at, BASELINE, ct, flow, s3log, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const ctx = { window: WINDOW, aiBuckets: new Set(['training']) };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** An access-log time `seconds` after 10:00 on the window's first day. */
const logTime = (seconds: number): string => {
  const d = new Date(Date.parse('2024-06-01T10:00:00Z') + seconds * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
};
/** n reads, one every `every` seconds, from `from` seconds after 10:00. */
const readsEvery = (n: number, every: number, from = 0) => Array.from({ length: n }, (_, i) => s3log({ time: logTime(from + i * every) }));
const days = { ...ctx, window: { start: WINDOW.start, end: '2024-06-05T00:00:00.000Z' } };
const reads = (n: number, over: Parameters<typeof s3log>[0] = {}) =>
  Array.from({ length: n }, (_, i) =>
    s3log({ time: `01/Jun/2024:10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000`, ...over }),
  );

ruleTester(s3BulkRead, {
  valid: [
    { name: 'a few reads', events: reads(20), ctx },
    { name: 'many reads of a bucket that is not an AI bucket', events: reads(150, { bucket: 'website' }), ctx },
    // One read every 5 minutes for three days: 12 an hour, never 100 within an hour.
    { name: 'a slow trickle over days never becomes a burst', events: readsEvery(864, 300), ctx: days },
    {
      name: 'many reads by an expected principal',
      events: reads(150),
      ctx: { ...ctx, expected: { ips: new Set<string>(), principals: new Set([`arn:aws:iam::${ACCOUNT}:user/mallory`]) } },
    },
  ],
  invalid: [
    {
      name: '150 distinct objects from a public IP',
      events: reads(150),
      ctx,
      findings: [{ severity: 'high', eventCount: 150, summary: /read 150 distinct object\(s\)/, target: 's3://training' }],
    },
    { name: 'a private address is medium', events: reads(120, { ip: '10.0.1.5' }), ctx, findings: [{ severity: 'medium' }] },
    { name: 'a few very large objects', events: reads(3, { bytes: 600 * 1024 * 1024 }), ctx, findings: [{ summary: /1\.8 GiB/ }] },
    {
      name: 'a burst then a trickle over days: the burst ends when its window no longer holds a bulk read',
      events: [...readsEvery(150, 1), ...readsEvery(800, 300, 2 * 3600)],
      ctx: days,
      findings: [{ eventCount: 150, summary: /read 150 distinct object\(s\), .* between 2024-06-01T10:00:00\.000Z and 2024-06-01T10:02:29\.000Z/ }],
    },
    {
      name: 'two bursts hours apart are two findings',
      events: [...readsEvery(150, 1), ...readsEvery(120, 1, 6 * 3600)],
      ctx: days,
      findings: [{ eventCount: 150 }, { eventCount: 120, summary: /between 2024-06-01T16:00:00\.000Z/ }],
    },
    { name: 'reads sustained above the rate stay one burst', events: readsEvery(400, 20), ctx: days, findings: [{ eventCount: 400 }] },
    {
      name: 'the same request in two logs counts once',
      events: [...reads(99), s3log({ requestId: 'DUP', key: 'k/last' }), s3log({ requestId: 'DUP', key: 'k/last' }), s3log({ key: 'k/one-more' })],
      ctx,
      findings: [{ eventCount: 101 }],
    },
  ],
});

const copy = (over: Record<string, unknown>) => ct({ eventSource: 's3.amazonaws.com', eventName: 'CopyObject', ...over });
ruleTester(s3CopyOutsideOrg, {
  valid: [
    {
      name: 'a copy inside the account',
      events: [copy({ requestParameters: { bucketName: 'training', key: 'b', 'x-amz-copy-source': 'training/a' } })],
      ctx,
    },
    {
      name: 'a copy to an Organization account',
      events: [
        copy({
          requestParameters: { bucketName: 'org-archive', key: 'b', 'x-amz-copy-source': 'training/a' },
          resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::org-archive', accountId: '444455556666' }],
        }),
      ],
      ctx: { ...ctx, knownAccounts: new Set(['444455556666']) },
    },
  ],
  invalid: [
    {
      name: 'training data copied to an outside account',
      events: [
        copy({
          requestParameters: { bucketName: 'drop-zone', key: 'b', 'x-amz-copy-source': 'training/a' },
          resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::drop-zone', accountId: '999988887777' }],
        }),
      ],
      ctx,
      findings: [{ severity: 'high', summary: /copied s3:\/\/training\/a to s3:\/\/drop-zone\/b in account 999988887777/ }],
    },
    {
      name: 'replication to an outside account',
      events: [
        ct({
          eventSource: 's3.amazonaws.com',
          eventName: 'PutBucketReplication',
          requestParameters: {
            bucketName: 'training',
            ReplicationConfiguration: { Rule: [{ Destination: { Bucket: 'arn:aws:s3:::exfil', Account: '999988887777' } }] },
          },
        }),
      ],
      ctx,
      findings: [{ summary: /replication of s3:\/\/training/ }],
    },
  ],
});

const eni = 'eni-0notebook';
const aiNetwork = new Map([[eni, { workloadArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance/nb`, kind: 'notebook' }]]);
const t0 = Date.parse(at(0)) / 1000;
ruleTester(aiEniEgress, {
  valid: [
    {
      name: 'small egress',
      events: [flow({ eni, src: '10.0.0.5', dst: '198.51.100.9', bytes: 5_000_000, start: t0 })],
      ctx: { window: WINDOW, aiNetwork },
    },
    {
      name: 'large egress from an interface that is not an AI workload',
      events: [flow({ eni: 'eni-0web', src: '10.0.0.6', dst: '198.51.100.9', bytes: 500_000_000, start: t0 })],
      ctx: { window: WINDOW, aiNetwork },
    },
    {
      name: 'no AI interfaces known: not assessed',
      events: [flow({ eni, src: '10.0.0.5', dst: '198.51.100.9', bytes: 500_000_000, start: t0 })],
      ctx: { window: WINDOW },
      notAssessed: /no network interfaces of AI workloads/,
    },
  ],
  invalid: [
    {
      name: '300 MB from a notebook to one public address in an hour',
      events: [0, 10, 20].map((m) => flow({ eni, src: '10.0.0.5', dst: '198.51.100.9', bytes: 100_000_000, start: t0 + m * 60 })),
      ctx: { window: WINDOW, aiNetwork },
      findings: [{ severity: 'high', actorKey: '198.51.100.9', summary: /notebook .*nb \(eni-0notebook\) sent 286\.1 MiB to 198\.51\.100\.9/ }],
    },
  ],
});

// Panther's labelled S3 reads through a VPC endpoint (the record of its "Not S3 Service" case is not a read).
const vpce = (name: string) => {
  const c = pantherCases('panther.aws_vpce_s3_external_ip.tests.json').find((x) => x.name === name)!;
  return ctEvent(c.log, 'panther/vpce.json', 0);
};
const sensitive = { aiBuckets: new Set(['sensitive-data-bucket']) };
ruleTester(s3ExternalRead, {
  valid: [
    { name: 'Panther: Internal IP Access', events: [vpce('Internal IP Access')], ctx: sensitive },
    {
      name: 'Panther: External IP Access, to a bucket that holds no AI data',
      events: [vpce('External IP Access')],
      ctx: { aiBuckets: new Set(['training']) },
    },
    {
      name: 'an address that read the bucket in the baseline',
      events: [s3log({ time: '30/May/2024:10:00:00 +0000' }), s3log({})],
      ctx: { ...ctx, baseline: BASELINE },
    },
    { name: 'an expected address', events: [s3log({})], ctx: { ...ctx, expected: { ips: new Set(['203.0.113.9']), principals: new Set<string>() } } },
    {
      name: 'a denied read',
      events: [
        ct({
          eventSource: 's3.amazonaws.com',
          eventName: 'GetObject',
          errorCode: 'AccessDenied',
          requestParameters: { bucketName: 'training', key: 'k' },
        }),
      ],
      ctx,
    },
  ],
  invalid: [
    {
      name: 'Panther: External IP Access',
      events: [vpce('External IP Access')],
      ctx: sensitive,
      findings: [
        {
          severity: 'high',
          target: 's3://sensitive-data-bucket',
          summary: /1 object read\(s\) from s3:\/\/sensitive-data-bucket by external IP 8\.8\.8\.8/,
        },
      ],
    },
    {
      name: 'one request in CloudTrail and the access log counts once',
      events: [
        s3log({ requestId: 'SAME', key: 'data/a' }),
        ct({
          eventSource: 's3.amazonaws.com',
          eventName: 'GetObject',
          requestID: 'SAME',
          requestParameters: { bucketName: 'training', key: 'data/a' },
        }),
        s3log({ ip: '198.51.100.40', requester: APP_ROLE.arn }),
      ],
      ctx,
      findings: [
        { eventCount: 1, summary: /203\.0\.113\.9/ },
        { eventCount: 1, summary: /198\.51\.100\.40/ },
      ],
    },
  ],
});
