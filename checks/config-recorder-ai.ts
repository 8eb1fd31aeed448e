// config-recorder-ai: AWS Config is recording in each region with AI footprint (present or unknown), and the
// recorded types include SageMaker (all supported types without excluding them, or the SageMaker types
// listed explicitly). Required SageMaker types: see SAGEMAKER_CONFIG_TYPES. One result per region.
import type { Check } from './types.js';
import type { ConfigRecorderInfo } from '../src/model/inventory.js';
import { configRecorderArn } from './lib/arns.js';
import { perAiRegion } from './lib/ai-regions.js';

/** SageMaker resource types Config must record: the model (what is deployed) and the endpoint configuration (how). */
export const SAGEMAKER_CONFIG_TYPES = ['AWS::SageMaker::Model', 'AWS::SageMaker::EndpointConfig'];

function missingTypes(rec: ConfigRecorderInfo): string[] {
  if (rec.allSupported) return SAGEMAKER_CONFIG_TYPES.filter((t) => rec.exclusionTypes.includes(t));
  return SAGEMAKER_CONFIG_TYPES.filter((t) => !rec.resourceTypes.includes(t));
}

export const check: Check = {
  meta: {
    id: 'config-recorder-ai',
    title: 'AWS Config records configuration changes, including SageMaker resources',
    severity: 'medium',
    scope: 'region',
    service: 'config',
    rationale:
      'AWS Config keeps the configuration history of resources: which model and endpoint configuration were deployed when, and what changed. It lets investigators establish the state before and after tampering without relying on the tampered system.',
    risk: 'Changes to SageMaker models and endpoint configurations cannot be dated or compared with their earlier state.',
    remediation: {
      summary: 'Create and start a configuration recorder that records all supported resource types (or at least the SageMaker types) with a delivery channel.',
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
      (r) => {
        if (!r.config.ok) return { status: 'NOT_ASSESSED', reason: `AWS Config recorders in ${r.region} could not be read: ${r.config.reason}` };
        const recs = r.config.value;
        if (recs.length === 0) return { status: 'FAIL', reason: `AWS Config has no configuration recorder in ${r.region}`, evidence: { recorders: [] } };
        const problems: string[] = [];
        let unknown: string | null = null;
        for (const rec of recs) {
          const missing = missingTypes(rec);
          const ev = { recorder: rec.name, recording: rec.recording, allSupported: rec.allSupported, lastStatus: rec.lastStatus, missingSageMakerTypes: missing };
          const failed = rec.lastStatus !== null && /fail/i.test(rec.lastStatus);
          if (rec.recording === true && !failed && missing.length === 0)
            return { status: 'PASS', reason: `AWS Config recorder ${rec.name} is recording in ${r.region}, including SageMaker resources`, evidence: ev };
          if (rec.recording === null) {
            if (!failed && missing.length === 0) unknown = `recording status of recorder ${rec.name} in ${r.region} could not be read`;
            else problems.push(`recording status of recorder ${rec.name} is unknown`);
          } else if (!rec.recording) problems.push(`recorder ${rec.name} is not recording`);
          else if (failed) problems.push(`recorder ${rec.name} last status is ${rec.lastStatus}`);
          if (missing.length > 0) problems.push(`recorder ${rec.name} does not record ${missing.join(', ')}`);
        }
        const ev = { recorders: recs.map((x) => ({ name: x.name, recording: x.recording, allSupported: x.allSupported, missingSageMakerTypes: missingTypes(x) })) };
        if (unknown) return { status: 'NOT_ASSESSED', reason: `AWS Config ${unknown}`, evidence: ev };
        return { status: 'FAIL', reason: `AWS Config in ${r.region}: ${problems.join('; ')}`, evidence: ev };
      },
    );
  },
};
