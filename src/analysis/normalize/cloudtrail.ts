// CloudTrail records (trail files, LookupEvents) -> TimelineEvent. Tolerates lower-cased keys, a LookupEvents
// item carrying the record as its `CloudTrailEvent` string, and identities without an access key.
import { eventTimeOf, type CloudTrailRecord } from '../../collect/parsers/cloudtrail.js';
import type { EventSource } from '../event.js';
import { normaliseIp } from '../ip.js';
import { count, eventOf, fail, field, obj, str, toIso, type Normalised, type RecordContext } from './common.js';

const TARGET_KEYS = [
  'trailName',
  'name',
  'roleName',
  'userName',
  'groupName',
  'policyArn',
  'endpointName',
  'endpointConfigName',
  'modelName',
  'modelId',
  'guardrailIdentifier',
  'agentId',
  'knowledgeBaseId',
  'logGroupName',
  'functionName',
  'secretId',
  'instanceId',
  'resolverQueryLogConfigId',
  'notebookInstanceName',
  'trainingJobName',
  'processingJobName',
  'detectorId',
  'configurationRecorderName',
];

function cloudTrailTarget(record: Record<string, unknown>): string | null {
  const req = obj(field(record, 'requestParameters'));
  if (req) {
    const bucket = str(req.bucketName);
    if (bucket) return `s3://${bucket}${str(req.key) ? `/${String(req.key)}` : ''}`;
    for (const k of TARGET_KEYS) if (str(req[k])) return String(req[k]);
    const flow = obj(obj(req.DeleteFlowLogsRequest)?.FlowLogId);
    if (flow && str(flow.content)) return String(flow.content);
    const ids = req.flowLogIds ?? req.FlowLogIds;
    if (Array.isArray(ids)) return ids.map(String).join(',');
  }
  const resources = field(record, 'resources');
  if (Array.isArray(resources)) {
    const first = obj(resources[0]);
    if (first && str(first.ARN)) return String(first.ARN);
  }
  return null;
}

/** The CloudTrail record itself: LookupEvents items and some exports wrap it as a JSON string in `CloudTrailEvent`. */
export function unwrapCloudTrail(record: Record<string, unknown>): Record<string, unknown> {
  const wrapped = field(record, 'CloudTrailEvent');
  if (typeof wrapped === 'string') {
    try {
      const inner = obj(JSON.parse(wrapped));
      if (inner) return inner;
    } catch {
      // fall back to the outer fields
    }
  } else if (obj(wrapped)) return obj(wrapped)!;
  return record;
}

/** Bytes of S3 data events (additionalEventData.bytesTransferredOut / In). */
function transferred(additional: Record<string, unknown> | null): { bytesOut: number | null; bytesIn: number | null } {
  return { bytesOut: count(additional?.bytesTransferredOut), bytesIn: count(additional?.bytesTransferredIn) };
}

export function fromCloudTrail(
  input: CloudTrailRecord | Record<string, unknown>,
  ctx: RecordContext,
  source: EventSource = 'cloudtrail',
): Normalised {
  const record = unwrapCloudTrail(input);
  const t = eventTimeOf({ eventTime: field(record, 'eventTime') });
  if (!t) return fail(`unreadable eventTime ${JSON.stringify(field(record, 'eventTime') ?? null)}`);
  const time = toIso(t);
  if (!time) return fail('unreadable eventTime');
  const identity = obj(field(record, 'userIdentity')) ?? {};
  const sessionContext = obj(field(identity, 'sessionContext'));
  const issuer = obj(field(sessionContext, 'sessionIssuer'));
  const userType = str(field(identity, 'type'));
  const principal =
    str(field(identity, 'arn')) ??
    str(field(issuer, 'arn')) ??
    (userType === 'AWSService' ? str(field(identity, 'invokedBy')) : null) ??
    str(field(identity, 'principalId'));
  const accessKeyId = str(field(identity, 'accessKeyId'));
  const sourceIp = normaliseIp(field(record, 'sourceIPAddress'));
  const eventType = field(record, 'eventType');
  const insight = eventType === 'AwsCloudTrailInsight' ? obj(field(record, 'insightDetails')) : null;
  const action = insight
    ? `Insight:${str(insight.eventName) ?? '?'}:${str(insight.state) ?? '?'}`
    : (str(field(record, 'eventName')) ?? '(no eventName)');
  const service = insight ? str(insight.eventSource) : str(field(record, 'eventSource'));
  const response = obj(field(record, 'responseElements'));
  const errorCode = str(field(record, 'errorCode'));
  const outcome = errorCode ?? (response?.ConsoleLogin === 'Failure' ? 'ConsoleLoginFailure' : 'success');
  const attributes = obj(field(sessionContext, 'attributes'));
  const userAgent = str(field(record, 'userAgent'));
  const additional = obj(field(record, 'additionalEventData'));
  const detail: Record<string, unknown> = {
    eventID: field(record, 'eventID') ?? null,
    eventType: eventType ?? null,
    userIdentityType: userType,
    userAgent,
    readOnly: field(record, 'readOnly') ?? null,
  };
  const requestParameters = field(record, 'requestParameters');
  if (requestParameters != null) detail.requestParameters = requestParameters;
  if (additional) detail.additionalEventData = additional;
  if (response) detail.responseElements = response;
  const errorMessage = field(record, 'errorMessage');
  if (errorMessage != null) detail.errorMessage = errorMessage;
  const mfa = field(attributes, 'mfaAuthenticated');
  if (mfa != null) detail.mfaAuthenticated = mfa;
  if (insight) detail.insightDetails = insight;
  const resources = field(record, 'resources');
  if (Array.isArray(resources)) detail.resources = resources.slice(0, 10); // owner accounts of cross-account buckets and keys
  const recipient = str(field(record, 'recipientAccountId'));
  return eventOf(ctx, {
    time,
    source,
    account: recipient ?? str(field(identity, 'accountId')) ?? ctx.account,
    region: str(field(record, 'awsRegion')) ?? ctx.region,
    actor: principal ?? accessKeyId ?? sourceIp,
    principal,
    accessKeyId,
    sourceIp,
    service,
    action,
    target: cloudTrailTarget(record),
    outcome,
    requestId: str(field(record, 'requestID')),
    userType,
    sessionIssuer: str(field(issuer, 'arn')),
    sourceIdentity: str(field(identity, 'sourceIdentity')) ?? str(field(sessionContext, 'sourceIdentity')),
    userAgent,
    ...transferred(additional),
    detail,
  });
}
