// AI resources whose CloudTrail data events a trail or event data store must select, listed per region:
// Bedrock flows and prompts (bedrock-agent), Bedrock AgentCore runtimes, gateways, memories, custom browsers and
// code interpreters, workload identities and credential providers (API key, OAuth2), SageMaker feature groups and MLflow tracking servers, Amazon Q Business applications with their indices and web
// experiences. One Observed per listing, so a denied list makes only its types unknown. ARNs the APIs do
// not return are built from the documented ARN formats.
import { BedrockAgentClient, ListFlowsCommand, ListPromptsCommand } from '@aws-sdk/client-bedrock-agent';
import {
  BedrockAgentCoreControlClient,
  ListAgentRuntimesCommand,
  ListApiKeyCredentialProvidersCommand,
  ListBrowsersCommand,
  ListCodeInterpretersCommand,
  ListGatewaysCommand,
  ListMemoriesCommand,
  ListOauth2CredentialProvidersCommand,
  ListWorkloadIdentitiesCommand,
} from '@aws-sdk/client-bedrock-agentcore-control';
import { ListApplicationsCommand, ListIndicesCommand, ListWebExperiencesCommand, QBusinessClient } from '@aws-sdk/client-qbusiness';
import { ListFeatureGroupsCommand, ListMlflowTrackingServersCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { partitionOf } from '../model/arn.js';
import {
  AI_RESOURCE_LISTINGS,
  seen,
  type AiResource,
  type AiResourceListing,
  type AiResourceListings,
  type Observed,
  type RegionalService,
} from '../model/inventory.js';
import { attempt, clientFor, paginate, type CollectorContext } from './util.js';
import type { IamAction } from '../model/iam.js';

/** The IAM actions these listings need (the role template is built from such declarations). */
export const IAM_ACTIONS: readonly IamAction[] = [
  'bedrock:ListFlows',
  'bedrock:ListPrompts',
  'bedrock-agentcore:ListAgentRuntimes',
  'bedrock-agentcore:ListGateways',
  'bedrock-agentcore:ListMemories',
  'bedrock-agentcore:ListBrowsers',
  'bedrock-agentcore:ListCodeInterpreters',
  'bedrock-agentcore:ListWorkloadIdentities',
  'bedrock-agentcore:ListApiKeyCredentialProviders',
  'bedrock-agentcore:ListOauth2CredentialProviders',
  'sagemaker:ListFeatureGroups',
  'sagemaker:ListMlflowTrackingServers',
  'qbusiness:ListApplications',
  'qbusiness:ListIndices',
  'qbusiness:ListWebExperiences',
];

const list = (action: string, read: () => Promise<AiResource[]>): Promise<Observed<AiResource[]>> => attempt(action, read);

type ArnBase = (service: string) => string;
type Listings<K extends keyof AiResourceListings> = Promise<Pick<AiResourceListings, K>>;

type AgentCoreListing = Extract<AiResourceListing, `agentcore:${string}`>;
const AGENTCORE_LISTINGS = AI_RESOURCE_LISTINGS.filter((id): id is AgentCoreListing => id.startsWith('agentcore:'));

/** The listings of each service, so a Region that does not offer the service skips them (read and empty, not called). */
const LISTINGS_OF: Record<RegionalService, readonly AiResourceListing[]> = {
  bedrock: ['bedrock:flows', 'bedrock:prompts'],
  'bedrock-agentcore': AGENTCORE_LISTINGS,
  sagemaker: ['sagemaker:feature-groups', 'sagemaker:mlflow-tracking-servers'],
  qbusiness: ['qbusiness:applications', 'qbusiness:indices', 'qbusiness:web-experiences'],
};

/** `notOffered`: services the Region does not offer (src/inventory/availability.ts); their listings are not called. */
export async function collectAiResources(ctx: CollectorContext, notOffered: readonly RegionalService[] = []): Promise<AiResourceListings> {
  const arnBase: ArnBase = (service) => `arn:${partitionOf(ctx.region)}:${service}:${ctx.region}:${ctx.accountId}`;
  const unless = <K extends AiResourceListing>(service: RegionalService, read: () => Listings<K>): Listings<K> =>
    notOffered.includes(service)
      ? Promise.resolve(Object.fromEntries(LISTINGS_OF[service].map((id) => [id, seen([])])) as Pick<AiResourceListings, K>)
      : read();
  const [bedrock, agentCore, sageMaker, qBusiness] = await Promise.all([
    unless('bedrock', () => bedrockAgentListings(ctx)),
    unless('bedrock-agentcore', () => agentCoreListings(ctx, arnBase)),
    unless('sagemaker', () => sageMakerListings(ctx)),
    unless('qbusiness', () => qBusinessListings(ctx, arnBase)),
  ]);
  return {
    'bedrock:flows': bedrock['bedrock:flows'],
    'bedrock:prompts': bedrock['bedrock:prompts'],
    ...agentCore,
    'sagemaker:feature-groups': sageMaker['sagemaker:feature-groups'],
    'sagemaker:mlflow-tracking-servers': sageMaker['sagemaker:mlflow-tracking-servers'],
    'qbusiness:applications': qBusiness['qbusiness:applications'],
    'qbusiness:indices': qBusiness['qbusiness:indices'],
    'qbusiness:web-experiences': qBusiness['qbusiness:web-experiences'],
  };
}

async function bedrockAgentListings(ctx: CollectorContext): Listings<'bedrock:flows' | 'bedrock:prompts'> {
  const agent = clientFor(ctx, BedrockAgentClient);
  const max = ctx.pageSize;
  const [flows, prompts] = await Promise.all([
    list('bedrock:ListFlows', () =>
      paginate(async (nextToken) => {
        const out = await agent.send(new ListFlowsCommand({ nextToken, maxResults: max }));
        return { items: (out.flowSummaries ?? []).map((f) => ({ arn: String(f.arn), name: String(f.name ?? f.id) })), next: out.nextToken };
      }),
    ),
    list('bedrock:ListPrompts', () =>
      paginate(async (nextToken) => {
        const out = await agent.send(new ListPromptsCommand({ nextToken, maxResults: max }));
        return { items: (out.promptSummaries ?? []).map((p) => ({ arn: String(p.arn), name: String(p.name ?? p.id) })), next: out.nextToken };
      }),
    ),
  ]);
  return { 'bedrock:flows': flows, 'bedrock:prompts': prompts };
}

async function agentCoreListings(ctx: CollectorContext, arnBase: ArnBase): Listings<AgentCoreListing> {
  const [agents, toolsAndIdentities] = await Promise.all([agentCoreAgentListings(ctx, arnBase), agentCoreToolAndIdentityListings(ctx)]);
  return { ...agents, ...toolsAndIdentities };
}

async function agentCoreAgentListings(
  ctx: CollectorContext,
  arnBase: ArnBase,
): Listings<'agentcore:runtimes' | 'agentcore:gateways' | 'agentcore:memories'> {
  const core = clientFor(ctx, BedrockAgentCoreControlClient);
  const max = ctx.pageSize;
  const [runtimes, gateways, memories] = await Promise.all([
    list('bedrock-agentcore:ListAgentRuntimes', () =>
      paginate(async (nextToken) => {
        const out = await core.send(new ListAgentRuntimesCommand({ nextToken, maxResults: max }));
        return {
          items: (out.agentRuntimes ?? []).map((r) => ({ arn: String(r.agentRuntimeArn), name: String(r.agentRuntimeName ?? r.agentRuntimeId) })),
          next: out.nextToken,
        };
      }),
    ),
    list('bedrock-agentcore:ListGateways', () =>
      paginate(async (nextToken) => {
        const out = await core.send(new ListGatewaysCommand({ nextToken, maxResults: max }));
        return {
          items: (out.items ?? []).map((g) => ({
            arn: `${arnBase('bedrock-agentcore')}:gateway/${g.gatewayId}`,
            name: String(g.name ?? g.gatewayId),
          })),
          next: out.nextToken,
        };
      }),
    ),
    list('bedrock-agentcore:ListMemories', () =>
      paginate(async (nextToken) => {
        const out = await core.send(new ListMemoriesCommand({ nextToken, maxResults: max }));
        return {
          items: (out.memories ?? []).map((m) => ({ arn: m.arn ?? `${arnBase('bedrock-agentcore')}:memory/${m.id}`, name: String(m.id) })),
          next: out.nextToken,
        };
      }),
    ),
  ]);
  return { 'agentcore:runtimes': runtimes, 'agentcore:gateways': gateways, 'agentcore:memories': memories };
}

/** ARNs in the `aws` account are AgentCore's built-in tools (aws.browser.v1, aws.codeinterpreter.v1), not the account's. */
const ownResource = (arn: string): boolean => arn.split(':')[4] !== 'aws';

/**
 * Custom browsers and code interpreters (the built-in ones are AWS's and their use cannot be listed), workload
 * identities, and the credential providers of the token vault (API keys and OAuth2 clients the agents fetch).
 */
async function agentCoreToolAndIdentityListings(
  ctx: CollectorContext,
): Listings<
  | 'agentcore:browsers'
  | 'agentcore:code-interpreters'
  | 'agentcore:workload-identities'
  | 'agentcore:api-key-providers'
  | 'agentcore:oauth2-providers'
> {
  const core = clientFor(ctx, BedrockAgentCoreControlClient);
  const maxResults = ctx.pageSize;
  const named = (arn: string | undefined, name: string | undefined, id?: string): AiResource => ({
    arn: String(arn),
    name: String(name ?? id ?? arn),
  });
  const [browsers, codeInterpreters, workloadIdentities, apiKeyProviders, oauth2Providers] = await Promise.all([
    list('bedrock-agentcore:ListBrowsers', () =>
      paginate(async (nextToken) => {
        const out = await core.send(new ListBrowsersCommand({ nextToken, maxResults, type: 'CUSTOM' }));
        const items = (out.browserSummaries ?? []).map((b) => named(b.browserArn, b.name, b.browserId));
        return { items: items.filter((b) => ownResource(b.arn)), next: out.nextToken };
      }),
    ),
    list('bedrock-agentcore:ListCodeInterpreters', () =>
      paginate(async (nextToken) => {
        const out = await core.send(new ListCodeInterpretersCommand({ nextToken, maxResults, type: 'CUSTOM' }));
        const items = (out.codeInterpreterSummaries ?? []).map((c) => named(c.codeInterpreterArn, c.name, c.codeInterpreterId));
        return { items: items.filter((c) => ownResource(c.arn)), next: out.nextToken };
      }),
    ),
    list('bedrock-agentcore:ListWorkloadIdentities', () =>
      paginate(async (nextToken) => {
        const out = await core.send(new ListWorkloadIdentitiesCommand({ nextToken, maxResults }));
        return { items: (out.workloadIdentities ?? []).map((w) => named(w.workloadIdentityArn, w.name)), next: out.nextToken };
      }),
    ),
    list('bedrock-agentcore:ListApiKeyCredentialProviders', () =>
      paginate(async (nextToken) => {
        const out = await core.send(new ListApiKeyCredentialProvidersCommand({ nextToken, maxResults }));
        return { items: (out.credentialProviders ?? []).map((p) => named(p.credentialProviderArn, p.name)), next: out.nextToken };
      }),
    ),
    list('bedrock-agentcore:ListOauth2CredentialProviders', () =>
      paginate(async (nextToken) => {
        const out = await core.send(new ListOauth2CredentialProvidersCommand({ nextToken, maxResults }));
        return { items: (out.credentialProviders ?? []).map((p) => named(p.credentialProviderArn, p.name)), next: out.nextToken };
      }),
    ),
  ]);
  return {
    'agentcore:browsers': browsers,
    'agentcore:code-interpreters': codeInterpreters,
    'agentcore:workload-identities': workloadIdentities,
    'agentcore:api-key-providers': apiKeyProviders,
    'agentcore:oauth2-providers': oauth2Providers,
  };
}

async function sageMakerListings(ctx: CollectorContext): Listings<'sagemaker:feature-groups' | 'sagemaker:mlflow-tracking-servers'> {
  const sm = clientFor(ctx, SageMakerClient);
  const max = ctx.pageSize;
  const [featureGroups, mlflow] = await Promise.all([
    list('sagemaker:ListFeatureGroups', () =>
      paginate(async (NextToken) => {
        const out = await sm.send(new ListFeatureGroupsCommand({ NextToken, MaxResults: max }));
        return {
          items: (out.FeatureGroupSummaries ?? []).map((f) => ({ arn: String(f.FeatureGroupArn), name: String(f.FeatureGroupName) })),
          next: out.NextToken,
        };
      }),
    ),
    list('sagemaker:ListMlflowTrackingServers', () =>
      paginate(async (NextToken) => {
        const out = await sm.send(new ListMlflowTrackingServersCommand({ NextToken, MaxResults: max }));
        return {
          items: (out.TrackingServerSummaries ?? []).map((t) => ({ arn: String(t.TrackingServerArn), name: String(t.TrackingServerName) })),
          next: out.NextToken,
        };
      }),
    ),
  ]);
  return { 'sagemaker:feature-groups': featureGroups, 'sagemaker:mlflow-tracking-servers': mlflow };
}

/** Applications, then the indices and web experiences of each (a denied application listing makes all three unknown). */
async function qBusinessListings(
  ctx: CollectorContext,
  arnBase: ArnBase,
): Listings<'qbusiness:applications' | 'qbusiness:indices' | 'qbusiness:web-experiences'> {
  const q = clientFor(ctx, QBusinessClient);
  const max = ctx.pageSize;
  const applications = list('qbusiness:ListApplications', () =>
    paginate(async (nextToken) => {
      const out = await q.send(new ListApplicationsCommand({ nextToken, maxResults: max }));
      return {
        items: (out.applications ?? []).map((a) => ({
          arn: `${arnBase('qbusiness')}:application/${a.applicationId}`,
          name: a.displayName ?? String(a.applicationId),
        })),
        next: out.nextToken,
      };
    }),
  );
  const perApplication = async (
    action: string,
    read: (applicationId: string, applicationArn: string) => Promise<AiResource[]>,
  ): Promise<Observed<AiResource[]>> => {
    const apps = await applications;
    if (!apps.ok) return apps;
    return list(action, async () => (await Promise.all(apps.value.map((a) => read(a.arn.split('/').pop() ?? '', a.arn)))).flat());
  };
  const [apps, indices, webExperiences] = await Promise.all([
    applications,
    perApplication('qbusiness:ListIndices', (applicationId, appArn) =>
      paginate(async (nextToken) => {
        const out = await q.send(new ListIndicesCommand({ applicationId, nextToken, maxResults: max }));
        return {
          items: (out.indices ?? []).map((i) => ({ arn: `${appArn}/index/${i.indexId}`, name: i.displayName ?? String(i.indexId) })),
          next: out.nextToken,
        };
      }),
    ),
    perApplication('qbusiness:ListWebExperiences', (applicationId, appArn) =>
      paginate(async (nextToken) => {
        const out = await q.send(new ListWebExperiencesCommand({ applicationId, nextToken, maxResults: max }));
        return {
          items: (out.webExperiences ?? []).map((w) => ({ arn: `${appArn}/web-experience/${w.webExperienceId}`, name: String(w.webExperienceId) })),
          next: out.nextToken,
        };
      }),
    ),
  ]);
  return { 'qbusiness:applications': apps, 'qbusiness:indices': indices, 'qbusiness:web-experiences': webExperiences };
}

/** Every listing seen and empty (an account without these resources). */
export function emptyAiResources(): AiResourceListings {
  return Object.fromEntries(AI_RESOURCE_LISTINGS.map((id) => [id, seen([])])) as AiResourceListings;
}
