// The rule registry: order here is the order rules run and are listed in.
import { accessDeniedBurst } from './access-denied-burst.js';
import { iamBackdoor } from './backdoor-role.js';
import { bedrockAgentChanged } from './bedrock-agent-changed.js';
import { bedrockGuardrailWeakened } from './bedrock-guardrail-weakened.js';
import { bedrockLoggingDisabled } from './bedrock-logging-disabled.js';
import { bedrockNewInvoker } from './bedrock-new-invoker.js';
import { cloudtrailTampering } from './cloudtrail-tampering.js';
import { consoleLoginWithoutMfa } from './console-login-without-mfa.js';
import { modelArtifactReplaced } from './model-artifact-replaced.js';
import { networkLogDeletion } from './network-log-deletion.js';
import { s3ExternalRead } from './s3-external-read.js';
import { sagemakerModelChanged } from './sagemaker-model-changed.js';
import type { Rule } from './types.js';

export const RULES: readonly Rule[] = [
  cloudtrailTampering,
  networkLogDeletion,
  bedrockLoggingDisabled,
  bedrockGuardrailWeakened,
  sagemakerModelChanged,
  modelArtifactReplaced,
  bedrockAgentChanged,
  consoleLoginWithoutMfa,
  iamBackdoor,
  accessDeniedBurst,
  bedrockNewInvoker,
  s3ExternalRead,
];

export * from './types.js';
export { isTrail, obj, requestParameters, trailCall } from './support.js';
