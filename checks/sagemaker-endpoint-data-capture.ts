// sagemaker-endpoint-data-capture: each InService endpoint captures the required modes (default Input and
// Output) at >= minSamplingPercent (current sampling if known, else initial) to an S3 destination.
// Endpoints in any other state are NOT_APPLICABLE; a region whose endpoints could not be listed is
// NOT_ASSESSED; an account with no endpoints at all gets one account-level NOT_APPLICABLE.
import type { Check, Finding } from './types.js';
import { sagemakerEndpointsArn } from './lib/arns.js';
import { scannedRegions } from './lib/footprint.js';
import { accountFinding, finding, listText } from './lib/results.js';

export const check: Check = {
  meta: {
    id: 'sagemaker-endpoint-data-capture',
    title: 'In-service SageMaker endpoints capture requests and responses to S3',
    severity: 'high',
    scope: 'endpoint',
    service: 'sagemaker',
    rationale:
      'Data capture stores the payloads an endpoint receives and returns. It is the only record of what was sent to a self-hosted model and what it answered: the evidence for model extraction, adversarial inputs or leakage of training data through inference.',
    risk: 'Inference traffic to the endpoint cannot be reconstructed; abuse is visible at best as invocation counts.',
    remediation: {
      summary: 'Deploy a new endpoint configuration with DataCaptureConfig enabled for Input and Output at 100% sampling to an S3 destination, and update the endpoint to it.',
      cli: `aws sagemaker create-endpoint-config --endpoint-config-name ENDPOINT-capture --production-variants file://variants.json --data-capture-config '{"EnableCapture":true,"InitialSamplingPercentage":100,"DestinationS3Uri":"s3://CAPTURE_BUCKET/ENDPOINT/","CaptureOptions":[{"CaptureMode":"Input"},{"CaptureMode":"Output"}]}' && aws sagemaker update-endpoint --endpoint-name ENDPOINT --endpoint-config-name ENDPOINT-capture`,
      iac: {
        kind: 'cloudformation',
        snippet: [
          'EndpointConfig:',
          '  Type: AWS::SageMaker::EndpointConfig',
          '  Properties:',
          '    ProductionVariants: [...]',
          '    DataCaptureConfig:',
          '      EnableCapture: true',
          '      InitialSamplingPercentage: 100',
          '      DestinationS3Uri: !Sub "s3://${CaptureBucket}/endpoints/"',
          '      CaptureOptions:',
          '        - CaptureMode: Input',
          '        - CaptureMode: Output',
        ].join('\n'),
      },
      docs: ['https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture.html'],
    },
    parameters: ['minSamplingPercent', 'requireCaptureModes'],
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-12' },
      { framework: 'eu-ai-act', control: 'Art. 12' },
      { framework: 'iso-42001', control: 'A.6.2.8' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
    ],
  },
  evaluate({ account, params }) {
    const out: Finding[] = [];
    const required = params.requireCaptureModes;
    const requiredText = `${listText(required)} at >= ${params.minSamplingPercent}%`;
    for (const r of scannedRegions(account)) {
      const obs = r.sagemaker.endpoints;
      if (!obs.ok) {
        out.push(finding(account, r.region, sagemakerEndpointsArn(r.region, account.accountId), 'NOT_ASSESSED', `SageMaker endpoints in ${r.region} could not be listed: ${obs.reason}`));
        continue;
      }
      for (const e of obs.value) {
        const base = { endpoint: e.name, status: e.status, endpointConfig: e.endpointConfigName };
        if (e.status !== 'InService') {
          out.push(finding(account, r.region, e.arn, 'NOT_APPLICABLE', `Endpoint ${e.name} is ${e.status}, not InService`, base));
          continue;
        }
        if (!e.dataCapture.ok) {
          out.push(finding(account, r.region, e.arn, 'NOT_ASSESSED', `Data capture of endpoint ${e.name} could not be read (endpoint config ${e.endpointConfigName}): ${e.dataCapture.reason}`, base));
          continue;
        }
        const dc = e.dataCapture.value;
        if (!dc || !dc.enabled) {
          out.push(finding(account, r.region, e.arn, 'FAIL', `Endpoint ${e.name} does not capture data (required: ${requiredText})`, { ...base, dataCapture: dc }));
          continue;
        }
        const sampling = dc.currentSamplingPercentage ?? dc.initialSamplingPercentage;
        const missingModes = required.filter((m) => !dc.captureModes.some((c) => c.toLowerCase() === m.toLowerCase()));
        const ev = { ...base, captureModes: dc.captureModes, samplingPercent: sampling, destinationS3Uri: dc.destinationS3Uri };
        const problems: string[] = [];
        if (missingModes.length > 0 || sampling === null || sampling < params.minSamplingPercent) {
          const modes = dc.captureModes.length > 0 ? `${listText(dc.captureModes)} only` : 'no mode';
          const pct = sampling === null ? 'an unknown sampling rate' : `${sampling}%`;
          problems.push(`captures ${missingModes.length > 0 ? modes : listText(dc.captureModes)} at ${pct}`);
        }
        if (!dc.destinationS3Uri) problems.push('has no S3 destination');
        if (problems.length > 0) {
          out.push(finding(account, r.region, e.arn, 'FAIL', `Endpoint ${e.name} ${problems.join(' and ')} (required: ${requiredText})`, ev));
        } else {
          out.push(finding(account, r.region, e.arn, 'PASS', `Endpoint ${e.name} captures ${listText(dc.captureModes)} at ${sampling}% to ${dc.destinationS3Uri}`, ev));
        }
      }
    }
    if (out.length === 0) out.push(accountFinding(account, 'NOT_APPLICABLE', `Account ${account.accountId} has no SageMaker endpoints in the scanned regions`));
    return out;
  },
};
