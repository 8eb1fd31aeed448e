// Shared pieces of the Bedrock invocation-logging checks: one result per scanned region, severity high where
// the region has Bedrock footprint or the footprint is unknown (conservative), low where it is known absent
// (Bedrock can still be invoked on demand without any resource to show for it).
import type { BedrockLoggingConfig, RegionInventory } from '../../src/model/inventory.js';
import type { CheckContext, Finding } from '../types.js';
import type { Severity } from '../../src/model/scan.js';
import { bedrockLoggingArn } from './arns.js';
import { bedrockFootprint, scannedRegions, type ServiceFootprint } from './footprint.js';
import { bucketDestinationProblem, logGroupProblem } from './destinations.js';
import { fromVerdict, noRegionScanned, type Verdict } from './results.js';

export function bedrockSeverity(fp: ServiceFootprint): Severity {
  return fp.status === 'absent' ? 'low' : 'high';
}

export function footprintNote(fp: ServiceFootprint): string {
  if (fp.status === 'present') return 'Bedrock is in use in this region';
  if (fp.status === 'absent') return 'no Bedrock resources in this region';
  return `Bedrock footprint unknown (${fp.unreadable.join('; ')}), judged as if in use`;
}

export type LoggingJudge = (cfg: BedrockLoggingConfig | null, r: RegionInventory, ctx: CheckContext) => Verdict;

export function perBedrockRegion(ctx: CheckContext, judge: LoggingJudge, fixedSeverity?: Severity): Finding[] {
  const { account } = ctx;
  const none = noRegionScanned(account);
  if (none) return [none];
  return scannedRegions(account).map((r) => {
    const fp = bedrockFootprint(r);
    const sev = fixedSeverity ?? bedrockSeverity(fp);
    const arn = bedrockLoggingArn(r.region, account.accountId);
    const fpEv = { bedrockFootprint: fp.status, counts: fp.counts };
    if (!r.bedrock.logging.ok)
      return fromVerdict(
        account,
        r.region,
        arn,
        {
          status: 'NOT_ASSESSED',
          code: 'not-readable',
          reason: `Bedrock invocation logging settings in ${r.region} could not be read: ${r.bedrock.logging.reason}`,
          evidence: fpEv,
        },
        sev,
      );
    const v = judge(r.bedrock.logging.value, r, ctx);
    return fromVerdict(
      account,
      r.region,
      arn,
      { ...v, reason: `${v.reason} (${footprintNote(fp)})`, evidence: { ...(v.evidence ?? {}), ...fpEv } },
      sev,
    );
  });
}

/** AWS: "Only destinations from the same account and Region are supported" (Bedrock model invocation logging). */
export const BEDROCK_DESTINATION_RULE = 'Bedrock delivers invocation logs only to destinations in the same account and Region';

export interface InvocationLogDestinations {
  /** Destinations that exist where Bedrock delivers: "S3 bucket b", "log group g". */
  working: string[];
  /** Why each other configured destination receives nothing (FAIL) or could not be confirmed (NOT_ASSESSED). */
  problems: Verdict[];
}

/** Judges every destination of a logging configuration (S3 and CloudWatch Logs) against AWS's delivery rules. */
export function invocationLogDestinations(ctx: CheckContext, cfg: BedrockLoggingConfig, r: RegionInventory): InvocationLogDestinations {
  const out: InvocationLogDestinations = { working: [], problems: [] };
  if (cfg.s3) {
    const p = bucketDestinationProblem(ctx.inventory, cfg.s3.bucketName, {
      what: 'Invocation-log bucket',
      sameAccountAs: ctx.account,
      sameRegion: r.region,
      rule: BEDROCK_DESTINATION_RULE,
    });
    if (p) out.problems.push(p);
    else out.working.push(`S3 bucket ${cfg.s3.bucketName}`);
  }
  if (cfg.cloudWatch) {
    const p = logGroupProblem(r, cfg.cloudWatch.logGroupName, 'Invocation log group');
    if (p) out.problems.push(p);
    else out.working.push(`log group ${cfg.cloudWatch.logGroupName}`);
  }
  return out;
}

/** The verdict when no configured destination works: FAIL if every problem is a FAIL, else NOT_ASSESSED. */
export function noWorkingDestination(d: InvocationLogDestinations, region: string): Verdict {
  const failed = d.problems.filter((p) => p.status === 'FAIL');
  const unknown = d.problems.filter((p) => p.status !== 'FAIL');
  const reasons = d.problems.map((p) => p.reason).join('; ');
  const evidence = { destinations: d.problems.map((p) => ({ code: p.code, ...(p.evidence ?? {}) })) };
  if (unknown.length > 0)
    return {
      status: 'NOT_ASSESSED',
      code: unknown[0]!.code,
      reason: `No invocation-log destination in ${region} could be confirmed: ${reasons}`,
      evidence,
    };
  return {
    status: 'FAIL',
    code: failed[0]?.code ?? 'no-destination',
    reason: `Bedrock invocation logs in ${region} reach no destination: ${reasons}`,
    evidence,
  };
}

/** Terraform for invocation logging with text to S3: the remediation of all three Bedrock logging checks. */
export const BEDROCK_LOGGING_TERRAFORM = [
  'resource "aws_bedrock_model_invocation_logging_configuration" "this" {',
  '  logging_config {',
  '    text_data_delivery_enabled = true',
  '    s3_config {',
  '      bucket_name = aws_s3_bucket.invocation_logs.id',
  '      key_prefix  = "bedrock/"',
  '    }',
  '  }',
  '}',
].join('\n');
