// Tables of the AI supply and spend rules: data, models and images from outside the Organization or results sent
// out of it (ai-data-outside-org), and Bedrock capacity and jobs that run up the bill (bedrock-cost-abuse).
// Request parameters follow the Bedrock and SageMaker API references, in CloudTrail's camelCase.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromCloudTrail } from '../../../src/analysis/normalize.js';
import { aiDataOutsideOrg, aiRefsOf } from '../../../src/analysis/rules/ai-data-outside-org.js';
import { bedrockCostAbuse } from '../../../src/analysis/rules/bedrock-cost-abuse.js';
import { parseCloudTrailFile } from '../../../src/collect/parsers/cloudtrail.js';
import { PUBLIC } from '../helpers.js';
import { ACCOUNT, APP_ROLE, at, BASELINE, ct, s3log, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const OUTSIDE = '999988887777';
const SISTER = '444455556666';
const ctx = { window: WINDOW, baseline: BASELINE, aiBuckets: new Set(['training', 'models']), knownAccounts: new Set([ACCOUNT, SISTER]) };
const call = (eventSource: string, eventName: string, requestParameters: Record<string, unknown>, minutes = 0, over: Record<string, unknown> = {}) =>
  ct({ eventSource, eventName, eventTime: at(minutes), requestParameters, ...over });
const br = (eventName: string, p: Record<string, unknown>, minutes = 0, over: Record<string, unknown> = {}) =>
  call('bedrock.amazonaws.com', eventName, p, minutes, over);
const sm = (eventName: string, p: Record<string, unknown>, minutes = 0, over: Record<string, unknown> = {}) =>
  call('sagemaker.amazonaws.com', eventName, p, minutes, over);

/** The SageMaker developer guide's published CreateEndpoint and CreateModel (a built-in kmeans image of AWS's us-west-2 registry). */
const guide = () =>
  parseCloudTrailFile(readFileSync(join(PUBLIC, 'cloudtrail/sagemaker-developer-guide-examples.Records.json')), 'sm').records.flatMap((r, i) => {
    const n = fromCloudTrail(r, { ref: { path: 'sm.json', record: i }, account: null, region: null });
    return n.ok ? [n.event] : [];
  });
const guideCtx = { knownAccounts: new Set(['123456789012']), aiBuckets: new Set(['models']) };

const customization = (train: string, output = 's3://models/custom/') => ({
  jobName: 'ft-1',
  customModelName: 'cm-1',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/bedrock-ft`,
  baseModelIdentifier: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1',
  trainingDataConfig: { s3Uri: train },
  outputDataConfig: { s3Uri: output },
});
const training = (input: string, output: string, image = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/train:1`) => ({
  trainingJobName: 'tj-1',
  algorithmSpecification: { trainingImage: image, trainingInputMode: 'File' },
  inputDataConfig: [{ channelName: 'train', dataSource: { s3DataSource: { s3DataType: 'S3Prefix', s3Uri: input } } }],
  outputDataConfig: { s3OutputPath: output },
  resourceConfig: { instanceType: 'ml.m5.xlarge', instanceCount: 1, volumeSizeInGB: 10 },
});
const logging = (bucketName: string) => ({
  loggingConfig: { s3Config: { bucketName, keyPrefix: 'bedrock/' }, textDataDeliveryEnabled: true },
});
const dataSource = (bucketArn: string, bucketOwnerAccountId?: string) => ({
  knowledgeBaseId: 'KB1',
  name: 'docs',
  dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn, ...(bucketOwnerAccountId ? { bucketOwnerAccountId } : {}) } },
});

describe('aiRefsOf', () => {
  it('finds S3 locations by direction, the owner named beside them, images and outside models', () => {
    expect(aiRefsOf(training('s3://in-data/set', 's3://out-data/run', 'img')).map((r) => [r.kind, r.field])).toEqual([
      ['image', 'algorithmSpecification.trainingImage'],
      ['in', 'inputDataConfig.dataSource.s3DataSource.s3Uri'],
      ['out', 'outputDataConfig.s3OutputPath'],
    ]);
    expect(aiRefsOf(dataSource('arn:aws:s3:::kb-docs', OUTSIDE))).toEqual([
      { kind: 'in', value: 'arn:aws:s3:::kb-docs', field: 'dataSourceConfiguration.s3Configuration.bucketArn', owner: OUTSIDE },
    ]);
    expect(aiRefsOf({ sourceModelArn: `arn:aws:bedrock:us-east-1:${OUTSIDE}:custom-model/x` })[0]).toMatchObject({ kind: 'arn', owner: OUTSIDE });
    expect(aiRefsOf(customization('HIDDEN_DUE_TO_SECURITY_REASONS', 'not a location'))).toEqual([]);
  });
});

ruleTester(aiDataOutsideOrg, {
  valid: [
    { name: 'the published CreateModel with an image of the SageMaker built-in algorithm registry', events: guide(), ctx: guideCtx },
    {
      name: 'a training job on the collected AI buckets with an image of its own account',
      events: [sm('CreateTrainingJob', training('s3://training/set/', 's3://models/out/'))],
      ctx,
    },
    {
      name: 'a bucket the baseline jobs used',
      events: [
        sm('CreateTrainingJob', training('s3://team-data/set/', 's3://models/out/'), 0, { eventTime: at(0, '2024-05-28'), userIdentity: APP_ROLE }),
        sm('CreateTrainingJob', training('s3://team-data/set/', 's3://models/out/')),
      ],
      ctx,
    },
    {
      name: 'a bucket created in a collected account before the job',
      events: [
        call('s3.amazonaws.com', 'CreateBucket', { bucketName: 'fresh-data' }, -10),
        br('CreateModelCustomizationJob', customization('s3://fresh-data/train.jsonl')),
      ],
      ctx,
    },
    {
      name: 'a bucket whose server access log the bundle holds',
      events: [
        s3log({ bucket: 'logged-data', time: '01/Jun/2024:09:00:00 +0000' }),
        br('CreateModelCustomizationJob', customization('s3://logged-data/t.jsonl')),
      ],
      ctx,
    },
    {
      name: 'the SageMaker default bucket of the account and a Deep Learning Containers image',
      events: [
        sm(
          'CreateTrainingJob',
          training(
            `s3://sagemaker-us-east-1-${ACCOUNT}/in/`,
            's3://models/out/',
            '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1',
          ),
        ),
      ],
      ctx,
    },
    {
      name: 'a data source in a bucket of another account of the Organization',
      events: [br('CreateDataSource', dataSource('arn:aws:s3:::sister-docs', SISTER))],
      ctx,
    },
    {
      name: 'no AI bucket collected: an unknown bucket cannot be placed and is not judged',
      events: [br('CreateModelCustomizationJob', customization('s3://somewhere/t.jsonl', 's3://elsewhere/out/'))],
      ctx: { ...ctx, aiBuckets: new Set<string>() },
    },
    {
      name: 'batch results written to the bucket of a trusted partner account',
      events: [
        br('CreateModelInvocationJob', {
          jobName: 'batch-2',
          modelId: 'm',
          inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://training/prompts.jsonl' } },
          outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://partner-drop/out/', s3BucketOwner: OUTSIDE } },
        }),
      ],
      ctx,
      params: { trustedAccounts: [OUTSIDE] },
    },
    {
      name: 'a call that failed validation',
      events: [br('CreateDataSource', dataSource('arn:aws:s3:::kb-docs', OUTSIDE), 0, { errorCode: 'ValidationException' })],
      ctx,
    },
    {
      name: 'invocation logging moved to another bucket the baseline logged to',
      events: [
        br('PutModelInvocationLoggingConfiguration', logging('old-inv-logs'), 0, { eventTime: at(0, '2024-05-26') }),
        br('PutModelInvocationLoggingConfiguration', logging('old-inv-logs')),
      ],
      ctx,
    },
    {
      name: 'a customization job encrypted with a key of its own account',
      events: [
        br('CreateModelCustomizationJob', {
          ...customization('s3://training/t.jsonl'),
          customModelKmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`,
        }),
      ],
      ctx,
    },
    {
      name: 'an outside bucket named in the baseline only',
      events: [br('CreateDataSource', dataSource('arn:aws:s3:::kb-docs', OUTSIDE), 0, { eventTime: at(0, '2024-05-28') })],
      ctx,
    },
  ],
  invalid: [
    {
      name: 'the published CreateModel when the built-in registry is not trusted',
      events: guide(),
      ctx: guideCtx,
      params: { trustedImageAccounts: [] },
      findings: [
        {
          severity: 'medium',
          summary:
            /created SageMaker model ExampleModel: runs image 174872318107\.dkr\.ecr\.us-west-2\.amazonaws\.com\/kmeans:latest from the ECR registry of account 174872318107/,
        },
      ],
    },
    {
      name: 'fine-tuning on training data in a bucket not known to be in the Organization',
      events: [br('CreateModelCustomizationJob', customization('s3://free-datasets-xyz/train.jsonl'))],
      ctx,
      findings: [
        {
          severity: 'medium',
          summary:
            /started Bedrock model customization job ft-1: reads s3:\/\/free-datasets-xyz\/train\.jsonl \(trainingDataConfig\.s3Uri\), a bucket not known to be in the Organization/,
          actions: ['deactivate-access-key', 'review'],
        },
      ],
    },
    {
      name: 'a knowledge-base data source in an outside account, then ingested: one step higher, both events',
      events: [
        br('CreateDataSource', dataSource('arn:aws:s3:::kb-docs', OUTSIDE), 0),
        br('StartIngestionJob', { knowledgeBaseId: 'KB1', dataSourceId: 'DS1' }, 2, { userIdentity: APP_ROLE }),
      ],
      ctx,
      findings: [
        {
          severity: 'critical',
          eventCount: 2,
          summary:
            /reads arn:aws:s3:::kb-docs .* in account 999988887777, outside the Organization; then arn:aws:sts::111122223333:assumed-role\/app\/i-0abc ingested it into knowledge base KB1/,
        },
      ],
    },
    {
      name: 'a denied data source change is one step lower',
      events: [
        br('UpdateDataSource', { ...dataSource('arn:aws:s3:::kb-docs', OUTSIDE), dataSourceId: 'DS1' }, 0, { errorCode: 'AccessDeniedException' }),
      ],
      ctx,
      findings: [{ severity: 'medium', summary: /changed knowledge-base data source .*attempt denied/ }],
    },
    {
      name: 'batch inference writing its results to a bucket owned outside',
      events: [
        br('CreateModelInvocationJob', {
          jobName: 'batch-1',
          modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
          inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://training/prompts.jsonl' } },
          outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://drop-zone/out/', s3BucketOwner: OUTSIDE } },
        }),
      ],
      ctx,
      findings: [{ severity: 'high', summary: /batch inference job batch-1: writes to s3:\/\/drop-zone\/out\/ .*account 999988887777/ }],
    },
    {
      name: 'a model copied in from an outside account',
      events: [
        br('CreateModelCopyJob', { sourceModelArn: `arn:aws:bedrock:us-east-1:${OUTSIDE}:custom-model/amazon.titan/abc`, targetModelName: 'copied' }),
      ],
      ctx,
      findings: [{ severity: 'high', summary: /model copy job copied: copies model .* of account 999988887777, outside the Organization/ }],
    },
    {
      name: 'a training job with an image of an outside registry and output to an unknown bucket',
      events: [
        sm(
          'CreateTrainingJob',
          training('s3://training/set/', 's3://exfil-bucket-1/out/', `${OUTSIDE}.dkr.ecr.us-east-1.amazonaws.com/miner:latest`),
        ),
      ],
      ctx,
      findings: [
        {
          severity: 'medium',
          summary:
            /runs image 999988887777\.dkr.*(?:not a trusted image account).*; writes to s3:\/\/exfil-bucket-1\/out\/ \(outputDataConfig\.s3OutputPath\)/,
        },
      ],
    },
    {
      name: 'an endpoint configuration capturing inference data to an unknown bucket',
      events: [
        sm('CreateEndpointConfig', {
          endpointConfigName: 'ec-1',
          productionVariants: [{ variantName: 'v', modelName: 'm', instanceType: 'ml.m5.large', initialInstanceCount: 1 }],
          dataCaptureConfig: { enableCapture: true, destinationS3Uri: 's3://capture-elsewhere/c/', initialSamplingPercentage: 100 },
        }),
      ],
      ctx,
      findings: [
        {
          severity: 'medium',
          summary: /endpoint configuration ec-1: writes to s3:\/\/capture-elsewhere\/c\/ \(dataCaptureConfig\.destinationS3Uri\)/,
        },
      ],
    },
    {
      name: 'invocation logging pointed at a bucket not known to be in the Organization',
      events: [br('PutModelInvocationLoggingConfiguration', logging('prompt-archive-x'))],
      ctx,
      findings: [
        {
          severity: 'medium',
          summary:
            /pointed Bedrock model invocation logging \(every prompt and response\): writes to s3:\/\/prompt-archive-x \(loggingConfig\.s3Config\.bucketName\)/,
        },
      ],
    },
    {
      name: 'a knowledge base on a vector store outside AWS, then ingested',
      events: [
        br(
          'CreateKnowledgeBase',
          {
            name: 'kb',
            roleArn: `arn:aws:iam::${ACCOUNT}:role/kb`,
            storageConfiguration: {
              type: 'PINECONE',
              pineconeConfiguration: {
                connectionString: 'https://idx-abc.svc.pinecone.io',
                credentialsSecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:p`,
              },
            },
          },
          0,
          { responseElements: { knowledgeBase: { knowledgeBaseId: 'KB9' } } },
        ),
        br('StartIngestionJob', { knowledgeBaseId: 'KB9', dataSourceId: 'DS9' }, 5),
      ],
      ctx,
      findings: [
        {
          severity: 'high',
          eventCount: 2,
          summary:
            /created knowledge base kb: stores knowledge-base text and vectors at https:\/\/idx-abc\.svc\.pinecone\.io .*outside AWS; then .* ingested it into knowledge base KB9/,
        },
      ],
    },
    {
      name: 'a customized model encrypted with a KMS key of an outside account',
      events: [
        br('CreateModelCustomizationJob', {
          ...customization('s3://training/t.jsonl'),
          customModelKmsKeyId: `arn:aws:kms:us-east-1:${OUTSIDE}:key/k9`,
        }),
      ],
      ctx,
      findings: [
        {
          severity: 'high',
          summary: /encrypts with KMS key arn:aws:kms:us-east-1:999988887777:key\/k9 \(customModelKmsKeyId\) of account 999988887777/,
        },
      ],
    },
    {
      name: 'a model whose image comes from a registry outside ECR',
      events: [
        sm('CreateModel', {
          modelName: 'm-1',
          primaryContainer: {
            image: 'registry.example.net/team/serve:3',
            imageConfig: { repositoryAccessMode: 'Vpc' },
            modelDataUrl: 's3://models/m.tar.gz',
          },
        }),
      ],
      ctx,
      findings: [
        { severity: 'medium', summary: /SageMaker model m-1: runs image registry\.example\.net\/team\/serve:3 from a registry outside Amazon ECR/ },
      ],
    },
  ],
});

const provisioned = (over: Record<string, unknown> = {}) => ({
  provisionedModelName: 'pt-1',
  modelId: 'anthropic.claude-v2:1',
  modelUnits: 1,
  ...over,
});
ruleTester(bedrockCostAbuse, {
  valid: [
    {
      name: 'one model unit without commitment by the actor that bought some in the baseline',
      events: [
        br('CreateProvisionedModelThroughput', provisioned(), 0, { eventTime: at(0, '2024-05-27'), userIdentity: APP_ROLE }),
        br('CreateProvisionedModelThroughput', provisioned(), 0, { userIdentity: APP_ROLE }),
      ],
      ctx,
    },
    {
      name: 'a fine-tuning pipeline that ran jobs in the baseline',
      events: [
        br('CreateModelCustomizationJob', customization('s3://training/t.jsonl'), 0, { eventTime: at(0, '2024-05-29'), userIdentity: APP_ROLE }),
        br('CreateModelCustomizationJob', customization('s3://training/t.jsonl'), 0, { userIdentity: APP_ROLE }),
      ],
      ctx,
    },
    { name: 'listing provisioned throughput', events: [br('ListProvisionedModelThroughputs', {})], ctx },
    {
      name: 'a purchase that failed validation',
      events: [br('CreateProvisionedModelThroughput', provisioned({ commitmentDuration: 'SixMonths' }), 0, { errorCode: 'ValidationException' })],
      ctx,
    },
  ],
  invalid: [
    {
      name: 'a six-month commitment by an actor new to it',
      events: [br('CreateProvisionedModelThroughput', provisioned({ commitmentDuration: 'SixMonths' }))],
      ctx,
      findings: [
        {
          severity: 'high',
          summary: /bought provisioned throughput pt-1 for anthropic\.claude-v2:1: 1 model unit\(s\), committed for SixMonths, which it did not do/,
        },
      ],
    },
    {
      name: 'many model units by the usual buyer are still reported, lower',
      events: [
        br('CreateProvisionedModelThroughput', provisioned(), 0, { eventTime: at(0, '2024-05-27'), userIdentity: APP_ROLE }),
        br('CreateProvisionedModelThroughput', provisioned({ modelUnits: 20 }), 0, { userIdentity: APP_ROLE }),
      ],
      ctx,
      findings: [{ severity: 'medium', summary: /20 model unit\(s\), no commitment \(this actor did so in the baseline\)/ }],
    },
    {
      name: 'a denied commitment is one step lower',
      events: [br('CreateProvisionedModelThroughput', provisioned({ commitmentDuration: 'OneMonth' }), 0, { errorCode: 'AccessDeniedException' })],
      ctx,
      findings: [{ severity: 'medium', summary: /attempt denied/ }],
    },
    {
      name: 'batch inference by an actor new to it',
      events: [br('CreateModelInvocationJob', { jobName: 'b-1', modelId: 'm' })],
      ctx,
      findings: [
        { severity: 'medium', summary: /started a batch inference job b-1, which it did not do in the baseline/, actions: ['deactivate-access-key'] },
      ],
    },
    {
      name: 'provisioned throughput deleted by an actor new to it',
      events: [br('DeleteProvisionedModelThroughput', { provisionedModelId: 'pt-prod' })],
      ctx,
      findings: [{ severity: 'medium', summary: /deleted provisioned throughput pt-prod \(capacity production may rely on/ }],
    },
    {
      name: 'no baseline: a customization job is low and says so',
      events: [br('CreateModelCustomizationJob', customization('s3://training/t.jsonl'))],
      ctx: { window: WINDOW },
      findings: [{ severity: 'low', summary: /no baseline to tell/ }],
    },
  ],
});
