// Shared pieces of the Bedrock invocation-logging checks: one result per scanned region, severity high where
// the region has Bedrock footprint or the footprint is unknown (conservative), low where it is known absent
// (Bedrock can still be invoked on demand without any resource to show for it).
import type { BedrockLoggingConfig, RegionInventory } from '../../src/model/inventory.js';
import type { CheckContext, Finding } from '../types.js';
import type { Severity } from '../../src/model/scan.js';
import { bedrockLoggingArn } from './arns.js';
import { bedrockFootprint, scannedRegions, type ServiceFootprint } from './footprint.js';
import { finding, type Status } from './results.js';

export function bedrockSeverity(fp: ServiceFootprint): Severity {
  return fp.status === 'absent' ? 'low' : 'high';
}

export function footprintNote(fp: ServiceFootprint): string {
  if (fp.status === 'present') return 'Bedrock is in use in this region';
  if (fp.status === 'absent') return 'no Bedrock resources in this region';
  return `Bedrock footprint unknown (${fp.unreadable.join('; ')}), judged as if in use`;
}

export type LoggingJudge = (
  cfg: BedrockLoggingConfig | null,
  r: RegionInventory,
  ctx: CheckContext,
) => { status: Status; reason: string; evidence?: Record<string, unknown> };

export function perBedrockRegion(ctx: CheckContext, judge: LoggingJudge, fixedSeverity?: Severity): Finding[] {
  const { account } = ctx;
  return scannedRegions(account).map((r) => {
    const fp = bedrockFootprint(r);
    const sev = fixedSeverity ?? bedrockSeverity(fp);
    const arn = bedrockLoggingArn(r.region, account.accountId);
    const fpEv = { bedrockFootprint: fp.status, counts: fp.counts };
    if (!r.bedrock.logging.ok)
      return finding(account, r.region, arn, 'NOT_ASSESSED', `Bedrock invocation logging settings in ${r.region} could not be read: ${r.bedrock.logging.reason}`, fpEv, sev);
    const v = judge(r.bedrock.logging.value, r, ctx);
    return finding(account, r.region, arn, v.status, `${v.reason} (${footprintNote(fp)})`, { ...(v.evidence ?? {}), ...fpEv }, sev);
  });
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
