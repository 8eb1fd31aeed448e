// SDK command -> IAM action, and the scan and collection roles as the union of the declarations of the modules
// they call AWS through (each module declares its actions beside its calls). Data, so the role template, its
// tests and the read-only tests all check recorded calls against the same table.
import { IAM_ACTIONS as CREDENTIALS } from '../aws/credentials.js';
import { IAM_ACTIONS as ORGANIZATION } from '../aws/organization.js';
import { IAM_ACTIONS as REGIONS } from '../aws/regions.js';
import { IAM_ACTIONS as AI_RESOURCES } from '../inventory/ai-resources.js';
import { IAM_ACTIONS as AVAILABILITY } from '../inventory/availability.js';
import { IAM_ACTIONS as BEDROCK } from '../inventory/bedrock.js';
import { IAM_ACTIONS as CLOUDTRAIL } from '../inventory/cloudtrail.js';
import { IAM_ACTIONS as DETECTION } from '../inventory/detection.js';
import { IAM_ACTIONS as LOGS } from '../inventory/logs.js';
import { IAM_ACTIONS as NETWORK } from '../inventory/network.js';
import { IAM_ACTIONS as S3 } from '../inventory/s3.js';
import { IAM_ACTIONS as SAGEMAKER } from '../inventory/sagemaker.js';
import { unionOfActions, type IamAction } from '../model/iam.js';
import { IAM_ACTIONS as COLLECTOR } from './collector.js';
import { PRESERVE_IAM_ACTIONS } from './preserve.js';
import { IAM_ACTIONS as SOURCE_AI_NETWORK } from './sources/ai-network.js';
import { IAM_ACTIONS as SOURCE_BEDROCK } from './sources/bedrock.js';
import { IAM_ACTIONS as SOURCE_CLOUDTRAIL } from './sources/cloudtrail.js';
import { IAM_ACTIONS as SOURCE_CONTEXT } from './sources/context.js';
import { IAM_ACTIONS as SOURCE_CWLOGS } from './sources/cwlogs.js';
import { IAM_ACTIONS as SOURCE_FLOW_LOGS } from './sources/flow-logs.js';
import { IAM_ACTIONS as SOURCE_LOOKUP_EVENTS } from './sources/lookup-events.js';
import { IAM_ACTIONS as SOURCE_S3 } from './sources/s3.js';
import { IAM_ACTIONS as SOURCE_SAGEMAKER } from './sources/sagemaker.js';

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

/** The modules the scan reaches AWS through, each with its declaration: the scan role is their union. */
export const SCAN_IAM_DECLARATIONS: Readonly<Record<string, readonly IamAction[]>> = {
  'src/aws/credentials.ts': CREDENTIALS,
  'src/aws/organization.ts': ORGANIZATION,
  'src/aws/regions.ts': REGIONS,
  'src/inventory/ai-resources.ts': AI_RESOURCES,
  'src/inventory/availability.ts': AVAILABILITY,
  'src/inventory/bedrock.ts': BEDROCK,
  'src/inventory/cloudtrail.ts': CLOUDTRAIL,
  'src/inventory/detection.ts': DETECTION,
  'src/inventory/logs.ts': LOGS,
  'src/inventory/network.ts': NETWORK,
  'src/inventory/s3.ts': S3,
  'src/inventory/sagemaker.ts': SAGEMAKER,
};

/** The modules `forensight collect` reaches AWS through: the collection role is their union. */
export const COLLECT_IAM_DECLARATIONS: Readonly<Record<string, readonly IamAction[]>> = {
  'src/aws/credentials.ts': CREDENTIALS,
  'src/aws/organization.ts': ORGANIZATION,
  'src/aws/regions.ts': REGIONS,
  'src/collect/collector.ts': COLLECTOR,
  'src/collect/sources/ai-network.ts': SOURCE_AI_NETWORK,
  'src/collect/sources/bedrock.ts': SOURCE_BEDROCK,
  'src/collect/sources/cloudtrail.ts': SOURCE_CLOUDTRAIL,
  'src/collect/sources/context.ts': SOURCE_CONTEXT,
  'src/collect/sources/cwlogs.ts': SOURCE_CWLOGS,
  'src/collect/sources/flow-logs.ts': SOURCE_FLOW_LOGS,
  'src/collect/sources/lookup-events.ts': SOURCE_LOOKUP_EVENTS,
  'src/collect/sources/s3.ts': SOURCE_S3,
  'src/collect/sources/sagemaker.ts': SOURCE_SAGEMAKER,
};

/** Actions of the read-only scan role. */
export const SCAN_IAM_ACTIONS: IamAction[] = unionOfActions(...Object.values(SCAN_IAM_DECLARATIONS));

/** Actions of the collection role. */
export const COLLECT_IAM_ACTIONS: IamAction[] = unionOfActions(...Object.values(COLLECT_IAM_DECLARATIONS));

export { PRESERVE_IAM_ACTIONS };
