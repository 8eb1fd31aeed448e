// vpc-flow-logs-ai: each VPC hosting AI workloads (lib/vpcs.ts) has a VPC-level flow log of ALL traffic,
// status ACTIVE, delivering without error (deliverLogsStatus SUCCESS or not reported, no error message).
// Subnet- or interface-level flow logs do not count: they leave the rest of the VPC unrecorded.
import type { Check, Finding } from './types.js';
import type { FlowLogInfo } from '../src/model/inventory.js';
import { vpcArn } from './lib/arns.js';
import { scannedRegions } from './lib/footprint.js';
import { accountFinding, finding } from './lib/results.js';
import { aiVpcsInRegion } from './lib/vpcs.js';

function problemsOf(f: FlowLogInfo): string[] {
  const p: string[] = [];
  if (f.trafficType !== 'ALL') p.push(`records ${f.trafficType} traffic only`);
  if (f.status !== 'ACTIVE') p.push(`is ${f.status}`);
  if (f.deliverLogsStatus !== null && f.deliverLogsStatus !== 'SUCCESS') p.push(`delivery status is ${f.deliverLogsStatus}`);
  if (f.deliverLogsErrorMessage) p.push(`delivery error: ${f.deliverLogsErrorMessage}`);
  return p;
}

export const check: Check = {
  meta: {
    id: 'vpc-flow-logs-ai',
    title: 'VPCs hosting AI workloads have active flow logs of all traffic',
    severity: 'medium',
    scope: 'vpc',
    service: 'ec2',
    rationale:
      'Flow logs show which addresses training jobs, notebooks and model containers talked to and how much data moved. They are how exfiltration of training data or models over the network, and command-and-control from a compromised notebook, are detected and sized.',
    risk: 'Network activity of AI workloads (including data exfiltration) cannot be reconstructed.',
    remediation: {
      summary: 'Create a VPC flow log capturing ALL traffic for each VPC that hosts SageMaker or Bedrock workloads, to CloudWatch Logs or a locked S3 bucket.',
      cli: 'aws ec2 create-flow-logs --resource-type VPC --resource-ids VPC_ID --traffic-type ALL --log-destination-type s3 --log-destination arn:aws:s3:::FLOW_LOG_BUCKET/vpc/',
      iac: {
        kind: 'terraform',
        snippet: [
          'resource "aws_flow_log" "ai_vpc" {',
          '  vpc_id               = aws_vpc.ai.id',
          '  traffic_type         = "ALL"',
          '  log_destination_type = "s3"',
          '  log_destination      = "${aws_s3_bucket.flow_logs.arn}/vpc/"',
          '}',
        ].join('\n'),
      },
      docs: ['https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html'],
    },
    parameters: [],
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-12' },
      { framework: 'nist-800-53-r5', control: 'SI-4' },
      { framework: 'iso-27001-2022', control: 'A.8.16' },
      { framework: 'soc2', control: 'CC7.2' },
      { framework: 'cis-aws-foundations', control: '3.7' },
    ],
  },
  evaluate({ account }) {
    const out: Finding[] = [];
    for (const r of scannedRegions(account)) {
      const { vpcs, unresolved } = aiVpcsInRegion(r);
      for (const v of vpcs) {
        const arn = vpcArn(r.region, account.accountId, v.vpcId);
        const base = { vpcId: v.vpcId, workloads: v.workloads.slice(0, 10) };
        if (!r.flowLogs.ok) {
          out.push(finding(account, r.region, arn, 'NOT_ASSESSED', `Flow logs in ${r.region} could not be read, so VPC ${v.vpcId} could not be judged: ${r.flowLogs.reason}`, base));
          continue;
        }
        const logs = r.flowLogs.value.filter((f) => f.resourceId === v.vpcId);
        const good = logs.find((f) => problemsOf(f).length === 0);
        if (good) {
          out.push(finding(account, r.region, arn, 'PASS', `VPC ${v.vpcId} has active flow log ${good.id} of ALL traffic to ${good.destinationType}`, { ...base, flowLog: good.id, destinationType: good.destinationType }));
          continue;
        }
        const reason =
          logs.length === 0
            ? `VPC ${v.vpcId} hosts AI workloads (${v.workloads.slice(0, 3).join(', ')}) but has no flow log`
            : `VPC ${v.vpcId} has no working flow log of ALL traffic: ${logs.map((f) => `${f.id} ${problemsOf(f).join(', ')}`).join('; ')}`;
        out.push(finding(account, r.region, arn, 'FAIL', reason, { ...base, flowLogs: logs.map((f) => ({ id: f.id, trafficType: f.trafficType, status: f.status, deliverLogsStatus: f.deliverLogsStatus, error: f.deliverLogsErrorMessage })) }));
      }
      if (unresolved.length > 0) {
        out.push(
          finding(account, r.region, vpcArn(r.region, account.accountId, '*'), 'NOT_ASSESSED', `Some VPCs hosting AI workloads in ${r.region} could not be identified: ${unresolved.join('; ')}`, { unresolved }),
        );
      }
    }
    if (out.length === 0) out.push(accountFinding(account, 'NOT_APPLICABLE', `No VPC in account ${account.accountId} hosts AI workloads in the scanned regions`));
    return out;
  },
};
