// Model tampering without a baseline file: a new version of a model artifact written in the window by an actor
// that is not the artifact's usual writer (confirmed by the collected version history), and the SageMaker
// models / endpoint configs that then point at it.
import { isSuccess, type TimelineEvent } from '../event.js';
import {
  actorKeyOf,
  credentialActions,
  EventSample,
  finding,
  inWindow,
  isBaseline,
  isExpected,
  isTrail,
  obj,
  requestParameters,
  responseElements,
  sessionIssuerOf,
  say,
  str,
} from './support.js';
import { defineRule, type ArtifactVersion, type Finding, type ResponseAction, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'model-artifact-new-version',
  title: 'Model artifact overwritten by an unusual writer',
  severity: 'high',
  element: 'ai-changes',
  techniques: ['T1565.001', 'AML.T0018'],
  rationale:
    'Replacing model.tar.gz (or any ModelDataUrl object) in a versioned bucket swaps the model that endpoints load next, without any SageMaker API call. A write in the window by an actor that did not write the artifact in the baseline, confirmed by a new version in the collected ListObjectVersions history, is tampering until a deployment explains it; CreateModel / endpoint-config changes pointing at the object make it live.',
  messages: { write: '{actor} wrote {uri}{version} with {action}{usual}{confirm}{used}' },
  params: {},
  needsBaseline: false,
  response: {
    containment: ['Point endpoints back at the previous model version; deactivate the writer’s credential'],
    recovery: ['Restore the previous version of the artifact as the current one; compare its hash with your release records'],
  },
};

const WRITE = new Set(['PutObject', 'CopyObject', 'CompleteMultipartUpload']);
const MODEL_CHANGE = new Set(['CreateModel', 'CreateEndpointConfig', 'UpdateEndpoint', 'CreateModelPackage', 'CreateTransformJob']);
const ARTIFACT_NAME = /(?:^|\/)(?:model\.tar\.gz|[^/]+\.(?:safetensors|gguf|onnx|pt|pth|ckpt|bin|h5|keras|joblib|pkl|pickle|mar|tflite|pb))$/i;
const MAX_TRACKED = 10_000;
/** Version LastModified and the CloudTrail event time differ by clock and upload duration. */
const CONFIRM_SLACK_MS = 5 * 60_000;

/** s3://bucket/key URIs named anywhere in SageMaker request parameters (ModelDataUrl, S3Uri ...). */
export function s3UrisIn(v: unknown, out: Set<string> = new Set(), depth = 0): Set<string> {
  if (depth > 8 || out.size > 50) return out;
  if (typeof v === 'string') {
    if (/^s3:\/\/[^/]+\/.+/.test(v)) out.add(v);
  } else if (Array.isArray(v)) for (const x of v) s3UrisIn(x, out, depth + 1);
  else if (obj(v)) for (const x of Object.values(v as Record<string, unknown>)) s3UrisIn(x, out, depth + 1);
  return out;
}

interface Write {
  sample: EventSample;
  uri: string;
  version: ArtifactVersion | null;
  previous: ArtifactVersion | null;
  usual: boolean | null;
  usedBy: string[];
}

/**
 * Index of the version a write made: the version id CloudTrail recorded (x-amz-version-id), else the version whose
 * LastModified is nearest the event within the slack; -1 when the history shows none.
 */
export function versionWritten(e: TimelineEvent, versions: readonly ArtifactVersion[]): number {
  const id = str(responseElements(e)['x-amz-version-id']) ?? str(obj(e.detail?.additionalEventData)?.['x-amz-version-id']);
  if (id) {
    const byId = versions.findIndex((v) => v.versionId === id);
    if (byId >= 0) return byId;
  }
  const t = Date.parse(e.time);
  let best = -1;
  for (let i = 0; i < versions.length; i++) {
    const d = Math.abs(Date.parse(versions[i]!.lastModified) - t);
    if (d <= CONFIRM_SLACK_MS && (best < 0 || d < Math.abs(Date.parse(versions[best]!.lastModified) - t))) best = i;
  }
  return best;
}

function versionsOf(history: readonly ArtifactVersion[]): Map<string, ArtifactVersion[]> {
  const by = new Map<string, ArtifactVersion[]>();
  for (const v of history) {
    const uri = `s3://${v.bucket}/${v.key}`;
    by.set(uri, [...(by.get(uri) ?? []), v]);
  }
  for (const list of by.values()) list.sort((a, b) => (a.lastModified < b.lastModified ? -1 : 1));
  return by;
}

function render(w: Write, baseline: boolean): Finding {
  const e = w.sample.first!;
  const actions: ResponseAction[] = [...credentialActions(e)];
  if (w.previous?.versionId)
    actions.push({
      kind: 'rollback-artifact-version',
      target: `${w.uri}?versionId=${w.previous.versionId}`,
      text: `Restore version ${w.previous.versionId} of ${w.uri} (the version before this write)`,
    });
  else actions.push({ kind: 'review', target: w.uri, text: `Replace ${w.uri} with the approved model from your release store` });
  const summary = say(meta.messages.write, {
    actor: e.actor,
    uri: w.uri,
    version: w.version?.versionId ? ` (version ${w.version.versionId})` : '',
    action: e.action,
    usual: w.usual === false ? ', not its usual writer' : baseline ? '' : ' (no baseline to tell its usual writer)',
    confirm: w.version ? '; the version history confirms the new version' : '; no matching version in the collected history',
    used: w.usedBy.length ? `; then ${w.usedBy.join(', ')} pointed at it` : '',
  });
  const severity = w.usedBy.length && w.usual === false ? 'critical' : w.usual === false ? 'high' : 'medium';
  return finding(meta, w.sample, summary, { target: w.uri, severity, actions });
}

export const modelArtifactNewVersion = defineRule({
  meta,
  create(ctx) {
    const history = versionsOf(ctx.artifactVersions);
    const artifacts = new Set<string>([
      ...history.keys(),
      ...(ctx.modelArtifacts ? [...ctx.modelArtifacts.tampered, ...ctx.modelArtifacts.missing].map((t) => t.uri) : []),
    ]);
    const writers = new Map<string, Set<string>>();
    const writes = new Map<string, Write>();
    let baselineWrites = 0;
    const isArtifact = (uri: string): boolean => artifacts.has(uri) || ARTIFACT_NAME.test(uri);
    const writerIds = (e: TimelineEvent): string[] => [actorKeyOf(e), sessionIssuerOf(e), e.principal].filter((x): x is string => !!x);
    return {
      event(e) {
        if (!isTrail(e) || !isSuccess(e)) return;
        if (e.service === 'sagemaker.amazonaws.com' && MODEL_CHANGE.has(e.action)) {
          for (const uri of s3UrisIn(requestParameters(e))) {
            if (isBaseline(e, ctx)) {
              if (artifacts.size < MAX_TRACKED) artifacts.add(uri);
              continue;
            }
            const w = writes.get(uri);
            if (w && w.usedBy.length < 10) {
              w.usedBy.push(`${e.action}${e.target ? ` ${e.target}` : ''}`);
              w.sample.add(e);
            }
          }
          return;
        }
        if (e.service !== 's3.amazonaws.com' || !WRITE.has(e.action) || !e.target || !isArtifact(e.target)) return;
        if (isBaseline(e, ctx)) {
          baselineWrites++;
          const set = writers.get(e.target) ?? new Set<string>();
          for (const id of writerIds(e)) set.add(id);
          if (writers.size < MAX_TRACKED) writers.set(e.target, set);
          return;
        }
        if (!inWindow(e, ctx) || isExpected(e, ctx) || writes.size >= MAX_TRACKED) return;
        const known = writers.get(e.target);
        const usual = known ? writerIds(e).some((id) => known.has(id)) : baselineWrites > 0 || ctx.baseline ? false : null;
        if (usual) return;
        const versions = history.get(e.target) ?? [];
        const i = versionWritten(e, versions);
        const existing = writes.get(e.target);
        if (existing) {
          existing.sample.add(e);
          // Any write of the actor that the history confirms confirms the finding (the first may have been overwritten).
          if (!existing.version && i >= 0) Object.assign(existing, { version: versions[i]!, previous: i > 0 ? versions[i - 1]! : null });
          return;
        }
        writes.set(e.target, {
          sample: new EventSample().add(e),
          uri: e.target,
          version: i >= 0 ? versions[i]! : null,
          previous: i > 0 ? versions[i - 1]! : null,
          usual,
          usedBy: [],
        });
      },
      finish() {
        const baseline = baselineWrites > 0 || ctx.baseline !== null;
        return {
          findings: [...writes.values()].map((w) => render(w, baseline)),
          notAssessed: ctx.artifactVersions.length
            ? null
            : 'no version history of model artifacts was collected: new versions cannot be confirmed (writes are still reported)',
        };
      },
    };
  },
});
