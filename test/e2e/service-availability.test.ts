// Regions that do not offer a service: the scan reads AWS's public availability parameters (moto 5.2 serves a
// snapshot of them) and calls no list of a service where the Region does not offer it. In moto's snapshot
// us-west-1 offers Bedrock and SageMaker but neither Bedrock AgentCore nor Amazon Q Business; us-east-1 offers
// all four. The proxy closes every AgentCore and Q Business connection in us-west-1 unanswered, as an endpoint
// that does not exist would: before the availability read, those lists failed there and the data-event types of
// both services became NOT_ASSESSED although nothing of them can exist in the Region.
import { beforeAll, describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { AI_DATA_EVENT_TYPES } from '../../checks/cloudtrail-ai-data-events.js';
import { defaultParameters } from '../../checks/parameters.js';
import { seedBenchOrganization, type BenchOrganization } from '../../bench/org-shape.js';
import { installMotoStubs } from '../../demo/seed.js';
import { MOTO_DEFAULT_ACCOUNT } from '../../demo/proxy.js';
import type { RecordedCall } from '../../src/aws/recorder.js';
import { parseTargetOptions } from '../../src/cli/common.js';
import { collectRegion } from '../../src/inventory/index.js';
import { AI_RESOURCE_LISTINGS, BEDROCK_PARTS, REGIONAL_SERVICES, SAGEMAKER_PARTS, type RegionalService } from '../../src/model/inventory.js';
import type { CheckResult, ScanDocument } from '../../src/model/scan.js';
import { runScan } from '../../src/scan/runner.js';
import { TEST_CREDENTIALS, useEmulator } from '../support/emulator.js';

const env = useEmulator();
const OFFERS_ALL = 'us-east-1';
const LACKS_CORE_AND_Q = 'us-west-1';
let org: BenchOrganization;

beforeAll(async () => {
  const factory = env.factory();
  installMotoStubs(env.proxy);
  org = await seedBenchOrganization(factory, { members: 1, regions: [OFFERS_ALL] });
  factory.destroy();
}, 240_000);

/** Every AgentCore and Q Business connection in us-west-1 is closed unanswered (no endpoint there). */
function noEndpointsInLackingRegion(): void {
  for (const service of ['bedrock-agentcore', 'qbusiness'])
    env.proxy.addRule({ match: { service, region: LACKS_CORE_AND_Q }, stall: 'connection-reset' });
}

async function scan(): Promise<{ document: ScanDocument; calls: RecordedCall[] }> {
  env.proxy.resetCounters();
  const target = parseTargetOptions({
    org: true,
    roleName: 'ForensightReadOnly',
    regions: `${OFFERS_ALL},${LACKS_CORE_AND_Q}`,
    endpointUrl: env.url,
    concurrency: '8',
    maxAttempts: '2',
  });
  const run = await runScan({ target, checks: allChecks, params: defaultParameters, toolVersion: '0.0.0-test' });
  run.session.factory.destroy();
  return { document: run.document, calls: run.session.factory.recorder.calls };
}

const CORE_AND_Q_TYPES = AI_DATA_EVENT_TYPES.filter((t) => t.service === 'Amazon Bedrock AgentCore' || t.service === 'Amazon Q Business');
const dataEventResults = (document: ScanDocument, accountId: string): CheckResult[] =>
  document.results.filter(
    (r) => r.checkId === 'cloudtrail-ai-data-events' && r.accountId === accountId && CORE_AND_Q_TYPES.some((t) => t.type === r.evidence.type),
  );

describe('service availability in the scan', () => {
  it('calls no AgentCore or Q Business list in a Region that offers neither, and their data-event types are NOT_APPLICABLE saying so', async () => {
    env.proxy.clearRules();
    noEndpointsInLackingRegion();
    const { document, calls } = await scan();
    const accounts = [org.managementAccountId, ...org.memberAccountIds];
    const coreOrQ = (c: { service: string }) => c.service === 'bedrock-agentcore' || c.service === 'qbusiness';
    expect(calls.filter((c) => coreOrQ(c) && c.region === LACKS_CORE_AND_Q)).toEqual([]);
    expect(env.proxy.requests.filter((r) => coreOrQ(r) && r.region === LACKS_CORE_AND_Q)).toEqual([]);
    // Still listed where offered, and Bedrock and SageMaker still listed in us-west-1.
    for (const accountId of accounts) {
      const actions = (region: string) =>
        new Set(calls.filter((c) => c.accountId === accountId && c.region === region).map((c) => `${c.service}:${c.action}`));
      expect([...actions(OFFERS_ALL)]).toEqual(
        expect.arrayContaining([
          'bedrock-agentcore:ListAgentRuntimes',
          'bedrock-agentcore:ListGateways',
          'bedrock-agentcore:ListMemories',
          'qbusiness:ListApplications',
        ]),
      );
      expect([...actions(LACKS_CORE_AND_Q)]).toEqual(
        expect.arrayContaining(['bedrock:ListFlows', 'bedrock:ListAgents', 'sagemaker:ListEndpoints', 'sagemaker:ListFeatureGroups']),
      );
    }
    // Read once per scan, by the credentials the scan starts with, each page once.
    const ssm = calls.filter((c) => c.service === 'ssm');
    expect(ssm.length).toBeGreaterThanOrEqual(REGIONAL_SERVICES.length);
    expect(new Set(ssm.map((c) => `${c.action} ${c.accountId} ${c.region} ${c.ok}`))).toEqual(
      new Set([`GetParametersByPath ${org.managementAccountId} us-east-1 true`]),
    );
    expect(new Set(ssm.map((c) => c.inputDigest)).size).toBe(ssm.length);

    expect(document.notes).toBeUndefined();
    expect(document.results.filter((r) => r.status === 'NOT_ASSESSED').map((r) => `${r.checkId}: ${r.reason.slice(0, 160)}`)).toEqual([]);
    for (const accountId of accounts) {
      const results = dataEventResults(document, accountId);
      expect(results.map((r) => r.evidence.type).sort()).toEqual(CORE_AND_Q_TYPES.map((t) => t.type).sort());
      for (const r of results) {
        expect(r.status).toBe('NOT_APPLICABLE');
        expect(r.reason).toMatch(
          new RegExp(`\\(${LACKS_CORE_AND_Q} does not offer Amazon (Bedrock AgentCore|Q Business), so none can exist there\\)`),
        );
        expect(r.evidence.serviceNotOfferedIn).toEqual([LACKS_CORE_AND_Q]);
      }
    }
  }, 240_000);

  it('when the availability parameters cannot be read, every service is called everywhere (as before) and the scan notes why once', async () => {
    env.proxy.clearRules();
    noEndpointsInLackingRegion();
    env.proxy.addRule({ match: { service: 'ssm' }, error: { status: 400, code: 'AccessDeniedException' } });
    const { document, calls } = await scan();
    expect(document.notes).toEqual([
      expect.stringMatching(
        /^Service availability not known for bedrock, bedrock-agentcore, sagemaker, qbusiness \(AccessDeniedException on ssm:GetParametersByPath.*\): their lists were called in every scanned Region\.$/,
      ),
    ]);
    // The lists were called in us-west-1 and failed there: never treated as "not offered".
    expect(calls.filter((c) => c.service === 'qbusiness' && c.region === LACKS_CORE_AND_Q && !c.ok).length).toBeGreaterThan(0);
    for (const r of dataEventResults(document, org.memberAccountIds[0]!)) {
      expect(r.status, String(r.evidence.type)).toBe('NOT_ASSESSED');
      expect(r.reasonCode).toBe('resources-not-listed');
    }
  }, 240_000);
});

describe('per-service skip of one Region', () => {
  const LISTINGS: Record<RegionalService, string[]> = {
    bedrock: ['bedrock:flows', 'bedrock:prompts'],
    'bedrock-agentcore': ['agentcore:runtimes', 'agentcore:gateways', 'agentcore:memories'],
    sagemaker: ['sagemaker:feature-groups', 'sagemaker:mlflow-tracking-servers'],
    qbusiness: ['qbusiness:applications', 'qbusiness:indices', 'qbusiness:web-experiences'],
  };
  it.each(REGIONAL_SERVICES.map((s) => [s]))(
    '%s not offered: none of its calls, its parts read and empty, every other service called',
    async (service) => {
      env.proxy.clearRules();
      const factory = env.factory();
      const region = await collectRegion({
        factory,
        credentials: TEST_CREDENTIALS,
        accountId: MOTO_DEFAULT_ACCOUNT,
        region: 'eu-west-2',
        notOffered: [service],
      });
      const called = new Set(factory.recorder.calls.map((c) => c.service));
      factory.destroy();
      expect(region.notOffered).toEqual([service]);
      for (const other of REGIONAL_SERVICES) expect(called.has(other), other).toBe(other !== service);
      for (const id of AI_RESOURCE_LISTINGS) {
        const listing = region.aiResources![id];
        if (LISTINGS[service].includes(id)) expect(listing, id).toEqual({ ok: true, value: [] });
        else expect(listing.ok, id).toBe(true);
      }
      if (service === 'bedrock')
        for (const part of BEDROCK_PARTS) expect(region.bedrock[part], part).toEqual({ ok: true, value: part === 'logging' ? null : [] });
      if (service === 'sagemaker') for (const part of SAGEMAKER_PARTS) expect(region.sagemaker[part], part).toEqual({ ok: true, value: [] });
    },
  );

  it('nothing not offered: every service is called and the region carries no notOffered', async () => {
    const factory = env.factory();
    const region = await collectRegion({
      factory,
      credentials: TEST_CREDENTIALS,
      accountId: MOTO_DEFAULT_ACCOUNT,
      region: 'eu-west-2',
      notOffered: [],
    });
    const called = new Set(factory.recorder.calls.map((c) => c.service));
    factory.destroy();
    expect(region.notOffered).toBeUndefined();
    for (const service of REGIONAL_SERVICES) expect(called.has(service), service).toBe(true);
  });
});
