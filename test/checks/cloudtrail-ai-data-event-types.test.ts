// The AI data-event types as rows: each row is judged only where its resources are in use, from the listing
// it names, with the resource shape (exact ARN or ARN prefix) the CloudTrail data event carries.
import { describe, expect, it } from 'vitest';
import { AI_DATA_EVENT_TYPES, check } from '../../checks/cloudtrail-ai-data-events.js';
import type { AdvancedEventSelector, AiResource, AiResourceListing } from '../../src/model/inventory.js';
import {
  advanced,
  dataSelector,
  forResource,
  inventory,
  loggingConfig,
  MGMT,
  mgmtSelector,
  named,
  run,
  trail,
  unseen,
  type AccountBuilder,
  type RegionBuilder,
} from '../support/inventory-builder.js';

const typeArn = (type: string) => `arn:aws:cloudtrail::${MGMT}:data-events/${type}`;
const res = (service: string, path: string, name = path.split('/').pop()!): AiResource => ({
  arn: `arn:aws:${service}:us-east-1:${MGMT}:${path}`,
  name,
});

function judge(type: string, setup: (r: RegionBuilder) => unknown, ...selectors: AdvancedEventSelector[]) {
  const inv = inventory().account(MGMT, (a) =>
    a.trails([trail({ name: 'main', selectors: advanced(mgmtSelector, ...selectors) })]).region('us-east-1', setup),
  );
  return forResource(run(check, inv), typeArn(type));
}

const ai = (listing: AiResourceListing, items: AiResource[]) => (r: RegionBuilder) => r.ai(listing, items);

describe('AI data-event types as data', () => {
  const app = res('qbusiness', 'application/app-1', 'helpdesk');
  it.each<[string, string, (r: RegionBuilder) => unknown, AdvancedEventSelector[], string, string]>([
    [
      'flow alias PASS: every alias of the flow',
      'AWS::Bedrock::FlowAlias',
      ai('bedrock:flows', [res('bedrock', 'flow/F1', 'triage')]),
      [dataSelector('AWS::Bedrock::FlowAlias')],
      'PASS',
      'data-events-recorded',
    ],
    [
      'flow alias FAIL: ARN scoped to another flow',
      'AWS::Bedrock::FlowAlias',
      ai('bedrock:flows', [res('bedrock', 'flow/F1', 'triage')]),
      [dataSelector('AWS::Bedrock::FlowAlias', { field: 'resources.ARN', startsWith: [`arn:aws:bedrock:us-east-1:${MGMT}:flow/F2/`] })],
      'FAIL',
      'data-events-not-selected',
    ],
    [
      'flow alias PASS: ARN prefix of the flow',
      'AWS::Bedrock::FlowAlias',
      ai('bedrock:flows', [res('bedrock', 'flow/F1', 'triage')]),
      [dataSelector('AWS::Bedrock::FlowAlias', { field: 'resources.ARN', startsWith: [`arn:aws:bedrock:us-east-1:${MGMT}:flow/F1/alias/`] })],
      'PASS',
      'data-events-recorded',
    ],
    ['flow alias NOT_APPLICABLE: no flows', 'AWS::Bedrock::FlowAlias', ai('bedrock:flows', []), [], 'NOT_APPLICABLE', 'type-not-in-use'],
    [
      'flow alias NOT_ASSESSED: ListFlows denied',
      'AWS::Bedrock::FlowAlias',
      (r) => r.ai('bedrock:flows', unseen('AccessDenied: bedrock:ListFlows')),
      [],
      'NOT_ASSESSED',
      'resources-not-listed',
    ],
    [
      'prompt version FAIL: not selected',
      'AWS::Bedrock::PromptVersion',
      ai('bedrock:prompts', [res('bedrock', 'prompt/P1', 'sys')]),
      [],
      'FAIL',
      'data-events-not-selected',
    ],
    [
      'guardrail PASS',
      'AWS::Bedrock::Guardrail',
      (r) => r.guardrails([named('bedrock', 'guardrail', 'g1')]),
      [dataSelector('AWS::Bedrock::Guardrail')],
      'PASS',
      'data-events-recorded',
    ],
    [
      'AgentCore runtime FAIL: management events only',
      'AWS::BedrockAgentCore::Runtime',
      ai('agentcore:runtimes', [res('bedrock-agentcore', 'runtime/rt-1')]),
      [],
      'FAIL',
      'data-events-not-selected',
    ],
    [
      'AgentCore gateway PASS',
      'AWS::BedrockAgentCore::Gateway',
      ai('agentcore:gateways', [res('bedrock-agentcore', 'gateway/gw-1')]),
      [dataSelector('AWS::BedrockAgentCore::Gateway')],
      'PASS',
      'data-events-recorded',
    ],
    [
      'AgentCore memory FAIL: readOnly=true only',
      'AWS::BedrockAgentCore::Memory',
      ai('agentcore:memories', [res('bedrock-agentcore', 'memory/m-1')]),
      [dataSelector('AWS::BedrockAgentCore::Memory', { field: 'readOnly', equals: ['true'] })],
      'FAIL',
      'data-events-not-selected',
    ],
    [
      'AgentCore runtime endpoints PASS: every endpoint of the runtime',
      'AWS::BedrockAgentCore::RuntimeEndpoint',
      ai('agentcore:runtimes', [res('bedrock-agentcore', 'runtime/rt-1')]),
      [
        dataSelector('AWS::BedrockAgentCore::RuntimeEndpoint', {
          field: 'resources.ARN',
          startsWith: [`arn:aws:bedrock-agentcore:us-east-1:${MGMT}:runtime/rt-1/runtime-endpoint/`],
        }),
      ],
      'PASS',
      'data-events-recorded',
    ],
    [
      'AgentCore runtime endpoints FAIL: only the runtime type selected',
      'AWS::BedrockAgentCore::RuntimeEndpoint',
      ai('agentcore:runtimes', [res('bedrock-agentcore', 'runtime/rt-1')]),
      [dataSelector('AWS::BedrockAgentCore::Runtime')],
      'FAIL',
      'data-events-not-selected',
    ],
    [
      'AgentCore custom browser PASS',
      'AWS::BedrockAgentCore::BrowserCustom',
      ai('agentcore:browsers', [res('bedrock-agentcore', 'browser-custom/b-1')]),
      [dataSelector('AWS::BedrockAgentCore::BrowserCustom')],
      'PASS',
      'data-events-recorded',
    ],
    [
      'AgentCore custom code interpreter FAIL: the built-in type is selected, not the custom one',
      'AWS::BedrockAgentCore::CodeInterpreterCustom',
      ai('agentcore:code-interpreters', [res('bedrock-agentcore', 'code-interpreter-custom/ci-1')]),
      [dataSelector('AWS::BedrockAgentCore::CodeInterpreter')],
      'FAIL',
      'data-events-not-selected',
    ],
    [
      'AgentCore code interpreters NOT_APPLICABLE: none of the account',
      'AWS::BedrockAgentCore::CodeInterpreterCustom',
      ai('agentcore:code-interpreters', []),
      [],
      'NOT_APPLICABLE',
      'type-not-in-use',
    ],
    [
      'AgentCore API key provider FAIL: not selected',
      'AWS::BedrockAgentCore::APIKeyCredentialProvider',
      ai('agentcore:api-key-providers', [res('bedrock-agentcore', 'token-vault/default/apikeycredentialprovider/openai')]),
      [],
      'FAIL',
      'data-events-not-selected',
    ],
    [
      'AgentCore OAuth2 provider NOT_ASSESSED: listing denied',
      'AWS::BedrockAgentCore::OAuth2CredentialProvider',
      (r) => r.ai('agentcore:oauth2-providers', unseen('AccessDenied: bedrock-agentcore:ListOauth2CredentialProviders')),
      [],
      'NOT_ASSESSED',
      'resources-not-listed',
    ],
    [
      'AgentCore token vault PASS: the vault holding the listed providers, by exact ARN',
      'AWS::BedrockAgentCore::TokenVault',
      (r) =>
        r
          .ai('agentcore:api-key-providers', [res('bedrock-agentcore', 'token-vault/default/apikeycredentialprovider/openai')])
          .ai('agentcore:oauth2-providers', [res('bedrock-agentcore', 'token-vault/default/oauth2credentialprovider/github')]),
      [
        dataSelector('AWS::BedrockAgentCore::TokenVault', {
          field: 'resources.ARN',
          equals: [`arn:aws:bedrock-agentcore:us-east-1:${MGMT}:token-vault/default`],
        }),
      ],
      'PASS',
      'data-events-recorded',
    ],
    [
      'AgentCore token vault in use when one provider listing is denied and the other lists a provider',
      'AWS::BedrockAgentCore::TokenVault',
      (r) =>
        r
          .ai('agentcore:api-key-providers', unseen('AccessDenied: bedrock-agentcore:ListApiKeyCredentialProviders'))
          .ai('agentcore:oauth2-providers', [res('bedrock-agentcore', 'token-vault/default/oauth2credentialprovider/github')]),
      [],
      'FAIL',
      'data-events-not-selected',
    ],
    [
      'AgentCore token vault NOT_ASSESSED: a provider listing denied and the other empty',
      'AWS::BedrockAgentCore::TokenVault',
      (r) =>
        r
          .ai('agentcore:api-key-providers', unseen('AccessDenied: bedrock-agentcore:ListApiKeyCredentialProviders'))
          .ai('agentcore:oauth2-providers', []),
      [],
      'NOT_ASSESSED',
      'resources-not-listed',
    ],
    [
      'AgentCore token vault NOT_APPLICABLE: no credential providers',
      'AWS::BedrockAgentCore::TokenVault',
      (r) => r.ai('agentcore:api-key-providers', []).ai('agentcore:oauth2-providers', []),
      [],
      'NOT_APPLICABLE',
      'type-not-in-use',
    ],
    [
      'AgentCore workload identity directory FAIL: the identities are selected, not their directory',
      'AWS::BedrockAgentCore::WorkloadIdentityDirectory',
      ai('agentcore:workload-identities', [res('bedrock-agentcore', 'workload-identity-directory/default/workload-identity/agent-a')]),
      [dataSelector('AWS::BedrockAgentCore::WorkloadIdentity')],
      'FAIL',
      'data-events-not-selected',
    ],
    [
      'AgentCore workload identity PASS',
      'AWS::BedrockAgentCore::WorkloadIdentity',
      ai('agentcore:workload-identities', [res('bedrock-agentcore', 'workload-identity-directory/default/workload-identity/agent-a')]),
      [dataSelector('AWS::BedrockAgentCore::WorkloadIdentity')],
      'PASS',
      'data-events-recorded',
    ],
    [
      'flow execution FAIL: the flow alias type does not record executions',
      'AWS::Bedrock::FlowExecution',
      ai('bedrock:flows', [res('bedrock', 'flow/F1', 'triage')]),
      [dataSelector('AWS::Bedrock::FlowAlias')],
      'FAIL',
      'data-events-not-selected',
    ],
    [
      "flow execution PASS: executions under the flow's aliases",
      'AWS::Bedrock::FlowExecution',
      ai('bedrock:flows', [res('bedrock', 'flow/F1', 'triage')]),
      [dataSelector('AWS::Bedrock::FlowExecution', { field: 'resources.ARN', startsWith: [`arn:aws:bedrock:us-east-1:${MGMT}:flow/F1/alias/`] })],
      'PASS',
      'data-events-recorded',
    ],
    [
      'feature group PASS',
      'AWS::SageMaker::FeatureGroup',
      ai('sagemaker:feature-groups', [res('sagemaker', 'feature-group/customers')]),
      [dataSelector('AWS::SageMaker::FeatureGroup')],
      'PASS',
      'data-events-recorded',
    ],
    [
      'MLflow tracking server FAIL',
      'AWS::SageMaker::MlflowTrackingServer',
      ai('sagemaker:mlflow-tracking-servers', [res('sagemaker', 'mlflow-tracking-server/exp')]),
      [dataSelector('AWS::SageMaker::FeatureGroup')],
      'FAIL',
      'data-events-not-selected',
    ],
    [
      'Q Business application PASS',
      'AWS::QBusiness::Application',
      ai('qbusiness:applications', [app]),
      [dataSelector('AWS::QBusiness::Application')],
      'PASS',
      'data-events-recorded',
    ],
    [
      'Q Business index FAIL: application selected, not the index',
      'AWS::QBusiness::Index',
      (r) => r.ai('qbusiness:applications', [app]).ai('qbusiness:indices', [{ arn: `${app.arn}/index/ix-1`, name: 'docs' }]),
      [dataSelector('AWS::QBusiness::Application')],
      'FAIL',
      'data-events-not-selected',
    ],
    [
      'Q Business data sources judged per index',
      'AWS::QBusiness::DataSource',
      (r) => r.ai('qbusiness:indices', [{ arn: `${app.arn}/index/ix-1`, name: 'docs' }]),
      [dataSelector('AWS::QBusiness::DataSource', { field: 'resources.ARN', startsWith: [`${app.arn}/index/ix-1/data-source/`] })],
      'PASS',
      'data-events-recorded',
    ],
    [
      'Q Business web experience NOT_ASSESSED: applications not listed',
      'AWS::QBusiness::WebExperience',
      (r) => r.ai('qbusiness:web-experiences', unseen('AccessDenied: qbusiness:ListApplications')),
      [],
      'NOT_ASSESSED',
      'resources-not-listed',
    ],
  ])('%s', (_n, type, setup, selectors, status, code) => {
    const f = judge(type, setup, ...selectors);
    expect(f.status).toBe(status);
    expect(f.reasonCode).toBe(code);
  });

  it('every reasonCode a result carries is listed in the metadata', () => {
    const f = judge('AWS::Bedrock::FlowAlias', ai('bedrock:flows', [res('bedrock', 'flow/F1')]));
    expect(Object.keys(check.meta.reasonCodes ?? {})).toContain(f.reasonCode);
  });

  describe('Bedrock on-demand types (model, async invoke, inline agent, session)', () => {
    const onDemand = ['AWS::Bedrock::Model', 'AWS::Bedrock::AsyncInvoke', 'AWS::Bedrock::InlineAgent', 'AWS::Bedrock::Session'];
    it.each(onDemand)('%s is in use where invocation logging is configured, and judged on the whole type in the region', (type) => {
      expect(judge(type, (r) => r.logging(loggingConfig())).status).toBe('FAIL');
      expect(judge(type, (r) => r.logging(loggingConfig()), dataSelector(type)).status).toBe('PASS');
      // Scoped to one model ARN: other models in the region stay unrecorded.
      expect(
        judge(
          type,
          (r) => r.logging(loggingConfig()),
          dataSelector(type, { field: 'resources.ARN', equals: ['arn:aws:bedrock:us-east-1::foundation-model/x'] }),
        ).status,
      ).toBe('FAIL');
    });
    it('in use where any Bedrock resource exists; not applicable without Bedrock; unknown when nothing could be read', () => {
      expect(judge('AWS::Bedrock::Model', (r) => r.withBedrock()).status).toBe('FAIL');
      expect(judge('AWS::Bedrock::Model', () => undefined).status).toBe('NOT_APPLICABLE');
      expect(judge('AWS::Bedrock::Model', (r) => r.logging(unseen('AccessDenied: GetModelInvocationLoggingConfiguration'))).status).toBe(
        'NOT_ASSESSED',
      );
      expect(judge('AWS::Bedrock::Model', (r) => r.footprintUnreadable()).status).toBe('NOT_ASSESSED');
    });
  });

  it('SageMaker endpoint results say which invoke operations data events can and cannot record', () => {
    const f = judge('AWS::SageMaker::Endpoint', (r) => r.endpoints([{ ...endpointLike() }]), dataSelector('AWS::SageMaker::Endpoint'));
    expect(f.status).toBe('PASS');
    expect(f.reason).toContain('record InvokeEndpointWithResponseStream but not InvokeEndpoint and InvokeEndpointAsync');
    expect(f.evidence).toMatchObject({ operations: { notRecorded: ['InvokeEndpoint', 'InvokeEndpointAsync'] } });
  });

  it('a region whose AI listings were not collected is NOT_ASSESSED for the listed types, never not-applicable', () => {
    const inv = inventory().account(MGMT, (a) =>
      a.trails([trail({ name: 'main' })]).region('us-east-1', (r) => {
        delete r.r.aiResources;
      }),
    );
    const f = forResource(run(check, inv), typeArn('AWS::BedrockAgentCore::Runtime'));
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.reason).toContain('agentcore:runtimes was not collected in us-east-1');
  });

  // A Region that does not offer a service holds its listings read and empty (src/inventory/index.ts) and says so.
  it.each<[string, string, (a: AccountBuilder) => unknown, string, RegExp, string[] | undefined]>([
    [
      'not offered in the only region: NOT_APPLICABLE naming the region',
      'AWS::QBusiness::Application',
      (a) => a.region('us-west-1', (r) => void (r.r.notOffered = ['qbusiness', 'bedrock-agentcore'])),
      'NOT_APPLICABLE',
      /^No Q Business applications in the scanned regions \(us-west-1 does not offer Amazon Q Business, so none can exist there\)/,
      ['us-west-1'],
    ],
    [
      'offered in one region (empty), not in the other: NOT_APPLICABLE naming only the one without it',
      'AWS::BedrockAgentCore::Memory',
      (a) => a.region('us-east-1').region('us-west-1', (r) => void (r.r.notOffered = ['bedrock-agentcore'])),
      'NOT_APPLICABLE',
      /\(us-west-1 does not offer Amazon Bedrock AgentCore, so none can exist there\)/,
      ['us-west-1'],
    ],
    [
      'another service not offered: the reason does not mention it',
      'AWS::SageMaker::FeatureGroup',
      (a) => a.region('us-west-1', (r) => void (r.r.notOffered = ['qbusiness'])),
      'NOT_APPLICABLE',
      /^No SageMaker feature groups in the scanned regions, so/,
      undefined,
    ],
    [
      'not offered in one region, unread in another: still NOT_ASSESSED',
      'AWS::QBusiness::Application',
      (a) =>
        a
          .region('us-west-1', (r) => void (r.r.notOffered = ['qbusiness']))
          .region('us-east-1', (r) => r.ai('qbusiness:applications', unseen('AccessDenied on qbusiness:ListApplications'))),
      'NOT_ASSESSED',
      /could not be listed: AccessDenied/,
      undefined,
    ],
  ])('%s', (_name, type, setup, status, reason, notOfferedIn) => {
    const inv = inventory().account(MGMT, (a) => setup(a.trails([trail({ name: 'main' })])));
    const f = forResource(run(check, inv), typeArn(type));
    expect(f.status).toBe(status);
    expect(f.reason).toMatch(reason);
    expect(f.evidence?.serviceNotOfferedIn).toEqual(notOfferedIn);
  });

  it('every row names its service and what the scan reads to find it', () => {
    for (const row of AI_DATA_EVENT_TYPES) {
      expect(row.type).toMatch(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/);
      expect(row.listedBy.length).toBeGreaterThan(0);
    }
  });
});

function endpointLike() {
  return {
    arn: `arn:aws:sagemaker:us-east-1:${MGMT}:endpoint/scoring`,
    name: 'scoring',
    status: 'InService',
    endpointConfigName: 'c',
    dataCapture: { ok: true as const, value: null },
    modelNames: [],
  };
}
