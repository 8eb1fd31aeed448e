// Table of the network-opened rule: security-group ingress and network ACL entries from every address, in each
// shape CloudTrail writes them (flat, ipPermissions items, ModifySecurityGroupRules' request objects, ACL entries).
import { networkOpenedToWorld, openingsOf } from '../../../src/analysis/rules/network-opened.js';
import { describe, expect, it } from 'vitest';
import { APP_ROLE, ct } from './builders.js';
import { ruleTester } from './rule-tester.js';

const ec2 = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  ct({ eventSource: 'ec2.amazonaws.com', eventName, requestParameters, ...over });
const flat = (cidrIp: string, fromPort: number, toPort = fromPort, ipProtocol = 'tcp') =>
  ec2('AuthorizeSecurityGroupIngress', { groupId: 'sg-0a1', cidrIp, fromPort, toPort, ipProtocol, ipPermissions: {} });
const items = (ipProtocol: string, fromPort: number | undefined, ranges: Record<string, string>[]) =>
  ec2('AuthorizeSecurityGroupIngress', {
    groupId: 'sg-0b2',
    ipPermissions: {
      items: [
        {
          ipProtocol,
          fromPort,
          toPort: fromPort,
          ipRanges: { items: ranges.filter((r) => r.cidrIp) },
          ipv6Ranges: { items: ranges.filter((r) => r.cidrIpv6) },
        },
      ],
    },
  });
const acl = (over: Record<string, unknown>) =>
  ec2('CreateNetworkAclEntry', {
    networkAclId: 'acl-0c3',
    ruleNumber: 90,
    protocol: '-1',
    ruleAction: 'allow',
    egress: false,
    cidrBlock: '0.0.0.0/0',
    ...over,
  });

ruleTester(networkOpenedToWorld, {
  valid: [
    { name: 'SSH from one office range', events: [flat('198.51.100.0/24', 22)] },
    {
      name: 'ingress from another security group (no address range)',
      events: [
        ec2('AuthorizeSecurityGroupIngress', {
          groupId: 'sg-1',
          ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 5432, toPort: 5432, groups: { items: [{ groupId: 'sg-2' }] } }] },
        }),
      ],
    },
    { name: 'a network ACL deny entry from everywhere', events: [acl({ ruleAction: 'deny' })] },
    { name: 'a network ACL egress entry to everywhere', events: [acl({ egress: true })] },
    {
      name: 'egress opened to everywhere (outbound is the default)',
      events: [ec2('AuthorizeSecurityGroupEgress', { groupId: 'sg-1', cidrIp: '0.0.0.0/0', ipProtocol: '-1' })],
    },
    {
      name: 'an expected infrastructure pipeline opens SSH',
      events: [
        ec2(
          'AuthorizeSecurityGroupIngress',
          { groupId: 'sg-9', cidrIp: '0.0.0.0/0', fromPort: 22, toPort: 22, ipProtocol: 'tcp' },
          { userIdentity: APP_ROLE },
        ),
      ],
      ctx: { expected: { ips: new Set<string>(), principals: new Set([APP_ROLE.sessionContext.sessionIssuer.arn]) } },
    },
    {
      name: 'AuthorizeSecurityGroupIngress failing for another reason (duplicate rule)',
      events: [
        ec2(
          'AuthorizeSecurityGroupIngress',
          { groupId: 'sg-0a1', cidrIp: '0.0.0.0/0', fromPort: 22, toPort: 22, ipProtocol: 'tcp' },
          { errorCode: 'InvalidPermission.Duplicate' },
        ),
      ],
    },
  ],
  invalid: [
    {
      name: 'SSH from every address (flat form; an anonymised record keeps only the /0)',
      events: [flat('208.236.235.254/0', 22)],
      findings: [
        {
          severity: 'high',
          summary: /^Security group sg-0a1 opened to the internet: tcp port 22 from 208\.236\.235\.254\/0 .*by .*mallory$/,
          actions: ['deactivate-access-key', 'review'],
        },
      ],
    },
    {
      name: 'RDP from every IPv6 address (ipPermissions items)',
      events: [items('tcp', 3389, [{ cidrIpv6: '::/0' }])],
      findings: [{ severity: 'high', summary: /sg-0b2 opened to the internet: tcp port 3389 from ::\/0/ }],
    },
    {
      name: 'all protocols from everywhere',
      events: [items('-1', undefined, [{ cidrIp: '0.0.0.0/0' }, { cidrIp: '10.0.0.0/8' }])],
      findings: [{ severity: 'high', summary: /opened to the internet: all traffic from 0\.0\.0\.0\/0 by / }],
    },
    {
      name: 'HTTPS from everywhere is low (web servers do it on purpose)',
      events: [flat('0.0.0.0/0', 443)],
      findings: [{ severity: 'low', summary: /tcp port 443 from 0\.0\.0\.0\/0/ }],
    },
    {
      name: 'a port range that covers SSH is high',
      events: [flat('0.0.0.0/0', 0, 1024)],
      findings: [{ severity: 'high', summary: /tcp ports 0-1024/ }],
    },
    {
      name: 'a rule modified to allow Jupyter from everywhere (ModifySecurityGroupRules request objects): direction unrecorded, one step lower',
      events: [
        ec2('ModifySecurityGroupRules', {
          ModifySecurityGroupRulesRequest: {
            GroupId: 'sg-0d4',
            SecurityGroupRule: {
              SecurityGroupRuleId: 'sgr-1',
              SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 8888, ToPort: 8888, CidrIpv4: '0.0.0.0/0' },
            },
          },
        }),
      ],
      findings: [
        {
          severity: 'medium',
          summary: /Security group sg-0d4 \(a rule whose direction the request does not record\) opened to the internet: tcp port 8888/,
        },
      ],
    },
    {
      name: 'a network ACL entry allowing everything from everywhere',
      events: [acl({})],
      findings: [{ severity: 'high', summary: /Network ACL acl-0c3 \(rule 90\) opened to the internet: all traffic from 0\.0\.0\.0\/0/ }],
    },
    {
      name: 'a denied attempt is one step lower, with no revoke step',
      events: [
        ec2(
          'AuthorizeSecurityGroupIngress',
          { groupId: 'sg-0a1', cidrIp: '0.0.0.0/0', fromPort: 22, toPort: 22, ipProtocol: 'tcp' },
          { errorCode: 'Client.UnauthorizedOperation' },
        ),
      ],
      findings: [{ severity: 'medium', summary: /\(attempt denied: Client\.UnauthorizedOperation\)$/, actions: ['deactivate-access-key'] }],
    },
    {
      name: 'admin ports from the config: HTTPS listed is high',
      events: [flat('0.0.0.0/0', 443)],
      params: { adminPorts: ['443'] },
      findings: [{ severity: 'high' }],
    },
  ],
});

describe('openingsOf', () => {
  it('reads the address range with the ports of its enclosing permission, in every shape, and numbered protocols', () => {
    expect(openingsOf({ networkAclId: 'a', protocol: '6', portRange: { from: 22, to: 22 }, cidrBlock: '0.0.0.0/0' })).toEqual([
      { cidr: '0.0.0.0/0', protocol: 'tcp', from: 22, to: 22 },
    ]);
    expect(
      openingsOf({ ipPermissions: { items: [{ ipProtocol: 'udp', fromPort: 53, toPort: 53, ipRanges: { items: [{ cidrIp: '1.2.3.4/32' }] } }] } }),
    ).toEqual([{ cidr: '1.2.3.4/32', protocol: 'udp', from: 53, to: 53 }]);
  });
  it('stops at a bounded number of nodes however deep the request', () => {
    let deep: Record<string, unknown> = { cidrIp: '0.0.0.0/0' };
    for (let i = 0; i < 5_000; i++) deep = { x: deep };
    expect(openingsOf(deep)).toEqual([]);
  });
});
