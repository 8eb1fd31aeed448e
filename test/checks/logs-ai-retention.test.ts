import { describe, expect, it } from 'vitest';
import { check } from '../../checks/logs-ai-retention.js';
import type { CheckParameters } from '../../checks/types.js';
import { flowLog, forResource, inventory, logGroup, loggingConfig, MEMBER, MGMT, only, run, trail, unseen } from '../support/inventory-builder.js';
import { testCheck } from '../support/check-tester.js';

const lg = (name: string, region = 'us-east-1', acct = MGMT) => `arn:aws:logs:${region}:${acct}:log-group:${name}`;

describe('logs-ai-retention', () => {
  it.each<[string, number | null, Partial<CheckParameters>, string, string]>([
    ['PASS 365', 365, {}, 'PASS', 'Log group /aws/sagemaker/Endpoints/fraud keeps events for 365 days'],
    ['PASS never expires', null, {}, 'PASS', 'never expires events'],
    ['FAIL 30 days', 30, {}, 'FAIL', 'keeps events for only 30 days (required: >= 365)'],
    ['PASS with a lower minimum', 30, { minRetentionDays: 30 }, 'PASS', '30 days'],
  ])('%s', (_n, retention, params, status, fragment) => {
    const f = only(
      run(
        check,
        inventory().region('us-east-1', (r) => r.logGroups([logGroup('/aws/sagemaker/Endpoints/fraud', retention), logGroup('/app/other', 1)])),
        MGMT,
        params,
      ),
    );
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe(lg('/aws/sagemaker/Endpoints/fraud'));
    expect(f.region).toBe('us-east-1');
    expect(f.reason).toContain(fragment);
  });

  it('Bedrock invocation log group referenced but missing -> FAIL', () => {
    const inv = inventory().region('us-east-1', (r) =>
      r.logging(loggingConfig({ cloudWatch: { logGroupName: '/bedrock/invocations', roleArn: null, largeDataS3: null } })),
    );
    const f = only(run(check, inv));
    expect(f.status).toBe('FAIL');
    expect(f.resourceArn).toBe(lg('/bedrock/invocations'));
    expect(f.reason).toContain('is referenced as Bedrock invocation log group but does not exist in us-east-1');
  });

  it('flow-log and CloudTrail groups are in scope', () => {
    const inv = inventory().account(MGMT, (a) =>
      a
        .trails([trail({ name: 'main', cloudWatchLogGroupArn: `arn:aws:logs:eu-west-1:${MGMT}:log-group:ct-main:*` })])
        .region('us-east-1', (r) =>
          r
            .flowLogs([flowLog('fl-1', 'vpc-1', { destinationType: 'cloud-watch-logs', logGroupName: 'vpc-flow' })])
            .logGroups([logGroup('vpc-flow', 14)]),
        )
        .region('eu-west-1', (r) => r.logGroups([logGroup('ct-main', 400, 'eu-west-1')])),
    );
    const fs = run(check, inv);
    expect(fs).toHaveLength(2);
    const flow = forResource(fs, lg('vpc-flow'));
    expect(flow.status).toBe('FAIL');
    expect(flow.reason).toContain('only 14 days');
    const ct = forResource(fs, lg('ct-main', 'eu-west-1'));
    expect(ct.status).toBe('PASS');
    expect(ct.region).toBe('eu-west-1');
    expect(ct.reason).toContain('400 days');
  });

  it('an organization trail group is judged in the account that owns it, not in members', () => {
    const inv = inventory()
      .org()
      .orgTrails([trail({ name: 'org', isOrganizationTrail: true, cloudWatchLogGroupArn: `arn:aws:logs:us-east-1:${MGMT}:log-group:org-ct:*` })])
      .region('us-east-1', (r) => r.logGroups([logGroup('org-ct', 7)]), MGMT)
      .region('us-east-1', undefined, MEMBER);
    const mgmt = only(run(check, inv, MGMT));
    expect(mgmt.status).toBe('FAIL');
    expect(mgmt.resourceArn).toBe(lg('org-ct'));
    const member = only(run(check, inv, MEMBER));
    expect(member.status).toBe('NOT_APPLICABLE');
    expect(member.reason).toContain('has no SageMaker, Bedrock, flow-log or CloudTrail log groups');
  });

  it('NOT_ASSESSED when log groups cannot be listed', () => {
    const f = only(
      run(
        check,
        inventory().region('us-east-1', (r) => r.logGroups(unseen('AccessDenied: DescribeLogGroups'))),
      ),
    );
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.resourceArn).toBe(`arn:aws:logs:us-east-1:${MGMT}:log-group:*`);
    expect(f.reason).toContain('Log groups in us-east-1 could not be listed: AccessDenied: DescribeLogGroups');
  });

  it('NOT_ASSESSED for a referenced group in a region that was not scanned', () => {
    const inv = inventory().account(MGMT, (a) =>
      a.trails([trail({ name: 'main', cloudWatchLogGroupArn: `arn:aws:logs:ap-south-1:${MGMT}:log-group:ct:*` })]).region('us-east-1'),
    );
    const f = only(run(check, inv));
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.resourceArn).toBe(lg('ct', 'ap-south-1'));
    expect(f.reason).toContain('is in region ap-south-1, which was not scanned');
  });
});

testCheck(check, [
  {
    name: 'PASS 365 days',
    inventory: inventory().region('us-east-1', (r) => r.logGroups([logGroup('/aws/sagemaker/Endpoints/x', 365)])),
    status: 'PASS',
    code: 'retention-ok',
  },
  {
    name: 'PASS never expires',
    inventory: inventory().region('us-east-1', (r) => r.logGroups([logGroup('/aws/sagemaker/Endpoints/x', null)])),
    status: 'PASS',
    code: 'never-expires',
  },
  {
    name: 'FAIL 30 days',
    inventory: inventory().region('us-east-1', (r) => r.logGroups([logGroup('/aws/sagemaker/Endpoints/x', 30)])),
    status: 'FAIL',
    code: 'retention-too-short',
  },
  {
    name: 'FAIL referenced group missing',
    inventory: inventory().region('us-east-1', (r) =>
      r.logging(loggingConfig({ cloudWatch: { logGroupName: '/bedrock/inv', roleArn: null, largeDataS3: null } })),
    ),
    status: 'FAIL',
    code: 'destination-missing',
    resource: lg('/bedrock/inv'),
  },
  {
    name: 'NOT_ASSESSED log groups unreadable',
    inventory: inventory().region('us-east-1', (r) => r.logGroups(unseen('AccessDenied'))),
    status: 'NOT_ASSESSED',
    code: 'not-readable',
    resource: `arn:aws:logs:us-east-1:${MGMT}:log-group:*`,
  },
  { name: 'NOT_APPLICABLE nothing in scope', inventory: inventory().region('us-east-1'), status: 'NOT_APPLICABLE', code: 'no-log-groups' },
  { name: 'NOT_ASSESSED no region scanned', inventory: inventory().account(MGMT), status: 'NOT_ASSESSED', code: 'no-region-scanned' },
]);
