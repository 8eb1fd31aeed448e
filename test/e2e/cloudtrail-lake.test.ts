// CloudTrail Lake on the emulator: an organization event data store in the management account (answered by
// the proxy's ListEventDataStores / GetEventDataStore stubs, moto has none) is the record of a member account
// without any trail, for management and SageMaker endpoint data events, and is judged itself.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accountCredentials,
  dataEventSelector,
  installMotoStubs,
  managementEventsSelector,
  MOTO_ACCOUNT,
  seedOrganization,
  seedSageMakerEndpoint,
} from '../../demo/seed.js';
import type { ScanDocument } from '../../src/model/scan.js';
import { runScanCli } from '../support/cli.js';
import { useEmulator } from '../support/emulator.js';

const env = useEmulator();
const tmp = mkdtempSync(join(tmpdir(), 'forensight-lake-'));
let member = '';
let scan: ScanDocument;
const storeArn = `arn:aws:cloudtrail:us-east-1:${MOTO_ACCOUNT}:eventdatastore/org-lake`;

beforeAll(async () => {
  const factory = env.factory();
  const stubs = installMotoStubs(env.proxy);
  const org = await seedOrganization(factory, { accounts: [{ name: 'ml' }] });
  member = org.accounts[0]!.accountId;
  await seedSageMakerEndpoint(
    { factory, credentials: accountCredentials(factory, member), accountId: member },
    { name: 'scoring', model: { modelDataUrl: 's3://ml-models/m.tar.gz' } },
  );
  stubs.setEventDataStores(MOTO_ACCOUNT, [
    {
      name: 'org-lake',
      region: 'us-east-1',
      organization: true,
      retentionDays: 30,
      terminationProtection: false,
      selectors: [
        managementEventsSelector(),
        dataEventSelector('AWS::SageMaker::Endpoint'),
        dataEventSelector('AWS::BedrockAgentCore::Gateway'),
        dataEventSelector('AWS::BedrockAgentCore::TokenVault'),
      ],
    },
    {
      name: 'config-items',
      region: 'eu-west-1',
      selectors: [{ Name: 'config', FieldSelectors: [{ Field: 'eventCategory', Equals: ['ConfigurationItem'] }] }],
    },
  ]);
  // AI resources moto cannot create, answered by the proxy's list stubs.
  stubs.setAiResources(member, 'us-east-1', 'agentcore:gateways', [{ id: 'gw-tools', name: 'tools' }]);
  stubs.setAiResources(member, 'us-east-1', 'agentcore:runtimes', [{ id: 'support_agent-a1b2c3d4e5', name: 'support_agent' }]);
  stubs.setAiResources(member, 'us-east-1', 'agentcore:oauth2-providers', [{ id: 'github', name: 'github' }]);
  stubs.setAiResources(member, 'us-east-1', 'agentcore:code-interpreters', [{ id: 'sandbox-f6g7h8i9j0', name: 'sandbox' }]);
  stubs.setAiResources(member, 'eu-west-1', 'agentcore:browsers', [{ id: 'crawler-k1l2m3n4o5', name: 'crawler' }]);
  stubs.setAiResources(member, 'eu-west-1', 'qbusiness:applications', [{ id: 'app-1', name: 'helpdesk' }]);
  stubs.setAiResources(member, 'eu-west-1', 'qbusiness:indices', [{ id: 'ix-1', name: 'docs' }], 'app-1');
  const run = await runScanCli(env.url, join(tmp, 'org'), [
    '--org',
    '--role-name',
    'ForensightReadOnly',
    '--regions',
    'us-east-1,eu-west-1',
    '--max-attempts',
    '2',
  ]);
  expect(run.code, run.stderr).toBe(0);
  scan = run.scan;
}, 180_000);

const result = (checkId: string, accountId: string, resource?: RegExp) =>
  scan.results.filter((r) => r.checkId === checkId && r.accountId === accountId && (!resource || resource.test(r.resourceArn)));

describe('CloudTrail Lake on the emulator', () => {
  it("the organization store is the member account's management-event record", () => {
    const [r] = result('cloudtrail-multi-region-trail', member);
    expect(r).toMatchObject({ status: 'PASS', evidence: { eventDataStore: storeArn } });
    expect(r!.reason).toContain('CloudTrail Lake event data store org-lake');
  });

  it("the store's SageMaker endpoint selector covers the member's endpoint", () => {
    const [r] = result('cloudtrail-ai-data-events', member, /AWS::SageMaker::Endpoint$/);
    expect(r).toMatchObject({ status: 'PASS' });
    expect(JSON.stringify(r!.evidence)).toContain('event data store org-lake');
  });

  it('AI resources from the stubbed listings are judged where they are in use, and the rest are not applicable', () => {
    const byType = (t: string) => result('cloudtrail-ai-data-events', member, new RegExp(`data-events/${t.replace(/[:]/g, ':')}$`))[0]!;
    expect(byType('AWS::BedrockAgentCore::Gateway')).toMatchObject({ status: 'PASS', reasonCode: 'data-events-recorded' });
    expect(byType('AWS::QBusiness::Application')).toMatchObject({ status: 'FAIL', reasonCode: 'data-events-not-selected' });
    expect(byType('AWS::QBusiness::Application').reason).toContain('Q Business application helpdesk (eu-west-1)');
    expect(byType('AWS::QBusiness::Index').reason).toContain('Q Business index docs (eu-west-1)');
    expect(byType('AWS::QBusiness::WebExperience').status).toBe('NOT_APPLICABLE');
    expect(byType('AWS::Bedrock::FlowAlias').status).toBe('NOT_APPLICABLE');
    expect(byType('AWS::SageMaker::Endpoint').reason).toContain('not InvokeEndpoint and InvokeEndpointAsync');
  });

  it('AgentCore tools and identities: the token vault holding the listed provider is recorded, the provider, runtime endpoints and custom code interpreter are not', () => {
    const byType = (t: string) => result('cloudtrail-ai-data-events', member, new RegExp(`data-events/${t}$`))[0]!;
    expect(byType('AWS::BedrockAgentCore::TokenVault')).toMatchObject({ status: 'PASS', reasonCode: 'data-events-recorded' });
    expect(byType('AWS::BedrockAgentCore::OAuth2CredentialProvider')).toMatchObject({ status: 'FAIL', reasonCode: 'data-events-not-selected' });
    expect(byType('AWS::BedrockAgentCore::OAuth2CredentialProvider').reason).toContain('AgentCore OAuth2 credential provider github (us-east-1)');
    expect(byType('AWS::BedrockAgentCore::RuntimeEndpoint')).toMatchObject({ status: 'FAIL', reasonCode: 'data-events-not-selected' });
    expect(byType('AWS::BedrockAgentCore::RuntimeEndpoint').reason).toContain('AgentCore runtime endpoint support_agent (us-east-1)');
    expect(byType('AWS::BedrockAgentCore::CodeInterpreterCustom').status).toBe('FAIL');
    expect(byType('AWS::BedrockAgentCore::BrowserCustom').reason).toContain('AgentCore custom browser crawler (eu-west-1)');
    expect(byType('AWS::BedrockAgentCore::WorkloadIdentityDirectory').status).toBe('NOT_APPLICABLE');
  });

  it('the store itself fails on retention and termination protection in every account it records; the Config-items store is not judged', () => {
    for (const account of [MOTO_ACCOUNT, member]) {
      const rs = result('cloudtrail-lake-event-data-store', account);
      expect(rs.map((r) => [r.status, r.resourceArn])).toEqual([['FAIL', storeArn]]);
      expect(rs[0]!.reason).toMatch(/keeps events 30 days, less than 365 and termination protection is off/);
    }
  });

  it('a store list that cannot be read is NOT_ASSESSED, never a pass', async () => {
    env.proxy.addRule({
      match: { service: 'cloudtrail', action: 'ListEventDataStores', region: 'eu-west-1' },
      error: { status: 400, code: 'AccessDeniedException' },
    });
    try {
      const run = await runScanCli(env.url, join(tmp, 'denied'), [
        '--accounts',
        MOTO_ACCOUNT,
        '--role-name',
        'ForensightReadOnly',
        '--regions',
        'us-east-1,eu-west-1',
        '--checks',
        'cloudtrail-lake-event-data-store',
      ]);
      const rs = run.scan.results.filter((r) => r.accountId === MOTO_ACCOUNT);
      expect(rs.map((r) => r.status)).toEqual(['NOT_ASSESSED']);
      expect(rs[0]!.reason).toMatch(/ListEventDataStores failed in eu-west-1/);
    } finally {
      env.proxy.clearRules();
    }
  });
});
