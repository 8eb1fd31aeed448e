import { describe, expect, it } from 'vitest';
import { AI_DATA_EVENT_TYPES, check } from '../../checks/cloudtrail-ai-data-events.js';
import type { AdvancedEventSelector, TrailInfo } from '../../src/model/inventory.js';
import {
  advanced,
  agent,
  bucket,
  dataSelector,
  deliveryError,
  endpoint,
  eventDataStore,
  forResource,
  goneBucket,
  inventory,
  knowledgeBase,
  logging,
  MEMBER,
  MGMT,
  mgmtSelector,
  run,
  seen,
  trail,
  unseen,
} from '../support/inventory-builder.js';
import { testCheck } from '../support/check-tester.js';

const EP = 'AWS::SageMaker::Endpoint';
const typeArn = (type: string, acct = MGMT) => `arn:aws:cloudtrail::${acct}:data-events/${type}`;
const epArn = (name: string, region = 'us-east-1') => `arn:aws:sagemaker:${region}:${MGMT}:endpoint/${name}`;

function withEndpoints(trailProps: Partial<TrailInfo>, endpoints = [endpoint('fraud-detector')]) {
  return inventory().account(MGMT, (a) => a.trails([trail({ name: 'main', ...trailProps })]).region('us-east-1', (r) => r.endpoints(endpoints)));
}

const sel = (...s: AdvancedEventSelector[]) => ({ selectors: advanced(mgmtSelector, ...s) });

describe('cloudtrail-ai-data-events', () => {
  it('emits one result per AI data-event type', () => {
    const fs = run(check, withEndpoints(sel(dataSelector(EP))));
    expect(fs.map((f) => f.resourceArn)).toEqual(AI_DATA_EVENT_TYPES.map((t) => typeArn(t.type)));
    expect(fs.filter((f) => f.status !== 'NOT_APPLICABLE').map((f) => f.resourceArn)).toEqual([typeArn(EP)]);
    expect(new Set(AI_DATA_EVENT_TYPES.map((t) => t.type)).size).toBe(AI_DATA_EVENT_TYPES.length);
    expect(forResource(fs, typeArn('AWS::Bedrock::AgentAlias')).status).toBe('NOT_APPLICABLE');
    expect(forResource(fs, typeArn('AWS::Bedrock::AgentAlias')).reason).toContain('No Bedrock agents in the scanned regions');
  });

  it.each<[string, Partial<TrailInfo>, string, string]>([
    ['PASS: all endpoint data events', sel(dataSelector(EP)), 'PASS', 'Read and write data events of all 1 SageMaker endpoint(s)'],
    ['FAIL: management events only', sel(), 'FAIL', 'SageMaker endpoint fraud-detector (us-east-1): read and write data events not selected'],
    [
      'FAIL: readOnly=true only -> writes missing',
      sel(dataSelector(EP, { field: 'readOnly', equals: ['true'] })),
      'FAIL',
      'fraud-detector (us-east-1): write data events not selected',
    ],
    [
      'PASS: ARN StartsWith scoping that includes the endpoint',
      sel(dataSelector(EP, { field: 'resources.ARN', startsWith: [`arn:aws:sagemaker:us-east-1:${MGMT}:endpoint/fraud`] })),
      'PASS',
      'all 1 SageMaker endpoint',
    ],
    [
      'FAIL: ARN StartsWith scoping that excludes the endpoint',
      sel(dataSelector(EP, { field: 'resources.ARN', startsWith: [`arn:aws:sagemaker:us-east-1:${MGMT}:endpoint/chat`] })),
      'FAIL',
      'read and write data events not selected',
    ],
    [
      'FAIL: ARN NotEquals excludes the endpoint',
      sel(dataSelector(EP, { field: 'resources.ARN', notEquals: [epArn('fraud-detector')] })),
      'FAIL',
      'not selected',
    ],
    [
      'FAIL: eventName filter is partial',
      sel(dataSelector(EP, { field: 'eventName', equals: ['InvokeEndpoint'] })),
      'FAIL',
      'selectors only cover part of its events',
    ],
    ['FAIL: selector for another type', sel(dataSelector('AWS::Bedrock::KnowledgeBase')), 'FAIL', 'not selected'],
    ['FAIL: trail stopped', { ...sel(dataSelector(EP)), status: logging(false) }, 'FAIL', 'not selected'],
    [
      'FAIL: single-region trail in another region',
      { ...sel(dataSelector(EP)), isMultiRegion: false, homeRegion: 'eu-west-1' },
      'FAIL',
      'not selected',
    ],
    [
      'PASS: single-region trail in the endpoint region',
      { ...sel(dataSelector(EP)), isMultiRegion: false, homeRegion: 'us-east-1' },
      'PASS',
      'all 1',
    ],
    [
      'NOT_ASSESSED: selectors unreadable',
      { selectors: unseen('AccessDenied: GetEventSelectors') },
      'NOT_ASSESSED',
      'event selectors of trail main could not be read: AccessDenied: GetEventSelectors',
    ],
    [
      'NOT_ASSESSED: status unreadable',
      { ...sel(dataSelector(EP)), status: unseen('Throttling') },
      'NOT_ASSESSED',
      'status of trail main could not be read: Throttling',
    ],
  ])('%s', (_n, trailProps, status, fragment) => {
    const f = forResource(run(check, withEndpoints(trailProps)), typeArn(EP));
    expect(f.status).toBe(status);
    expect(f.region).toBe('global');
    expect(f.reason).toContain(fragment);
  });

  it('selects readOnly true and false in two selectors -> PASS', () => {
    const f = forResource(
      run(
        check,
        withEndpoints(sel(dataSelector(EP, { field: 'readOnly', equals: ['true'] }), dataSelector(EP, { field: 'readOnly', equals: ['false'] }))),
      ),
      typeArn(EP),
    );
    expect(f.status).toBe('PASS');
    expect(f.reason).toContain('Read and write data events');
  });

  it('FAIL names only the uncovered endpoint when scoping covers one of two', () => {
    const f = forResource(
      run(check, withEndpoints(sel(dataSelector(EP, { field: 'resources.ARN', equals: [epArn('a')] })), [endpoint('a'), endpoint('b')])),
      typeArn(EP),
    );
    expect(f.status).toBe('FAIL');
    expect(f.reason).toContain('SageMaker endpoint b (us-east-1)');
    expect(f.reason).not.toContain('endpoint a (');
  });

  it('NOT_ASSESSED for a type whose resources cannot be listed', () => {
    const inv = inventory().account(MGMT, (a) => a.region('us-east-1', (r) => r.knowledgeBases(unseen('AccessDenied: ListKnowledgeBases'))));
    const f = forResource(run(check, inv), typeArn('AWS::Bedrock::KnowledgeBase'));
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.reason).toContain('Bedrock knowledge bases in us-east-1 could not be listed: AccessDenied: ListKnowledgeBases');
  });

  it('a known FAIL stays FAIL even if another region cannot be listed; a pass would be NOT_ASSESSED', () => {
    const build = (selectors: Partial<TrailInfo>) =>
      inventory().account(MGMT, (a) =>
        a
          .trails([trail({ name: 'main', ...selectors })])
          .region('us-east-1', (r) => r.endpoints([endpoint('e1')]))
          .region('eu-west-1', (r) => r.endpoints(unseen('AccessDenied'))),
      );
    const fail = forResource(run(check, build(sel())), typeArn(EP));
    expect(fail.status).toBe('FAIL');
    expect(fail.reason).toContain('SageMaker endpoint e1 (us-east-1)');
    const unknown = forResource(run(check, build(sel(dataSelector(EP)))), typeArn(EP));
    expect(unknown.status).toBe('NOT_ASSESSED');
    expect(unknown.reason).toContain('SageMaker endpoints in eu-west-1 could not be listed: AccessDenied');
  });

  it('agents are judged by alias ARN prefix; knowledge bases by exact ARN', () => {
    const agentPrefix = `arn:aws:bedrock:us-east-1:${MGMT}:agent-alias/AG1/`;
    const inv = inventory().account(MGMT, (a) =>
      a
        .trails([
          trail({
            name: 'main',
            selectors: advanced(
              mgmtSelector,
              dataSelector('AWS::Bedrock::AgentAlias', { field: 'resources.ARN', startsWith: [agentPrefix] }),
              dataSelector('AWS::Bedrock::KnowledgeBase', {
                field: 'resources.ARN',
                equals: [`arn:aws:bedrock:us-east-1:${MGMT}:knowledge-base/KB2`],
              }),
            ),
          }),
        ])
        .region('us-east-1', (r) => r.agents([agent('AG1')]).knowledgeBases([knowledgeBase('KB1')])),
    );
    const fs = run(check, inv);
    const ag = forResource(fs, typeArn('AWS::Bedrock::AgentAlias'));
    expect(ag.status).toBe('PASS');
    expect(ag.reason).toContain('all 1 Bedrock agent(s)');
    const kb = forResource(fs, typeArn('AWS::Bedrock::KnowledgeBase'));
    expect(kb.status).toBe('FAIL');
    expect(kb.reason).toContain('Bedrock knowledge base kb-KB1 (us-east-1)');
  });

  it('an organization trail with AI selectors covers a member account', () => {
    const inv = inventory()
      .org()
      .orgTrails([trail({ name: 'org', isOrganizationTrail: true, ...sel(dataSelector(EP)) })])
      .account(MEMBER, (a) => a.region('us-east-1', (r) => r.endpoints([endpoint('m-ep', {}, 'us-east-1', MEMBER)])));
    const f = forResource(run(check, inv, MEMBER), typeArn(EP, MEMBER));
    expect(f.status).toBe('PASS');
    expect(f.accountId).toBe(MEMBER);
    expect(f.reason).toContain('recorded by a logging trail');
  });

  it('an ingesting CloudTrail Lake event data store that selects the type covers it, and is named in the evidence', () => {
    const store = eventDataStore('ai-lake', { selectors: [mgmtSelector, dataSelector(EP)], multiRegion: false });
    const inv = inventory().account(MGMT, (a) => a.eventDataStores([store]).region('us-east-1', (r) => r.endpoints([endpoint('fraud-detector')])));
    const f = forResource(run(check, inv), typeArn(EP));
    expect(f.status).toBe('PASS');
    expect(f.evidence).toMatchObject({ covered: [{ resource: 'fraud-detector', readBy: ['event data store ai-lake'] }] });
    const stopped = eventDataStore('ai-lake', { selectors: [dataSelector(EP)], status: 'STOPPED_INGESTION' });
    const f2 = forResource(
      run(
        check,
        inventory().account(MGMT, (a) => a.eventDataStores([stopped]).region('us-east-1', (r) => r.endpoints([endpoint('fraud-detector')]))),
      ),
      typeArn(EP),
    );
    expect(f2.status).toBe('FAIL');
    const elsewhere = eventDataStore('ai-lake', { selectors: [dataSelector(EP)], multiRegion: false }, 'eu-west-1');
    const f3 = forResource(
      run(
        check,
        inventory().account(MGMT, (a) => a.eventDataStores([elsewhere]).region('us-east-1', (r) => r.endpoints([endpoint('fraud-detector')]))),
      ),
      typeArn(EP),
    );
    expect(f3.status).toBe('FAIL');
  });
});

testCheck(check, [
  {
    name: 'PASS all endpoint data events',
    inventory: withEndpoints(sel(dataSelector(EP))),
    resource: typeArn(EP),
    status: 'PASS',
    code: 'data-events-recorded',
  },
  { name: 'FAIL management events only', inventory: withEndpoints(sel()), resource: typeArn(EP), status: 'FAIL', code: 'data-events-not-selected' },
  {
    name: 'FAIL the selecting trail delivers to a deleted bucket',
    inventory: withEndpoints(sel(dataSelector(EP))).bucket(goneBucket('main-bucket')),
    resource: typeArn(EP),
    status: 'FAIL',
    code: 'destination-missing',
    reason: 'selected but not kept: bucket main-bucket of trail main does not exist',
  },
  {
    name: 'FAIL the selecting trail cannot deliver',
    inventory: withEndpoints({ ...sel(dataSelector(EP)), status: deliveryError('AccessDenied') }),
    resource: typeArn(EP),
    status: 'FAIL',
    code: 'not-delivering',
    reason: 'LatestDeliveryError AccessDenied',
  },
  {
    name: 'PASS the trail bucket is in another Region',
    inventory: withEndpoints(sel(dataSelector(EP))).bucket(bucket('main-bucket', { region: seen('eu-west-1') })),
    resource: typeArn(EP),
    status: 'PASS',
    code: 'data-events-recorded',
  },
  {
    name: 'NOT_APPLICABLE no agents',
    inventory: withEndpoints(sel(dataSelector(EP))),
    resource: typeArn('AWS::Bedrock::AgentAlias'),
    status: 'NOT_APPLICABLE',
    code: 'type-not-in-use',
  },
  {
    name: 'NOT_ASSESSED selectors unreadable',
    inventory: withEndpoints({ selectors: unseen('AccessDenied: GetEventSelectors') }),
    resource: typeArn(EP),
    status: 'NOT_ASSESSED',
    code: 'coverage-unknown',
  },
  {
    name: 'NOT_ASSESSED endpoints not listed',
    inventory: inventory().account(MGMT, (a) =>
      a.trails([trail({ name: 'main', ...sel(dataSelector(EP)) })]).region('us-east-1', (r) => r.endpoints(unseen('AccessDenied: ListEndpoints'))),
    ),
    resource: typeArn(EP),
    status: 'NOT_ASSESSED',
    code: 'resources-not-listed',
  },
]);
