// The one event shape every evidence source is normalised into, and the total order of the timeline.

export const EVENT_SOURCES = [
  'cloudtrail',
  'cloudtrail-lookup',
  'bedrock-invocation',
  'sagemaker-endpoint-log',
  'sagemaker-data-capture',
  's3-access-log',
  'flow-log',
] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/** Where an event came from in the bundle: the file (bundle-relative) and the line (1-based) and/or record index (0-based). */
export interface EvidenceRef {
  path: string;
  line?: number;
  record?: number;
}

export interface TimelineEvent {
  /** ISO-8601 UTC with milliseconds. */
  time: string;
  source: EventSource;
  account: string | null;
  region: string | null;
  /** Best identity of whoever acted: principal ARN, else access key, else source IP. */
  actor: string | null;
  principal: string | null;
  accessKeyId: string | null;
  /** Source IP (zero-padded IPv4 octets normalised), or an AWS service name for service-originated calls. */
  sourceIp: string | null;
  /** Service that handled the call (CloudTrail eventSource, e.g. cloudtrail.amazonaws.com). */
  service: string | null;
  action: string;
  target: string | null;
  /** 'success' or the error code. */
  outcome: string;
  /** The first record that saw this request; always equals evidence[0]. */
  evidenceRef: EvidenceRef;
  /** Every record that saw this request (a CloudTrail data event and the access-log line of the same GET are one event, two refs). */
  evidence: EvidenceRef[];
  /** Every source that saw this request (sources[0] === source, the record the event's fields come from). */
  sources?: EventSource[];
  /** CloudTrail requestID, S3 access-log Request ID, Bedrock invocation requestId: what joins the sources of one request. */
  requestId: string | null;
  /**
   * The actor this event belongs to: a long-term access key id (AKIA...); for temporary keys the role session ARN
   * (arn:<p>:sts::<acct>:assumed-role/<Role>/<session>) so every key of one session rolls up; else the principal
   * ARN; else the source IP.
   */
  actorKey: string | null;
  /** CloudTrail userIdentity.type (IAMUser, AssumedRole, Root, AWSService, ...). */
  userType: string | null;
  /** Role ARN of the session issuer, for assumed-role sessions. */
  sessionIssuer: string | null;
  sourceIdentity: string | null;
  userAgent: string | null;
  /** baseline = from a baseline manifest item, or before the window start. */
  phase: EventPhase;
  /** Bytes sent to the requester (S3 GET bytes, flow-log bytes leaving an AI ENI). */
  bytesOut: number | null;
  bytesIn: number | null;
  /** Source-specific fields rules look at (request parameters, MFA flag, invocation input/output...). Attacker-controlled. */
  detail?: Record<string, unknown>;
}

export type EventPhase = 'baseline' | 'incident';

export const isSuccess = (e: Pick<TimelineEvent, 'outcome'>): boolean => e.outcome === 'success';

/** Timeline order: time, then file, then line, then record; deterministic whatever order files were read in. */
export function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  return compareRefs(a.evidenceRef, b.evidenceRef);
}

export function compareRefs(a: EvidenceRef, b: EvidenceRef): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  const la = a.line ?? 0;
  const lb = b.line ?? 0;
  if (la !== lb) return la - lb;
  return (a.record ?? 0) - (b.record ?? 0);
}

export function refLabel(ref: EvidenceRef): string {
  return `${ref.path}${ref.line !== undefined ? `:${ref.line}` : ''}${ref.record !== undefined ? `#${ref.record}` : ''}`;
}
