// AWS Security Finding Format (ASFF 2018-10-08) for Security Hub: one finding per scan result. The file is
// written at scan time; `forensight export securityhub` imports it. With the default product ARN
// (arn:<partition>:securityhub:<region>:<account>:product/<account>/default) Security Hub accepts a finding only
// from the account it names (AwsAccountId), so each finding carries the product ARN of its own account; the
// import sets the region of the Security Hub it writes to. Ids are stable, so a re-import updates.
import type { CheckResult, ResultStatus, ScanDocument, Severity } from '../../src/model/scan.js';
import { acceptedOf, controlLabels, PRODUCT_NAME, resultUid, type MachineCatalogue } from './common.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** Limits of the AwsSecurityFinding shape (Security Hub API reference). */
export const ASFF_LIMITS = {
  id: 512,
  title: 256,
  description: 1024,
  recommendationText: 512,
  statusReasonDescription: 2048,
  findingsPerBatch: 100,
} as const;

export type AsffFinding = Record<string, unknown> & { Id: string; ProductArn: string; AwsAccountId: string; Region?: string };

const ASFF_SEVERITY: Record<Severity, { Label: string; Normalized: number }> = {
  critical: { Label: 'CRITICAL', Normalized: 90 },
  high: { Label: 'HIGH', Normalized: 70 },
  medium: { Label: 'MEDIUM', Normalized: 40 },
  low: { Label: 'LOW', Normalized: 1 },
};

const ASFF_COMPLIANCE: Record<ResultStatus, string> = { PASS: 'PASSED', FAIL: 'FAILED', NOT_ASSESSED: 'WARNING', NOT_APPLICABLE: 'NOT_AVAILABLE' };

/** Types use the ASFF taxonomy namespace/category/classifier. */
const FINDING_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards/forensight readiness';

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export function partitionOfArn(arn: string): string {
  return arn.startsWith('arn:') ? (arn.split(':')[1] ?? 'aws') : 'aws';
}

export function defaultProductArn(partition: string, region: string, accountId: string): string {
  return `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/** ASFF resource types are AWS resource types in PascalCase (AwsS3Bucket, AwsCloudTrailTrail); "Other" otherwise. */
function resourceType(arn: string): string {
  const [, , service, , , rest] = arn.split(':');
  if (service === 's3' && rest && !rest.includes('/')) return 'AwsS3Bucket';
  if (service === 'cloudtrail') return 'AwsCloudTrailTrail';
  if (service === 'ec2' && rest?.startsWith('vpc/')) return 'AwsEc2Vpc';
  if (service === 'logs') return 'AwsLogsLogGroup';
  if (service === 'sagemaker' && rest?.startsWith('endpoint/')) return 'AwsSageMakerEndpoint';
  if (service === 'iam' && rest?.startsWith('role/')) return 'AwsIamRole';
  return 'Other';
}

export function asffFinding(doc: ScanDocument, r: CheckResult, catalogue: MachineCatalogue, homeRegion: string): AsffFinding {
  const meta = catalogue.checks.find((c) => c.id === r.checkId);
  const partition = partitionOfArn(r.resourceArn);
  const region = r.region === 'global' ? homeRegion : r.region;
  const severity = ASFF_SEVERITY[r.severity];
  const types = [FINDING_TYPE];
  const accepted = acceptedOf(r);
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: cut(resultUid(r), ASFF_LIMITS.id),
    ProductArn: defaultProductArn(partition, region, r.accountId),
    ProductName: PRODUCT_NAME,
    CompanyName: PRODUCT_NAME,
    GeneratorId: `forensight/${r.checkId}`,
    AwsAccountId: r.accountId,
    AwsAccountName: doc.accounts.find((a) => a.accountId === r.accountId)?.name,
    Region: region,
    Types: types,
    CreatedAt: doc.startedAt,
    UpdatedAt: doc.finishedAt,
    Severity: { Label: severity.Label, Normalized: severity.Normalized, Original: r.severity },
    FindingProviderFields: { Severity: { Label: severity.Label, Original: r.severity }, Types: types },
    Title: cut(meta?.title ?? r.checkId, ASFF_LIMITS.title),
    Description: cut(r.reason || meta?.rationale || r.checkId, ASFF_LIMITS.description),
    ...(meta
      ? {
          Remediation: {
            Recommendation: {
              Text: cut(meta.remediation.summary, ASFF_LIMITS.recommendationText),
              ...(meta.remediation.docs[0] ? { Url: meta.remediation.docs[0] } : {}),
            },
          },
        }
      : {}),
    ProductFields: {
      'forensight/ScanId': doc.scanId,
      'forensight/CheckId': r.checkId,
      'forensight/Status': r.status,
      ...(r.reasonCode ? { 'forensight/ReasonCode': r.reasonCode } : {}),
    },
    Resources: [{ Type: resourceType(r.resourceArn), Id: r.resourceArn, Partition: partition, Region: region }],
    Compliance: {
      Status: ASFF_COMPLIANCE[r.status],
      RelatedRequirements: controlLabels(meta, catalogue).slice(0, 32),
      StatusReasons: [
        { ReasonCode: r.reasonCode ?? r.status.toLowerCase(), Description: cut(r.reason || r.status, ASFF_LIMITS.statusReasonDescription) },
      ],
    },
    // Open gaps stay active: a FAIL, and a NOT_ASSESSED (unseen is not fine); a pass, a not-applicable result
    // and an accepted risk are archived, so Security Hub lists what needs work.
    RecordState: (r.status === 'FAIL' || r.status === 'NOT_ASSESSED') && !accepted ? 'ACTIVE' : 'ARCHIVED',
  };
}

export function scanToAsff(doc: ScanDocument, catalogue: MachineCatalogue, homeRegion = 'us-east-1'): AsffFinding[] {
  return doc.results.map((r) => JSON.parse(JSON.stringify(asffFinding(doc, r, catalogue, homeRegion))) as AsffFinding);
}
