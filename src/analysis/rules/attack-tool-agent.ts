// Calls made with offensive tooling: the user agent names a key-validation or cloud-exploitation tool (TruffleHog
// checking a leaked key, Pacu, CloudFox, aws_consoler) or a penetration-testing distribution (Kali, Parrot, Pentoo),
// as GuardDuty's PenTest findings do. One finding per actor; expected principals (your own red team) are skipped.
import { PerActor } from './per-actor.js';
import { actorKeyOf, credentialActions, finding, inWindow, isExpected, isTrail, listSome, RecentIds, requestIdOf, say } from './support.js';
import { defineRule, listParam, type Finding, type RuleMeta } from './types.js';

interface Params {
  toolPatterns: readonly string[];
}

const meta: RuleMeta<Params> = {
  id: 'attack-tool-agent',
  title: 'API calls made with offensive tooling (leaked-key validators, exploitation frameworks, pentest distributions)',
  severity: 'high',
  element: 'access',
  techniques: ['T1078.004', 'T1588.002'],
  rationale:
    'The user agent is set by the client, so its absence proves nothing, but its presence is telling: leaked-key harvesters validate each key with TruffleHog (sts:GetCallerIdentity), and exploitation frameworks (Pacu, CloudFox, aws_consoler, WeirdAAL) and penetration-testing distributions (Kali, Parrot, Pentoo, whose SDK user agents carry the distribution name) are rarely what an organisation’s own workloads run. One finding per actor with the tools seen; list your own red team as expected principals.',
  messages: { tool: '{actor} made {count} call(s) with {tools} ({actions}) from {ips}' },
  params: {
    toolPatterns: listParam(
      ['trufflehog', '\\bpacu\\b', 'cloudfox', 'aws_consoler', 'weirdaal', '\\bkali', 'parrot', 'pentoo', 'cloudgoat', 'nuclei'],
      'Regexes (case-insensitive) of user agents of offensive tools.',
    ),
  },
  needsBaseline: false,
  response: {
    containment: ['Deactivate the credential: a tool validating or exploiting it means it is in someone else’s hands'],
    recovery: ['Find where the key leaked (code repositories, CI logs, images) and remove it; review the actor’s storyline'],
  },
};

export const attackToolAgent = defineRule<Params>({
  meta,
  create(ctx) {
    const patterns = ctx.params.toolPatterns.map((p) => ({ p, re: new RegExp(p, 'i') }));
    const seen = new RecentIds();
    const actors = new PerActor();
    const actions = new Map<string, Set<string>>();
    return {
      event(e) {
        if (!isTrail(e) || !e.userAgent || !inWindow(e, ctx) || isExpected(e, ctx)) return;
        const ua = e.userAgent.slice(0, 1000);
        const hits = patterns.filter((x) => x.re.test(ua)).map((x) => x.p.replace(/\\b/g, ''));
        if (!hits.length || !seen.firstSighting(requestIdOf(e))) return;
        actors.add(e, hits);
        const key = actorKeyOf(e) ?? '(unknown actor)';
        const set = actions.get(key) ?? new Set<string>();
        if (set.size < 50) set.add(e.action);
        actions.set(key, set);
      },
      finish() {
        const findings: Finding[] = [];
        for (const [key, g] of actors.groups) {
          const first = g.sample.first!;
          const summary = say(meta.messages.tool, {
            actor: first.actor ?? first.sourceIp,
            count: g.sample.count,
            tools: listSome(g.labels, 4),
            actions: listSome(actions.get(key) ?? [], 5),
            ips: listSome(g.sample.ips, 3) || '?',
          });
          findings.push(finding(meta, g.sample, summary, { actions: credentialActions(first) }));
        }
        return { findings, notAssessed: null };
      },
    };
  },
});
