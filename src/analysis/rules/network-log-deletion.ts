// VPC flow logs or Route 53 Resolver query logs removed: network evidence stops being recorded.
import { isSuccess } from '../event.js';
import { finding, isTrail, type Finding, type Rule, type RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'network-log-deletion',
  title: 'VPC flow logs or DNS query logging deleted',
  severity: 'high',
  element: 'infrastructure-changes',
  rationale: 'Deleting flow logs (or DNS query logging) removes the network record of where AI workloads connected and who reached them, typically just before exfiltration or lateral movement.',
};

const ACTIONS: Record<string, string> = {
  DeleteFlowLogs: 'VPC flow log(s) deleted',
  DeleteResolverQueryLogConfig: 'Route 53 Resolver query logging configuration deleted',
  DisassociateResolverQueryLogConfig: 'Route 53 Resolver query logging detached from a VPC',
};

export const networkLogDeletion: Rule = {
  meta,
  wants: (e) => isTrail(e) && Object.hasOwn(ACTIONS, e.action),
  match(events) {
    const out: Finding[] = [];
    for (const e of events) {
      if (!isTrail(e) || !Object.hasOwn(ACTIONS, e.action) || !isSuccess(e)) continue;
      out.push(finding(meta, [e], `${ACTIONS[e.action]}${e.target ? `: ${e.target}` : ''}`));
    }
    return out;
  },
};
