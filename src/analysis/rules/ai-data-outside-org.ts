// AI supply and results outside the Organization: training, validation or knowledge-base data, imported models
// and container images taken from storage or registries the bundle cannot place in the Organization, and job
// results or captured inference data written out of it (poisoning, supply chain, exfiltration). Pure.
import { isSuccess, type TimelineEvent } from '../event.js';
import { bucketOf } from '../../model/s3-location.js';
import { accountOfArn, bucketOwner } from './s3-copy-outside-org.js';
import {
  attempted,
  credentialActions,
  doneOrDenied,
  EventSample,
  externalOf,
  finding,
  isBaseline,
  isTrail,
  lower,
  obj,
  requestParameters,
  responseElements,
  say,
  str,
} from './support.js';
import { defineRule, listParam, SEVERITY_ORDER, type AnalysisContext, type Finding, type RuleMeta, type Severity } from './types.js';

interface Params {
  trustedAccounts: readonly string[];
  trustedImageAccounts: readonly string[];
}

const meta: RuleMeta<Params> = {
  id: 'ai-data-outside-org',
  title: 'AI training data, model or image from outside the Organization, or AI results sent out of it',
  severity: 'high',
  element: 'ai-changes',
  techniques: ['AML.T0020', 'AML.T0010', 'AML.T0025', 'T1537'],
  rationale:
    'A fine-tuning, training, processing, transform or batch-inference job, a model import or copy, or a knowledge-base data source that reads from a bucket of another account poisons the model or what it retrieves (ATLAS AML.T0020, AML.T0010); one that writes its results, checkpoints or captured inference data to such a bucket, model invocation logging pointed at one, or a knowledge base whose vector store is a service outside AWS sends prompts, responses and documents out (T1537); a KMS key or vector collection of an outside account hands it control of the data; a model container image from another account’s ECR or a registry outside ECR runs code nobody in the Organization built. Bucket owners are not in CloudTrail: an owner account named in the request (bucketOwnerAccountId, s3BucketOwner) or the record’s resources decides; otherwise a bucket is in the Organization when the bundle collected it, saw it created in a collected account, or the same jobs used it in the baseline, and "not known to be in the Organization" (one step lower) when none of these holds. A denied attempt is one step lower; an ingestion into a knowledge base right after its data source was pointed outside is one step higher.',
  messages: {
    job: '{actor} {what}{name}: {parts}{then}{attempt}',
  },
  params: {
    trustedAccounts: listParam(
      [],
      'Accounts outside the Organization whose buckets, models, keys and agents AI jobs may use (partners, data vendors): not reported.',
    ),
    trustedImageAccounts: listParam(
      [
        '763104351884',
        '683313688378',
        '382416733822',
        '257758044811',
        '404615174143',
        '246618743249',
        '174872318107',
        '141502667606',
        '438346466558',
        '492215442770',
        '664544806723',
      ],
      'Accounts whose ECR registries are trusted for model images (AWS Deep Learning Containers and SageMaker built-in algorithm registries; add your own image accounts outside the collected scope).',
    ),
  },
  needsBaseline: false,
  response: {
    containment: [
      'Stop the job (StopTrainingJob / StopModelCustomizationJob / StopProcessingJob ...) or delete the data source, model or endpoint configuration that names the outside bucket or image; deactivate the credential that made the call',
      'Deny AI service roles access to buckets outside the Organization (aws:ResourceOrgID in their policies, a VPC endpoint policy) and to images outside your registries',
    ],
    recovery: [
      'Treat a model trained on outside data, or a knowledge base that ingested it, as poisoned: retrain or re-ingest from approved data and compare its outputs',
      'Treat results, checkpoints and captured inference data written outside as disclosed',
    ],
  },
};

const WHAT: Record<string, string> = {
  CreateModelCustomizationJob: 'started Bedrock model customization job',
  CreateModelImportJob: 'started Bedrock model import job',
  CreateModelCopyJob: 'started Bedrock model copy job',
  CreateModelInvocationJob: 'started Bedrock batch inference job',
  CreateEvaluationJob: 'started Bedrock evaluation job',
  CreateKnowledgeBase: 'created knowledge base',
  UpdateKnowledgeBase: 'changed knowledge base',
  CreateDataSource: 'created knowledge-base data source',
  UpdateDataSource: 'changed knowledge-base data source',
  CreateTrainingJob: 'started SageMaker training job',
  CreateProcessingJob: 'started SageMaker processing job',
  CreateTransformJob: 'started SageMaker batch transform job',
  CreateHyperParameterTuningJob: 'started SageMaker tuning job',
  CreateAutoMLJob: 'started SageMaker AutoML job',
  CreateAutoMLJobV2: 'started SageMaker AutoML job',
  CreateModel: 'created SageMaker model',
  CreateModelPackage: 'created SageMaker model package',
  CreateEndpointConfig: 'created SageMaker endpoint configuration',
  PutModelInvocationLoggingConfiguration: 'pointed Bedrock model invocation logging (every prompt and response)',
};
const SERVICES = new Set(['bedrock.amazonaws.com', 'sagemaker.amazonaws.com']);
const NAME_KEYS = [
  'jobName',
  'trainingJobName',
  'processingJobName',
  'transformJobName',
  'hyperParameterTuningJobName',
  'autoMLJobName',
  'modelName',
  'modelPackageName',
  'endpointConfigName',
  'targetModelName',
  'name',
  'dataSourceId',
];

/**
 * One place a request points at: an S3 location read or written, a container image, an ARN that names its account
 * (a model to copy, a vector collection, a KMS key), or the endpoint of a vector store outside AWS.
 */
export interface AiRef {
  kind: 'in' | 'out' | 'image' | 'arn' | 'host';
  value: string;
  /** The request field it was found under (trainingDataConfig.s3Uri ...). */
  field: string;
  /** The bucket owner the request names beside it (bucketOwnerAccountId, s3BucketOwner, expectedBucketOwner). */
  owner: string | null;
}

const OUTPUT_PATH = /output|destination|checkpoint|debughook|tensorboard|profiler|capture|result/i;
const IMAGE_KEY = /^(?:image|trainingImage|imageUri|containerImage|inferenceImage)$/i;
const ARN_KEY = /^(?:sourceModelArn|baseModelIdentifier|collectionArn)$|kmsKey(?:Id|Arn)$/i;
/** Bucket names given bare (model invocation logging destinations). */
const BUCKET_KEY = /^bucketName$/i;
const OUTPUT_BUCKET_PATH = /output|destination|s3config|logging/i;
/** Endpoints of knowledge-base vector stores run outside AWS (Pinecone, Redis Enterprise Cloud, MongoDB Atlas). */
const HOST_KEY = /^(?:connectionString|endpoint)$/i;
const OWNER_KEY = /^(?:bucketOwnerAccountId|s3BucketOwner|expectedBucketOwner)$/i;

/** Every S3 location, image, account-bearing ARN and vector-store endpoint a request names, walked with bounds. */
export function aiRefsOf(params: unknown): AiRef[] {
  const out: AiRef[] = [];
  const walk = (v: unknown, path: string[], depth: number): void => {
    if (depth > 10 || out.length >= 100) return;
    if (Array.isArray(v)) return v.slice(0, 100).forEach((x) => walk(x, path, depth + 1));
    const o = obj(v);
    if (!o) return;
    const ownerKey = Object.keys(o).find((k) => OWNER_KEY.test(k));
    const owner = ownerKey ? str(o[ownerKey]) : null;
    for (const [k, x] of Object.entries(o)) {
      const here = [...path, k];
      const field = here.join('.');
      if (typeof x !== 'string') walk(x, here, depth + 1);
      else if (IMAGE_KEY.test(k)) out.push({ kind: 'image', value: x, field, owner: null });
      else if (ARN_KEY.test(k)) {
        if (accountOfArn(x)) out.push({ kind: 'arn', value: x, field, owner: accountOfArn(x) });
      } else if (HOST_KEY.test(k) && /storageConfiguration/i.test(field)) out.push({ kind: 'host', value: x, field, owner: null });
      else if (BUCKET_KEY.test(k) && bucketOf(`s3://${x}`))
        out.push({ kind: OUTPUT_BUCKET_PATH.test(field) ? 'out' : 'in', value: `s3://${x}`, field, owner });
      else if (bucketOf(x)) out.push({ kind: OUTPUT_PATH.test(field) ? 'out' : 'in', value: x, field, owner });
    }
  };
  walk(params, [], 0);
  return out;
}

const ECR = /^(\d{12})\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\//i;
/** The SageMaker SDK's default bucket, named for its account: sagemaker-<region>-<account>. */
const DEFAULT_BUCKET = /^sagemaker-[a-z0-9-]+-(\d{12})$/;

interface Knowledge {
  buckets: Set<string>;
  imageAccounts: Set<string>;
  hosts: Set<string>;
}
const MAX_KNOWN = 100_000;
const remember = (s: Set<string>, v: string | null | undefined): void => {
  if (v && s.size < MAX_KNOWN) s.add(v);
};

/** Accounts judged as the Organization's: the collected scope, and those the responder trusts. */
interface Trust {
  accounts: readonly string[];
  images: ReadonlySet<string>;
}
const inOrg = (account: string, e: TimelineEvent, ctx: AnalysisContext, trust: Trust): boolean =>
  externalOf([account], e, ctx, trust.accounts).length === 0;

/** What is wrong with one reference, and how sure: null when it is in the Organization or cannot be judged. */
function judgeRef(r: AiRef, e: TimelineEvent, ctx: AnalysisContext, known: Knowledge, trust: Trust): [string, Severity] | null {
  const outside = (a: string) => `account ${a}, outside the Organization`;
  if (r.kind === 'arn') {
    if (!r.owner || inOrg(r.owner, e, ctx, trust)) return null;
    const verb = /^sourceModelArn$/i.test(r.field)
      ? 'copies model'
      : /kms/i.test(r.field)
        ? 'encrypts with KMS key'
        : /collection/i.test(r.field)
          ? 'stores vectors in'
          : 'uses';
    return [`${verb} ${r.value} (${r.field}) of ${outside(r.owner)}`, 'high'];
  }
  if (r.kind === 'host')
    return known.hosts.has(r.value)
      ? null
      : [`stores knowledge-base text and vectors at ${r.value} (${r.field}), a vector store outside AWS`, 'medium'];
  if (r.kind === 'image') {
    const account = ECR.exec(r.value)?.[1];
    if (account) {
      if (inOrg(account, e, ctx, trust) || trust.images.has(account) || known.imageAccounts.has(account)) return null;
      return [`runs image ${r.value} from the ECR registry of ${outside(account)} (not a trusted image account)`, 'medium'];
    }
    if (!/[./]/.test(r.value) || known.imageAccounts.has(r.value.split('/')[0]!)) return null;
    return [`runs image ${r.value} from a registry outside Amazon ECR`, 'medium'];
  }
  const bucket = bucketOf(r.value)?.toLowerCase();
  if (!bucket) return null;
  const verb = r.kind === 'in' ? 'reads' : 'writes to';
  const owner = r.owner ?? bucketOwner(e, bucket);
  if (owner) return inOrg(owner, e, ctx, trust) ? null : [`${verb} ${r.value} (${r.field}) in ${outside(owner)}`, 'high'];
  const named = DEFAULT_BUCKET.exec(bucket)?.[1];
  if (known.buckets.has(bucket) || (named && inOrg(named, e, ctx, trust))) return null;
  // Without any collected AI bucket the bundle cannot place buckets at all: say nothing rather than guess.
  if (!ctx.aiBuckets?.size) return null;
  return [`${verb} ${r.value} (${r.field}), a bucket not known to be in the Organization`, 'medium'];
}

/** Buckets and image registries the bundle places in the Organization, learned as events stream by. */
function learn(e: TimelineEvent, known: Knowledge, ctx: AnalysisContext): void {
  if (e.source === 's3-access-log') remember(known.buckets, bucketOf(e.target)?.toLowerCase());
  if (!isTrail(e) || !isSuccess(e)) return;
  if (e.service === 's3.amazonaws.com') {
    const b = str(requestParameters(e).bucketName)?.toLowerCase();
    // Every S3 data event passes here: a bucket already placed needs no second look at its owner.
    if (!b || known.buckets.has(b)) return;
    // The creator owns a bucket, and this trail is the Organization's.
    if (e.action === 'CreateBucket') remember(known.buckets, b);
    const owner = bucketOwner(e, b);
    if (owner && ctx.knownAccounts.has(owner)) remember(known.buckets, b);
    return;
  }
  // What the organisation's own AI jobs used in the baseline is where its data and images live.
  if (isBaseline(e, ctx) && SERVICES.has(e.service ?? '') && Object.hasOwn(WHAT, e.action)) {
    for (const r of aiRefsOf(requestParameters(e))) {
      if (r.kind === 'image') remember(known.imageAccounts, ECR.exec(r.value)?.[1] ?? r.value.split('/')[0]);
      else if (r.kind === 'host') remember(known.hosts, r.value);
      else if (r.kind !== 'arn' && !r.owner) remember(known.buckets, bucketOf(r.value)?.toLowerCase());
    }
  }
}

interface Pending {
  sample: EventSample;
  values: Record<string, string>;
  severity: Severity;
  kb: string | null;
  ingested: boolean;
}

const higher = (s: Severity): Severity => (s === 'low' ? 'medium' : s === 'medium' ? 'high' : 'critical');

function nameOf(e: TimelineEvent): string {
  const p = requestParameters(e);
  const key = NAME_KEYS.find((k) => str(p[k]));
  return key ? ` ${String(p[key])}` : e.target ? ` ${e.target}` : '';
}

export const aiDataOutsideOrg = defineRule<Params>({
  meta,
  create(ctx) {
    const known: Knowledge = { buckets: new Set([...(ctx.aiBuckets ?? [])].map((b) => b.toLowerCase())), imageAccounts: new Set(), hosts: new Set() };
    const trust: Trust = { accounts: ctx.params.trustedAccounts, images: new Set(ctx.params.trustedImageAccounts) };
    const pending: Pending[] = [];
    const byKb = new Map<string, Pending>();
    const judge = (e: TimelineEvent): void => {
      const parts: string[] = [];
      let severity: Severity | null = null;
      for (const r of aiRefsOf(requestParameters(e))) {
        const v = judgeRef(r, e, ctx, known, trust);
        if (!v || parts.includes(v[0])) continue;
        parts.push(v[0]);
        if (!severity || SEVERITY_ORDER[v[1]] < SEVERITY_ORDER[severity]) severity = v[1];
      }
      if (!severity) return;
      const kb = /(?:DataSource|KnowledgeBase)$/.test(e.action)
        ? (str(requestParameters(e).knowledgeBaseId) ?? str(obj(responseElements(e).knowledgeBase)?.knowledgeBaseId))
        : null;
      const p: Pending = {
        sample: EventSample.of(e),
        values: { actor: e.actor ?? '?', what: WHAT[e.action]!, name: nameOf(e), parts: parts.join('; '), attempt: attempted(e) },
        severity: isSuccess(e) ? severity : lower(severity),
        kb,
        ingested: false,
      };
      pending.push(p);
      if (kb && isSuccess(e) && byKb.size < MAX_KNOWN) byKb.set(kb, p);
    };
    return {
      event(e) {
        learn(e, known, ctx);
        if (!isTrail(e) || !SERVICES.has(e.service ?? '') || isBaseline(e, ctx) || e.time > ctx.window.end) return;
        if (e.action === 'StartIngestionJob') {
          const p = byKb.get(str(requestParameters(e).knowledgeBaseId) ?? '');
          if (!p || !isSuccess(e)) return;
          p.sample.add(e);
          if (!p.ingested) Object.assign(p, { ingested: true, severity: higher(p.severity) });
          p.values.then ??= `; then ${e.actor ?? '?'} ingested it into knowledge base ${p.kb ?? '?'} (StartIngestionJob)`;
          return;
        }
        if (Object.hasOwn(WHAT, e.action) && doneOrDenied(e)) judge(e);
      },
      finish() {
        const findings: Finding[] = pending.map((p) => {
          const first = p.sample.first!;
          return finding(meta, p.sample, say(meta.messages.job, { then: '', ...p.values }), {
            severity: p.severity,
            actions: [
              ...credentialActions(first),
              {
                kind: 'review',
                target: first.target ?? first.action,
                text: `Stop or delete${p.values.name ?? ''} (${first.action}) and review what it read from or wrote outside the Organization`,
              },
            ],
          });
        });
        return { findings, notAssessed: null };
      },
    };
  },
});
