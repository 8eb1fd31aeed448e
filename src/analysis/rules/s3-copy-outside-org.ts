// AI data copied to a bucket outside the Organization, replicated to one, or rewritten under a KMS key of an
// account outside it (which can lock the owner out: ransomware).
import { isSuccess, type TimelineEvent } from '../event.js';
import { inAiScope } from './s3-external-read.js';
import { attempted, doneOrDenied, finding, isTrail, lower, obj, perEvent, requestParameters, say, str } from './support.js';
import { defineRule, type AnalysisContext, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 's3-copy-outside-org',
  title: 'AI data copied or re-encrypted outside the Organization',
  severity: 'high',
  element: 'data-store-changes',
  techniques: ['T1537', 'T1486'],
  rationale:
    'CopyObject and UploadPartCopy into a bucket owned by an account outside the collected scope, replication rules to such a bucket, and objects rewritten with a KMS key of an outside account all move control of training data or models away from the owner. Bucket and key owners come from the CloudTrail resources list and ARNs.',
  messages: {
    copy: '{actor} copied {source} to {dest} in account {account}, outside the Organization{attempt}',
    kms: '{actor} rewrote {dest} encrypted with KMS key {key} of account {account}, outside the Organization{attempt}',
    replication: '{actor} configured replication of s3://{bucket} to {dest} in account {account}, outside the Organization{attempt}',
  },
  params: {},
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate the credential; remove the replication rule; block the destination account in bucket policies (aws:ResourceAccount / aws:PrincipalOrgID)',
    ],
    recovery: ['Treat the copied objects as disclosed; re-encrypt objects under your own KMS key from the previous versions'],
  },
};

const COPY = new Set(['CopyObject', 'UploadPartCopy', 'PutObject', 'CreateMultipartUpload']);
const ACCOUNT_OF_ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/;
/** The account id an ARN names (null for ARNs without one, e.g. S3 buckets and foundation models). */
export const accountOfArn = (arn: unknown): string | null => (typeof arn === 'string' ? (ACCOUNT_OF_ARN.exec(arn)?.[1] ?? null) : null);

const outside = (account: string | null, e: TimelineEvent, ctx: AnalysisContext): account is string =>
  !!account && account !== e.account && !ctx.knownAccounts.has(account);

/** Owner account of a bucket named in the CloudTrail resources list (present when it is another account's). */
export function bucketOwner(e: TimelineEvent, bucket: string): string | null {
  const list = Array.isArray(e.detail?.resources) ? (e.detail.resources as unknown[]) : [];
  for (const r of list.map(obj)) {
    if (
      r &&
      typeof r.ARN === 'string' &&
      (r.ARN === `arn:aws:s3:::${bucket}` || r.ARN.startsWith(`arn:aws:s3:::${bucket}/`)) &&
      typeof r.accountId === 'string'
    )
      return r.accountId;
  }
  return null;
}

function judge(e: TimelineEvent, ctx: AnalysisContext): { message: string; values: Record<string, string> } | null {
  const p = requestParameters(e);
  const dest = typeof p.bucketName === 'string' ? p.bucketName : null;
  if (!dest) return null;
  if (e.action === 'PutBucketReplication') {
    const rules = obj(p.ReplicationConfiguration)?.Rule ?? obj(p.replicationConfiguration)?.rules;
    for (const rule of (Array.isArray(rules) ? rules : [rules]).map(obj)) {
      const d = obj(rule?.Destination ?? rule?.destination);
      const target = str(d?.Bucket) ?? str(d?.bucket) ?? '';
      const account = str(d?.Account) ?? str(d?.account);
      if (outside(account, e, ctx)) return { message: 'replication', values: { bucket: dest, dest: target, account } };
    }
    return null;
  }
  const source = typeof p['x-amz-copy-source'] === 'string' ? decodeURIComponent(p['x-amz-copy-source']).replace(/^\//, '') : null;
  const sourceBucket = source?.split('/')[0] ?? dest;
  if (!inAiScope(sourceBucket, ctx) && !inAiScope(dest, ctx)) return null;
  const key = p['x-amz-server-side-encryption-aws-kms-key-id'] ?? p.SSEKMSKeyId;
  const keyAccount = accountOfArn(key);
  if (outside(keyAccount, e, ctx)) return { message: 'kms', values: { dest: e.target ?? `s3://${dest}`, key: String(key), account: keyAccount } };
  const owner = bucketOwner(e, dest);
  if (source && e.action !== 'PutObject' && e.action !== 'CreateMultipartUpload' && outside(owner, e, ctx))
    return { message: 'copy', values: { source: `s3://${source}`, dest: e.target ?? `s3://${dest}`, account: owner } };
  return null;
}

export const s3CopyOutsideOrg = defineRule({
  meta,
  create: perEvent((e, ctx) => {
    if (
      !isTrail(e) ||
      e.service !== 's3.amazonaws.com' ||
      !(COPY.has(e.action) || e.action === 'PutBucketReplication') ||
      !doneOrDenied(e) ||
      e.time > ctx.window.end
    )
      return null;
    const v = judge(e, ctx);
    if (!v) return null;
    return finding(meta, [e], say(meta.messages[v.message], { ...v.values, actor: e.actor, attempt: attempted(e) }), {
      severity: isSuccess(e) ? (v.message === 'kms' ? 'critical' : meta.severity) : lower(meta.severity),
    });
  }),
});
