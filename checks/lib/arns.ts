// ARN builders for check results. Real ARNs where AWS has them; stable pseudo-ARNs for account-level,
// region-level and account × type settings so every result has a unique, predictable resourceArn.

export const PARTITION = 'aws';

/** The account itself (account-level results). */
export const accountArn = (accountId: string): string => `arn:${PARTITION}:iam::${accountId}:root`;

export const bucketArn = (bucket: string): string => `arn:${PARTITION}:s3:::${bucket}`;

export const vpcArn = (region: string, accountId: string, vpcId: string): string =>
  `arn:${PARTITION}:ec2:${region}:${accountId}:vpc/${vpcId}`;

export const logGroupArn = (region: string, accountId: string, name: string): string =>
  `arn:${PARTITION}:logs:${region}:${accountId}:log-group:${name}`;

/** Log group ARNs come with and without the trailing ":*"; results always use the form without it. */
export const normalizeLogGroupArn = (arn: string): string => arn.replace(/:\*$/, '');

export const bedrockLoggingArn = (region: string, accountId: string): string =>
  `arn:${PARTITION}:bedrock:${region}:${accountId}:model-invocation-logging`;

export const guardDutyArn = (region: string, accountId: string): string =>
  `arn:${PARTITION}:guardduty:${region}:${accountId}:detector`;

export const configRecorderArn = (region: string, accountId: string): string =>
  `arn:${PARTITION}:config:${region}:${accountId}:configuration-recorder`;

/** Account × data-event resource type, e.g. arn:aws:cloudtrail::111122223333:data-events/AWS::SageMaker::Endpoint */
export const dataEventsArn = (accountId: string, resourceType: string): string =>
  `arn:${PARTITION}:cloudtrail::${accountId}:data-events/${resourceType}`;

/** All SageMaker endpoints of a region, for region-level results of the endpoint check. */
export const sagemakerEndpointsArn = (region: string, accountId: string): string =>
  `arn:${PARTITION}:sagemaker:${region}:${accountId}:endpoint/*`;

/** All log groups of a region, for region-level results of the retention check. */
export const logGroupsArn = (region: string, accountId: string): string =>
  `arn:${PARTITION}:logs:${region}:${accountId}:log-group:*`;

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  return {
    partition: parts[1] ?? '',
    service: parts[2] ?? '',
    region: parts[3] ?? '',
    accountId: parts[4] ?? '',
    resource: parts.slice(5).join(':'),
  };
}

/** Log group ARN -> {region, accountId, name}; null if it is not a log group ARN. */
export function parseLogGroupArn(arn: string): { region: string; accountId: string; name: string } | null {
  const p = parseArn(normalizeLogGroupArn(arn));
  if (!p || p.service !== 'logs' || !p.resource.startsWith('log-group:')) return null;
  return { region: p.region, accountId: p.accountId, name: p.resource.slice('log-group:'.length) };
}
