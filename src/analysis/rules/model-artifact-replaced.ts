// Model artifacts whose current bytes differ from the known-good baseline (compared at collection time).
import type { Finding, Rule, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'model-artifact-replaced',
  title: 'Model artifact differs from the known-good baseline',
  severity: 'critical',
  element: 'ai-changes',
  rationale:
    'The collector hashed every version of each model artifact and compared the current one with the known-good hashes given at collection (--baseline). A different hash means the model being served is not the one that was approved: possible model tampering or a backdoored model.',
};

const base = (ctxTime: string): Omit<Finding, 'summary' | 'target' | 'evidence' | 'severity'> => ({
  ruleId: meta.id,
  title: meta.title,
  element: meta.element,
  time: ctxTime,
  account: null,
  region: null,
  actor: null,
  events: [],
  eventCount: 0,
});

export const modelArtifactReplaced: Rule = {
  meta,
  wants: () => false,
  match(_events, ctx) {
    const report = ctx.modelArtifacts;
    if (!report) return [];
    const out: Finding[] = [];
    for (const t of report.tampered) {
      const copy = report.copies[`${t.uri}?versionId=${t.versionId ?? 'null'}`] ?? report.copies[t.uri];
      const good = t.knownGoodVersionId ? report.copies[`${t.uri}?versionId=${t.knownGoodVersionId}`] : undefined;
      out.push({
        ...base(ctx.window.start),
        severity: meta.severity,
        target: t.uri,
        summary: `${t.uri}${t.versionId ? ` (version ${t.versionId})` : ''} has sha256 ${t.sha256}; the baseline says ${t.expectedSha256}${t.knownGoodVersionId ? `; the known-good bytes are still there as version ${t.knownGoodVersionId}` : ''}`,
        evidence: [{ path: report.path }, ...(copy ? [{ path: copy }] : []), ...(good ? [{ path: good }] : [])],
      });
    }
    for (const m of report.missing) {
      out.push({
        ...base(ctx.window.start),
        severity: 'medium',
        target: m.uri,
        summary: `${m.uri} is in the baseline but no current version was found (deleted, or not collected)`,
        evidence: [{ path: report.path }],
      });
    }
    return out;
  },
  coverage: (_events, ctx) => (ctx.modelArtifacts ? (ctx.modelArtifacts.baseline ? null : 'artifacts were hashed but no known-good baseline was given at collection') : 'the bundle has no model-artifact comparison (source model-artifacts not collected)'),
};
