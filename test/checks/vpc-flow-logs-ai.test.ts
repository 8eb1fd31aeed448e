import { describe, expect, it } from 'vitest';
import { check } from '../../checks/vpc-flow-logs-ai.js';
import type { FlowLogInfo, Observed } from '../../src/model/inventory.js';
import { customizationJob, flowLog, forResource, inventory, MGMT, notebook, only, run, unseen } from '../support/inventory-builder.js';

const VPC = `arn:aws:ec2:us-east-1:${MGMT}:vpc/vpc-ai`;
const withNotebook = (logs: FlowLogInfo[] | Observed<FlowLogInfo[]>) =>
  inventory().region('us-east-1', (r) => r.notebooks([notebook('nb', { vpc: { vpcId: 'vpc-ai', subnetIds: ['subnet-1'] } })]).flowLogs(logs));

describe('vpc-flow-logs-ai', () => {
  it.each<[string, FlowLogInfo[] | Observed<FlowLogInfo[]>, string, string]>([
    ['PASS', [flowLog('fl-1', 'vpc-ai')], 'PASS', 'VPC vpc-ai has active flow log fl-1 of ALL traffic'],
    ['PASS with null delivery status', [flowLog('fl-1', 'vpc-ai', { deliverLogsStatus: null })], 'PASS', 'fl-1'],
    ['FAIL none', [flowLog('fl-other', 'vpc-other')], 'FAIL', 'VPC vpc-ai hosts AI workloads (SageMaker notebook nb) but has no flow log'],
    ['FAIL REJECT only', [flowLog('fl-1', 'vpc-ai', { trafficType: 'REJECT' })], 'FAIL', 'fl-1 records REJECT traffic only'],
    ['FAIL delivery error', [flowLog('fl-1', 'vpc-ai', { deliverLogsStatus: 'FAILED', deliverLogsErrorMessage: 'Access error' })], 'FAIL', 'delivery error: Access error'],
    ['FAIL subnet-level only', [flowLog('fl-1', 'subnet-1')], 'FAIL', 'has no flow log'],
    ['NOT_ASSESSED unreadable', unseen('AccessDenied: DescribeFlowLogs'), 'NOT_ASSESSED', 'Flow logs in us-east-1 could not be read, so VPC vpc-ai could not be judged: AccessDenied: DescribeFlowLogs'],
  ])('%s', (_n, logs, status, fragment) => {
    const f = only(run(check, withNotebook(logs)));
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe(VPC);
    expect(f.region).toBe('us-east-1');
    expect(f.reason).toContain(fragment);
  });

  it('NOT_APPLICABLE without AI VPCs', () => {
    const f = only(run(check, inventory().region('us-east-1', (r) => r.notebooks([notebook('public-nb')]))));
    expect(f.status).toBe('NOT_APPLICABLE');
    expect(f.resourceArn).toBe(`arn:aws:iam::${MGMT}:root`);
    expect(f.reason).toContain('No VPC in account 111111111111 hosts AI workloads');
  });

  it('resolves Bedrock customization-job subnets through subnetVpcs', () => {
    const inv = inventory().region('us-east-1', (r) =>
      r.customizationJobs([customizationJob('ft', { vpcSubnetIds: ['subnet-9'] })]).subnets({ 'subnet-9': 'vpc-ai' }).flowLogs([flowLog('fl-1', 'vpc-ai')]),
    );
    const f = only(run(check, inv));
    expect(f.status).toBe('PASS');
    expect(f.resourceArn).toBe(VPC);
    expect(f.evidence).toMatchObject({ workloads: ['Bedrock customization job ft'] });
  });

  it('NOT_ASSESSED when subnets cannot be resolved', () => {
    const inv = inventory().region('us-east-1', (r) => r.customizationJobs([customizationJob('ft', { vpcSubnetIds: ['subnet-9'] })]).subnets(unseen('AccessDenied: DescribeSubnets')));
    const f = forResource(run(check, inv), `arn:aws:ec2:us-east-1:${MGMT}:vpc/*`);
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.reason).toContain('VPC of subnet subnet-9 (Bedrock customization job ft) could not be read: AccessDenied: DescribeSubnets');
  });
});
