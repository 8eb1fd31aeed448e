import { describe, expect, it } from 'vitest';
import type { CheckResult, ResultStatus } from '../../src/model/scan.js';
import { assessInvestigability, assessScenario, SCENARIOS } from '../../src/scan/investigability.js';
import { CIRT_ELEMENTS } from '../../src/model/cirt.js';

const res = (checkId: string, status: ResultStatus, resource = 'arn:aws:iam::111111111111:root', region = 'global'): CheckResult => ({
  checkId,
  accountId: '111111111111',
  region,
  resourceArn: resource,
  status,
  severity: 'high',
  reason: 'r',
  reasonCode: 'r',
  evidence: {},
});
const scenario = (id: string) => SCENARIOS.find((s) => s.id === id)!;
const bucketA = 'arn:aws:s3:::train-a';
const bucketB = 'arn:aws:s3:::train-b';

describe('investigability scenarios', () => {
  it.each([
    [
      'READY when every requirement is met',
      'logging-tampering',
      [
        res('cloudtrail-multi-region-trail', 'PASS'),
        res('cloudtrail-bucket-immutable', 'PASS', 't1'),
        res('cloudtrail-log-file-validation', 'PASS', 't1'),
      ],
      'READY',
    ],
    [
      'PARTIAL when some requirements fail',
      'logging-tampering',
      [
        res('cloudtrail-multi-region-trail', 'PASS'),
        res('cloudtrail-bucket-immutable', 'FAIL', 't1'),
        res('cloudtrail-log-file-validation', 'PASS', 't1'),
      ],
      'PARTIAL',
    ],
    [
      'BLIND when nothing is met',
      'logging-tampering',
      [
        res('cloudtrail-multi-region-trail', 'FAIL'),
        res('cloudtrail-bucket-immutable', 'FAIL', 't1'),
        res('cloudtrail-log-file-validation', 'FAIL', 't1'),
      ],
      'BLIND',
    ],
    [
      'BLIND for logging tampering without any trail (always applicable)',
      'logging-tampering',
      [res('cloudtrail-multi-region-trail', 'FAIL')],
      'BLIND',
    ],
    [
      'UNKNOWN when a requirement could not be assessed',
      'logging-tampering',
      [
        res('cloudtrail-multi-region-trail', 'PASS'),
        res('cloudtrail-bucket-immutable', 'NOT_ASSESSED', 't1'),
        res('cloudtrail-log-file-validation', 'PASS', 't1'),
      ],
      'UNKNOWN',
    ],
    [
      'NOT_APPLICABLE when the scenario has no resources (no training buckets, no AI VPCs)',
      'training-data-exfiltration',
      [res('cloudtrail-multi-region-trail', 'PASS'), res('s3-ai-bucket-access-logging', 'NOT_APPLICABLE'), res('vpc-flow-logs-ai', 'NOT_APPLICABLE')],
      'NOT_APPLICABLE',
    ],
    [
      'alternatives: access logs on A and data events on B make the bucket requirement met',
      'training-data-exfiltration',
      [
        res('cloudtrail-multi-region-trail', 'PASS'),
        res('s3-ai-bucket-access-logging', 'PASS', bucketA),
        res('s3-ai-bucket-access-logging', 'FAIL', bucketB),
        res('cloudtrail-ai-bucket-data-events', 'FAIL', bucketA),
        res('cloudtrail-ai-bucket-data-events', 'PASS', bucketB),
      ],
      'READY',
    ],
    [
      'alternatives: a bucket covered by neither makes it PARTIAL',
      'training-data-exfiltration',
      [
        res('cloudtrail-multi-region-trail', 'PASS'),
        res('s3-ai-bucket-access-logging', 'PASS', bucketA),
        res('s3-ai-bucket-access-logging', 'FAIL', bucketB),
        res('cloudtrail-ai-bucket-data-events', 'FAIL', bucketB),
      ],
      'PARTIAL',
    ],
  ] as const)('%s', (_name, id, results, expected) => {
    expect(assessScenario(scenario(id), results)).toBe(expected);
  });

  it('answers UNKNOWN for every scenario and CIRT element of an account that could not be accessed', () => {
    const answers = assessInvestigability([res('forensic-role-access', 'FAIL')], false);
    expect(Object.keys(answers)).toEqual(SCENARIOS.map((s) => s.id));
    expect(new Set(Object.values(answers))).toEqual(new Set(['UNKNOWN']));
  });

  it('covers the four scenarios and the seven CIRT elements', () => {
    expect(SCENARIOS.map((s) => s.id)).toEqual([
      'unauthorized-model-access',
      'training-data-exfiltration',
      'model-tampering',
      'logging-tampering',
      ...CIRT_ELEMENTS,
    ]);
  });
});

describe('investigability: what counts toward a requirement', () => {
  const withEvidence = (checkId: string, status: ResultStatus, resource: string, evidence: Record<string, unknown>): CheckResult => ({
    ...res(checkId, status, resource),
    evidence,
  });

  it('model tampering looks only at model-artifact buckets, not every AI data bucket', () => {
    const results = [
      res('cloudtrail-multi-region-trail', 'PASS'),
      withEvidence('sagemaker-model-artifact-versioning', 'PASS', 'arn:aws:s3:::models', { roles: ['model-artifacts'] }),
      withEvidence('cloudtrail-ai-bucket-data-events', 'PASS', 'arn:aws:s3:::models', { roles: ['model-artifacts'] }),
      withEvidence('s3-ai-bucket-access-logging', 'FAIL', 'arn:aws:s3:::evidence', { roles: ['evidence'] }),
      withEvidence('cloudtrail-ai-bucket-data-events', 'FAIL', 'arn:aws:s3:::evidence', { roles: ['evidence'] }),
      res('config-recorder-ai', 'PASS', 'arn:aws:config:us-east-1:111111111111:configuration-recorder', 'us-east-1'),
    ];
    expect(assessScenario(scenario('model-tampering'), results)).toBe('READY');
    results[2] = withEvidence('cloudtrail-ai-bucket-data-events', 'FAIL', 'arn:aws:s3:::models', { roles: ['model-artifacts'] });
    expect(assessScenario(scenario('model-tampering'), results)).toBe('PARTIAL');
  });

  it('Bedrock logging counts only in regions where Bedrock is in use', () => {
    const logging = (status: ResultStatus, region: string, footprint: string) =>
      withEvidence('bedrock-invocation-logging-text', status, `arn:aws:bedrock:${region}:111111111111:model-invocation-logging`, {
        bedrockFootprint: footprint,
      });
    const base = [
      res('cloudtrail-multi-region-trail', 'PASS'),
      res('cloudtrail-ai-data-events', 'PASS', 'arn:aws:cloudtrail::111111111111:data-events/AWS::Bedrock::AgentAlias'),
    ];
    expect(
      assessScenario(scenario('unauthorized-model-access'), [
        ...base,
        logging('PASS', 'us-east-1', 'present'),
        logging('FAIL', 'eu-west-1', 'absent'),
      ]),
    ).toBe('READY');
    expect(
      assessScenario(scenario('unauthorized-model-access'), [
        ...base,
        logging('PASS', 'us-east-1', 'present'),
        logging('FAIL', 'eu-west-1', 'unknown'),
      ]),
    ).toBe('PARTIAL');
  });
});

describe('investigability: agency', () => {
  it('is not applicable without Bedrock agents or knowledge bases, whatever the SageMaker data events say', () => {
    const results = [
      res('cloudtrail-multi-region-trail', 'PASS'),
      res('cloudtrail-ai-data-events', 'PASS', 'arn:aws:cloudtrail::111111111111:data-events/AWS::SageMaker::Endpoint'),
      res('cloudtrail-ai-data-events', 'NOT_APPLICABLE', 'arn:aws:cloudtrail::111111111111:data-events/AWS::Bedrock::AgentAlias'),
      {
        ...res('bedrock-invocation-logging-text', 'PASS', 'arn:aws:bedrock:us-east-1:111111111111:model-invocation-logging', 'us-east-1'),
        evidence: { bedrockFootprint: 'absent' },
      },
    ];
    expect(assessScenario(scenario('agency'), results)).toBe('NOT_APPLICABLE');
    results[2] = res('cloudtrail-ai-data-events', 'FAIL', 'arn:aws:cloudtrail::111111111111:data-events/AWS::Bedrock::AgentAlias');
    expect(assessScenario(scenario('agency'), results)).toBe('PARTIAL');
  });
});
