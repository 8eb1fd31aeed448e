// cloudtrail-ai-data-events: for each AI data-event resource type in use in the account, a logging trail or an
// ingesting CloudTrail Lake event data store covering the account and the resource's region selects its read
// and write data events. One result per (account, type).
// The types are data: one row each in AI_DATA_EVENT_TYPES with the resources.type value of the CloudTrail
// data-events table, the service, and how the scan finds what is in use (a resource listing, or for
// Bedrock's on-demand types the use of Bedrock in the region). A new type is one row. Types can only be
// selected with advanced event selectors. Agent aliases are judged per agent as the ARN prefix
// ".../agent-alias/<agentId>/" (every alias, including the built-in test alias), flow aliases per flow,
// prompt versions per prompt, Q Business indices, data sources and web experiences per application, AgentCore runtime
// endpoints per runtime. AgentCore's built-in browser and code interpreter (AWS::BedrockAgentCore::Browser,
// ::CodeInterpreter) belong to AWS and their use cannot be listed: not judged (see README).
// Amazon Q Developer (AWS::CodeWhisperer::Profile, ::Customization) has no list API in the scan's SDKs: not
// judged (see README).
import type { Check, Finding } from './types.js';
import {
  AI_RESOURCE_LISTINGS,
  REGIONAL_SERVICE_NAMES,
  type AccountInventory,
  type AiResource,
  type AiResourceListing,
  type EventDataStoreInfo,
  type Observed,
  type RegionInventory,
  type TrailInfo,
} from '../src/model/inventory.js';
import { dataEventsArn, parseArn, partitionOfAccount } from './lib/arns.js';
import { partitionOf } from '../src/model/arn.js';
import { bedrockFootprint, scannedRegions } from './lib/footprint.js';
import { fromVerdict, listText } from './lib/results.js';
import type { DataResource } from './lib/selectors.js';
import { NOT_DELIVERING } from './lib/destinations.js';
import { dataEventCoverageAcross, recorderOfStore, recorderOfTrail, recordersCoveringAccount, type Recorder } from './lib/trails.js';

interface TypedResource {
  name: string;
  region: string;
  resource: DataResource;
}

export interface AiDataEventType {
  /** resources.type in CloudTrail's data-events table. */
  type: string;
  service: 'Amazon Bedrock' | 'Amazon Bedrock AgentCore' | 'Amazon SageMaker AI' | 'Amazon Q Business';
  /** Singular label of one resource, e.g. "Bedrock flow". */
  label: string;
  /** What the scan reads to know the type is in use (shown in the catalogue and the evidence). */
  listedBy: string;
  inUse: (r: RegionInventory, account: AccountInventory) => Observed<TypedResource[]>;
  /** The AI listings (RegionInventory.aiResources) its in-use answer comes from, if any: see mootListings. */
  listings?: readonly AiResourceListing[];
  /** Lower than the check's severity where management events already record the main operations. */
  severity?: 'low';
  /** Operations of the type CloudTrail records and does not record as data events, where AWS documents a gap. */
  operations?: { recorded: string[]; notRecorded: string[]; instead: string };
}

const exact = (type: string, region: string, list: { arn: string; name: string }[]): TypedResource[] =>
  list.map((x) => ({ name: x.name, region, resource: { kind: 'exact', type, arn: x.arn } }));
const prefixed = (type: string, region: string, list: { arn: string; name: string }[], suffix: string): TypedResource[] =>
  list.map((x) => ({ name: x.name, region, resource: { kind: 'prefix', type, prefix: `${x.arn}${suffix}` } }));

const listing = (r: RegionInventory, id: AiResourceListing): Observed<AiResource[]> =>
  r.aiResources?.[id] ?? { ok: false, reason: `${id} was not collected in ${r.region}` };

/** A row whose resources come from one AI listing, judged by exact ARN or by the ARN prefix `${arn}${suffix}`. */
function listed(
  type: string,
  service: AiDataEventType['service'],
  label: string,
  id: AiResourceListing,
  action: string,
  suffix?: string,
): AiDataEventType {
  return {
    type,
    service,
    label,
    listedBy: action,
    listings: [id],
    inUse: (r) => {
      const obs = listing(r, id);
      if (!obs.ok) return obs;
      return { ok: true, value: suffix === undefined ? exact(type, r.region, obs.value) : prefixed(type, r.region, obs.value, suffix) };
    },
  };
}

/**
 * A row for the one resource that holds listed ones (AgentCore's default workload-identity directory and token
 * vault): in use where any of `ids` lists a resource, judged as the ARN before `cut` in each listed ARN.
 */
function container(type: string, label: string, ids: AiResourceListing[], action: string, cut: string | RegExp): AiDataEventType {
  return {
    type,
    service: 'Amazon Bedrock AgentCore',
    label,
    listedBy: action,
    listings: ids,
    inUse: (r) => {
      const observed = ids.map((id) => listing(r, id));
      const arns = new Set<string>();
      for (const o of observed) if (o.ok) for (const x of o.value) arns.add(x.arn.split(cut)[0]!);
      const unread = observed.find((o) => !o.ok);
      if (arns.size === 0 && unread) return unread;
      return {
        ok: true,
        value: exact(
          type,
          r.region,
          [...arns].map((arn) => ({ arn, name: arn.split(':').pop() ?? arn })),
        ),
      };
    },
  };
}

/**
 * Bedrock's on-demand types (model invocation, async invoke, inline agents, sessions) need no resource of the
 * account: they are in use where Bedrock is (invocation logging configured, or any Bedrock resource). Judged as
 * every ARN of the type in the region.
 */
function onDemand(type: string, label: string, severity?: 'low'): AiDataEventType {
  return {
    type,
    ...(severity ? { severity } : {}),
    service: 'Amazon Bedrock',
    label,
    listedBy: 'bedrock:GetModelInvocationLoggingConfiguration and the Bedrock resource lists',
    inUse: (r) => {
      const fp = bedrockFootprint(r);
      const used = (r.bedrock.logging.ok && r.bedrock.logging.value !== null) || fp.status === 'present';
      if (used)
        return {
          ok: true,
          value: [
            {
              name: `Bedrock in ${r.region}`,
              region: r.region,
              resource: { kind: 'prefix', type, prefix: `arn:${partitionOf(r.region)}:bedrock:${r.region}:` },
            },
          ],
        };
      if (!r.bedrock.logging.ok) return r.bedrock.logging;
      if (fp.status === 'unknown') return { ok: false, reason: fp.unreadable.join('; ') };
      return { ok: true, value: [] };
    },
  };
}

export const AI_DATA_EVENT_TYPES: AiDataEventType[] = [
  {
    type: 'AWS::Bedrock::AgentAlias',
    service: 'Amazon Bedrock',
    label: 'Bedrock agent',
    listedBy: 'bedrock:ListAgents',
    inUse: (r, account) => {
      const obs = r.bedrock.agents;
      if (!obs.ok) return obs;
      return {
        ok: true,
        value: obs.value.map((a) => {
          const p = parseArn(a.arn);
          const prefix = `arn:${p?.partition || partitionOf(r.region)}:bedrock:${p?.region || r.region}:${p?.accountId || account.accountId}:agent-alias/${a.id}/`;
          return { name: a.name, region: r.region, resource: { kind: 'prefix', type: 'AWS::Bedrock::AgentAlias', prefix } };
        }),
      };
    },
  },
  {
    type: 'AWS::Bedrock::KnowledgeBase',
    service: 'Amazon Bedrock',
    label: 'Bedrock knowledge base',
    listedBy: 'bedrock:ListKnowledgeBases',
    inUse: (r) =>
      r.bedrock.knowledgeBases.ok
        ? { ok: true, value: exact('AWS::Bedrock::KnowledgeBase', r.region, r.bedrock.knowledgeBases.value) }
        : r.bedrock.knowledgeBases,
  },
  listed('AWS::Bedrock::FlowAlias', 'Amazon Bedrock', 'Bedrock flow', 'bedrock:flows', 'bedrock:ListFlows', '/alias/'),
  {
    type: 'AWS::Bedrock::Guardrail',
    service: 'Amazon Bedrock',
    label: 'Bedrock guardrail',
    listedBy: 'bedrock:ListGuardrails',
    inUse: (r) =>
      r.bedrock.guardrails.ok
        ? { ok: true, value: prefixed('AWS::Bedrock::Guardrail', r.region, r.bedrock.guardrails.value, '') }
        : r.bedrock.guardrails,
  },
  // Executions are named under the alias they ran: .../flow/<id>/alias/<alias>/execution/<name>.
  listed('AWS::Bedrock::FlowExecution', 'Amazon Bedrock', 'Bedrock flow execution', 'bedrock:flows', 'bedrock:ListFlows', '/alias/'),
  listed('AWS::Bedrock::PromptVersion', 'Amazon Bedrock', 'Bedrock prompt', 'bedrock:prompts', 'bedrock:ListPrompts', ':'),
  // InvokeModel and Converse are management events; model data events add only what CloudTrail logs as data.
  onDemand('AWS::Bedrock::Model', 'Bedrock model invocation', 'low'),
  onDemand('AWS::Bedrock::AsyncInvoke', 'Bedrock asynchronous invocation'),
  onDemand('AWS::Bedrock::InlineAgent', 'Bedrock inline agent'),
  onDemand('AWS::Bedrock::Session', 'Bedrock session'),
  listed(
    'AWS::BedrockAgentCore::Runtime',
    'Amazon Bedrock AgentCore',
    'AgentCore runtime',
    'agentcore:runtimes',
    'bedrock-agentcore:ListAgentRuntimes',
  ),
  // resources.type as AgentCore's own CloudTrail examples record it (InvokeGateway data events):
  // https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/understanding-gateway-cloudtrail-log-entries.html
  listed('AWS::BedrockAgentCore::Gateway', 'Amazon Bedrock AgentCore', 'AgentCore gateway', 'agentcore:gateways', 'bedrock-agentcore:ListGateways'),
  listed('AWS::BedrockAgentCore::Memory', 'Amazon Bedrock AgentCore', 'AgentCore memory', 'agentcore:memories', 'bedrock-agentcore:ListMemories'),
  // Every runtime has at least its DEFAULT endpoint: .../runtime/<id>/runtime-endpoint/<name>.
  listed(
    'AWS::BedrockAgentCore::RuntimeEndpoint',
    'Amazon Bedrock AgentCore',
    'AgentCore runtime endpoint',
    'agentcore:runtimes',
    'bedrock-agentcore:ListAgentRuntimes',
    '/runtime-endpoint/',
  ),
  listed(
    'AWS::BedrockAgentCore::BrowserCustom',
    'Amazon Bedrock AgentCore',
    'AgentCore custom browser',
    'agentcore:browsers',
    'bedrock-agentcore:ListBrowsers',
  ),
  listed(
    'AWS::BedrockAgentCore::CodeInterpreterCustom',
    'Amazon Bedrock AgentCore',
    'AgentCore custom code interpreter',
    'agentcore:code-interpreters',
    'bedrock-agentcore:ListCodeInterpreters',
  ),
  listed(
    'AWS::BedrockAgentCore::WorkloadIdentity',
    'Amazon Bedrock AgentCore',
    'AgentCore workload identity',
    'agentcore:workload-identities',
    'bedrock-agentcore:ListWorkloadIdentities',
  ),
  container(
    'AWS::BedrockAgentCore::WorkloadIdentityDirectory',
    'AgentCore workload identity directory',
    ['agentcore:workload-identities'],
    'bedrock-agentcore:ListWorkloadIdentities',
    '/workload-identity/',
  ),
  listed(
    'AWS::BedrockAgentCore::APIKeyCredentialProvider',
    'Amazon Bedrock AgentCore',
    'AgentCore API key credential provider',
    'agentcore:api-key-providers',
    'bedrock-agentcore:ListApiKeyCredentialProviders',
  ),
  listed(
    'AWS::BedrockAgentCore::OAuth2CredentialProvider',
    'Amazon Bedrock AgentCore',
    'AgentCore OAuth2 credential provider',
    'agentcore:oauth2-providers',
    'bedrock-agentcore:ListOauth2CredentialProviders',
  ),
  container(
    'AWS::BedrockAgentCore::TokenVault',
    'AgentCore token vault',
    ['agentcore:api-key-providers', 'agentcore:oauth2-providers'],
    'bedrock-agentcore:ListApiKeyCredentialProviders and ListOauth2CredentialProviders',
    /\/(?:apikey|oauth2)credentialprovider\//,
  ),
  {
    type: 'AWS::SageMaker::Endpoint',
    service: 'Amazon SageMaker AI',
    label: 'SageMaker endpoint',
    listedBy: 'sagemaker:ListEndpoints',
    inUse: (r) =>
      r.sagemaker.endpoints.ok
        ? { ok: true, value: exact('AWS::SageMaker::Endpoint', r.region, r.sagemaker.endpoints.value) }
        : r.sagemaker.endpoints,
    // SageMaker's CloudTrail page: CloudTrail captures every SageMaker call except InvokeEndpoint and
    // InvokeEndpointAsync, so endpoint data events cannot show who sent which inference request.
    operations: {
      recorded: ['InvokeEndpointWithResponseStream'],
      notRecorded: ['InvokeEndpoint', 'InvokeEndpointAsync'],
      instead: 'endpoint data capture (sagemaker-endpoint-data-capture)',
    },
  },
  listed('AWS::SageMaker::FeatureGroup', 'Amazon SageMaker AI', 'SageMaker feature group', 'sagemaker:feature-groups', 'sagemaker:ListFeatureGroups'),
  listed(
    'AWS::SageMaker::MlflowTrackingServer',
    'Amazon SageMaker AI',
    'SageMaker MLflow tracking server',
    'sagemaker:mlflow-tracking-servers',
    'sagemaker:ListMlflowTrackingServers',
  ),
  listed('AWS::QBusiness::Application', 'Amazon Q Business', 'Q Business application', 'qbusiness:applications', 'qbusiness:ListApplications'),
  listed(
    'AWS::QBusiness::DataSource',
    'Amazon Q Business',
    'Q Business index (data sources)',
    'qbusiness:indices',
    'qbusiness:ListIndices',
    '/data-source/',
  ),
  listed('AWS::QBusiness::Index', 'Amazon Q Business', 'Q Business index', 'qbusiness:indices', 'qbusiness:ListIndices'),
  listed(
    'AWS::QBusiness::WebExperience',
    'Amazon Q Business',
    'Q Business web experience',
    'qbusiness:web-experiences',
    'qbusiness:ListWebExperiences',
  ),
];

/**
 * errorCode of an AI listing the scan did not send because its answer could not change a verdict (mootListings):
 * every resource of each type it feeds would be recorded in that account-region whatever the list holds.
 */
export const LISTING_MOOT = 'CoveredTypeWide';

const ARN_SERVICE: Record<AiDataEventType['service'], string> = {
  'Amazon Bedrock': 'bedrock',
  'Amazon Bedrock AgentCore': 'bedrock-agentcore',
  'Amazon SageMaker AI': 'sagemaker',
  'Amazon Q Business': 'qbusiness',
};

/** Every resource of the row's type the account can have in `region`: every ARN under the service's account-region prefix. */
const typeWide = (row: AiDataEventType, accountId: string, region: string): DataResource => ({
  kind: 'prefix',
  type: row.type,
  prefix: `arn:${partitionOf(region)}:${ARN_SERVICE[row.service]}:${region}:${accountId}:`,
});

/** Read and write data events of every resource of the row's type in the region are selected, by whom. */
function coveredTypeWide(recorders: Recorder[], row: AiDataEventType, accountId: string, region: string): string[] | null {
  const a = dataEventCoverageAcross(recorders, typeWide(row, accountId, region), region);
  return a.read === 'all' && a.write === 'all' ? [...new Set([...a.readBy, ...a.writeBy])] : null;
}

/**
 * The AI listings of an account-region whose answer cannot change this check's verdict, so the scan need not send
 * them: every type the listing feeds is selected type-wide (resources.type with no ARN filter, or one that takes in
 * every ARN of the account-region; read and write) by a logging trail or ingesting event data store covering the
 * region. `trails` and `stores` are the ones known to cover the account when its regions are collected (its own and
 * the organization's); whether their buckets exist is not known yet (a trail naming none, or reporting a delivery
 * error, never counts), so evaluation judges that again
 * (judgeType): a skipped list whose recorders then turn out to keep nothing is NOT_ASSESSED, never a PASS.
 * A listing that also feeds a type not covered that way, or whose recorder's status or selectors are unread, is kept.
 */
export function mootListings(
  known: { trails: readonly TrailInfo[]; stores: readonly EventDataStoreInfo[] },
  accountId: string,
  region: string,
): AiResourceListing[] {
  const recorders: Recorder[] = [...known.trails.map((t) => recorderOfTrail({ buckets: {} }, t)), ...known.stores.map(recorderOfStore)];
  if (recorders.length === 0) return [];
  return AI_RESOURCE_LISTINGS.filter((id) => {
    const fed = AI_DATA_EVENT_TYPES.filter((row) => row.listings?.includes(id));
    return fed.length > 0 && fed.every((row) => coveredTypeWide(recorders, row, accountId, region) !== null);
  });
}

export const REASON_CODES = {
  'data-events-recorded': 'A logging trail or ingesting event data store selects all read and write data events of every resource of the type.',
  'data-events-recorded-type-wide':
    'Every resource of the type would be recorded (selected type-wide), so the scan did not list them: not scored, as whether the type is in use was not read.',
  'data-events-not-selected': 'At least one resource of the type has read or write data events that no logging trail or event data store selects.',
  'type-not-in-use': 'No resource of the type in the scanned regions.',
  'resources-not-listed': 'The resources of the type could not be listed, so whether it is in use is unknown.',
  'coverage-unknown': 'A trail, event data store or resource list that could decide the answer could not be read.',
  'destination-missing': 'A trail selects the data events, but its bucket does not exist, so they are kept nowhere.',
  'not-delivering': NOT_DELIVERING,
} as const;

export const check: Check = {
  meta: {
    id: 'cloudtrail-ai-data-events',
    title: 'CloudTrail records data events for every AI resource type in use',
    severity: 'high',
    scope: 'account-type',
    service: 'cloudtrail',
    rationale:
      'Invoking a Bedrock model, agent, flow or guardrail, querying a knowledge base, calling an AgentCore runtime or gateway, a SageMaker endpoint or a Q Business application are data-plane operations: management events do not record them. Only data events show who used an AI resource, when and from where, which is the first question of an unauthorized-use investigation.',
    risk: 'Misuse of agents, knowledge bases and endpoints (prompt injection, data extraction through retrieval, model theft by querying) leaves no CloudTrail record.',
    remediation: {
      summary:
        'Add advanced event selectors for the AI resource types in use to a multi-region (or organization) trail or CloudTrail Lake event data store; scope by resources.ARN only if every resource stays covered.',
      cli: `aws cloudtrail put-event-selectors --trail-name TRAIL_NAME --advanced-event-selectors '[{"Name":"Management","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},{"Name":"Bedrock agents","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::Bedrock::AgentAlias"]}]},{"Name":"Bedrock knowledge bases","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::Bedrock::KnowledgeBase"]}]},{"Name":"SageMaker endpoints","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::SageMaker::Endpoint"]}]}]'`,
      iac: {
        kind: 'terraform',
        snippet: [
          'resource "aws_cloudtrail" "org" {',
          '  # ...',
          '  advanced_event_selector {',
          '    name = "Management"',
          '    field_selector { field = "eventCategory"  equals = ["Management"] }',
          '  }',
          '  dynamic "advanced_event_selector" {',
          `    for_each = [${AI_DATA_EVENT_TYPES.map((t) => JSON.stringify(t.type)).join(', ')}]`,
          '    content {',
          '      name = advanced_event_selector.value',
          '      field_selector { field = "eventCategory"  equals = ["Data"] }',
          '      field_selector { field = "resources.type" equals = [advanced_event_selector.value] }',
          '    }',
          '  }',
          '}',
        ].join('\n'),
      },
      docs: [
        'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html',
        'https://docs.aws.amazon.com/bedrock/latest/userguide/logging-using-cloudtrail.html',
      ],
    },
    parameters: [],
    reasonCodes: REASON_CODES,
    frameworks: [
      { framework: 'nist-800-53-r5', control: 'AU-2' },
      { framework: 'nist-800-53-r5', control: 'AU-12' },
      { framework: 'iso-27001-2022', control: 'A.8.15' },
      { framework: 'eu-ai-act', control: 'Art. 12' },
      { framework: 'iso-42001', control: 'A.6.2.8' },
      { framework: 'soc2', control: 'CC7.2' },
    ],
  },
  evaluate({ inventory, account }) {
    const { recorders, unreadable } = recordersCoveringAccount(inventory, account);
    return AI_DATA_EVENT_TYPES.map((row) => judgeType(row, account, recorders, unreadable));
  },
};

/**
 * The type's resources in every scanned region, what could not be listed, and the regions whose listing was not sent
 * because every resource there is selected type-wide (LISTING_MOOT) and, judged again now that destinations are
 * known, still recorded; where it no longer is, whether the type is in use there is unknown.
 */
function inUseAcross(
  row: AiDataEventType,
  account: AccountInventory,
  recorders: Recorder[],
): { resources: TypedResource[]; sourceUnread: string[]; typeWideIn: { region: string; by: string[] }[] } {
  const resources: TypedResource[] = [];
  const sourceUnread: string[] = [];
  const typeWideIn: { region: string; by: string[] }[] = [];
  for (const r of scannedRegions(account)) {
    const obs = row.inUse(r, account);
    if (obs.ok) {
      resources.push(...obs.value);
      continue;
    }
    if (obs.errorCode !== LISTING_MOOT) {
      sourceUnread.push(`${row.label}s in ${r.region} could not be listed: ${obs.reason}`);
      continue;
    }
    const by = coveredTypeWide(recorders, row, account.accountId, r.region);
    if (by) typeWideIn.push({ region: r.region, by });
    else
      sourceUnread.push(
        `${row.label}s in ${r.region} were not listed because every one was selected when the region was read, but no recorder that selects them keeps their events`,
      );
  }
  return { resources, sourceUnread, typeWideIn };
}

function judgeType(
  row: AiDataEventType,
  account: AccountInventory,
  recorders: ReturnType<typeof recordersCoveringAccount>['recorders'],
  recordersUnread: string[],
): Finding {
  const { type, label } = row;
  const arn = dataEventsArn(account.accountId, type, partitionOfAccount(account));
  const result = (status: Finding['status'], code: keyof typeof REASON_CODES, reason: string, evidence: Record<string, unknown>): Finding =>
    fromVerdict(
      account,
      'global',
      arn,
      { status, code, reason, evidence: { type, service: row.service, listedBy: row.listedBy, ...evidence } },
      row.severity,
    );
  const { resources, sourceUnread, typeWideIn } = inUseAcross(row, account, recorders);
  const typeWideEv = typeWideIn.length > 0 ? { recordedTypeWide: typeWideIn } : {};
  if (resources.length === 0) {
    if (sourceUnread.length > 0)
      return result('NOT_ASSESSED', 'resources-not-listed', `Whether ${type} is in use is unknown: ${sourceUnread.join('; ')}`, {});
    if (typeWideIn.length > 0)
      return result(
        'PASS',
        'data-events-recorded-type-wide',
        `Read and write data events of every ${label} in ${listText(typeWideIn.map((t) => t.region))} would be recorded (${type} selected type-wide by ${listText([...new Set(typeWideIn.flatMap((t) => t.by))])}); whether any exists was not listed, as it cannot change the answer, and this result is not scored`,
        typeWideEv,
      );
    // Regions AWS does not offer the service in were not listed: nothing of it can exist there.
    const notOffered = scannedRegions(account)
      .filter((r) => r.notOffered?.some((code) => REGIONAL_SERVICE_NAMES[code] === row.service))
      .map((r) => r.region);
    const where =
      notOffered.length === 0
        ? ''
        : ` (${listText(notOffered)} ${notOffered.length === 1 ? 'does' : 'do'} not offer ${row.service}, so none can exist there)`;
    return result(
      'NOT_APPLICABLE',
      'type-not-in-use',
      `No ${label}s in the scanned regions${where}, so ${type} data events are not needed`,
      notOffered.length > 0 ? { serviceNotOfferedIn: notOffered } : {},
    );
  }
  const uncovered: string[] = [];
  const undeliveredCodes: string[] = [];
  const unknown: string[] = [...recordersUnread, ...sourceUnread];
  const covered: Record<string, unknown>[] = [];
  for (const res of resources) {
    const a = dataEventCoverageAcross(recorders, res.resource, res.region);
    const desc = `${label} ${res.name} (${res.region})`;
    if (a.read === 'all' && a.write === 'all') {
      covered.push({ resource: res.name, region: res.region, readBy: a.readBy, writeBy: a.writeBy });
      continue;
    }
    if (a.unknown.length > 0) {
      unknown.push(...a.unknown.map((u) => `${desc}: ${u}`));
      continue;
    }
    const missing = a.read !== 'all' && a.write !== 'all' ? 'read and write' : a.read !== 'all' ? 'read' : 'write';
    const partial = a.read === 'partial' || a.write === 'partial' ? ' (selectors only cover part of its events)' : '';
    const lost = a.undelivered.length > 0 ? `; selected but not kept: ${listText([...new Set(a.undelivered.map((u) => u.detail))])}` : '';
    undeliveredCodes.push(...a.undelivered.map((u) => u.code));
    uncovered.push(`${desc}: ${missing} data events not ${lost ? 'recorded' : 'selected'}${partial}${lost}`);
  }
  const ops = row.operations;
  const opsText = ops ? `. Data events record ${listText(ops.recorded)} but not ${listText(ops.notRecorded)}: for those, rely on ${ops.instead}` : '';
  const ev = { resources: resources.length, covered, uncovered, ...typeWideEv, ...(ops ? { operations: ops } : {}) };
  const failCode = (undeliveredCodes[0] ?? 'data-events-not-selected') as keyof typeof REASON_CODES;
  if (uncovered.length > 0)
    return result('FAIL', failCode, `No logging trail or event data store records all ${type} data events: ${listText(uncovered)}${opsText}`, {
      ...ev,
      unknown,
    });
  if (unknown.length > 0)
    return result('NOT_ASSESSED', 'coverage-unknown', `${type} data-event coverage could not be confirmed: ${unknown.join('; ')}`, {
      ...ev,
      unknown,
    });
  return result(
    'PASS',
    'data-events-recorded',
    `Read and write data events of all ${resources.length} ${label}(s) are recorded by a logging trail or event data store${opsText}`,
    ev,
  );
}
