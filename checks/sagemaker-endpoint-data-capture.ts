// sagemaker-endpoint-data-capture: each endpoint that serves traffic (InService, and Updating, SystemUpdating,
// RollingBack, UpdateRollbackFailed, which keep serving) captures the required modes (default Input and Output)
// at >= minSamplingPercent (current sampling if known, else initial) to an existing S3 bucket, and capture is
// not Stopped. Serverless endpoints cannot capture: they FAIL with what to do instead. Endpoints that serve
// nothing are NOT_APPLICABLE; endpoints that could not be listed are NOT_ASSESSED.
import type { Check, CheckContext, Finding } from './types.js';
import type { SageMakerEndpoint } from '../src/model/inventory.js';
import { sagemakerEndpointsArn } from './lib/arns.js';
import { bucketOf } from '../src/model/s3-location.js';
import { bucketDestinationProblem, DESTINATION_CODES } from './lib/destinations.js';
import { scannedRegions } from './lib/footprint.js';
import { accountVerdict, COMMON_CODES, fromVerdict, listText, noRegionScanned, type Verdict } from './lib/results.js';

export const check: Check = {
  meta: {
    id: 'sagemaker-endpoint-data-capture',
    title: 'Serving SageMaker endpoints capture requests and responses to S3',
    severity: 'high',
    scope: 'endpoint',
    service: 'sagemaker',
    rationale:
      'Data capture stores the payloads an endpoint receives and returns. It is the only record of what was sent to a self-hosted model and what it answered: the evidence for model extraction, adversarial inputs or leakage of training data through inference.',
    risk: 'Inference traffic to the endpoint cannot be reconstructed; abuse is visible at best as invocation counts.',
    remediation: {
      summary:
        'Deploy a new endpoint configuration with DataCaptureConfig enabled for Input and Output at 100% sampling to an S3 destination, and update the endpoint to it.',
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
    reasonCodes: {
      capturing: 'The serving endpoint captures the required modes at the required sampling to an existing bucket.',
      'capture-off': 'The serving endpoint has no data capture (or capture disabled).',
      'capture-stopped': 'Data capture is configured but DescribeEndpoint reports CaptureStatus Stopped.',
      'capture-incomplete': 'Capture misses a required mode, samples below minSamplingPercent, or has no S3 destination.',
      'serverless-no-capture': 'Serverless endpoint: SageMaker does not support data capture there; record payloads in the caller.',
      'not-serving': 'The endpoint is in a state that serves no traffic (Creating, Failed, OutOfService, Deleting).',
      'no-endpoints': 'The account has no SageMaker endpoints in the scanned regions.',
      ...DESTINATION_CODES,
      ...COMMON_CODES,
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-12' },
      { framework: 'eu-ai-act', control: 'Art. 12' },
      { framework: 'iso-42001', control: 'A.6.2.8' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
    ],
  },
  evaluate(ctx) {
    const { account } = ctx;
    const none = noRegionScanned(account);
    if (none) return [none];
    const out: Finding[] = [];
    for (const r of scannedRegions(account)) {
      const obs = r.sagemaker.endpoints;
      if (!obs.ok) {
        out.push(
          fromVerdict(account, r.region, sagemakerEndpointsArn(r.region, account.accountId), {
            status: 'NOT_ASSESSED',
            code: 'not-readable',
            reason: `SageMaker endpoints in ${r.region} could not be listed: ${obs.reason}`,
          }),
        );
        continue;
      }
      for (const e of obs.value) out.push(fromVerdict(account, r.region, e.arn, judgeEndpoint(ctx, e)));
    }
    if (out.length === 0)
      out.push(
        accountVerdict(account, {
          status: 'NOT_APPLICABLE',
          code: 'no-endpoints',
          reason: `Account ${account.accountId} has no SageMaker endpoints in the scanned regions`,
        }),
      );
    return out;
  },
};

/** Endpoint states in which the endpoint still serves traffic (AWS DescribeEndpoint EndpointStatus). */
export const SERVING_STATES = ['InService', 'Updating', 'SystemUpdating', 'RollingBack', 'UpdateRollbackFailed'];

function judgeEndpoint(ctx: CheckContext, e: SageMakerEndpoint): Verdict {
  const { params } = ctx;
  const required = params.requireCaptureModes;
  const requiredText = `${listText(required)} at >= ${params.minSamplingPercent}%`;
  const base = { endpoint: e.name, status: e.status, endpointConfig: e.endpointConfigName };
  if (!SERVING_STATES.includes(e.status))
    return { status: 'NOT_APPLICABLE', code: 'not-serving', reason: `Endpoint ${e.name} is ${e.status}, so it serves no traffic`, evidence: base };
  if (!e.dataCapture.ok)
    return {
      status: 'NOT_ASSESSED',
      code: 'not-readable',
      reason: `Data capture of endpoint ${e.name} could not be read (endpoint config ${e.endpointConfigName}): ${e.dataCapture.reason}`,
      evidence: base,
    };
  if (e.serverless)
    return {
      status: 'FAIL',
      code: 'serverless-no-capture',
      reason: `Endpoint ${e.name} is serverless, where SageMaker does not support data capture: record its requests and responses in the calling application (or serve it from a provisioned endpoint with data capture), since CloudTrail does not record InvokeEndpoint or InvokeEndpointAsync at all (only InvokeEndpointWithResponseStream, as a data event), the caller's own log is then the only record of who sent which request`,
      evidence: { ...base, serverless: true },
    };
  const dc = e.dataCapture.value;
  if (!dc || !dc.enabled)
    return {
      status: 'FAIL',
      code: 'capture-off',
      reason: `Endpoint ${e.name} does not capture data (required: ${requiredText})`,
      evidence: { ...base, dataCapture: dc },
    };
  const sampling = dc.currentSamplingPercentage ?? dc.initialSamplingPercentage;
  const missingModes = required.filter((m) => !dc.captureModes.some((c) => c.toLowerCase() === m.toLowerCase() || c === 'InputAndOutput'));
  const ev = {
    ...base,
    captureModes: dc.captureModes,
    samplingPercent: sampling,
    destinationS3Uri: dc.destinationS3Uri,
    captureStatus: dc.captureStatus ?? null,
  };
  if (dc.captureStatus === 'Stopped')
    return {
      status: 'FAIL',
      code: 'capture-stopped',
      reason: `Endpoint ${e.name} has data capture configured but its capture status is Stopped`,
      evidence: ev,
    };
  const problems: string[] = [];
  if (missingModes.length > 0 || sampling === null || sampling < params.minSamplingPercent) {
    const modes = dc.captureModes.length > 0 ? `${listText(dc.captureModes)} only` : 'no mode';
    const pct = sampling === null ? 'an unknown sampling rate' : `${sampling}%`;
    problems.push(`captures ${missingModes.length > 0 ? modes : listText(dc.captureModes)} at ${pct}`);
  }
  if (!dc.destinationS3Uri) problems.push('has no S3 destination');
  if (problems.length > 0)
    return {
      status: 'FAIL',
      code: 'capture-incomplete',
      reason: `Endpoint ${e.name} ${problems.join(' and ')} (required: ${requiredText})`,
      evidence: ev,
    };
  const bucket = bucketOf(dc.destinationS3Uri);
  const problem = bucket ? bucketDestinationProblem(ctx.inventory, bucket, { what: 'Data-capture bucket' }) : null;
  if (problem)
    return {
      ...problem,
      reason: `Endpoint ${e.name} captures to ${dc.destinationS3Uri}, but ${problem.reason}`,
      evidence: { ...ev, ...problem.evidence },
    };
  const stateNote = e.status === 'InService' ? '' : ` (endpoint is ${e.status} and still serving)`;
  return {
    status: 'PASS',
    code: 'capturing',
    reason: `Endpoint ${e.name} captures ${listText(dc.captureModes)} at ${sampling}% to ${dc.destinationS3Uri}${stateNote}`,
    evidence: ev,
  };
}
