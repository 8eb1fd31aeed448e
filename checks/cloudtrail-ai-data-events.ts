// cloudtrail-ai-data-events: for each AI data-event resource type in use in the account (Bedrock agent alias,
// Bedrock knowledge base, SageMaker endpoint), a logging trail covering the account and the resource's region
// selects its read and write data events. One result per (account, type).
// These types can only be selected with advanced event selectors. Agent aliases are judged per agent, as
// the ARN prefix "arn:aws:bedrock:<region>:<account>:agent-alias/<agentId>/" (every alias, including the
// built-in test alias), so the alias list itself is not needed.
import type { Check, Finding } from './types.js';
import type { AccountInventory, Observed, RegionInventory } from '../src/model/inventory.js';
import { dataEventsArn, parseArn, partitionOfAccount } from './lib/arns.js';
import { partitionOf } from '../src/model/arn.js';
import { scannedRegions } from './lib/footprint.js';
import { finding, listText } from './lib/results.js';
import type { DataResource } from './lib/selectors.js';
import { dataEventCoverageAcross, recordersCoveringAccount } from './lib/trails.js';

export const AI_DATA_EVENT_TYPES = ['AWS::Bedrock::AgentAlias', 'AWS::Bedrock::KnowledgeBase', 'AWS::SageMaker::Endpoint'] as const;
export type AiDataEventType = (typeof AI_DATA_EVENT_TYPES)[number];

const LABEL: Record<AiDataEventType, string> = {
  'AWS::Bedrock::AgentAlias': 'Bedrock agent',
  'AWS::Bedrock::KnowledgeBase': 'Bedrock knowledge base',
  'AWS::SageMaker::Endpoint': 'SageMaker endpoint',
};

interface TypedResource {
  name: string;
  region: string;
  resource: DataResource;
}

function resourcesOfType(type: AiDataEventType, r: RegionInventory, account: AccountInventory): Observed<TypedResource[]> {
  switch (type) {
    case 'AWS::Bedrock::AgentAlias': {
      const obs = r.bedrock.agents;
      if (!obs.ok) return obs;
      return {
        ok: true,
        value: obs.value.map((a) => {
          const p = parseArn(a.arn);
          const prefix = `arn:${p?.partition || partitionOf(r.region)}:bedrock:${p?.region || r.region}:${p?.accountId || account.accountId}:agent-alias/${a.id}/`;
          return { name: a.name, region: r.region, resource: { kind: 'prefix', type, prefix } };
        }),
      };
    }
    case 'AWS::Bedrock::KnowledgeBase': {
      const obs = r.bedrock.knowledgeBases;
      if (!obs.ok) return obs;
      return { ok: true, value: obs.value.map((k) => ({ name: k.name, region: r.region, resource: { kind: 'exact', type, arn: k.arn } })) };
    }
    case 'AWS::SageMaker::Endpoint': {
      const obs = r.sagemaker.endpoints;
      if (!obs.ok) return obs;
      return { ok: true, value: obs.value.map((e) => ({ name: e.name, region: r.region, resource: { kind: 'exact', type, arn: e.arn } })) };
    }
  }
}

export const check: Check = {
  meta: {
    id: 'cloudtrail-ai-data-events',
    title: 'CloudTrail records data events for every AI resource type in use',
    severity: 'high',
    scope: 'account-type',
    service: 'cloudtrail',
    rationale:
      'Invoking a Bedrock agent, querying a knowledge base or calling a SageMaker endpoint are data-plane operations: management events do not record them. Only data events show who used an AI resource, when and from where, which is the first question of an unauthorized-use investigation.',
    risk: 'Misuse of agents, knowledge bases and endpoints (prompt injection, data extraction through retrieval, model theft by querying) leaves no CloudTrail record.',
    remediation: {
      summary: 'Add advanced event selectors for the AI resource types to a multi-region (or organization) trail; scope by resources.ARN only if every resource stays covered.',
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
          '    for_each = ["AWS::Bedrock::AgentAlias", "AWS::Bedrock::KnowledgeBase", "AWS::SageMaker::Endpoint"]',
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
    const { recorders: trails, unreadable: trailListUnreadable } = recordersCoveringAccount(inventory, account);
    const regions = scannedRegions(account);
    const out: Finding[] = [];
    for (const type of AI_DATA_EVENT_TYPES) {
      const arn = dataEventsArn(account.accountId, type, partitionOfAccount(account));
      const label = LABEL[type];
      const resources: TypedResource[] = [];
      const sourceUnread: string[] = [];
      for (const r of regions) {
        const obs = resourcesOfType(type, r, account);
        if (obs.ok) resources.push(...obs.value);
        else sourceUnread.push(`${label}s in ${r.region} could not be listed: ${obs.reason}`);
      }
      if (resources.length === 0) {
        out.push(
          sourceUnread.length > 0
            ? finding(account, 'global', arn, 'NOT_ASSESSED', `Whether ${type} is in use is unknown: ${sourceUnread.join('; ')}`, { type })
            : finding(account, 'global', arn, 'NOT_APPLICABLE', `No ${label}s in the scanned regions, so ${type} data events are not needed`, { type }),
        );
        continue;
      }
      const uncovered: string[] = [];
      const unknown: string[] = [...trailListUnreadable, ...sourceUnread];
      const covered: Record<string, unknown>[] = [];
      for (const res of resources) {
        const a = dataEventCoverageAcross(trails, res.resource, res.region);
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
        uncovered.push(`${desc}: ${missing} data events not selected${partial}`);
      }
      const ev = { type, resources: resources.length, covered, uncovered };
      if (uncovered.length > 0) {
        out.push(finding(account, 'global', arn, 'FAIL', `No logging trail records all ${type} data events: ${listText(uncovered)}`, { ...ev, unknown }));
      } else if (unknown.length > 0) {
        out.push(finding(account, 'global', arn, 'NOT_ASSESSED', `${type} data-event coverage could not be confirmed: ${unknown.join('; ')}`, { ...ev, unknown }));
      } else {
        out.push(finding(account, 'global', arn, 'PASS', `Read and write data events of all ${resources.length} ${label}(s) are recorded by a logging trail`, ev));
      }
    }
    return out;
  },
};
