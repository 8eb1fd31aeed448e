// The recorded-response stand-in (bench/replay): a response recorded for a template member is replayed for any
// synthetic member with that member's account id written in, STS and Organizations answer for N synthetic
// accounts, every answer carries a fresh Date, and throttling, errors and misses reach the SDK as AWS errors.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListAccountsCommand, OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { ListEndpointsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { accessKeyFor, accountOfAccessKey, ACCOUNT_SLOT, requestKey, syntheticAccountId, type Recording } from '../../bench/replay/protocol.js';
import { ReplayResponder, startReplayServer } from '../../bench/replay/server.js';

const MANAGEMENT = '123456789012';
const TEMPLATE = '111122223333';
const FIXED_NOW = new Date('2026-12-02T03:04:05Z');
const clock = (random = 0.5) => ({ now: () => FIXED_NOW, random: () => random });
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const credentialsOf = (accountId: string) => ({ accessKeyId: accessKeyFor(accountId), secretAccessKey: 'replay', sessionToken: 'replay' });

/** The request a SageMaker ListEndpoints makes, as a server sees it (so the key is built from real SDK bytes). */
async function captureListEndpoints(accountId: string): Promise<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> {
  let seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string } | undefined;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end('{"Endpoints":[]}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const client = new SageMakerClient({
    region: 'eu-west-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: credentialsOf(accountId),
    maxAttempts: 1,
  });
  await client.send(new ListEndpointsCommand({}));
  client.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return seen!;
}

const endpointBody = (account: string): string =>
  JSON.stringify({
    Endpoints: [{ EndpointName: 'ep', EndpointArn: `arn:aws:sagemaker:eu-west-1:${account}:endpoint/ep`, EndpointStatus: 'InService' }],
  });

async function recordingWithEndpoints(): Promise<Recording> {
  const req = await captureListEndpoints(TEMPLATE);
  const key = requestKey(req.method, req.url, req.headers, req.body, TEMPLATE);
  return {
    managementAccountId: MANAGEMENT,
    organizationId: 'o-replay',
    templates: 1,
    regions: ['eu-west-1'],
    members: [
      {
        [key]: {
          status: 200,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: endpointBody(TEMPLATE).split(TEMPLATE).join(ACCOUNT_SLOT),
        },
      },
    ],
    management: {},
    accountTemplate: { Status: 'ACTIVE', JoinedMethod: 'CREATED' },
  };
}

describe('replay protocol', () => {
  it('templates the member account out of the key: the same request from two accounts has one key', () => {
    const headers = (account: string) => ({
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyFor(account)}/20261202/us-west-2/s3/aws4_request, SignedHeaders=host, Signature=x`,
    });
    const a = requestKey('GET', `/models-${TEMPLATE}-us-west-2?versioning`, headers(TEMPLATE), '', TEMPLATE);
    const b = requestKey('GET', `/models-${syntheticAccountId(7)}-us-west-2?versioning`, headers(syntheticAccountId(7)), '', syntheticAccountId(7));
    expect(a).toBe(b);
    expect(a).toContain(`models-${ACCOUNT_SLOT}-us-west-2`);
    expect(a.startsWith('s3|us-west-2|GET|')).toBe(true);
    // Another region or body is another answer.
    expect(requestKey('GET', '/x', headers(TEMPLATE), '', TEMPLATE)).not.toBe(requestKey('GET', '/x', headers(TEMPLATE), 'MaxResults=1', TEMPLATE));
  });

  it('names the account in the access key, and reads it back only from keys of that shape', () => {
    const id = syntheticAccountId(41);
    expect(id).toMatch(/^\d{12}$/);
    expect(accessKeyFor(id)).toHaveLength(20);
    expect(accountOfAccessKey(accessKeyFor(id))).toBe(id);
    expect(accountOfAccessKey('AKIAIOSFODNN7EXAMPLE')).toBeNull();
    expect(accountOfAccessKey('testing')).toBeNull();
  });
});

describe('replay server', () => {
  async function serve(recording: Recording, random = 0.5) {
    const server = await startReplayServer(recording, { clock: clock(random) });
    closers.push(server.close);
    return server;
  }

  it('answers any synthetic member from the template, with its own account id written in and a fresh Date', async () => {
    const server = await serve(await recordingWithEndpoints());
    for (const n of [0, 5, 999]) {
      const account = syntheticAccountId(n);
      const client = new SageMakerClient({ region: 'eu-west-1', endpoint: server.url, credentials: credentialsOf(account), maxAttempts: 1 });
      const out = await client.send(new ListEndpointsCommand({}));
      client.destroy();
      expect(out.Endpoints?.map((e) => e.EndpointArn)).toEqual([`arn:aws:sagemaker:eu-west-1:${account}:endpoint/ep`]);
    }
    const direct = new ReplayResponder(await recordingWithEndpoints(), clock());
    const req = await captureListEndpoints(syntheticAccountId(3));
    const answer = direct.answer(req);
    expect(answer.headers.date).toBe(FIXED_NOW.toUTCString());
    expect(answer.body).toBe(endpointBody(syntheticAccountId(3)));
  });

  it('AssumeRole hands out a session that names the account it was assumed in', async () => {
    const server = await serve(await recordingWithEndpoints());
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 1,
    });
    const account = syntheticAccountId(12);
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/ForensightReadOnly`, RoleSessionName: 's' }));
    sts.destroy();
    expect(accountOfAccessKey(out.Credentials?.AccessKeyId ?? '')).toBe(account);
    expect(out.Credentials?.Expiration?.getTime()).toBe(FIXED_NOW.getTime() + 3_600_000);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${account}:assumed-role/ForensightReadOnly/forensight`);
  });

  it('lists the management account and N synthetic members, paginated, with distinct ids and names', async () => {
    const server = await serve(await recordingWithEndpoints());
    server.responder.config.accounts = 45;
    const org = new OrganizationsClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 1,
    });
    const ids: string[] = [];
    const names = new Set<string>();
    let pages = 0;
    for await (const page of paginateListAccounts({ client: org }, {})) {
      pages++;
      for (const a of page.Accounts ?? []) {
        ids.push(a.Id!);
        names.add(a.Name!);
        expect(a.Status).toBe('ACTIVE');
      }
    }
    org.destroy();
    expect(pages).toBe(3);
    expect(ids).toEqual([MANAGEMENT, ...Array.from({ length: 45 }, (_, i) => syntheticAccountId(i))]);
    expect(names.size).toBe(46);
  });

  it('throttles and fails the configured share of answers, as AWS errors the SDK classifies', async () => {
    const recording = await recordingWithEndpoints();
    const throttled = await serve(recording, 0);
    throttled.responder.config.throttleRate = 0.01;
    const client = new SageMakerClient({
      region: 'eu-west-1',
      endpoint: throttled.url,
      credentials: credentialsOf(syntheticAccountId(1)),
      maxAttempts: 1,
    });
    await expect(client.send(new ListEndpointsCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException' });
    client.destroy();

    const failing = new ReplayResponder(recording, clock(0));
    failing.config.errorRate = 0.01;
    const answer = failing.answer(await captureListEndpoints(syntheticAccountId(1)));
    expect([answer.status, answer.headers['x-amzn-errortype']]).toEqual([500, 'InternalFailure']);
    // A draw above the rates answers normally.
    const calm = new ReplayResponder(recording, clock(0.5));
    Object.assign(calm.config, { throttleRate: 0.01, errorRate: 0.01 });
    expect(calm.answer(await captureListEndpoints(syntheticAccountId(1))).status).toBe(200);
  });

  it('a request the recording never saw is a ReplayMiss error, never an empty success', async () => {
    const server = await serve(await recordingWithEndpoints());
    const org = new OrganizationsClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: credentialsOf(syntheticAccountId(2)),
      maxAttempts: 1,
    });
    await expect(org.send(new ListAccountsCommand({}))).resolves.toBeDefined();
    const sagemaker = new SageMakerClient({
      region: 'us-west-2',
      endpoint: server.url,
      credentials: credentialsOf(syntheticAccountId(2)),
      maxAttempts: 1,
    });
    await expect(sagemaker.send(new ListEndpointsCommand({}))).rejects.toMatchObject({ name: 'ReplayMiss' });
    org.destroy();
    sagemaker.destroy();
    const stats = (await (await fetch(`${server.url}/__replay/stats`)).json()) as { misses: number; missKeys: string[] };
    expect(stats.misses).toBe(1);
    expect(stats.missKeys[0]).toContain('sagemaker|us-west-2|POST');
  });
});
