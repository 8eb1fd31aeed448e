// The client cache is bounded (an Organization scan would otherwise keep one SDK client per service x region x
// account), and however clients are reused or dropped, every call is signed with its own account's credentials.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListEndpointsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';

/** What each request was for (NameContains names the account it was sent for) and which key signed it. */
interface Seen {
  forAccount: string;
  region: string;
  accessKey: string;
}

let server: Server;
let url: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const m = /Credential=([^/]+)\/\d+\/([^/]+)\//.exec(String(req.headers.authorization));
      seen.push({ forAccount: String((JSON.parse(body) as { NameContains?: string }).NameContains), region: m?.[2] ?? '', accessKey: m?.[1] ?? '' });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', date: new Date().toUTCString() });
      res.end('{"Endpoints":[]}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const keyOf = (account: string): string => `ASIA${account}KEY`;
/** Each account's own credentials provider, as the role chain hands out. */
const providers = new Map(
  ACCOUNTS.map((a) => [a, () => Promise.resolve({ accessKeyId: keyOf(a), secretAccessKey: `secret-${a}`, sessionToken: `token-${a}` })]),
);

async function callInterleaved(factory: ClientFactory, rounds: number): Promise<void> {
  // Accounts and regions interleaved, concurrently, as the scan's units are.
  const calls: Promise<unknown>[] = [];
  for (let round = 0; round < rounds; round++)
    for (const [i, account] of ACCOUNTS.entries()) {
      const region = REGIONS[(round + i) % REGIONS.length]!;
      const client = factory.client(SageMakerClient, { credentials: providers.get(account)!, region, accountId: account });
      calls.push(client.send(new ListEndpointsCommand({ NameContains: account })));
    }
  await Promise.all(calls);
}

describe('client cache', () => {
  it.each([
    ['a cache that holds every client', 100],
    ['a cache of one client, dropped and rebuilt on every switch', 1],
    ['a cache smaller than the accounts in flight', 3],
  ])('with %s, every call is signed by the account it was made for', async (_name, size) => {
    seen.length = 0;
    const factory = new ClientFactory({ endpoint: url, maxAttempts: 1, clientCacheSize: size });
    await callInterleaved(factory, 6);
    expect(factory.cachedClients).toBeLessThanOrEqual(size);
    factory.destroy();
    expect(seen).toHaveLength(ACCOUNTS.length * 6);
    for (const s of seen) expect(s.accessKey, `call for ${s.forAccount} in ${s.region}`).toBe(keyOf(s.forAccount));
    expect(new Set(seen.map((s) => s.region))).toEqual(new Set(REGIONS));
  });

  it('reuses a cached client for the same type, account, region and credentials, and only then', () => {
    const factory = new ClientFactory({ endpoint: url, clientCacheSize: 10 });
    const target = { credentials: providers.get(ACCOUNTS[0]!)!, region: 'us-east-1', accountId: ACCOUNTS[0]! };
    const a = factory.client(SageMakerClient, target);
    expect(factory.client(SageMakerClient, { ...target })).toBe(a);
    expect(factory.client(SageMakerClient, { ...target, region: 'eu-west-1' })).not.toBe(a);
    expect(factory.client(SageMakerClient, { ...target, accountId: ACCOUNTS[1]!, credentials: providers.get(ACCOUNTS[1]!)! })).not.toBe(a);
    // Other credentials for the same account (a re-assumed role) are another client too.
    expect(
      factory.client(SageMakerClient, { ...target, credentials: () => Promise.resolve({ accessKeyId: 'other', secretAccessKey: 'x' }) }),
    ).not.toBe(a);
    factory.destroy();
  });

  it('drops the least recently used client first, and the factory keeps working after a drop', async () => {
    const factory = new ClientFactory({ endpoint: url, maxAttempts: 1, clientCacheSize: 2 });
    const target = (account: string) => ({ credentials: providers.get(account)!, region: 'us-east-1', accountId: account });
    const first = factory.client(SageMakerClient, target(ACCOUNTS[0]!));
    const second = factory.client(SageMakerClient, target(ACCOUNTS[1]!));
    expect(factory.client(SageMakerClient, target(ACCOUNTS[0]!))).toBe(first); // now most recent
    factory.client(SageMakerClient, target(ACCOUNTS[2]!)); // drops the second
    expect(factory.cachedClients).toBe(2);
    expect(factory.client(SageMakerClient, target(ACCOUNTS[0]!))).toBe(first);
    const rebuilt = factory.client(SageMakerClient, target(ACCOUNTS[1]!));
    expect(rebuilt).not.toBe(second);
    // A dropped client still in someone's hands still works: its connections live in the shared handler.
    seen.length = 0;
    await second.send(new ListEndpointsCommand({ NameContains: ACCOUNTS[1] }));
    await rebuilt.send(new ListEndpointsCommand({ NameContains: ACCOUNTS[1] }));
    expect(seen.map((s) => s.accessKey)).toEqual([keyOf(ACCOUNTS[1]!), keyOf(ACCOUNTS[1]!)]);
    factory.destroy();
  });
});
