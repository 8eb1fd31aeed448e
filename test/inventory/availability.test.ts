// The service-availability reader: AWS's public SSM parameters, paginated and bounded, and never an unread or
// empty list taken for "not offered". aws-sdk-client-mock stands in for SSM (the pages, errors and malformed
// answers are the point here); the emulator scan (test/e2e/service-availability.test.ts) reads moto's snapshot.
import { GetParametersByPathCommand, SSMClient, type GetParametersByPathCommandInput } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';
import {
  AVAILABILITY_PATH,
  MAX_AVAILABILITY_PAGES,
  availabilityNotes,
  availabilityRegion,
  notOfferedIn,
  readServiceAvailability,
  unreadAvailability,
} from '../../src/inventory/availability.js';
import type { RegionalService } from '../../src/model/inventory.js';

const ssm = mockClient(SSMClient);
afterEach(() => ssm.reset());
// A factory per read: it caches clients, and a cached client keeps the send it was built with across ssm.reset().
const factories: ClientFactory[] = [];
afterAll(() => factories.forEach((f) => f.destroy()));
const credentials = { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'x' };

const param = (service: string, region: string) => ({ Name: `${AVAILABILITY_PATH}/${service}/regions/${region}`, Value: region });
type Answer = (input: GetParametersByPathCommandInput) => object;

/** Serves each service's Regions `perPage` at a time; `override` answers a service's requests itself. */
function serve(offered: Partial<Record<RegionalService, string[]>>, perPage = 10, override: Partial<Record<RegionalService, Answer>> = {}): string[] {
  const asked: string[] = [];
  ssm.on(GetParametersByPathCommand).callsFake((input: GetParametersByPathCommandInput) => {
    const service = input.Path!.split('/')[5] as RegionalService;
    asked.push(`${service}@${input.NextToken ?? 0}`);
    const own = override[service];
    if (own) return own(input);
    const all = offered[service] ?? [];
    const start = Number(input.NextToken ?? 0);
    const next = start + perPage < all.length ? String(start + perPage) : undefined;
    return { Parameters: all.slice(start, start + perPage).map((r) => param(service, r)), NextToken: next };
  });
  return asked;
}

function read(homeRegion = 'us-east-1') {
  const factory = new ClientFactory();
  factories.push(factory);
  return readServiceAvailability({ factory, credentials, accountId: '111122223333', homeRegion });
}
const FOUR = {
  bedrock: ['us-east-1', 'us-west-1'],
  'bedrock-agentcore': ['us-east-1'],
  sagemaker: ['us-east-1', 'us-west-1'],
  qbusiness: ['us-east-1'],
};

describe('service availability reader', () => {
  it('follows every page of each service and skips exactly the services a Region is not listed for', async () => {
    const regions = Array.from({ length: 23 }, (_, i) => `ap-test-${i + 1}`);
    const asked = serve({ ...FOUR, sagemaker: [...regions, 'us-east-1', 'us-west-1', 'us-gov-west-1', 'eusc-de-east-1'] }, 10);
    const availability = await read();
    expect(asked.filter((a) => a.startsWith('sagemaker@'))).toEqual(['sagemaker@0', 'sagemaker@10', 'sagemaker@20']);
    expect(availability.unread).toEqual([]);
    expect(availability.offered.sagemaker?.size).toBe(27);
    expect(notOfferedIn(availability, 'us-east-1')).toEqual([]);
    expect(notOfferedIn(availability, 'us-west-1')).toEqual(['bedrock-agentcore', 'qbusiness']);
    expect(notOfferedIn(availability, 'ap-test-23')).toEqual(['bedrock', 'bedrock-agentcore', 'qbusiness']);
  });

  const unknownCases: { name: string; answer: Answer; reason: RegExp }[] = [
    {
      name: 'denied',
      answer: () => {
        throw Object.assign(new Error('not authorized to perform ssm:GetParametersByPath'), { name: 'AccessDeniedException' });
      },
      reason: /AccessDeniedException on ssm:GetParametersByPath/,
    },
    { name: 'a service code AWS does not publish (no parameters)', answer: () => ({ Parameters: [] }), reason: /publishes no Regions/ },
    {
      name: 'a value that is not a Region code',
      answer: () => ({ Parameters: [{ Name: `${AVAILABILITY_PATH}/qbusiness/regions/x`, Value: '../../etc\u001b[31m' }] }),
      reason: /is not a Region code/,
    },
    {
      name: 'a name that is not <path>/<value>',
      answer: () => ({ Parameters: [{ Name: `${AVAILABILITY_PATH}/bedrock/regions/us-west-1`, Value: 'us-west-1' }] }),
      reason: /is not a Region code/,
    },
    {
      name: 'a repeated page token',
      answer: () => ({ Parameters: [param('qbusiness', 'us-east-1')], NextToken: 'same' }),
      reason: /repeated its page token/,
    },
    {
      name: 'more pages than the bound',
      answer: (input) => ({ Parameters: [param('qbusiness', 'us-east-1')], NextToken: String(Number(input.NextToken ?? 0) + 1) }),
      reason: new RegExp(`more than ${MAX_AVAILABILITY_PAGES} pages`),
    },
  ];
  it.each(unknownCases)('$name: that service stays unknown and is called in every Region, with the reason noted once', async ({ answer, reason }) => {
    const asked = serve(FOUR, 10, { qbusiness: answer });
    const availability = await read();
    expect(availability.offered.qbusiness).toBeUndefined();
    expect(availability.unread.map((u) => u.service)).toEqual(['qbusiness']);
    expect(availability.unread[0]!.reason).toMatch(reason);
    // The other services are still trusted; Q Business is not skipped anywhere.
    expect(notOfferedIn(availability, 'us-west-1')).toEqual(['bedrock-agentcore']);
    expect(notOfferedIn(availability, 'eu-south-9')).toEqual(['bedrock', 'bedrock-agentcore', 'sagemaker']);
    const notes = availabilityNotes(availability);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^Service availability not known for qbusiness \(.+\): their lists were called in every scanned Region\.$/);
    expect(notes[0]).not.toContain('\u001b');
    expect(asked.filter((a) => a.startsWith('qbusiness@')).length).toBeLessThanOrEqual(MAX_AVAILABILITY_PAGES);
  });

  it('every service denied: nothing is skipped anywhere, and one note says why', async () => {
    ssm.on(GetParametersByPathCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const availability = await read();
    expect(availability.offered).toEqual({});
    for (const region of ['us-east-1', 'us-west-1', 'eu-south-9']) expect(notOfferedIn(availability, region)).toEqual([]);
    expect(availabilityNotes(availability)).toEqual([
      'Service availability not known for bedrock, bedrock-agentcore, sagemaker, qbusiness (AccessDeniedException on ssm:GetParametersByPath: denied): their lists were called in every scanned Region.',
    ]);
  });

  it('an availability that was never read skips nothing', () => {
    const unread = unreadAvailability('us-east-1', 'the first account was not accessible');
    expect(notOfferedIn(unread, 'us-west-1')).toEqual([]);
    expect(notOfferedIn(undefined, 'us-west-1')).toEqual([]);
    expect(availabilityNotes(unread)).toHaveLength(1);
  });

  it.each([
    ['us-east-1', 'us-east-1'],
    ['eu-west-1', 'eu-west-1'],
    // Commercial Regions where the path is not served ask us-east-1; other partitions ask their own Region.
    ['ca-west-1', 'us-east-1'],
    ['ap-southeast-7', 'us-east-1'],
    ['cn-north-1', 'cn-north-1'],
    ['us-gov-west-1', 'us-gov-west-1'],
  ])('home Region %s reads the parameters in %s', async (home, expected) => {
    expect(availabilityRegion(home)).toBe(expected);
    serve(FOUR);
    expect((await read(home)).region).toBe(expected);
  });
});
