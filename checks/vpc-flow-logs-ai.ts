// vpc-flow-logs-ai: each VPC hosting AI workloads (lib/vpcs.ts) has a flow log of ALL traffic, status ACTIVE,
// delivering without error (deliverLogsStatus SUCCESS or not reported, no error message), in a format with the
// fields an investigation needs; on the VPC, or on every subnet its AI workloads use (which covers them).
// A flow log whose bucket or log group no longer exists delivers nothing and covers nothing (lib/destinations.ts).
import type { Check, Finding } from './types.js';
import type { AccountInventory, FlowLogInfo, Inventory } from '../src/model/inventory.js';
import { flowLogDestinationProblem, NOT_DELIVERING } from './lib/destinations.js';
import { vpcArn } from './lib/arns.js';
import { scannedRegions } from './lib/footprint.js';
import { accountVerdict, COMMON_CODES, fromVerdict, listText, noRegionScanned, type Verdict } from './lib/results.js';
import { aiVpcsInRegion, type AiVpc } from './lib/vpcs.js';

/** Fields an investigation needs in every record: who talked to whom, on which ports, how much, allowed or not, when. */
export const REQUIRED_FLOW_LOG_FIELDS = ['srcaddr', 'dstaddr', 'srcport', 'dstport', 'bytes', 'action', 'start', 'end'];

/** Fields a custom log format leaves out (the default format, null, has them all). */
export function missingFields(f: FlowLogInfo): string[] {
  if (!f.logFormat) return [];
  const present = new Set([...f.logFormat.matchAll(/\$\{([a-z0-9-]+)\}/g)].map((m) => m[1]));
  return REQUIRED_FLOW_LOG_FIELDS.filter((x) => !present.has(x));
}

/** The flow log's destination verdict, once per flow log (null = exists as far as the scan can tell). */
type DestinationOf = (f: FlowLogInfo) => Verdict | null;

function problemsOf(f: FlowLogInfo, destinationOf: DestinationOf): string[] {
  const p: string[] = [];
  const destination = destinationOf(f);
  if (destination) p.push(destination.reason.replace(`flow log ${f.id} `, ''));
  if (f.trafficType !== 'ALL') p.push(`records ${f.trafficType} traffic only`);
  if (f.status !== 'ACTIVE') p.push(`is ${f.status}`);
  if (f.deliverLogsStatus !== null && f.deliverLogsStatus !== 'SUCCESS') p.push(`delivery status is ${f.deliverLogsStatus}`);
  if (f.deliverLogsErrorMessage) p.push(`delivery error: ${f.deliverLogsErrorMessage}`);
  const missing = missingFields(f);
  if (missing.length > 0) p.push(`log format lacks ${missing.join(', ')}`);
  return p;
}

const codeOf = (f: FlowLogInfo, destinationOf: DestinationOf): string => {
  const destination = destinationOf(f);
  if (destination) return destination.code;
  if (f.trafficType !== 'ALL') return 'not-all-traffic';
  if ((f.deliverLogsStatus !== null && f.deliverLogsStatus !== 'SUCCESS') || f.deliverLogsErrorMessage) return 'not-delivering';
  if (f.status !== 'ACTIVE') return 'delivery-failing';
  return 'format-incomplete';
};

/** A VPC is covered by a working VPC-level flow log, or by working flow logs on every subnet its AI workloads use. */
function judgeVpc(v: AiVpc, logs: FlowLogInfo[], region: string, destinationOf: DestinationOf): Verdict {
  const base = { vpcId: v.vpcId, workloads: v.workloads.slice(0, 10), subnets: v.subnetIds };
  const good = (f: FlowLogInfo) => problemsOf(f, destinationOf).length === 0;
  const vpcLevel = logs.filter((f) => f.resourceId === v.vpcId);
  const vpcGood = vpcLevel.find(good);
  if (vpcGood)
    return {
      status: 'PASS',
      code: 'vpc-flow-log',
      reason: `VPC ${v.vpcId} has active flow log ${vpcGood.id} of ALL traffic to ${vpcGood.destinationType}`,
      evidence: { ...base, flowLog: vpcGood.id, destinationType: vpcGood.destinationType },
    };
  const subnetLogs = new Map(v.subnetIds.map((s) => [s, logs.filter((f) => f.resourceId === s)]));
  const uncovered = v.subnetIds.filter((s) => !(subnetLogs.get(s) ?? []).some(good));
  if (v.subnetsComplete && v.subnetIds.length > 0 && uncovered.length === 0)
    return {
      status: 'PASS',
      code: 'subnet-flow-logs',
      reason: `Every subnet of the AI workloads in VPC ${v.vpcId} (${listText(v.subnetIds)}) has an active flow log of ALL traffic`,
      evidence: { ...base, flowLogs: v.subnetIds.map((s) => subnetLogs.get(s)!.find(good)!.id) },
    };
  const relevant = [...vpcLevel, ...v.subnetIds.flatMap((s) => subnetLogs.get(s) ?? [])];
  const detail = relevant.map((f) => ({
    id: f.id,
    resourceId: f.resourceId,
    trafficType: f.trafficType,
    status: f.status,
    deliverLogsStatus: f.deliverLogsStatus,
    error: f.deliverLogsErrorMessage,
    missingFields: missingFields(f),
    destination: f.destinationArn ?? f.logGroupName,
    destinationExists: destinationOf(f) === null,
  }));
  const eniLogs = logs.filter((f) => f.resourceId.startsWith('eni-'));
  if (eniLogs.length > 0 && relevant.every((f) => !good(f)))
    return {
      status: 'NOT_ASSESSED',
      code: 'eni-logs-unmapped',
      reason: `VPC ${v.vpcId} has no working VPC- or subnet-level flow log; interface-level flow logs in ${region} (${eniLogs
        .slice(0, 3)
        .map((f) => f.resourceId)
        .join(', ')}) may cover its AI workloads, but their interfaces were not mapped to workloads`,
      evidence: { ...base, flowLogs: detail, interfaceLogs: eniLogs.map((f) => f.id) },
    };
  if (relevant.length === 0)
    return {
      status: 'FAIL',
      code: 'no-flow-log',
      reason: `VPC ${v.vpcId} hosts AI workloads (${v.workloads.slice(0, 3).join(', ')}) but has no flow log`,
      evidence: { ...base, flowLogs: [] },
    };
  const broken = relevant.filter((f) => !good(f));
  const gaps =
    uncovered.length > 0 && broken.length === 0
      ? `subnets ${listText(uncovered)} have no flow log`
      : broken.map((f) => `${f.id} ${problemsOf(f, destinationOf).join(', ')}`).join('; ');
  return {
    status: 'FAIL',
    code: broken.length > 0 ? codeOf(broken[0]!, destinationOf) : 'subnets-uncovered',
    reason: `VPC ${v.vpcId} has no working flow log of ALL traffic covering its AI workloads: ${gaps}`,
    evidence: { ...base, flowLogs: detail, uncoveredSubnets: uncovered },
  };
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
      summary:
        'Create a VPC flow log capturing ALL traffic for each VPC that hosts SageMaker or Bedrock workloads, to CloudWatch Logs or a locked S3 bucket.',
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
    reasonCodes: {
      'vpc-flow-log': 'A VPC-level flow log of ALL traffic is active, delivering, with every needed field.',
      'subnet-flow-logs': 'Every subnet the AI workloads use has such a flow log.',
      'no-flow-log': 'Neither the VPC nor the subnets of its AI workloads have a flow log.',
      'subnets-uncovered': 'Only some subnets of the AI workloads have a working flow log.',
      'not-all-traffic': 'The flow log records ACCEPT or REJECT traffic only.',
      'delivery-failing': 'The flow log is not ACTIVE.',
      'not-delivering': NOT_DELIVERING,
      'destination-missing': "The flow log's S3 bucket or CloudWatch log group does not exist, so nothing is delivered.",
      'format-incomplete': 'A custom log format leaves out addresses, ports, bytes, action or start/end.',
      'eni-logs-unmapped': 'Only interface-level flow logs exist, and interfaces were not mapped to the AI workloads.',
      'vpcs-unresolved': 'Some VPCs of AI workloads could not be identified.',
      'no-ai-vpc': 'No VPC hosts AI workloads in the scanned regions.',
      ...COMMON_CODES,
    },
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-12' },
      { framework: 'nist-800-53-r5', control: 'SI-4' },
      { framework: 'iso-27001-2022', control: 'A.8.16' },
      { framework: 'soc2', control: 'CC7.2' },
      { framework: 'cis-aws-foundations', control: '3.7' },
    ],
  },
  evaluate({ inventory, account }) {
    const none = noRegionScanned(account);
    if (none) return [none];
    const out: Finding[] = [];
    for (const r of scannedRegions(account)) {
      const { vpcs, unresolved } = aiVpcsInRegion(r);
      for (const v of vpcs) {
        const arn = vpcArn(r.region, account.accountId, v.vpcId);
        if (!r.flowLogs.ok) {
          out.push(
            fromVerdict(account, r.region, arn, {
              status: 'NOT_ASSESSED',
              code: 'not-readable',
              reason: `Flow logs in ${r.region} could not be read, so VPC ${v.vpcId} could not be judged: ${r.flowLogs.reason}`,
              evidence: { vpcId: v.vpcId, workloads: v.workloads.slice(0, 10) },
            }),
          );
          continue;
        }
        out.push(fromVerdict(account, r.region, arn, judgeVpc(v, r.flowLogs.value, r.region, destinationsOf(inventory, account, r.region))));
      }
      if (unresolved.length > 0) {
        out.push(
          fromVerdict(account, r.region, vpcArn(r.region, account.accountId, '*'), {
            status: 'NOT_ASSESSED',
            code: 'vpcs-unresolved',
            reason: `Some VPCs hosting AI workloads in ${r.region} could not be identified: ${unresolved.join('; ')}`,
            evidence: { unresolved },
          }),
        );
      }
    }
    if (out.length === 0)
      out.push(
        accountVerdict(account, {
          status: 'NOT_APPLICABLE',
          code: 'no-ai-vpc',
          reason: `No VPC in account ${account.accountId} hosts AI workloads in the scanned regions`,
        }),
      );
    return out;
  },
};

function destinationsOf(inventory: Inventory, account: AccountInventory, region: string): DestinationOf {
  const memo = new Map<string, Verdict | null>();
  return (f) => {
    if (!memo.has(f.id)) memo.set(f.id, flowLogDestinationProblem(inventory, account, region, f));
    return memo.get(f.id) ?? null;
  };
}
