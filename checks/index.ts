// The check registry, in the catalogue order of DESIGN.md.
import type { Check } from './types.js';
import { check as forensicRoleAccess } from './forensic-role-access.js';
import { check as cloudtrailMultiRegionTrail } from './cloudtrail-multi-region-trail.js';
import { check as cloudtrailLogFileValidation } from './cloudtrail-log-file-validation.js';
import { check as cloudtrailAiDataEvents } from './cloudtrail-ai-data-events.js';
import { check as cloudtrailAiBucketDataEvents } from './cloudtrail-ai-bucket-data-events.js';
import { check as cloudtrailBucketImmutable } from './cloudtrail-bucket-immutable.js';
import { check as bedrockInvocationLogging } from './bedrock-invocation-logging.js';
import { check as bedrockInvocationLoggingText } from './bedrock-invocation-logging-text.js';
import { check as bedrockInvocationLoggingS3 } from './bedrock-invocation-logging-s3.js';
import { check as sagemakerEndpointDataCapture } from './sagemaker-endpoint-data-capture.js';
import { check as sagemakerModelArtifactVersioning } from './sagemaker-model-artifact-versioning.js';
import { check as s3AiBucketAccessLogging } from './s3-ai-bucket-access-logging.js';
import { check as s3LogBucketObjectLock } from './s3-log-bucket-object-lock.js';
import { check as vpcFlowLogsAi } from './vpc-flow-logs-ai.js';
import { check as logsAiRetention } from './logs-ai-retention.js';
import { check as guarddutyEnabled } from './guardduty-enabled.js';
import { check as configRecorderAi } from './config-recorder-ai.js';
import { check as cloudtrailLakeEventDataStore } from './cloudtrail-lake-event-data-store.js';

export const allChecks: Check[] = [
  forensicRoleAccess,
  cloudtrailMultiRegionTrail,
  cloudtrailLogFileValidation,
  cloudtrailAiDataEvents,
  cloudtrailAiBucketDataEvents,
  cloudtrailBucketImmutable,
  bedrockInvocationLogging,
  bedrockInvocationLoggingText,
  bedrockInvocationLoggingS3,
  sagemakerEndpointDataCapture,
  sagemakerModelArtifactVersioning,
  s3AiBucketAccessLogging,
  s3LogBucketObjectLock,
  vpcFlowLogsAi,
  logsAiRetention,
  guarddutyEnabled,
  configRecorderAi,
  cloudtrailLakeEventDataStore,
];

export const checkIds: string[] = allChecks.map((c) => c.meta.id);

export function findCheck(id: string): Check | undefined {
  return allChecks.find((c) => c.meta.id === id);
}

export type { Check, CheckContext, CheckMetadata, CheckParameters, Finding } from './types.js';
export { defaultParameters, parameterSpecs } from './parameters.js';
export { frameworks } from './frameworks.js';
