// Shared driver for the per-bucket checks: picks the account's buckets of a kind, reports buckets that
// cannot be assessed or do not exist, an account-level NOT_ASSESSED when some bucket sources could not be
// read, and an account-level NOT_APPLICABLE when the account has no bucket of that kind.
import type { CheckContext, Finding } from '../types.js';
import type { BucketInfo } from '../../src/model/inventory.js';
import { bucketArn, partitionOfAccount } from './arns.js';
import { bucketRegion, bucketsForAccount, classifiedBuckets, unreadableFor, type BucketRole, type ClassifiedBucket } from './buckets.js';
import { accountVerdict, fromVerdict, type Verdict } from './results.js';

/** Codes every per-bucket check can emit through this driver. */
export const BUCKET_CHECK_CODES = {
  'bucket-missing': 'A resource references the bucket but it does not exist, so nothing it should hold is kept.',
  'not-collected': 'The bucket was not collected, so its properties could not be read.',
  'owned-outside-scan': 'The bucket is owned outside the scanned accounts, so its properties could not be read.',
  'sources-unreadable': 'Some sources that reference buckets of this kind could not be read, so the list may be incomplete.',
  'no-buckets': 'The account has no bucket of this kind.',
} as const;

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
      out.push(
        fromVerdict(account, bucketRegion(a.bucket.info), arn, {
          status: 'NOT_ASSESSED',
          code: a.code,
          reason: a.reason,
          evidence: { bucket: a.bucket.name, ...roles },
        }),
      );
      continue;
    }
    if (a.kind === 'missing') {
      const by = a.bucket.references.filter((r) => r.accountId === account.accountId).map((r) => r.source);
      out.push(
        fromVerdict(account, 'global', arn, {
          status: 'FAIL',
          code: 'bucket-missing',
          reason: `${a.reason}, but ${by.slice(0, 3).join(', ')} ${by.length === 1 ? 'refers' : 'refer'} to it`,
          evidence: { bucket: a.bucket.name, exists: false, ...roles },
        }),
      );
      continue;
    }
    const v = spec.judge(a.bucket, a.info, ctx);
    out.push(fromVerdict(account, bucketRegion(a.info), arn, { ...v, evidence: { ...(v.evidence ?? {}), ...roles } }));
  }
  const unread = unreadableFor(cls, account.accountId, spec.roles);
  if (unread.length > 0) {
    out.push(
      accountVerdict(account, {
        status: 'NOT_ASSESSED',
        code: 'sources-unreadable',
        reason: `Some ${spec.noun}s of account ${account.accountId} may be missing because ${unread.join('; ')}`,
        evidence: { unreadable: unread },
      }),
    );
  } else if (out.length === 0) {
    out.push(accountVerdict(account, { status: 'NOT_APPLICABLE', code: 'no-buckets', reason: `Account ${account.accountId} has no ${spec.noun}s` }));
  }
  return out;
}
