// The hunt's own permissions, as a separate managed policy in the role template: attached to neither forensic
// role, created only when the trail bucket is named, for whoever runs `forensight hunt` in the account that
// holds the organization trail table (or the Lake event data store). Athena reads the trail and writes its
// results with the caller's credentials, so those S3 permissions belong to the caller too.
import { IAM_ACTIONS as ATHENA_ACTIONS } from './athena.js';
import { IAM_ACTIONS as HUNT_COPY_ACTIONS } from './collect.js';
import { IAM_ACTIONS as LAKE_ACTIONS } from './lake.js';

/** What `forensight hunt` itself calls, per way of hunting: the declarations beside those calls. */
export const HUNT_CALLED_ACTIONS = { athena: ATHENA_ACTIONS, lake: LAKE_ACTIONS, collect: HUNT_COPY_ACTIONS } as const;

const sub = (s: string) => ({ 'Fn::Sub': s });
const TRAIL_BUCKET = 'arn:${AWS::Partition}:s3:::${HuntTrailBucket}';
const RESULTS_BUCKET = 'arn:${AWS::Partition}:s3:::${HuntResultsBucket}';

export const HUNT_POLICY_PARAMETERS = {
  HuntTrailBucket: {
    Type: 'String',
    Default: '',
    AllowedPattern: '^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    Description: 'Bucket of the organization trail: when set, the separate `forensight hunt` policy is created (attached to neither role).',
  },
  HuntResultsBucket: {
    Type: 'String',
    Default: '',
    AllowedPattern: '^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    Description: 'Bucket of the Athena query results location (hunt policy).',
  },
  HuntWorkGroup: {
    Type: 'String',
    Default: 'primary',
    AllowedPattern: '^[A-Za-z0-9._-]{1,128}$',
    Description: 'Athena workgroup the hunt runs in (hunt policy).',
  },
  HuntDatabase: {
    Type: 'String',
    Default: 'forensight',
    AllowedPattern: '^[a-z0-9_]{1,255}$',
    Description: 'Glue database of the trail table (hunt policy).',
  },
} as const;

export const HUNT_POLICY_CONDITION = { CreateHuntPolicy: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'HuntTrailBucket' }, ''] }] } };

export function huntPolicy(): Record<string, unknown> {
  return {
    Type: 'AWS::IAM::ManagedPolicy',
    Condition: 'CreateHuntPolicy',
    Properties: {
      Description:
        'forensight hunt: query the organization trail in place (Athena over its table, or CloudTrail Lake) and copy the matching log files',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'HuntAthenaQuery',
            Effect: 'Allow',
            Action: [...HUNT_CALLED_ACTIONS.athena],
            Resource: sub('arn:${AWS::Partition}:athena:*:${AWS::AccountId}:workgroup/${HuntWorkGroup}'),
          },
          {
            Sid: 'HuntGlueTable',
            Effect: 'Allow',
            Action: ['glue:GetDatabase', 'glue:GetTable'],
            Resource: [
              sub('arn:${AWS::Partition}:glue:*:${AWS::AccountId}:catalog'),
              sub('arn:${AWS::Partition}:glue:*:${AWS::AccountId}:database/${HuntDatabase}'),
              sub('arn:${AWS::Partition}:glue:*:${AWS::AccountId}:table/${HuntDatabase}/*'),
            ],
          },
          { Sid: 'HuntReadTrail', Effect: 'Allow', Action: ['s3:GetObject'], Resource: sub(`${TRAIL_BUCKET}/*`) },
          { Sid: 'HuntListTrail', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: sub(TRAIL_BUCKET) },
          {
            Sid: 'HuntWriteResults',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
            Resource: sub(`${RESULTS_BUCKET}/*`),
          },
          { Sid: 'HuntListResults', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: sub(RESULTS_BUCKET) },
          {
            Sid: 'HuntLakeQuery',
            Effect: 'Allow',
            Action: [...HUNT_CALLED_ACTIONS.lake],
            Resource: sub('arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:eventdatastore/*'),
          },
        ],
      },
    },
  };
}
