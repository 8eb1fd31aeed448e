// VPC flow logs or Route 53 Resolver query logs removed (or the attempt): network evidence stops being recorded.
import { isSuccess } from '../event.js';
import { attempted, doneOrDenied, credentialActions, finding, isTrail, lower, perEvent, say } from './support.js';
import { defineRule, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'network-log-deletion',
  title: 'VPC flow logs or DNS query logging deleted',
  severity: 'high',
  element: 'infrastructure-changes',
  techniques: ['T1562.008'],
  rationale:
    'Deleting flow logs (or DNS query logging) removes the network record of where AI workloads connected and who reached them, typically just before exfiltration or lateral movement. Denied attempts are reported one step lower.',
  messages: { deleted: '{what}{target} by {actor}{attempt}' },
  params: {},
  needsBaseline: false,
  response: {
    containment: ['Deactivate the credential that deleted the logs', 'Recreate the flow logs / query logging configuration'],
    recovery: ['Treat network activity after the deletion as unrecorded; use other sources (S3 access logs, CloudTrail)'],
  },
};

const ACTIONS: Record<string, string> = {
  DeleteFlowLogs: 'VPC flow log(s) deleted',
  DeleteResolverQueryLogConfig: 'Route 53 Resolver query logging configuration deleted',
  DisassociateResolverQueryLogConfig: 'Route 53 Resolver query logging detached from a VPC',
};

export const networkLogDeletion = defineRule({
  meta,
  create: perEvent((e) => {
    if (!isTrail(e) || !Object.hasOwn(ACTIONS, e.action) || !doneOrDenied(e)) return null;
    const target = e.target ?? 'logging';
    return finding(
      meta,
      [e],
      say(meta.messages.deleted, { what: ACTIONS[e.action], target: e.target ? `: ${e.target}` : '', actor: e.actor, attempt: attempted(e) }),
      {
        severity: isSuccess(e) ? meta.severity : lower(meta.severity),
        actions: [
          ...credentialActions(e),
          ...(isSuccess(e)
            ? [
                {
                  kind: 'restore-logging' as const,
                  target,
                  text: `Recreate ${e.action === 'DeleteFlowLogs' ? 'the VPC flow logs' : 'Resolver query logging'} (${target}) in ${e.region ?? '?'}`,
                },
              ]
            : []),
        ],
      },
    );
  }),
});
