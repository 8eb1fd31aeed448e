// Shared driver for the per-bucket checks: picks the account's buckets of a kind, reports buckets that
// cannot be assessed, an account-level NOT_ASSESSED when some bucket sources could not be read, and an
// account-level NOT_APPLICABLE when the account has no bucket of that kind.
import type { CheckContext, Finding } from '../types.js';
import type { BucketInfo } from '../../src/model/inventory.js';
import { bucketArn, partitionOfAccount } from './arns.js';
import {
  bucketRegion,
  bucketsForAccount,
  classifiedBuckets,
  unreadableFor,
  type BucketRole,
  type ClassifiedBucket,
  type Verdict,
} from './buckets.js';
import { accountFinding, finding } from './results.js';

export interface BucketCheckSpec {
  /** "AI data bucket", "log bucket", ... for reasons. */
  noun: string;
  roles: readonly BucketRole[];
  filter: (b: ClassifiedBucket) => boolean;
  judge: (bucket: ClassifiedBucket, info: BucketInfo, ctx: CheckContext) => Verdict;
}

export function runBucketCheck(ctx: CheckContext, spec: BucketCheckSpec): Finding[] {
  const { account } = ctx;
  const cls = classifiedBuckets(ctx);
  const out: Finding[] = [];
  for (const a of bucketsForAccount(cls, account, spec.filter)) {
    const arn = bucketArn(a.bucket.name, partitionOfAccount(account));
    const roles = { roles: a.bucket.roles, referencedBy: a.bucket.references.map((r) => r.source).slice(0, 10) };
    if (a.kind === 'unassessable') {
      out.push(finding(account, bucketRegion(a.bucket.info), arn, 'NOT_ASSESSED', a.reason, { bucket: a.bucket.name, ...roles }));
      continue;
    }
    const v = spec.judge(a.bucket, a.info, ctx);
    out.push(finding(account, bucketRegion(a.info), arn, v.status, v.reason, { ...v.evidence, ...roles }));
  }
  const unread = unreadableFor(cls, account.accountId, spec.roles);
  if (unread.length > 0) {
    out.push(accountFinding(account, 'NOT_ASSESSED', `Some ${spec.noun}s of account ${account.accountId} may be missing because ${unread.join('; ')}`, { unreadable: unread }));
  } else if (out.length === 0) {
    out.push(accountFinding(account, 'NOT_APPLICABLE', `Account ${account.accountId} has no ${spec.noun}s`));
  }
  return out;
}
