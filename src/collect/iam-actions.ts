// SDK command -> IAM action, and the exact action lists of the scan and collection roles. Data, so the role
// template, its tests and the scan's read-only test all check recorded calls against the same table.

/** Recorded "service:Command" (CallRecorder naming) -> the IAM actions it needs, where they differ. */
export const IAM_ACTION_OVERRIDES: Record<string, string[]> = {
  's3:ListBuckets': ['s3:ListAllMyBuckets'],
  's3:ListObjects': ['s3:ListBucket'],
  's3:ListObjectsV2': ['s3:ListBucket'],
  's3:HeadBucket': ['s3:ListBucket'],
  's3:ListObjectVersions': ['s3:ListBucketVersions'],
  // GetObject/HeadObject with a VersionId need s3:GetObjectVersion; the recorder does not see the input.
  's3:GetObject': ['s3:GetObject', 's3:GetObjectVersion'],
  's3:HeadObject': ['s3:GetObject', 's3:GetObjectVersion'],
  's3:GetObjectLockConfiguration': ['s3:GetBucketObjectLockConfiguration'],
  's3:GetBucketReplication': ['s3:GetReplicationConfiguration'],
  's3:GetBucketLifecycleConfiguration': ['s3:GetLifecycleConfiguration'],
  's3:GetBucketEncryption': ['s3:GetEncryptionConfiguration'],
  's3:GetBucketLogging': ['s3:GetBucketLogging'],
  's3:GetPublicAccessBlock': ['s3:GetBucketPublicAccessBlock'],
  's3:PutObject': ['s3:PutObject', 's3:PutObjectRetention'],
  // CloudWatch Logs names match; Bedrock agent calls are bedrock:* (the recorder already says "bedrock").
};

/** IAM actions a recorded call needs. */
export function iamActionsFor(service: string, action: string): string[] {
  const key = `${service}:${action}`;
  return IAM_ACTION_OVERRIDES[key] ?? [key];
}

const READ_PREFIXES = ['Get', 'List', 'Describe', 'Lookup', 'Filter', 'Head', 'BatchGet', 'Search', 'View'];
/** Calls that change nothing in the target account. */
const NOT_WRITES = new Set(['sts:AssumeRole', 'sts:GetCallerIdentity']);

/** A write: anything that is not a read (Put, Create, Delete, Update, Start, Stop, Tag, Invoke, ...). */
export function isWriteAction(iamAction: string): boolean {
  if (NOT_WRITES.has(iamAction)) return false;
  const name = iamAction.split(':')[1] ?? '';
  return !READ_PREFIXES.some((p) => name.startsWith(p));
}

/** Discovery and the network placement of AI resources: the same calls in scan and collect. */
const DISCOVERY_ACTIONS = [
  'sts:GetCallerIdentity',
  'organizations:DescribeOrganization',
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
  'ec2:DescribeRegions',
  'ec2:DescribeSubnets',
  'ec2:DescribeFlowLogs',
];

/** Reading the SageMaker estate: endpoints and their configs, models, training jobs, notebooks. */
const SAGEMAKER_READ_ACTIONS = [
  'sagemaker:ListEndpoints',
  'sagemaker:DescribeEndpoint',
  'sagemaker:DescribeEndpointConfig',
  'sagemaker:ListModels',
  'sagemaker:DescribeModel',
  'sagemaker:ListTrainingJobs',
  'sagemaker:DescribeTrainingJob',
  'sagemaker:ListNotebookInstances',
  'sagemaker:DescribeNotebookInstance',
];

/** Bedrock agents and knowledge bases with their aliases and data sources. */
const BEDROCK_AGENT_READ_ACTIONS = [
  'bedrock:ListAgents',
  'bedrock:ListAgentAliases',
  'bedrock:ListKnowledgeBases',
  'bedrock:ListDataSources',
  'bedrock:GetDataSource',
];

/** Actions of the read-only scan (from the scan's collectors). */
export const SCAN_IAM_ACTIONS: string[] = [
  ...DISCOVERY_ACTIONS,
  'cloudtrail:ListTrails',
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetTrailStatus',
  'cloudtrail:GetEventSelectors',
  'cloudtrail:ListEventDataStores',
  'cloudtrail:GetEventDataStore',
  's3:ListAllMyBuckets',
  's3:GetBucketLocation',
  's3:GetBucketTagging',
  's3:GetBucketVersioning',
  's3:GetBucketObjectLockConfiguration',
  's3:GetBucketLogging',
  's3:GetReplicationConfiguration',
  // Default encryption of server-access-log targets: S3 cannot deliver access logs under SSE-KMS.
  's3:GetEncryptionConfiguration',
  'bedrock:GetModelInvocationLoggingConfiguration',
  'bedrock:ListCustomModels',
  'bedrock:ListModelCustomizationJobs',
  'bedrock:GetModelCustomizationJob',
  'bedrock:ListProvisionedModelThroughputs',
  'bedrock:ListGuardrails',
  ...BEDROCK_AGENT_READ_ACTIONS,
  ...SAGEMAKER_READ_ACTIONS,
  'sagemaker:ListDomains',
  'sagemaker:DescribeDomain',
  'logs:DescribeLogGroups',
  'guardduty:ListDetectors',
  'guardduty:GetDetector',
  'config:DescribeConfigurationRecorders',
  'config:DescribeConfigurationRecorderStatus',
  // AI resources whose data events cloudtrail-ai-data-events judges (src/inventory/ai-resources.ts).
  'bedrock:ListFlows',
  'bedrock:ListPrompts',
  'bedrock-agentcore:ListAgentRuntimes',
  'bedrock-agentcore:ListGateways',
  'bedrock-agentcore:ListMemories',
  'sagemaker:ListFeatureGroups',
  'sagemaker:ListMlflowTrackingServers',
  'qbusiness:ListApplications',
  'qbusiness:ListIndices',
  'qbusiness:ListWebExperiences',
];

/** Actions of `forensight collect` (src/collect/sources/*). */
export const COLLECT_IAM_ACTIONS: string[] = [
  ...DISCOVERY_ACTIONS,
  // The interfaces of SageMaker workloads in the VPC, to tie flow-log records to them.
  'ec2:DescribeNetworkInterfaces',
  'cloudtrail:DescribeTrails',
  'cloudtrail:LookupEvents',
  's3:ListAllMyBuckets',
  's3:GetBucketLocation',
  's3:GetBucketTagging',
  's3:GetBucketLogging',
  's3:ListBucket',
  's3:ListBucketVersions',
  's3:GetObject',
  's3:GetObjectVersion',
  'logs:FilterLogEvents',
  'bedrock:GetModelInvocationLoggingConfiguration',
  'bedrock:ListGuardrails',
  'bedrock:GetGuardrail',
  'bedrock:GetAgent',
  'bedrock:GetKnowledgeBase',
  ...BEDROCK_AGENT_READ_ACTIONS,
  ...SAGEMAKER_READ_ACTIONS,
];

/** What --preserve-to needs on the evidence bucket (granted to the responder, not to the member roles). */
export const PRESERVE_IAM_ACTIONS: string[] = [
  's3:GetBucketObjectLockConfiguration',
  's3:GetBucketLocation',
  's3:PutObject',
  's3:PutObjectRetention',
];
