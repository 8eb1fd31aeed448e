// What the rules need to know about the bundle beyond its events, read from the collected files: the baseline
// lookback window, the version history of model artifacts (ListObjectVersions as collected), and which network
// interfaces belong to AI workloads (SageMaker descriptions, collected ENI descriptions).
import { join } from 'node:path';
import type { Manifest, ManifestItem } from '../collect/manifest.js';
import { readJsonDocument } from './lines.js';
import type { AiNetworkInterface as AiNetworkEntry, ArtifactVersion } from './rules/types.js';

export interface BundleContext {
  /** The lookback collected before the window (manifest baselineWindow); null when none was collected. */
  baseline: { start: string; end: string } | null;
  artifactVersions: ArtifactVersion[];
  aiNetwork: Map<string, AiNetworkEntry>;
  /** Files that should have been readable and were not (reported as unreadable records). */
  problems: { path: string; message: string }[];
}

const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const iso = (v: unknown): string | null => {
  if (typeof v !== 'string' && !(v instanceof Date)) return null;
  const t = new Date(v);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
};

/** The manifest's baseline window, when collect recorded one (`baselineWindow: {start,end} | null`). */
export function baselineWindowOf(manifest: Manifest): { start: string; end: string } | null {
  const w = obj((manifest as { baselineWindow?: unknown }).baselineWindow);
  const start = iso(w?.start);
  const end = iso(w?.end);
  return start && end && start < end ? { start, end } : null;
}

const apiAction = (item: ManifestItem): string | null =>
  item.origin.kind === 'api' && !/\.response\.(json|xml|cbor)$/.test(item.path) ? item.origin.action : null;

export function versionsOf(page: unknown, bucket: string): ArtifactVersion[] {
  const versions = obj(page)?.Versions;
  if (!Array.isArray(versions)) return [];
  const out: ArtifactVersion[] = [];
  for (const raw of versions) {
    const v = obj(raw);
    const key = str(v?.Key);
    const lastModified = iso(v?.LastModified);
    if (!v || !key || !lastModified) continue;
    const versionId = str(v.VersionId);
    out.push({
      bucket,
      key,
      versionId: versionId === 'null' ? null : versionId,
      isLatest: v.IsLatest === true,
      lastModified,
      size: typeof v.Size === 'number' ? v.Size : null,
      etag: str(v.ETag),
    });
  }
  return out;
}

/** ENIs of AI workloads: a notebook's NetworkInterfaceId; collected ENI descriptions that SageMaker manages. */
export function aiInterfacesOf(action: string, doc: unknown, item: ManifestItem): [string, AiNetworkEntry][] {
  const d = obj(doc);
  if (!d) return [];
  if (action === 'DescribeNotebookInstance') {
    const eni = str(d.NetworkInterfaceId);
    const arn = str(d.NotebookInstanceArn) ?? `notebook-instance/${str(d.NotebookInstanceName) ?? '?'} (${item.accountId})`;
    return eni ? [[eni, { workloadArn: arn, kind: 'notebook-instance' }]] : [];
  }
  if (action === 'DescribeNetworkInterfaces' && Array.isArray(d.NetworkInterfaces)) {
    const out: [string, AiNetworkEntry][] = [];
    for (const raw of d.NetworkInterfaces) {
      const n = obj(raw);
      const eni = str(n?.NetworkInterfaceId);
      const text = `${str(n?.Description) ?? ''} ${str(n?.RequesterId) ?? ''}`;
      if (!eni || !/sagemaker/i.test(text)) continue;
      const kind = /training/i.test(text)
        ? 'training-job'
        : /notebook/i.test(text)
          ? 'notebook-instance'
          : /endpoint/i.test(text)
            ? 'endpoint'
            : 'sagemaker';
      out.push([eni, { workloadArn: str(n?.Description) ?? `SageMaker ENI ${eni}`, kind }]);
    }
    return out;
  }
  return [];
}

/** collect's analysis/ai-network.json: interfaces matched to workloads by id, subnet, security groups and description. */
export function aiNetworkFileEntries(doc: unknown): [string, AiNetworkEntry][] {
  const list = obj(doc)?.interfaces;
  if (!Array.isArray(list)) return [];
  const out: [string, AiNetworkEntry][] = [];
  for (const raw of list) {
    const n = obj(raw);
    const eni = str(n?.networkInterfaceId);
    const candidates = Array.isArray(n?.candidates) ? n.candidates.filter((c): c is string => typeof c === 'string') : [];
    const workloadArn = str(n?.workloadArn) ?? (candidates.length ? `one of ${candidates.join(', ')}` : null);
    if (eni && workloadArn) out.push([eni, { workloadArn, kind: str(n?.kind) ?? 'sagemaker' }]);
  }
  return out;
}

const isAiNetworkFile = (item: ManifestItem): boolean => item.origin.kind === 'derived' && item.path === 'analysis/ai-network.json';

export async function loadBundleContext(bundleDir: string, manifest: Manifest, maxDocumentBytes: number): Promise<BundleContext> {
  const ctx: BundleContext = { baseline: baselineWindowOf(manifest), artifactVersions: [], aiNetwork: new Map(), problems: [] };
  const seen = new Set<string>();
  // The collected attribution is the better one: it is applied after what the raw descriptions suggest.
  const attributed: [string, AiNetworkEntry][] = [];
  for (const item of manifest.items) {
    if (isAiNetworkFile(item)) {
      try {
        attributed.push(...aiNetworkFileEntries(await readJsonDocument(join(bundleDir, ...item.path.split('/')), maxDocumentBytes)));
      } catch (error) {
        ctx.problems.push({ path: item.path, message: `could not be read: ${(error as Error).message}` });
      }
      continue;
    }
    const action = apiAction(item);
    const wanted =
      (action === 'ListObjectVersions' && item.source === 'model-artifacts') ||
      action === 'DescribeNotebookInstance' ||
      action === 'DescribeNetworkInterfaces';
    if (!wanted || item.origin.kind !== 'api') continue;
    let doc: unknown;
    try {
      doc = await readJsonDocument(join(bundleDir, ...item.path.split('/')), maxDocumentBytes);
    } catch (error) {
      ctx.problems.push({ path: item.path, message: `could not be read: ${(error as Error).message}` });
      continue;
    }
    if (action === 'ListObjectVersions') {
      const bucket = str(item.origin.params?.Bucket);
      if (!bucket) continue;
      for (const v of versionsOf(doc, bucket)) {
        const id = `${v.bucket}/${v.key}?${v.versionId ?? 'null'}`;
        if (seen.has(id)) continue;
        seen.add(id);
        ctx.artifactVersions.push(v);
      }
    } else for (const [eni, entry] of aiInterfacesOf(action, doc, item)) ctx.aiNetwork.set(eni, entry);
  }
  for (const [eni, entry] of attributed) ctx.aiNetwork.set(eni, entry);
  ctx.artifactVersions.sort((a, b) =>
    a.bucket + a.key < b.bucket + b.key ? -1 : a.bucket + a.key > b.bucket + b.key ? 1 : a.lastModified.localeCompare(b.lastModified),
  );
  return ctx;
}
