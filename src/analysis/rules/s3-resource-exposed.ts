// S3 buckets and objects opened to everyone or to another account: bucket policies naming "*" (not confined to the
// Organization, a VPC or named accounts) or an account outside the collected scope, and ACLs granting AllUsers,
// AuthenticatedUsers or another account's canonical user, in the body or as a canned x-amz-acl / x-amz-grant-*.
// Public-access-block removal is security-control-removed's; copies and replication are s3-copy-outside-org's.
import { isSuccess, type TimelineEvent } from '../event.js';
import {
  attempted,
  credentialActions,
  doneOrDenied,
  externalOf,
  finding,
  inWindow,
  isTrail,
  lower,
  obj,
  outsideWhom,
  perEvent,
  policyGrantees,
  requestParameters,
  say,
  str,
  TRUSTED_ACCOUNTS_DESCRIPTION,
} from './support.js';
import { defineRule, listParam, type RuleContext, type RuleMeta, type Severity } from './types.js';

interface Params {
  trustedAccounts: readonly string[];
}

const meta: RuleMeta<Params> = {
  id: 's3-resource-exposed',
  title: 'S3 bucket or object opened to the public or to an account outside the Organization',
  severity: 'high',
  element: 'data-store-changes',
  techniques: ['T1530', 'T1098'],
  rationale:
    'Rather than copy data out, an attacker can open it: a bucket policy that allows "*" (without an aws:PrincipalOrgID, VPC or account condition) or an outside account, or an ACL granting AllUsers, AuthenticatedUsers (any AWS account) or another account’s canonical user, on the bucket or on single objects (PutObjectAcl, or a canned public-read ACL on upload). Public is high, critical on an AI data bucket; another account is medium, high on an AI data bucket. A denied attempt is one step lower.',
  messages: {
    policy: '{actor} opened s3://{bucket} to {whom} with a bucket policy{attempt}',
    acl: '{actor} granted {whom} {permission} on {resource} by ACL{attempt}',
  },
  params: { trustedAccounts: listParam([], TRUSTED_ACCOUNTS_DESCRIPTION) },
  needsBaseline: false,
  response: {
    containment: ['Deactivate the credential; restore the bucket policy or ACL; turn on S3 Block Public Access for the bucket and account'],
    recovery: ['Treat the objects as disclosed since the change: list reads from the access log and data events by outside requesters'],
  },
};

const GROUP = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;
const PUBLIC = 'everyone (public)';
const AUTHENTICATED = 'any AWS account (AuthenticatedUsers)';
const CANNED: Record<string, [whom: string, permission: string]> = {
  'public-read': [PUBLIC, 'READ'],
  'public-read-write': [PUBLIC, 'READ and WRITE'],
  'authenticated-read': [AUTHENTICATED, 'READ'],
};
const ACL_ACTIONS = new Set(['PutBucketAcl', 'PutObjectAcl', 'PutObject', 'CopyObject', 'CreateMultipartUpload']);
const GRANT_HEADERS = ['x-amz-grant-read', 'x-amz-grant-write', 'x-amz-grant-read-acp', 'x-amz-grant-write-acp', 'x-amz-grant-full-control'];

/** A header value as CloudTrail records it: a string or a list of strings. */
const header = (v: unknown): string | null => str(v) ?? (Array.isArray(v) ? v.map(str).filter(Boolean).join(',') || null : null);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

interface Exposure {
  whom: string;
  permission: string;
  public: boolean;
}

/** Grants of the ACL body to AllUsers / AuthenticatedUsers or to a canonical user other than the owner. */
function bodyGrants(p: Record<string, unknown>): Exposure[] {
  const policy = obj(p.AccessControlPolicy) ?? obj(p.accessControlPolicy);
  const owner = str(obj(policy?.Owner)?.ID);
  const out: Exposure[] = [];
  for (const g of asList(obj(policy?.AccessControlList)?.Grant).map(obj)) {
    const grantee = obj(g?.Grantee);
    const permission = str(g?.Permission) ?? '?';
    const group = GROUP.exec(str(grantee?.URI) ?? '')?.[1];
    if (group) out.push({ whom: group === 'AllUsers' ? PUBLIC : AUTHENTICATED, permission, public: true });
    const id = str(grantee?.ID);
    const email = str(grantee?.EmailAddress);
    if ((id && owner && id !== owner) || email)
      out.push({ whom: `another account (${id ? `canonical user ${id.slice(0, 16)}…` : 'by e-mail address'})`, permission, public: false });
  }
  return out;
}

function aclExposures(p: Record<string, unknown>): Exposure[] {
  const out = bodyGrants(p);
  const canned = header(p['x-amz-acl'])?.toLowerCase();
  const preset = canned ? CANNED[canned] : undefined;
  if (preset) out.push({ whom: preset[0], permission: preset[1], public: true });
  for (const h of GRANT_HEADERS) {
    const group = GROUP.exec(header(p[h]) ?? '')?.[1];
    if (group)
      out.push({
        whom: group === 'AllUsers' ? PUBLIC : AUTHENTICATED,
        permission: h.slice('x-amz-grant-'.length).toUpperCase().replace('-', '_'),
        public: true,
      });
  }
  return out;
}

function judge(e: TimelineEvent, ctx: RuleContext<Params>): { summary: string; severity: Severity; undo: string } | null {
  const p = requestParameters(e);
  const bucket = str(p.bucketName);
  if (!bucket) return null;
  const ai = ctx.aiBuckets?.has(bucket) ?? false;
  const base = { actor: e.actor, attempt: attempted(e) };
  if (e.action === 'PutBucketPolicy') {
    const outside = externalOf(policyGrantees(p.bucketPolicy ?? p.policy), e, ctx, ctx.params.trustedAccounts);
    if (!outside.length) return null;
    const anyone = outside.includes('*');
    const whom = outsideWhom(outside);
    return {
      summary: say(meta.messages.policy, { ...base, bucket, whom }),
      severity: anyone ? (ai ? 'critical' : 'high') : ai ? 'high' : 'medium',
      undo: `Restore the bucket policy of s3://${bucket} (remove the statement for ${whom}) and turn on Block Public Access`,
    };
  }
  if (!ACL_ACTIONS.has(e.action)) return null;
  const found = aclExposures(p);
  if (!found.length) return null;
  const anyone = found.some((x) => x.public);
  const resource = e.action === 'PutBucketAcl' ? `s3://${bucket}` : (e.target ?? `s3://${bucket}`);
  const whom = [...new Set(found.map((x) => x.whom))].join(' and ');
  const permission = [...new Set(found.map((x) => x.permission))].join(', ');
  return {
    summary: say(meta.messages.acl, { ...base, whom, permission, resource }),
    severity: anyone ? (ai ? 'critical' : 'high') : ai ? 'high' : 'medium',
    undo: `Set the ACL of ${resource} back to private (bucket-owner-full-control) and enforce Object Ownership "bucket owner enforced"`,
  };
}

export const s3ResourceExposed = defineRule<Params>({
  meta,
  create: perEvent((e, ctx: RuleContext<Params>) => {
    if (!isTrail(e) || e.service !== 's3.amazonaws.com' || !doneOrDenied(e) || !inWindow(e, ctx)) return null;
    const v = judge(e, ctx);
    if (!v) return null;
    return finding(meta, [e], v.summary, {
      severity: isSuccess(e) ? v.severity : lower(v.severity),
      actions: [...credentialActions(e), ...(isSuccess(e) ? [{ kind: 'review' as const, target: e.target ?? e.action, text: v.undo }] : [])],
    });
  }),
});
