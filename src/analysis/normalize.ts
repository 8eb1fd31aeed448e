// The normalisers, one module per evidence source (normalize/*), and the IP helpers (ip.ts).
export * from './ip.js';
export { actorKeyOf, field, type Normalised, type RecordContext } from './normalize/common.js';
export { fromCloudTrail, unwrapCloudTrail } from './normalize/cloudtrail.js';
export { fromBedrockInvocation } from './normalize/bedrock.js';
export { fromDataCapture, fromEndpointLogEvent } from './normalize/sagemaker.js';
export { fromS3AccessLog } from './normalize/s3-access-log.js';
export { flowDirection, fromFlowLog } from './normalize/flow-log.js';
