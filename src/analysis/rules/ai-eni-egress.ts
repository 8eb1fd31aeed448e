// Data leaving AI workloads: flow-log bytes from the network interfaces of SageMaker endpoints, notebooks and
// jobs to public addresses, above a volume per remote address within a sliding window.
import { EventSample, finding, inWindow, isExpected, ipClass, say } from './support.js';
import { humanBytes } from './s3-bulk-read.js';
import { countParam, defineRule, type Finding, type RuleMeta } from './types.js';

interface Params {
  byteThreshold: number;
  windowMinutes: number;
}

const meta: RuleMeta<Params> = {
  id: 'ai-eni-egress',
  title: 'Large egress from an AI workload to a public address',
  severity: 'high',
  element: 'data-store-changes',
  techniques: ['T1048', 'T1041'],
  rationale:
    'A notebook, training job or endpoint sending hundreds of megabytes to one public address is how data and models leave without touching S3 APIs. Flow-log bytes leaving the interfaces of AI workloads are summed per workload interface and remote address over a sliding window; expected addresses are skipped.',
  messages: { egress: '{workload} ({eni}) sent {bytes} to {remote} between {from} and {to}' },
  params: {
    byteThreshold: countParam(100 * 1024 * 1024, 'Bytes from one AI interface to one public address within windowMinutes that are reported.'),
    windowMinutes: countParam(60, 'Sliding window, minutes.'),
  },
  needsBaseline: false,
  response: {
    containment: [
      'Block the remote address (security group / network ACL) and stop the workload if it is not expected to call out',
      'Rotate the credentials of the workload’s execution role',
    ],
    recovery: ['Move the workload to a VPC without internet egress (VPC endpoints only); review what it had access to'],
  },
};

interface Flow {
  window: { t: number; bytes: number }[];
  sum: number;
  open: { sample: EventSample; bytes: number; since: string } | null;
}

export const aiEniEgress = defineRule<Params>({
  meta,
  create(ctx) {
    const span = ctx.params.windowMinutes * 60_000;
    const flows = new Map<string, Flow>();
    return {
      event(e) {
        if (e.source !== 'flow-log' || !inWindow(e, ctx) || !e.bytesOut) return;
        const eni = typeof e.detail?.interfaceId === 'string' ? e.detail.interfaceId : null;
        const remote = typeof e.detail?.dstaddr === 'string' ? e.detail.dstaddr : null;
        if (!eni || !ctx.aiNetwork.has(eni) || ipClass(remote) !== 'public' || (remote && ctx.expected.ips.has(remote)) || isExpected(e, ctx)) return;
        const key = `${eni}|${remote}`;
        let f = flows.get(key);
        if (!f) {
          if (flows.size >= 100_000) return;
          f = { window: [], sum: 0, open: null };
          flows.set(key, f);
        }
        if (f.open) {
          f.open.sample.add(e);
          f.open.bytes += e.bytesOut;
          return;
        }
        const t = Date.parse(e.time);
        f.window.push({ t, bytes: e.bytesOut });
        f.sum += e.bytesOut;
        while (f.window.length && t - f.window[0]!.t > span) f.sum -= f.window.shift()!.bytes;
        if (f.sum >= ctx.params.byteThreshold) {
          f.open = { sample: new EventSample().add(e), bytes: f.sum, since: new Date(f.window[0]!.t).toISOString() };
          f.open.sample.count = f.window.length;
          f.window = [];
        }
      },
      finish() {
        const findings: Finding[] = [];
        for (const [key, f] of flows) {
          if (!f.open) continue;
          const [eni, remote] = key.split('|') as [string, string];
          const w = ctx.aiNetwork.get(eni)!;
          findings.push(
            finding(
              meta,
              f.open.sample,
              say(meta.messages.egress, {
                workload: `${w.kind} ${w.workloadArn}`,
                eni,
                bytes: humanBytes(f.open.bytes),
                remote,
                from: f.open.since,
                to: f.open.sample.last?.time,
              }),
              {
                actorKey: remote,
                actor: w.workloadArn,
                target: remote,
                time: f.open.since,
                actions: [{ kind: 'review', target: remote, text: `Block ${remote} and find what ${w.workloadArn} sent there` }],
              },
            ),
          );
        }
        return ctx.aiNetwork.size
          ? { findings, notAssessed: null }
          : { findings, notAssessed: 'no network interfaces of AI workloads are known in this bundle: egress from them cannot be told apart' };
      },
    };
  },
});
