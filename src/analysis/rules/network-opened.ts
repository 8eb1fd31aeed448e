// Network opened to the whole internet: security-group ingress (AuthorizeSecurityGroupIngress, ModifySecurityGroupRules)
// and network ACL allow entries (CreateNetworkAclEntry, ReplaceNetworkAclEntry) from 0.0.0.0/0 or ::/0. Admin ports and
// every port are high; another port low. Denied attempts are one step lower.
import type { TimelineEvent } from '../event.js';
import { changeRule, isExpected, listSome, lower, obj, requestParameters, str, type ChangeVerdict } from './support.js';
import { defineRule, listParam, type RuleMeta, type Severity } from './types.js';

interface Params {
  adminPorts: readonly string[];
}

const meta: RuleMeta<Params> = {
  id: 'network-opened-to-world',
  title: 'Security group or network ACL opened to the internet',
  severity: 'high',
  element: 'infrastructure-changes',
  techniques: ['T1562.007', 'T1133'],
  rationale:
    'To reach an instance, a notebook or a database directly, or to make exfiltration easy, attackers open the firewall: a security-group ingress rule or a network ACL allow entry from every address (a /0 prefix, IPv4 or IPv6). Admin and remote-access ports (SSH, RDP, WinRM, Jupyter by default) and all ports or all protocols are high; any other port from everywhere is low (web servers do it on purpose). ModifySecurityGroupRules records the rule by id, not whether it is inbound or outbound (outbound to everywhere is the default), so its findings are one step lower and say the direction is unknown. Expected principals (infrastructure pipelines) are not reported. A denied attempt is one step lower.',
  messages: { change: '{what}{target} by {actor}{attempt}' },
  params: {
    adminPorts: listParam(['22', '3389', '5985', '5986', '8888'], 'Ports whose opening to every address is high (SSH, RDP, WinRM, Jupyter).'),
  },
  needsBaseline: false,
  response: {
    containment: ['Revoke the ingress rule or network ACL entry that opened the network; deactivate the credential that made it'],
    recovery: ['Review connections to the exposed resources since the change (VPC flow logs, instance and database logs)'],
  },
};

/** One opening: an address range with the protocol and ports it was opened for (null: all). */
export interface Opening {
  cidr: string;
  protocol: string | null;
  from: number | null;
  to: number | null;
}

const CIDR_KEYS = ['cidrIp', 'cidrIpv6', 'cidrIpv4', 'CidrIp', 'CidrIpv6', 'CidrIpv4', 'cidrBlock', 'ipv6CidrBlock', 'CidrBlock', 'Ipv6CidrBlock'];
const MAX_NODES = 2_000;
/** IANA protocol numbers as network ACL entries give them. */
const PROTOCOLS: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

/** A scalar that may be wrapped as {content: x} (the XML-shaped requests of newer EC2 calls). */
const scalar = (v: unknown): unknown => obj(v)?.content ?? v;
const text = (v: unknown): string | null => {
  const x = scalar(v);
  return typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' ? String(x) : null;
};
const num = (v: unknown): number | null => {
  const x = scalar(v);
  return typeof x === 'number' ? x : typeof x === 'string' && /^-?\d+$/.test(x) ? Number(x) : null;
};

/**
 * Every address range in a request with the protocol and ports of the nearest enclosing permission. CloudTrail writes
 * the same rule flat (cidrIp, fromPort), as ipPermissions.items[].ipRanges.items[], or as ModifySecurityGroupRules'
 * SecurityGroupRule objects: a walk that inherits ports downwards reads them all. Bounded in nodes.
 */
export function openingsOf(params: unknown): Opening[] {
  const out: Opening[] = [];
  let budget = MAX_NODES;
  const walk = (node: unknown, inherited: Omit<Opening, 'cidr'>): void => {
    if (--budget < 0 || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const x of node) walk(x, inherited);
      return;
    }
    const o = node as Record<string, unknown>;
    const proto = scalar(o.ipProtocol ?? o.IpProtocol ?? o.protocol ?? o.Protocol);
    const range = obj(o.portRange) ?? obj(o.PortRange);
    const here = {
      protocol: typeof proto === 'string' || typeof proto === 'number' ? (PROTOCOLS[String(proto)] ?? String(proto)) : inherited.protocol,
      from: num(o.fromPort ?? o.FromPort ?? range?.from ?? range?.From) ?? inherited.from,
      to: num(o.toPort ?? o.ToPort ?? range?.to ?? range?.To) ?? inherited.to,
    };
    for (const k of CIDR_KEYS) {
      const cidr = str(scalar(o[k]));
      if (cidr) out.push({ cidr, ...here });
    }
    for (const [k, v] of Object.entries(o)) if (typeof v === 'object' && !CIDR_KEYS.includes(k)) walk(v, here);
  };
  walk(params, { protocol: null, from: null, to: null });
  return out;
}

/** Every address: a prefix of length 0 (0.0.0.0/0, ::/0; anonymised records keep the /0). */
const everywhere = (cidr: string): boolean => /\/0$/.test(cidr.trim());
const allTraffic = (o: Opening): boolean =>
  o.protocol === '-1' || o.protocol === 'all' || (o.from !== null && o.to !== null && o.from <= 0 && o.to >= 65535);

function describe(o: Opening): string {
  if (allTraffic(o)) return 'all traffic';
  const ports = o.from === null ? 'all ports' : o.from === o.to || o.to === null ? `port ${o.from}` : `ports ${o.from}-${o.to}`;
  return `${o.protocol ?? '?'} ${ports}`;
}

function verdict(openings: Opening[], admin: readonly number[], place: string, revoke: string): ChangeVerdict | null {
  const world = openings.filter((o) => everywhere(o.cidr));
  if (!world.length) return null;
  const hits = (o: Opening): boolean => allTraffic(o) || o.from === null || admin.some((p) => o.from! <= p && p <= (o.to ?? o.from!));
  const severity: Severity = world.some(hits) ? 'high' : 'low';
  const what = listSome(new Set(world.map((o) => `${describe(o)} from ${o.cidr}`)), 4);
  return { what: `${place} opened to the internet: ${what}`, severity, restore: revoke };
}

function judge(e: TimelineEvent, admin: readonly number[]): ChangeVerdict | null {
  const p = requestParameters(e);
  switch (e.action) {
    case 'AuthorizeSecurityGroupIngress':
    case 'ModifySecurityGroupRules': {
      const inner = obj(p.ModifySecurityGroupRulesRequest) ?? p;
      const group = str(scalar(p.groupId)) ?? str(scalar(inner.GroupId)) ?? str(p.groupName) ?? '?';
      if (e.action === 'AuthorizeSecurityGroupIngress')
        return verdict(
          openingsOf(p),
          admin,
          `Security group ${group}`,
          `Revoke the ingress rule of security group ${group} that allows every address`,
        );
      // ModifySecurityGroupRules names the rule by id, not whether it is inbound or outbound, and outbound to every
      // address is AWS's default: say so, one step lower.
      const v = verdict(
        openingsOf(p),
        admin,
        `Security group ${group} (a rule whose direction the request does not record)`,
        `Check whether the modified rule of security group ${group} is inbound, and if so restore it`,
      );
      return v && { ...v, severity: lower(v.severity) };
    }
    case 'CreateNetworkAclEntry':
    case 'ReplaceNetworkAclEntry': {
      const allow = text(p.ruleAction)?.toLowerCase() === 'allow';
      const egress = text(p.egress) === 'true';
      if (!allow || egress) return null;
      const acl = str(scalar(p.networkAclId)) ?? '?';
      return verdict(openingsOf(p), admin, `Network ACL ${acl} (rule ${text(p.ruleNumber) ?? '?'})`, `Delete the allow entry of network ACL ${acl}`);
    }
    default:
      return null;
  }
}

export const networkOpenedToWorld = defineRule<Params>({
  meta,
  create: changeRule(meta, 'review', (ctx) => {
    const admin = ctx.params.adminPorts.map(Number).filter((n) => Number.isInteger(n));
    return (e) => (e.service === 'ec2.amazonaws.com' && !isExpected(e, ctx) ? judge(e, admin) : null);
  }),
});
