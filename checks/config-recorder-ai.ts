// config-recorder-ai: AWS Config is recording in each region with AI footprint (present or unknown), and the
// recorded types include SageMaker (all supported types, an exclusion strategy that does not exclude them, or
// an inclusion list naming them), recorded continuously (daily recording loses changes reverted within the day).
// Required SageMaker types: see SAGEMAKER_CONFIG_TYPES. One result per region.
import type { Check } from './types.js';
import type { ConfigRecorderInfo } from '../src/model/inventory.js';
import { configRecorderArn } from './lib/arns.js';
import { AI_REGION_CODES, perAiRegion } from './lib/ai-regions.js';
import { COMMON_CODES, type Verdict } from './lib/results.js';

/**
 * SageMaker resource types Config must record: the model (what is deployed). AWS Config has no resource type
 * for endpoints or endpoint configurations (its ResourceType enum and PutConfigurationRecorder reject
 * AWS::SageMaker::EndpointConfig), so their history comes from CloudTrail management events, not from Config.
 */
export const SAGEMAKER_CONFIG_TYPES = ['AWS::SageMaker::Model'];

/**
 * SageMaker types the recorder leaves out. All supported types, or an exclusion strategy that does not exclude
 * them, records them; an inclusion list must name them.
 */
export function missingTypes(rec: ConfigRecorderInfo): string[] {
  if (rec.allSupported || rec.strategy === 'EXCLUSION_BY_RESOURCE_TYPES' || rec.strategy === 'ALL_SUPPORTED_RESOURCE_TYPES')
    return SAGEMAKER_CONFIG_TYPES.filter((t) => rec.exclusionTypes.includes(t));
  return SAGEMAKER_CONFIG_TYPES.filter((t) => !rec.resourceTypes.includes(t));
}

/** SageMaker types recorded only daily (the default frequency or an override says DAILY). */
export function dailyTypes(rec: ConfigRecorderInfo): string[] {
  return SAGEMAKER_CONFIG_TYPES.filter((t) => {
    const override = rec.frequencyOverrides?.find((o) => o.resourceTypes.includes(t));
    return (override?.frequency ?? rec.recordingFrequency ?? 'CONTINUOUS') === 'DAILY';
  });
}

const DAILY_LOSS =
  'daily recording keeps one snapshot per 24 hours, so a change reverted within the day (a model swapped and swapped back) is never recorded and no change carries its real time';

function judgeRecorders(recs: ConfigRecorderInfo[], region: string): Verdict {
  if (recs.length === 0)
    return { status: 'FAIL', code: 'no-recorder', reason: `AWS Config has no configuration recorder in ${region}`, evidence: { recorders: [] } };
  const problems: { code: string; text: string }[] = [];
  let unknown: string | null = null;
  for (const rec of recs) {
    const missing = missingTypes(rec);
    const daily = dailyTypes(rec);
    const ev = {
      recorder: rec.name,
      recording: rec.recording,
      allSupported: rec.allSupported,
      strategy: rec.strategy ?? null,
      recordingFrequency: rec.recordingFrequency ?? null,
      lastStatus: rec.lastStatus,
      missingSageMakerTypes: missing,
    };
    const failed = rec.lastStatus !== null && /fail/i.test(rec.lastStatus);
    if (rec.recording === true && !failed && missing.length === 0 && daily.length === 0)
      return {
        status: 'PASS',
        code: 'recording-sagemaker',
        reason: `AWS Config recorder ${rec.name} is recording in ${region}, including SageMaker resources, continuously`,
        evidence: ev,
      };
    if (rec.recording === null) {
      if (!failed && missing.length === 0) unknown = `recording status of recorder ${rec.name} in ${region} could not be read`;
      else problems.push({ code: 'recorder-status-unknown', text: `recording status of recorder ${rec.name} is unknown` });
    } else if (!rec.recording) problems.push({ code: 'recorder-stopped', text: `recorder ${rec.name} is not recording` });
    else if (failed) problems.push({ code: 'recorder-failing', text: `recorder ${rec.name} last status is ${rec.lastStatus}` });
    if (missing.length > 0) problems.push({ code: 'sagemaker-not-recorded', text: `recorder ${rec.name} does not record ${missing.join(', ')}` });
    if (daily.length > 0 && missing.length === 0)
      problems.push({ code: 'daily-recording', text: `recorder ${rec.name} records ${daily.join(', ')} daily only: ${DAILY_LOSS}` });
  }
  const ev = {
    recorders: recs.map((x) => ({
      name: x.name,
      recording: x.recording,
      allSupported: x.allSupported,
      missingSageMakerTypes: missingTypes(x),
      dailySageMakerTypes: dailyTypes(x),
    })),
  };
  if (unknown && problems.every((p) => p.code === 'daily-recording'))
    return { status: 'NOT_ASSESSED', code: 'not-readable', reason: `AWS Config ${unknown}`, evidence: ev };
  return {
    status: 'FAIL',
    code: problems[0]?.code ?? 'recorder-stopped',
    reason: `AWS Config in ${region}: ${problems.map((p) => p.text).join('; ')}`,
    evidence: ev,
  };
}

export const check: Check = {
  meta: {
    id: 'config-recorder-ai',
    title: 'AWS Config records configuration changes, including SageMaker resources',
    severity: 'medium',
    scope: 'region',
    service: 'config',
    rationale:
      'AWS Config keeps the configuration history of resources: which SageMaker model (image, artifacts, role, network) existed when, and what changed. It lets investigators establish the state before and after tampering without relying on the tampered system. Config has no endpoint or endpoint-configuration type; their changes are in CloudTrail management events.',
    risk: 'Changes to SageMaker models cannot be dated or compared with their earlier state.',
    remediation: {
      summary:
        'Create and start a configuration recorder that records all supported resource types (or at least the SageMaker types) with a delivery channel.',
      cli: `aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=arn:aws:iam::ACCOUNT_ID:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig --recording-group allSupported=true,includeGlobalResourceTypes=true && aws configservice start-configuration-recorder --configuration-recorder-name default`,
      iac: {
        kind: 'terraform',
        snippet: [
          'resource "aws_config_configuration_recorder" "this" {',
          '  name     = "default"',
          '  role_arn = aws_iam_service_linked_role.config.arn',
          '  recording_group {',
          '    all_supported                 = true',
          '    include_global_resource_types = true',
          '  }',
          '}',
          'resource "aws_config_configuration_recorder_status" "this" {',
          '  name       = aws_config_configuration_recorder.this.name',
          '  is_enabled = true',
          '  depends_on = [aws_config_delivery_channel.this]',
          '}',
        ].join('\n'),
      },
      docs: ['https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html'],
    },
    parameters: [],
    reasonCodes: {
      'recording-sagemaker':
        'A recorder is recording continuously, including the SageMaker model type (Config has no endpoint or endpoint-config type).',
      'no-recorder': 'The region has no configuration recorder.',
      'recorder-stopped': 'The recorder exists but is not recording.',
      'recorder-failing': 'The recorder reports a failed last status.',
      'recorder-status-unknown': 'The recorder status could not be read and the recorder has other problems.',
      'sagemaker-not-recorded': 'The recording group (inclusion list or exclusions) leaves out SageMaker types.',
      'daily-recording': 'SageMaker types are recorded daily, which loses changes reverted within the day and the time of each change.',
      ...AI_REGION_CODES,
      ...COMMON_CODES,
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'CM-8' },
      { framework: 'nist-800-53-r5', control: 'AU-12' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
      { framework: 'cis-aws-foundations', control: '3.3' },
    ],
  },
  evaluate(ctx) {
    return perAiRegion(
      ctx,
      (region) => configRecorderArn(region, ctx.account.accountId),
      (r): Verdict => {
        if (!r.config.ok)
          return {
            status: 'NOT_ASSESSED',
            code: 'not-readable',
            reason: `AWS Config recorders in ${r.region} could not be read: ${r.config.reason}`,
          };
        return judgeRecorders(r.config.value, r.region);
      },
    );
  },
};
