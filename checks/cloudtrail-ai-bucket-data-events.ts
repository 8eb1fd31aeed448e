// cloudtrail-ai-bucket-data-events: object-level read and write data events of each AI data bucket are
// selected by a logging trail covering the bucket's owner account and region (classic or advanced selectors,
// honouring resources.ARN scoping and readOnly; see lib/selectors.ts). One result per bucket, in the account
// that owns it.
import type { Check } from './types.js';
import { AI_DATA_BUCKET_ROLES, isAiDataBucket } from './lib/buckets.js';
import { BUCKET_CHECK_CODES, runBucketCheck } from './lib/bucket-check.js';
import { COMMON_CODES, listText, type Verdict } from './lib/results.js';
import { bucketArn, partitionOfAccount } from './lib/arns.js';
import { NOT_DELIVERING } from './lib/destinations.js';
import { dataEventCoverageAcross, recordersCoveringAccount, type Recorder } from './lib/trails.js';

export const check: Check = {
  meta: {
    id: 'cloudtrail-ai-bucket-data-events',
    title: 'CloudTrail records object-level reads and writes of every AI data bucket',
    severity: 'medium',
    scope: 'bucket',
    service: 'cloudtrail',
    rationale:
      'Training data, model artifacts, captured inferences and invocation logs are the assets an attacker steals or poisons. S3 data events record each GetObject, PutObject and DeleteObject with the caller, so exfiltration and tampering can be scoped object by object.',
    risk: 'Without object-level events an investigation cannot tell which training data or model files were read, replaced or deleted, nor by whom.',
    remediation: {
      summary: 'Add an S3 data-event selector (read and write) for each AI data bucket, or for all buckets, to a multi-region trail.',
      cli: `aws cloudtrail put-event-selectors --trail-name TRAIL_NAME --advanced-event-selectors '[{"Name":"Management","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},{"Name":"AI buckets","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]},{"Field":"resources.ARN","StartsWith":["arn:aws:s3:::BUCKET_NAME/"]}]}]'`,
      iac: {
        kind: 'terraform',
        snippet: [
          'resource "aws_cloudtrail" "org" {',
          '  # ...',
          '  advanced_event_selector {',
          '    name = "AI data buckets"',
          '    field_selector { field = "eventCategory"  equals = ["Data"] }',
          '    field_selector { field = "resources.type" equals = ["AWS::S3::Object"] }',
          '    field_selector {',
          '      field       = "resources.ARN"',
          '      starts_with = [for b in var.ai_buckets : "arn:aws:s3:::${b}/"]',
          '    }',
          '  }',
          '}',
        ].join('\n'),
      },
      docs: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-cloudtrail-logging-for-s3.html'],
    },
    parameters: ['bucketRoleTagKey'],
    reasonCodes: {
      'data-events-recorded': 'A logging trail (or ingesting event data store) selects all object-level reads and writes of the bucket.',
      'data-events-off': 'No logging trail selects the object-level reads and/or writes of the bucket.',
      'data-events-partial': 'Selectors cover only part of the bucket or of its events.',
      'coverage-unknown': 'Trail status or selectors could not be read, so coverage is unknown.',
      'destination-missing': 'A trail selects the data events, but its bucket does not exist, so they are kept nowhere.',
      'not-delivering': NOT_DELIVERING,
      ...BUCKET_CHECK_CODES,
      ...COMMON_CODES,
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-2' },
      { framework: 'nist-800-53-r5', control: 'AU-12' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
      { framework: 'cis-aws-foundations', control: '3.8' },
      { framework: 'cis-aws-foundations', control: '3.9' },
    ],
  },
  evaluate(ctx) {
    const { recorders: trails, unreadable } = recordersCoveringAccount(ctx.inventory, ctx.account);
    return runBucketCheck(ctx, {
      noun: 'AI data bucket',
      roles: AI_DATA_BUCKET_ROLES,
      filter: isAiDataBucket,
      judge: (b, info): Verdict => {
        const res = { kind: 'prefix' as const, type: 'AWS::S3::Object', prefix: `${bucketArn(b.name, partitionOfAccount(ctx.account))}/` };
        const region = info.region.ok ? info.region.value : null;
        const a = dataEventCoverageAcross(trails, res, region);
        const ev = { bucket: b.name, bucketRegion: region, read: a.read, write: a.write, readBy: a.readBy, writeBy: a.writeBy };
        if (a.read === 'all' && a.write === 'all')
          return {
            status: 'PASS',
            code: 'data-events-recorded',
            reason: `Object-level reads and writes of bucket ${b.name} are recorded (read: ${a.readBy.join(', ')}; write: ${a.writeBy.join(', ')})`,
            evidence: ev,
          };
        const unknown = [...unreadable, ...a.unknown];
        if (region === null) {
          // Would a single-region trail cover it if we knew the region? Then we cannot decide.
          const anyRegion = dataEventCoverageAcross(
            trails.map((t): Recorder => ({ ...t, isMultiRegion: true })),
            res,
            null,
          );
          if (anyRegion.read === 'all' && anyRegion.write === 'all' && !info.region.ok)
            unknown.push(`region of bucket ${b.name} could not be read: ${info.region.reason}`);
        }
        if (unknown.length > 0)
          return {
            status: 'NOT_ASSESSED',
            code: 'coverage-unknown',
            reason: `Data-event coverage of bucket ${b.name} could not be confirmed: ${unknown.join('; ')}`,
            evidence: { ...ev, unknown },
          };
        const missing = a.read !== 'all' && a.write !== 'all' ? 'reads and writes' : a.read !== 'all' ? 'reads' : 'writes';
        const partial = a.read === 'partial' || a.write === 'partial' ? ' (selectors cover only part of the bucket or of its events)' : '';
        const lost = a.undelivered[0];
        if (lost)
          return {
            status: 'FAIL',
            code: lost.code,
            reason: `Object-level ${missing} of bucket ${b.name} are not recorded: ${listText([...new Set(a.undelivered.map((u) => u.detail))])}`,
            evidence: { ...ev, undelivered: a.undelivered },
          };
        return {
          status: 'FAIL',
          code: partial ? 'data-events-partial' : 'data-events-off',
          reason: `Object-level ${missing} of bucket ${b.name} are not recorded by any logging trail${partial}`,
          evidence: ev,
        };
      },
    });
  },
};
