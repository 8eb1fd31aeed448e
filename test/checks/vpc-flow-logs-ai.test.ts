import { describe, expect, it } from 'vitest';
import { check, interfaceSubnetsToList } from '../../checks/vpc-flow-logs-ai.js';
import type { FlowLogInfo, Observed } from '../../src/model/inventory.js';
import {
  bucket,
  customizationJob,
  flowLog,
  forResource,
  goneBucket,
  inventory,
  logGroup,
  MGMT,
  notebook,
  only,
  run,
  unseen,
} from '../support/inventory-builder.js';
import { testCheck } from '../support/check-tester.js';

const VPC = `arn:aws:ec2:us-east-1:${MGMT}:vpc/vpc-ai`;
const cwFlowLog = flowLog('fl-cw', 'vpc-ai', {
  destinationType: 'cloud-watch-logs',
  logGroupName: '/vpc/flows',
  destinationArn: `arn:aws:logs:us-east-1:${MGMT}:log-group:/vpc/flows`,
});
const withNotebook = (logs: FlowLogInfo[] | Observed<FlowLogInfo[]>) =>
  inventory().region('us-east-1', (r) => r.notebooks([notebook('nb', { vpc: { vpcId: 'vpc-ai', subnetIds: ['subnet-1'] } })]).flowLogs(logs));
/** The notebook's VPC with interface-level flow logs and the interfaces listed in its subnets. */
const withInterfaces = (logs: FlowLogInfo[], interfaces: Record<string, string[]> | Observed<Record<string, string[]>>) =>
  inventory().region('us-east-1', (r) =>
    r
      .notebooks([notebook('nb', { vpc: { vpcId: 'vpc-ai', subnetIds: ['subnet-1', 'subnet-2'] } })])
      .flowLogs(logs)
      .interfaces(interfaces),
  );
const manyEnis = Array.from({ length: 14 }, (_, i) => `eni-${String(i).padStart(2, '0')}`);

describe('interfaceSubnetsToList: which AI subnets the scan lists interfaces of', () => {
  const region = (logs: FlowLogInfo[]) => withInterfaces(logs, {}).build().accounts[0]!.regions['us-east-1']!;
  it.each<[string, FlowLogInfo[], string[]]>([
    ['no interface-level flow log in the region: none', [flowLog('fl-s1', 'subnet-1')], []],
    ['interface logs, no VPC or subnet log: every AI subnet', [flowLog('fl-a', 'eni-a')], ['subnet-1', 'subnet-2']],
    ['interface logs, one subnet covered: the other', [flowLog('fl-a', 'eni-a'), flowLog('fl-s1', 'subnet-1')], ['subnet-2']],
    ['interface logs, a working VPC log: none', [flowLog('fl-a', 'eni-a'), flowLog('fl-v', 'vpc-ai')], []],
    [
      'interface logs, a VPC log of REJECT only: every AI subnet',
      [flowLog('fl-a', 'eni-a'), flowLog('fl-v', 'vpc-ai', { trafficType: 'REJECT' })],
      ['subnet-1', 'subnet-2'],
    ],
  ])('%s', (_n, logs, expected) => {
    expect(interfaceSubnetsToList(region(logs))).toEqual(expected);
  });
});

describe('vpc-flow-logs-ai', () => {
  it.each<[string, FlowLogInfo[] | Observed<FlowLogInfo[]>, string, string]>([
    ['PASS', [flowLog('fl-1', 'vpc-ai')], 'PASS', 'VPC vpc-ai has active flow log fl-1 of ALL traffic'],
    ['PASS with null delivery status', [flowLog('fl-1', 'vpc-ai', { deliverLogsStatus: null })], 'PASS', 'fl-1'],
    ['FAIL none', [flowLog('fl-other', 'vpc-other')], 'FAIL', 'VPC vpc-ai hosts AI workloads (SageMaker notebook nb) but has no flow log'],
    ['FAIL REJECT only', [flowLog('fl-1', 'vpc-ai', { trafficType: 'REJECT' })], 'FAIL', 'fl-1 records REJECT traffic only'],
    [
      'FAIL delivery error',
      [flowLog('fl-1', 'vpc-ai', { deliverLogsStatus: 'FAILED', deliverLogsErrorMessage: 'Access error' })],
      'FAIL',
      'delivery error: Access error',
    ],
    [
      'PASS subnet-level on every AI subnet',
      [flowLog('fl-1', 'subnet-1')],
      'PASS',
      'Every subnet of the AI workloads in VPC vpc-ai (subnet-1) has an active flow log',
    ],
    ['FAIL subnet-level on another subnet only', [flowLog('fl-1', 'subnet-2')], 'FAIL', 'has no flow log'],
    [
      'NOT_ASSESSED unreadable',
      unseen('AccessDenied: DescribeFlowLogs'),
      'NOT_ASSESSED',
      'Flow logs in us-east-1 could not be read, so VPC vpc-ai could not be judged: AccessDenied: DescribeFlowLogs',
    ],
  ])('%s', (_n, logs, status, fragment) => {
    const f = only(run(check, withNotebook(logs)));
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe(VPC);
    expect(f.region).toBe('us-east-1');
    expect(f.reason).toContain(fragment);
  });

  it('NOT_APPLICABLE without AI VPCs', () => {
    const f = only(
      run(
        check,
        inventory().region('us-east-1', (r) => r.notebooks([notebook('public-nb')])),
      ),
    );
    expect(f.status).toBe('NOT_APPLICABLE');
    expect(f.resourceArn).toBe(`arn:aws:iam::${MGMT}:root`);
    expect(f.reason).toContain('No VPC in account 111111111111 hosts AI workloads');
  });

  it('resolves Bedrock customization-job subnets through subnetVpcs', () => {
    const inv = inventory().region('us-east-1', (r) =>
      r
        .customizationJobs([customizationJob('ft', { vpcSubnetIds: ['subnet-9'] })])
        .subnets({ 'subnet-9': 'vpc-ai' })
        .flowLogs([flowLog('fl-1', 'vpc-ai')]),
    );
    const f = only(run(check, inv));
    expect(f.status).toBe('PASS');
    expect(f.resourceArn).toBe(VPC);
    expect(f.evidence).toMatchObject({ workloads: ['Bedrock customization job ft'] });
  });

  it('NOT_ASSESSED when subnets cannot be resolved', () => {
    const inv = inventory().region('us-east-1', (r) =>
      r.customizationJobs([customizationJob('ft', { vpcSubnetIds: ['subnet-9'] })]).subnets(unseen('AccessDenied: DescribeSubnets')),
    );
    const f = forResource(run(check, inv), `arn:aws:ec2:us-east-1:${MGMT}:vpc/*`);
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.reason).toContain('VPC of subnet subnet-9 (Bedrock customization job ft) could not be read: AccessDenied: DescribeSubnets');
  });
});

testCheck(check, [
  { name: 'PASS VPC-level', inventory: withNotebook([flowLog('fl-1', 'vpc-ai')]), status: 'PASS', code: 'vpc-flow-log', resource: VPC },
  {
    name: 'PASS subnet-level covering every AI subnet',
    inventory: withNotebook([flowLog('fl-1', 'subnet-1')]),
    status: 'PASS',
    code: 'subnet-flow-logs',
    resource: VPC,
  },
  { name: 'FAIL no flow log', inventory: withNotebook([]), status: 'FAIL', code: 'no-flow-log', resource: VPC },
  {
    name: 'FAIL REJECT only',
    inventory: withNotebook([flowLog('fl-1', 'vpc-ai', { trafficType: 'REJECT' })]),
    status: 'FAIL',
    code: 'not-all-traffic',
    resource: VPC,
  },
  {
    name: 'FAIL DeliverLogsStatus FAILED',
    inventory: withNotebook([flowLog('fl-1', 'vpc-ai', { deliverLogsStatus: 'FAILED' })]),
    status: 'FAIL',
    code: 'not-delivering',
    reason: 'delivery status is FAILED',
    resource: VPC,
  },
  {
    name: 'FAIL DeliverLogsErrorMessage set',
    inventory: withNotebook([flowLog('fl-1', 'vpc-ai', { deliverLogsStatus: null, deliverLogsErrorMessage: 'Access error' })]),
    status: 'FAIL',
    code: 'not-delivering',
    reason: 'delivery error: Access error',
    resource: VPC,
  },
  {
    name: 'FAIL flow log not ACTIVE',
    inventory: withNotebook([flowLog('fl-1', 'vpc-ai', { status: 'INACTIVE' })]),
    status: 'FAIL',
    code: 'delivery-failing',
    reason: 'is INACTIVE',
    resource: VPC,
  },
  {
    name: 'FAIL the flow-log bucket was deleted',
    inventory: withNotebook([flowLog('fl-1', 'vpc-ai')]).bucket(goneBucket('flow-logs')),
    status: 'FAIL',
    code: 'destination-missing',
    reason: 'delivers to bucket flow-logs, which does not exist',
    resource: VPC,
  },
  {
    name: 'FAIL subnet-level flow log to a deleted bucket',
    inventory: withNotebook([flowLog('fl-1', 'subnet-1', { destinationArn: 'arn:aws:s3:::gone-flows/ai/' })]).bucket(goneBucket('gone-flows')),
    status: 'FAIL',
    code: 'destination-missing',
    reason: 'bucket gone-flows',
    resource: VPC,
  },
  {
    name: 'PASS flow-log bucket in another account, not readable (DeliverLogsStatus decides)',
    inventory: withNotebook([flowLog('fl-1', 'vpc-ai')]).bucket(bucket('flow-logs', { region: unseen('AccessDenied') }, null)),
    status: 'PASS',
    code: 'vpc-flow-log',
    resource: VPC,
  },
  {
    name: 'FAIL the flow-log group was deleted',
    inventory: withNotebook([cwFlowLog]).region('us-east-1', (r) => r.logGroups([logGroup('other', 30)])),
    status: 'FAIL',
    code: 'destination-missing',
    reason: 'delivers to log group /vpc/flows, which does not exist in us-east-1',
    resource: VPC,
  },
  {
    name: 'PASS the flow-log group exists',
    inventory: withNotebook([cwFlowLog]).region('us-east-1', (r) => r.logGroups([logGroup('/vpc/flows', 30)])),
    status: 'PASS',
    code: 'vpc-flow-log',
    resource: VPC,
  },
  {
    name: 'PASS log groups not listed (DeliverLogsStatus decides)',
    inventory: withNotebook([cwFlowLog]).region('us-east-1', (r) => r.logGroups(unseen('AccessDenied: DescribeLogGroups'))),
    status: 'PASS',
    code: 'vpc-flow-log',
    resource: VPC,
  },
  {
    name: 'FAIL custom format without ports and bytes',
    inventory: withNotebook([flowLog('fl-1', 'vpc-ai', { logFormat: '${version} ${srcaddr} ${dstaddr} ${action} ${start} ${end}' })]),
    status: 'FAIL',
    code: 'format-incomplete',
    reason: 'log format lacks srcport, dstport, bytes',
    resource: VPC,
  },
  {
    name: 'PASS custom format with every needed field',
    inventory: withNotebook([
      flowLog('fl-1', 'vpc-ai', { logFormat: '${srcaddr} ${dstaddr} ${srcport} ${dstport} ${bytes} ${action} ${start} ${end} ${pkt-srcaddr}' }),
    ]),
    status: 'PASS',
    code: 'vpc-flow-log',
    resource: VPC,
  },
  {
    name: 'NOT_ASSESSED only interface-level flow logs, the subnet was not listed',
    inventory: withNotebook([flowLog('fl-1', 'eni-0abc')]),
    status: 'NOT_ASSESSED',
    code: 'eni-logs-unmapped',
    reason: 'eni-0abc',
    resource: VPC,
  },
  {
    name: 'PASS every interface in the AI subnets has a working interface-level flow log',
    inventory: withInterfaces([flowLog('fl-a', 'eni-a'), flowLog('fl-b', 'eni-b')], { 'subnet-1': ['eni-a'], 'subnet-2': ['eni-b'] }),
    status: 'PASS',
    code: 'eni-flow-logs',
    reason: 'interfaces created later (autoscaled endpoint instances, new notebooks) are not logged until a flow log is added',
    resource: VPC,
  },
  {
    name: 'PASS one subnet by a subnet-level log, the other by its interfaces',
    inventory: withInterfaces([flowLog('fl-s1', 'subnet-1'), flowLog('fl-b', 'eni-b')], { 'subnet-2': ['eni-b'] }),
    status: 'PASS',
    code: 'eni-flow-logs',
    reason: '(eni-b)',
    resource: VPC,
  },
  {
    name: 'FAIL an interface in an AI subnet has no flow log',
    inventory: withInterfaces([flowLog('fl-a', 'eni-a')], { 'subnet-1': ['eni-a'], 'subnet-2': ['eni-b'] }),
    status: 'FAIL',
    code: 'interfaces-uncovered',
    reason: '1 of 2 network interfaces in its AI subnets have no working flow log: eni-b (no flow log)',
    resource: VPC,
  },
  {
    name: 'FAIL an interface whose only flow log records REJECT traffic',
    inventory: withInterfaces([flowLog('fl-a', 'eni-a', { trafficType: 'REJECT' })], { 'subnet-1': ['eni-a'], 'subnet-2': [] }),
    status: 'FAIL',
    code: 'interfaces-uncovered',
    reason: 'eni-a (fl-a records REJECT traffic only)',
    resource: VPC,
  },
  {
    name: 'FAIL many uncovered interfaces: a bounded list',
    inventory: withInterfaces([flowLog('fl-x', 'eni-x')], { 'subnet-1': manyEnis, 'subnet-2': [] }),
    status: 'FAIL',
    code: 'interfaces-uncovered',
    reason: 'eni-09 (no flow log) and 4 more',
    resource: VPC,
  },
  {
    name: 'FAIL the AI subnets hold no interface: interface logs cover nothing there',
    inventory: withInterfaces([flowLog('fl-x', 'eni-x')], { 'subnet-1': [], 'subnet-2': [] }),
    status: 'FAIL',
    code: 'no-flow-log',
    resource: VPC,
  },
  {
    name: 'FAIL a VPC log to a deleted bucket, interfaces not listed because it looked working: its FAIL stands',
    inventory: withInterfaces([flowLog('fl-v', 'vpc-ai'), flowLog('fl-a', 'eni-a')], unseen('Not read', 'NotNeeded')).bucket(goneBucket('flow-logs')),
    status: 'FAIL',
    code: 'destination-missing',
    reason: 'fl-v delivers to bucket flow-logs, which does not exist',
    resource: VPC,
  },
  {
    name: 'NOT_ASSESSED a workload gives its VPC but no subnet, so its interfaces cannot be listed',
    inventory: inventory().region('us-east-1', (r) =>
      r.notebooks([notebook('nb', { vpc: { vpcId: 'vpc-ai', subnetIds: [] } })]).flowLogs([flowLog('fl-a', 'eni-a')]),
    ),
    status: 'NOT_ASSESSED',
    code: 'eni-logs-unmapped',
    reason: 'some of its AI workloads name no subnet',
    resource: VPC,
  },
  {
    name: 'NOT_ASSESSED interfaces could not be listed, with the read error',
    inventory: withInterfaces([flowLog('fl-a', 'eni-a')], unseen('UnauthorizedOperation: DescribeNetworkInterfaces')),
    status: 'NOT_ASSESSED',
    code: 'eni-logs-unmapped',
    reason: 'the interfaces in subnet-1 and subnet-2 could not be listed: UnauthorizedOperation: DescribeNetworkInterfaces',
    resource: VPC,
  },
  {
    name: 'NOT_ASSESSED flow logs unreadable',
    inventory: withNotebook(unseen('AccessDenied: DescribeFlowLogs')),
    status: 'NOT_ASSESSED',
    code: 'not-readable',
    resource: VPC,
  },
  {
    name: 'NOT_APPLICABLE no AI VPC',
    inventory: inventory().region('us-east-1', (r) => r.notebooks([notebook('public-nb')])),
    status: 'NOT_APPLICABLE',
    code: 'no-ai-vpc',
  },
  { name: 'NOT_ASSESSED no region scanned', inventory: inventory().account(MGMT), status: 'NOT_ASSESSED', code: 'no-region-scanned' },
]);
