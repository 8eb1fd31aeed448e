// vpc-flow-logs-ai: each VPC hosting AI workloads (lib/vpcs.ts) has a flow log of ALL traffic, status ACTIVE,
// delivering without error (deliverLogsStatus SUCCESS or not reported, no error message), in a format with the
// fields an investigation needs; on the VPC, or on every subnet its AI workloads use (which covers them), or on
// every network interface in the subnets left (RegionInventory.subnetInterfaces, listed only where needed).
// A flow log whose bucket or log group no longer exists delivers nothing and covers nothing (lib/destinations.ts).
import type { Check, Finding } from './types.js';
import type { AccountInventory, FlowLogInfo, Inventory, Observed, RegionInventory } from '../src/model/inventory.js';
import { flowLogDestinationProblem, NOT_DELIVERING } from './lib/destinations.js';
import { vpcArn } from './lib/arns.js';
import { scannedRegions } from './lib/footprint.js';
import { accountVerdict, boundedList, COMMON_CODES, fromVerdict, listText, noRegionScanned, type Verdict } from './lib/results.js';
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

/** The VPC- and subnet-level flow logs of an AI VPC, the working VPC-level one, and the AI subnets no working log covers. */
function coverageOf(v: AiVpc, logs: FlowLogInfo[], good: (f: FlowLogInfo) => boolean) {
  const vpcLevel = logs.filter((f) => f.resourceId === v.vpcId);
  const vpcGood = vpcLevel.find(good);
  const subnetLogs = new Map(v.subnetIds.map((s) => [s, logs.filter((f) => f.resourceId === s)]));
  const uncovered = vpcGood ? [] : v.subnetIds.filter((s) => !(subnetLogs.get(s) ?? []).some(good));
  return { vpcLevel, vpcGood, subnetLogs, uncovered };
}

const isInterfaceLog = (f: FlowLogInfo): boolean => f.resourceId.startsWith('eni-');

/** The AI subnets of one VPC whose interfaces the scan lists: those no VPC- or subnet-level log covers on its own fields. */
function subnetsToList(v: AiVpc, logs: FlowLogInfo[]): string[] {
  if (!v.subnetsComplete) return [];
  return coverageOf(v, logs, (f) => problemsOf(f, () => null).length === 0).uncovered;
}

/**
 * The AI subnets whose network interfaces the scan must list (ec2:DescribeNetworkInterfaces): those of AI VPCs
 * with no working VPC- or subnet-level flow log, in a region that has interface-level flow logs. Decided before
 * the destinations are read, so a log counts as working here on its own fields; if it then fails on its
 * destination, that log's FAIL stands (judgeInterfaces).
 */
export function interfaceSubnetsToList(r: Pick<RegionInventory, 'region' | 'bedrock' | 'sagemaker' | 'subnetVpcs' | 'flowLogs'>): string[] {
  if (!r.flowLogs.ok || !r.flowLogs.value.some(isInterfaceLog)) return [];
  const logs = r.flowLogs.value;
  return [...new Set(aiVpcsInRegion(r).vpcs.flatMap((v) => subnetsToList(v, logs)))].sort();
}

const INTERFACES_LATER =
  'interfaces created later (autoscaled endpoint instances, new notebooks) are not logged until a flow log is added for each, so a VPC- or subnet-level flow log is the durable fix';

/**
 * Coverage by interface-level flow logs of the AI subnets no VPC- or subnet-level log covers: every interface
 * listed in them has a working flow log of its own (PASS), some do not (FAIL naming them), or the interfaces
 * could not be listed (NOT_ASSESSED). null = the subnets hold no interface, so interface logs cover nothing there.
 */
function judgeInterfaces(
  v: AiVpc,
  uncovered: string[],
  logs: FlowLogInfo[],
  interfaces: Observed<Record<string, string[]>>,
  destinationOf: DestinationOf,
  base: Record<string, unknown>,
): Verdict | null {
  const eniLogs = logs.filter(isInterfaceLog);
  const unmapped = (why: string): Verdict => ({
    status: 'NOT_ASSESSED',
    code: 'eni-logs-unmapped',
    reason: `VPC ${v.vpcId} has no working VPC- or subnet-level flow log; interface-level flow logs (${eniLogs
      .slice(0, 3)
      .map((f) => f.resourceId)
      .join(', ')}) may cover its AI workloads, but ${why}`,
    evidence: { ...base, uncoveredSubnets: uncovered, interfaceLogs: eniLogs.map((f) => f.id) },
  });
  if (!v.subnetsComplete) return unmapped('some of its AI workloads name no subnet, so their interfaces cannot be listed');
  const listed = interfaces.ok ? interfaces.value : interfaces.errorCode === 'NotNeeded' ? {} : null;
  if (!listed) return unmapped(`the interfaces in ${listText(uncovered)} could not be listed: ${interfaces.ok ? '' : interfaces.reason}`);
  const unlisted = uncovered.filter((s) => !Object.hasOwn(listed, s));
  if (unlisted.length > 0) {
    // Left unlisted on purpose, a VPC- or subnet-level log looked working before its destination was read: that
    // log's own FAIL (e.g. destination-missing) stands. Otherwise the listing is missing: say so.
    const expected = new Set(subnetsToList(v, logs));
    return unlisted.some((s) => expected.has(s)) ? unmapped(`the interfaces in ${listText(unlisted)} were not listed`) : null;
  }
  const enis = uncovered.flatMap((s) => (listed[s] ?? []).map((id) => ({ id, subnet: s })));
  if (enis.length === 0) return null;
  const good = (f: FlowLogInfo) => problemsOf(f, destinationOf).length === 0;
  const logOf = new Map(enis.map((e) => [e.id, eniLogs.filter((f) => f.resourceId === e.id)]));
  const lacking = enis.filter((e) => !logOf.get(e.id)!.some(good));
  if (lacking.length === 0)
    return {
      status: 'PASS',
      code: 'eni-flow-logs',
      reason: `Every network interface in the AI subnets of VPC ${v.vpcId} (${boundedList(enis.map((e) => e.id))}) has an active flow log of ALL traffic; ${INTERFACES_LATER}`,
      evidence: { ...base, interfaces: enis.slice(0, 50), flowLogs: enis.slice(0, 50).map((e) => logOf.get(e.id)!.find(good)!.id) },
    };
  const gap = (e: { id: string }) => {
    const broken = logOf.get(e.id)!;
    return broken.length === 0
      ? `${e.id} (no flow log)`
      : `${e.id} (${broken.map((f) => `${f.id} ${problemsOf(f, destinationOf).join(', ')}`).join('; ')})`;
  };
  return {
    status: 'FAIL',
    code: 'interfaces-uncovered',
    reason: `VPC ${v.vpcId} has no working VPC- or subnet-level flow log, and ${lacking.length} of ${enis.length} network interfaces in its AI subnets have no working flow log: ${boundedList(lacking.map(gap))}`,
    evidence: { ...base, uncoveredSubnets: uncovered, uncoveredInterfaces: lacking.slice(0, 50), interfaceCount: enis.length },
  };
}

/**
 * A VPC is covered by a working VPC-level flow log, by working flow logs on every subnet its AI workloads use, or
 * (for the subnets left) by working flow logs on every network interface in them.
 */
function judgeVpc(v: AiVpc, r: RegionInventory, logs: FlowLogInfo[], destinationOf: DestinationOf): Verdict {
  const base = { vpcId: v.vpcId, workloads: v.workloads.slice(0, 10), subnets: v.subnetIds };
  const good = (f: FlowLogInfo) => problemsOf(f, destinationOf).length === 0;
  const { vpcLevel, vpcGood, subnetLogs, uncovered } = coverageOf(v, logs, good);
  if (vpcGood)
    return {
      status: 'PASS',
      code: 'vpc-flow-log',
      reason: `VPC ${v.vpcId} has active flow log ${vpcGood.id} of ALL traffic to ${vpcGood.destinationType}`,
      evidence: { ...base, flowLog: vpcGood.id, destinationType: vpcGood.destinationType },
    };
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
  if (logs.some(isInterfaceLog)) {
    const byInterface = judgeInterfaces(v, uncovered, logs, r.subnetInterfaces, destinationOf, base);
    if (byInterface) return byInterface;
  }
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
      'eni-flow-logs':
        'Every network interface in the AI subnets no VPC- or subnet-level log covers has such a flow log (interfaces created later are not covered).',
      'interfaces-uncovered': 'Some network interfaces in those AI subnets have no working interface-level flow log.',
      'eni-logs-unmapped':
        'Interface-level flow logs exist, but the interfaces in the AI subnets could not be listed (the read failed or was denied).',
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
        out.push(fromVerdict(account, r.region, arn, judgeVpc(v, r, r.flowLogs.value, destinationsOf(inventory, account, r.region))));
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
