// The rule registry: order here is the order rules run and are listed in.
import { accessDeniedBurst } from './access-denied-burst.js';
import { accountDiscovery } from './account-discovery.js';
import { aiDataOutsideOrg } from './ai-data-outside-org.js';
import { aiEniEgress } from './ai-eni-egress.js';
import { attackToolAgent } from './attack-tool-agent.js';
import { iamBackdoor } from './backdoor-role.js';
import { backupDestruction } from './backup-destruction.js';
import { bedrockAgentChanged } from './bedrock-agent-changed.js';
import { bedrockCostAbuse } from './bedrock-cost-abuse.js';
import { bedrockGuardrailWeakened } from './bedrock-guardrail-weakened.js';
import { bedrockLoggingDisabled } from './bedrock-logging-disabled.js';
import { bedrockModelAccess } from './bedrock-model-access.js';
import { bedrockNewInvoker } from './bedrock-new-invoker.js';
import { cloudtrailTampering } from './cloudtrail-tampering.js';
import { computeAbuse } from './compute-abuse.js';
import { consoleLoginWithoutMfa } from './console-login-without-mfa.js';
import { exposedKeyNotice } from './exposed-key-notice.js';
import { federationBackdoor } from './federation-backdoor.js';
import { iamPersistence } from './iam-persistence.js';
import { instanceAccess } from './instance-access.js';
import { invocationGuardrailDropped } from './invocation-guardrail-dropped.js';
import { invocationGuardrailIntervened } from './invocation-guardrail-intervened.js';
import { invocationPromptInjection } from './invocation-prompt-injection.js';
import { invocationSecrets } from './invocation-secrets.js';
import { invocationTokenAbuse } from './invocation-token-abuse.js';
import { kmsKeyDestruction } from './kms-key-destruction.js';
import { kmsKeyPolicyLockout } from './kms-key-policy-lockout.js';
import { lambdaBackdoor } from './lambda-backdoor.js';
import { modelArtifactNewVersion } from './model-artifact-new-version.js';
import { modelArtifactReplaced } from './model-artifact-replaced.js';
import { mfaRemoved } from './mfa-removed.js';
import { monitoringDisabled } from './monitoring-disabled.js';
import { networkLogDeletion } from './network-log-deletion.js';
import { networkOpenedToWorld } from './network-opened.js';
import { reconBurst } from './recon-burst.js';
import { resourceSharedExternal } from './resource-shared-external.js';
import { rootLoginFailures } from './root-login-failures.js';
import { s3BulkRead } from './s3-bulk-read.js';
import { s3CopyOutsideOrg } from './s3-copy-outside-org.js';
import { s3ExternalRead } from './s3-external-read.js';
import { s3MassDeletion } from './s3-mass-deletion.js';
import { s3Ransomware } from './s3-ransomware.js';
import { s3ResourceExposed } from './s3-resource-exposed.js';
import { sagemakerHighRisk } from './sagemaker-high-risk.js';
import { sagemakerModelChanged } from './sagemaker-model-changed.js';
import { secretsBulkRetrieval } from './secrets-bulk-retrieval.js';
import { securityControlRemoved } from './security-control-removed.js';
import type { Rule } from './types.js';

export const RULES: readonly Rule[] = [
  // defence evasion
  cloudtrailTampering,
  networkLogDeletion,
  bedrockLoggingDisabled,
  monitoringDisabled,
  securityControlRemoved,
  networkOpenedToWorld,
  // AI changes
  bedrockGuardrailWeakened,
  sagemakerModelChanged,
  modelArtifactReplaced,
  modelArtifactNewVersion,
  sagemakerHighRisk,
  bedrockAgentChanged,
  aiDataOutsideOrg,
  // access and persistence
  consoleLoginWithoutMfa,
  rootLoginFailures,
  iamBackdoor,
  iamPersistence,
  federationBackdoor,
  lambdaBackdoor,
  mfaRemoved,
  instanceAccess,
  secretsBulkRetrieval,
  accessDeniedBurst,
  reconBurst,
  accountDiscovery,
  attackToolAgent,
  exposedKeyNotice,
  // invocation and LLMjacking
  bedrockModelAccess,
  bedrockNewInvoker,
  invocationPromptInjection,
  invocationSecrets,
  invocationGuardrailIntervened,
  invocationGuardrailDropped,
  invocationTokenAbuse,
  bedrockCostAbuse,
  // data and compute
  s3ExternalRead,
  s3BulkRead,
  s3CopyOutsideOrg,
  aiEniEgress,
  computeAbuse,
  // sharing, exposure and destruction
  resourceSharedExternal,
  s3ResourceExposed,
  s3MassDeletion,
  s3Ransomware,
  kmsKeyDestruction,
  kmsKeyPolicyLockout,
  backupDestruction,
];

export * from './types.js';
export { isTrail, obj, requestParameters, trailCall } from './support.js';
