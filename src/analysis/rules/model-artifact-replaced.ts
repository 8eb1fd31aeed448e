// Model artifacts whose current bytes differ from the known-good baseline file (compared at collection time).
import { say } from './support.js';
import { defineRule, notAssessed, assessed, type Finding, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'model-artifact-replaced',
  title: 'Model artifact differs from the known-good baseline',
  severity: 'critical',
  element: 'ai-changes',
  techniques: ['T1565.001'],
  rationale:
    'The collector hashed every version of each model artifact and compared the current one with the known-good hashes given at collection (--baseline). A different hash means the model being served is not the one that was approved: possible model tampering or a backdoored model.',
  messages: {
    tampered: '{uri}{version} has sha256 {sha256}; the baseline says {expected}{goodNote}',
    missing: '{uri} is in the baseline but no current version was found (deleted, or not collected)',
  },
  params: {},
  needsBaseline: false,
  response: {
    containment: ['Stop serving the artifact: point endpoints at the last known-good model'],
    recovery: [
      'Restore the known-good version of the artifact as the current version',
      'Find who wrote the new version (model-artifact-new-version findings, S3 data events)',
    ],
  },
};

const base = (time: string): Omit<Finding, 'summary' | 'target' | 'evidence' | 'severity' | 'actions'> => ({
  ruleId: meta.id,
  title: meta.title,
  element: meta.element,
  techniques: [...meta.techniques],
  time,
  account: null,
  region: null,
  actor: null,
  actorKey: null,
  accessKeyIds: [],
  events: [],
  eventCount: 0,
});

export const modelArtifactReplaced = defineRule({
  meta,
  create(ctx) {
    return {
      event() {},
      finish() {
        const report = ctx.modelArtifacts;
        if (!report) return notAssessed('the bundle has no model-artifact comparison (source model-artifacts not collected)');
        const out: Finding[] = [];
        for (const t of report.tampered) {
          const copy = report.copies[`${t.uri}?versionId=${t.versionId ?? 'null'}`] ?? report.copies[t.uri];
          const good = t.knownGoodVersionId ? report.copies[`${t.uri}?versionId=${t.knownGoodVersionId}`] : undefined;
          out.push({
            ...base(ctx.window.start),
            severity: meta.severity,
            target: t.uri,
            summary: say(meta.messages.tampered, {
              uri: t.uri,
              version: t.versionId ? ` (version ${t.versionId})` : '',
              sha256: t.sha256,
              expected: t.expectedSha256,
              goodNote: t.knownGoodVersionId ? `; the known-good bytes are still there as version ${t.knownGoodVersionId}` : '',
            }),
            evidence: [{ path: report.path }, ...(copy ? [{ path: copy }] : []), ...(good ? [{ path: good }] : [])],
            actions: t.knownGoodVersionId
              ? [
                  {
                    kind: 'rollback-artifact-version',
                    target: `${t.uri}?versionId=${t.knownGoodVersionId}`,
                    text: `Restore version ${t.knownGoodVersionId} of ${t.uri} (copy it over the current version)`,
                  },
                ]
              : [{ kind: 'review', target: t.uri, text: `Replace ${t.uri} with the approved model from your release store` }],
          });
        }
        for (const m of report.missing) {
          out.push({
            ...base(ctx.window.start),
            severity: 'medium',
            target: m.uri,
            summary: say(meta.messages.missing, { uri: m.uri }),
            evidence: [{ path: report.path }],
            actions: [{ kind: 'review', target: m.uri, text: `Find out why ${m.uri} is gone (S3 DeleteObject events)` }],
          });
        }
        return report.baseline ? assessed(out) : notAssessed('artifacts were hashed but no known-good baseline was given at collection', out);
      },
    };
  },
});
