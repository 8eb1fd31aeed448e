// An HTTP proxy in front of moto_server that injects faults (latency, throttling, AccessDenied per account,
// service or action), answers the few read APIs moto lacks, and counts every request by account and region.
// Rules (addRule; clearRules drops them all, as useEmulator's reset does between tests) match a request by
// service, region, account, action, method, path, role or the resource it names (`match.resource`: a path
// segment, or a top-level value of the JSON or form body, e.g. {"EndpointName":"x"}), and then delay it, fail
// it (`error`), hang it (`stall`, `hold`), garble it (`malformed`) or rewrite its JSON answer (`rewrite`: a
// state moto cannot represent, such as an endpoint that is RollingBack or a recorder's recordingMode, shown to
// the tool's real collector through the real API answer; every matching rewrite applies, oldest first).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const MOTO_DEFAULT_ACCOUNT = '123456789012';

export interface ProxiedRequest {
  service: string;
  region: string;
  accountId: string;
  action: string;
  method: string;
  path: string;
}

export interface FaultRule {
  match: Partial<Pick<ProxiedRequest, 'service' | 'region' | 'accountId' | 'action' | 'method'>> & {
    pathIncludes?: string;
    roleArnIncludes?: string;
    /** The resource the request names: a path segment, or a top-level string of its JSON or form body. */
    resource?: string;
  };
  latencyMs?: number;
  error?: { status: number; code: string; message?: string };
  /**
   * Never answer ('no-response'), or send the headers and half the body and then go silent ('mid-body'): a hung call.
   * 'connection-reset' closes the connection unanswered: the nearest a proxy comes to an endpoint that does not exist.
   */
  stall?: 'no-response' | 'mid-body' | 'connection-reset';
  /** Answer 200 with an empty body ('empty') or a body that is neither XML nor JSON ('not-xml-or-json'), as a broken middlebox might. */
  malformed?: 'empty' | 'not-xml-or-json';
  /**
   * Transform the parsed JSON answer (moto's or a stub's, 2xx only) and send what it returns. A rule that
   * matches an answer that is not JSON fails the request (502), so a rewrite can never silently not apply.
   */
  rewrite?: (answer: Record<string, unknown>, request: ProxiedRequest) => unknown;
  /** Hold matching requests until this settles, then answer them (a gate a test opens on an event, not a timer). */
  hold?: Promise<unknown>;
  /** Apply to the first N matching requests only (e.g. throttle twice, then let through). */
  times?: number;
}

interface ActiveRule extends FaultRule {
  hits: number;
}

export interface StubRoute {
  service: string;
  method: string;
  /** Path without query string. */
  path: string | RegExp;
  /** JSON-protocol operation (X-Amz-Target), for services whose every call goes to "/". */
  action?: string;
  /** `body` is the raw request body (JSON protocols carry their parameters there). */
  respond: (req: ProxiedRequest, body: Buffer) => { status?: number; body: unknown };
}

/** A seeded AI resource as the list stubs know it: id, display name, and the parent id for child lists. */
export interface StubAiResource {
  id: string;
  name: string;
}

/**
 * List calls of the AI resources behind CloudTrail data-event types that moto 5.2 lacks (bedrock-agent flows and
 * prompts, Bedrock AgentCore, SageMaker feature groups and MLflow tracking servers, Amazon Q Business), with the
 * response shape of each API reference. `parent` picks the parent id out of the path (Q Business application).
 */
export const AI_LIST_ROUTES: (Omit<StubRoute, 'respond'> & {
  listing: string;
  parent?: (path: string) => string;
  body: (items: StubAiResource[], accountId: string, region: string, parentId: string) => unknown;
})[] = [
  {
    service: 'bedrock',
    method: 'GET',
    path: /^\/flows\/?$/,
    listing: 'bedrock:flows',
    body: (items, a, r) => ({
      flowSummaries: items.map((i) => ({
        id: i.id,
        name: i.name,
        arn: `arn:aws:bedrock:${r}:${a}:flow/${i.id}`,
        status: 'Prepared',
        version: 'DRAFT',
      })),
    }),
  },
  {
    service: 'bedrock',
    method: 'GET',
    path: /^\/prompts\/?$/,
    listing: 'bedrock:prompts',
    body: (items, a, r) => ({
      promptSummaries: items.map((i) => ({ id: i.id, name: i.name, arn: `arn:aws:bedrock:${r}:${a}:prompt/${i.id}`, version: 'DRAFT' })),
    }),
  },
  {
    service: 'bedrock-agentcore',
    method: 'POST',
    path: /^\/runtimes\/?$/,
    listing: 'agentcore:runtimes',
    body: (items, a, r) => ({
      agentRuntimes: items.map((i) => ({
        agentRuntimeArn: `arn:aws:bedrock-agentcore:${r}:${a}:runtime/${i.id}`,
        agentRuntimeId: i.id,
        agentRuntimeName: i.name,
        agentRuntimeVersion: '1',
        description: '',
        status: 'READY',
      })),
    }),
  },
  {
    service: 'bedrock-agentcore',
    method: 'GET',
    path: /^\/gateways\/?$/,
    listing: 'agentcore:gateways',
    body: (items) => ({
      items: items.map((i) => ({ gatewayId: i.id, name: i.name, status: 'READY', authorizerType: 'CUSTOM_JWT', protocolType: 'MCP' })),
    }),
  },
  {
    service: 'bedrock-agentcore',
    method: 'POST',
    path: /^\/memories\/?$/,
    listing: 'agentcore:memories',
    body: (items, a, r) => ({
      memories: items.map((i) => ({ arn: `arn:aws:bedrock-agentcore:${r}:${a}:memory/${i.id}`, id: i.id, status: 'ACTIVE' })),
    }),
  },
  {
    service: 'bedrock-agentcore',
    method: 'POST',
    path: /^\/browsers\/?$/,
    listing: 'agentcore:browsers',
    body: (items, a, r) => ({
      browserSummaries: items.map((i) => ({
        browserId: i.id,
        browserArn: `arn:aws:bedrock-agentcore:${r}:${a}:browser-custom/${i.id}`,
        name: i.name,
        status: 'READY',
        createdAt: '2026-01-01T00:00:00Z',
      })),
    }),
  },
  {
    service: 'bedrock-agentcore',
    method: 'POST',
    path: /^\/code-interpreters\/?$/,
    listing: 'agentcore:code-interpreters',
    body: (items, a, r) => ({
      codeInterpreterSummaries: items.map((i) => ({
        codeInterpreterId: i.id,
        codeInterpreterArn: `arn:aws:bedrock-agentcore:${r}:${a}:code-interpreter-custom/${i.id}`,
        name: i.name,
        status: 'READY',
        createdAt: '2026-01-01T00:00:00Z',
      })),
    }),
  },
  {
    service: 'bedrock-agentcore',
    method: 'POST',
    path: '/identities/ListWorkloadIdentities',
    listing: 'agentcore:workload-identities',
    body: (items, a, r) => ({
      workloadIdentities: items.map((i) => ({
        name: i.name,
        workloadIdentityArn: `arn:aws:bedrock-agentcore:${r}:${a}:workload-identity-directory/default/workload-identity/${i.name}`,
      })),
    }),
  },
  {
    service: 'bedrock-agentcore',
    method: 'POST',
    path: '/identities/ListApiKeyCredentialProviders',
    listing: 'agentcore:api-key-providers',
    body: (items, a, r) => ({
      credentialProviders: items.map((i) => ({
        name: i.name,
        credentialProviderArn: `arn:aws:bedrock-agentcore:${r}:${a}:token-vault/default/apikeycredentialprovider/${i.name}`,
        createdTime: 1_767_225_600,
        lastUpdatedTime: 1_767_225_600,
      })),
    }),
  },
  {
    service: 'bedrock-agentcore',
    method: 'POST',
    path: '/identities/ListOauth2CredentialProviders',
    listing: 'agentcore:oauth2-providers',
    body: (items, a, r) => ({
      credentialProviders: items.map((i) => ({
        name: i.name,
        credentialProviderVendor: 'GithubOauth2',
        credentialProviderArn: `arn:aws:bedrock-agentcore:${r}:${a}:token-vault/default/oauth2credentialprovider/${i.name}`,
        createdTime: 1_767_225_600,
        lastUpdatedTime: 1_767_225_600,
      })),
    }),
  },
  {
    service: 'sagemaker',
    method: 'POST',
    path: '/',
    action: 'ListFeatureGroups',
    listing: 'sagemaker:feature-groups',
    body: (items, a, r) => ({
      FeatureGroupSummaries: items.map((i) => ({
        FeatureGroupName: i.name,
        FeatureGroupArn: `arn:aws:sagemaker:${r}:${a}:feature-group/${i.name}`,
        FeatureGroupStatus: 'Created',
      })),
    }),
  },
  {
    service: 'sagemaker',
    method: 'POST',
    path: '/',
    action: 'ListMlflowTrackingServers',
    listing: 'sagemaker:mlflow-tracking-servers',
    body: (items, a, r) => ({
      TrackingServerSummaries: items.map((i) => ({
        TrackingServerName: i.name,
        TrackingServerArn: `arn:aws:sagemaker:${r}:${a}:mlflow-tracking-server/${i.name}`,
        TrackingServerStatus: 'Created',
      })),
    }),
  },
  {
    service: 'qbusiness',
    method: 'GET',
    path: /^\/applications\/?$/,
    listing: 'qbusiness:applications',
    body: (items) => ({ applications: items.map((i) => ({ applicationId: i.id, displayName: i.name, status: 'ACTIVE' })) }),
  },
  {
    service: 'qbusiness',
    method: 'GET',
    path: /^\/applications\/[^/]+\/indices\/?$/,
    listing: 'qbusiness:indices',
    parent: (path) => decodeURIComponent(path.split('/')[2] ?? ''),
    body: (items) => ({ indices: items.map((i) => ({ indexId: i.id, displayName: i.name, status: 'ACTIVE' })) }),
  },
  {
    service: 'qbusiness',
    method: 'GET',
    path: /^\/applications\/[^/]+\/experiences\/?$/,
    listing: 'qbusiness:web-experiences',
    parent: (path) => decodeURIComponent(path.split('/')[2] ?? ''),
    body: (items) => ({ webExperiences: items.map((i) => ({ webExperienceId: i.id, status: 'ACTIVE' })) }),
  },
];

/** Read APIs moto 5.2 does not implement, answered as an empty account would answer. */
export const DEFAULT_STUBS: StubRoute[] = [
  ...AI_LIST_ROUTES.map(({ listing: _listing, parent: _parent, body, ...route }) => ({
    ...route,
    respond: (req: ProxiedRequest) => ({ body: body([], req.accountId, req.region, '') }),
  })),
  { service: 'bedrock', method: 'GET', path: '/guardrails', respond: () => ({ body: { guardrails: [] } }) },
  { service: 'bedrock', method: 'GET', path: '/provisioned-model-throughputs', respond: () => ({ body: { provisionedModelSummaries: [] } }) },
  // CloudTrail Lake (moto has no event data stores): an account without stores.
  { service: 'cloudtrail', method: 'POST', path: '/', action: 'ListEventDataStores', respond: () => ({ body: { EventDataStores: [] } }) },
  {
    service: 'cloudtrail',
    method: 'POST',
    path: '/',
    action: 'GetEventDataStore',
    respond: () => ({ status: 400, body: { __type: 'EventDataStoreNotFoundException', message: 'The specified event data store was not found.' } }),
  },
];

export class FaultProxy {
  readonly requests: ProxiedRequest[] = [];
  private rules: ActiveRule[] = [];
  private stubs: StubRoute[] = [...DEFAULT_STUBS];
  private readonly keyAccounts = new Map<string, string>();
  private readonly bucketRegions = new Map<string, string>();
  private readonly trailRegions = new Set<string>();
  private server: Server | undefined;
  private readonly arrivals: ((request: ProxiedRequest) => void)[] = [];
  /** Added to every request (benchmark latency). */
  baseLatencyMs = 0;
  /** Requests being answered right now, and the most seen at once since the last resetCounters(). */
  inFlight = 0;
  peakInFlight = 0;

  constructor(private readonly target: string) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('proxy not started');
    return `http://127.0.0.1:${address.port}`;
  }

  addRule(rule: FaultRule): void {
    this.rules.push({ ...rule, hits: 0 });
  }

  clearRules(): void {
    this.rules = [];
  }

  /** Answers matching requests from `stub` (newest stub first); returns a function that removes it again. */
  addStub(stub: StubRoute): () => void {
    this.stubs.unshift(stub);
    return () => {
      const at = this.stubs.indexOf(stub);
      if (at >= 0) this.stubs.splice(at, 1);
    };
  }

  /** Calls `listener` as each request arrives, before any rule holds or answers it (to open a `hold` gate on an event); returns its remover. */
  onRequest(listener: (request: ProxiedRequest) => void): () => void {
    this.arrivals.push(listener);
    return () => {
      const at = this.arrivals.indexOf(listener);
      if (at >= 0) this.arrivals.splice(at, 1);
    };
  }

  resetCounters(): void {
    this.requests.length = 0;
    this.peakInFlight = this.inFlight;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      this.inFlight++;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      this.handle(req, res)
        .catch((error: Error) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`proxy error: ${error.message}`);
        })
        .finally(() => {
          this.inFlight--;
        });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const info = this.describe(req, body);
    this.requests.push(info);
    for (const listener of [...this.arrivals]) listener(info);
    const roleArn = info.action === 'AssumeRole' ? (new URLSearchParams(body.toString('utf8')).get('RoleArn') ?? '') : '';

    let delay = this.baseLatencyMs;
    let error: FaultRule['error'];
    let stall: FaultRule['stall'];
    let malformed: FaultRule['malformed'];
    const holds: Promise<unknown>[] = [];
    const rewrites: NonNullable<FaultRule['rewrite']>[] = [];
    for (const rule of this.rules) {
      if (!matches(rule, info, roleArn, body)) continue;
      if (rule.times !== undefined && rule.hits >= rule.times) continue;
      rule.hits++;
      delay += rule.latencyMs ?? 0;
      error ??= rule.error;
      stall ??= rule.stall;
      malformed ??= rule.malformed;
      if (rule.hold) holds.push(rule.hold);
      if (rule.rewrite) rewrites.push(rule.rewrite);
    }
    await Promise.allSettled(holds);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (error) return sendError(res, info, error);
    // Hold the connection until the client gives up (or the proxy stops).
    const silence = (): Promise<void> => new Promise((resolve) => res.once('close', () => resolve()));
    if (stall === 'no-response') return silence();
    if (stall === 'connection-reset') {
      req.socket.destroy();
      return;
    }
    if (malformed) {
      const text = malformed === 'empty' ? '' : 'Service temporarily unavailable -- please retry <<';
      res.writeHead(200, {
        'content-type': 'text/plain',
        'content-length': String(Buffer.byteLength(text)),
        'x-amzn-requestid': 'forensight-proxy-malformed',
      });
      res.end(text);
      return;
    }

    const stub = this.stubs.find(
      (s) =>
        s.service === info.service &&
        s.method === info.method &&
        (s.action === undefined || s.action === info.action) &&
        (typeof s.path === 'string' ? s.path === info.path : s.path.test(info.path)),
    );
    if (stub) {
      const { status = 200, body: payload } = stub.respond(info, body);
      const text = status < 300 ? applyRewrites(rewrites, JSON.stringify(payload), info) : JSON.stringify(payload);
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': 'forensight-proxy-stub' });
      res.end(text);
      return;
    }

    const upstream = await fetch(this.target + (req.url ?? '/'), {
      method: req.method,
      headers: forwardHeaders(req),
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(body),
      redirect: 'manual',
    });
    let payload: Buffer = Buffer.from(await upstream.arrayBuffer());
    if (info.service === 'cloudtrail' && info.action === 'CreateTrail' && upstream.ok) this.trailRegions.add(info.region);
    if (info.service === 'cloudtrail' && info.action === 'ListTrails' && upstream.ok)
      payload = await this.listTrailsEverywhere(req, body, info, payload);
    // moto labels these JSON bodies text/html, so go by the body, not the content type.
    if (info.service === 'bedrock' && payload[0] === 0x7b) {
      payload = Buffer.from(normalizeMotoBedrockJson(payload.toString('utf8')), 'utf8');
    }
    if (info.action === 'AssumeRole' && upstream.ok) this.learnAssumedKey(roleArn, payload.toString('utf8'));
    if (info.service === 's3' && info.action === 'PutBucket' && upstream.ok) this.learnBucketRegion(info.path, body);
    if (info.service === 's3' && info.action === 'ListBuckets' && upstream.ok)
      payload = Buffer.from(this.withBucketRegions(payload.toString('utf8')), 'utf8');
    if (rewrites.length > 0 && upstream.ok) payload = Buffer.from(applyRewrites(rewrites, payload.toString('utf8'), info), 'utf8');
    const headers: Record<string, string> = {};
    upstream.headers.forEach((value, key) => {
      if (!['content-encoding', 'transfer-encoding', 'connection', 'content-length'].includes(key)) headers[key] = value;
    });
    headers['content-length'] = String(payload.length);
    res.writeHead(upstream.status, headers);
    if (stall === 'mid-body') {
      res.write(payload.subarray(0, Math.floor(payload.length / 2)));
      return silence();
    }
    res.end(req.method === 'HEAD' ? undefined : payload);
  }

  /**
   * AWS ListTrails lists the account's trails of every region; moto lists only what DescribeTrails would show in
   * the region asked. Ask moto in every region a trail was created in (moto reads the region from the
   * credential scope and does not check signatures) and merge, as AWS answers.
   */
  private async listTrailsEverywhere(req: IncomingMessage, body: Buffer, info: ProxiedRequest, first: Buffer): Promise<Buffer> {
    const trails = new Map<string, unknown>();
    const add = (payload: Buffer): void => {
      for (const t of (JSON.parse(payload.toString('utf8')) as { Trails?: { TrailARN: string }[] }).Trails ?? []) trails.set(t.TrailARN, t);
    };
    add(first);
    for (const region of this.trailRegions) {
      if (region === info.region) continue;
      const headers = forwardHeaders(req);
      headers.authorization = String(headers.authorization ?? '').replace(`/${info.region}/cloudtrail/`, `/${region}/cloudtrail/`);
      const other = await fetch(this.target + (req.url ?? '/'), { method: 'POST', headers, body: new Uint8Array(body) });
      if (other.ok) add(Buffer.from(await other.arrayBuffer()));
    }
    return Buffer.from(JSON.stringify({ Trails: [...trails.values()] }), 'utf8');
  }

  /** moto's ListBuckets omits BucketRegion, which AWS returns for every bucket: remember regions from CreateBucket. */
  private learnBucketRegion(path: string, body: Buffer): void {
    const name = path.split('/').filter(Boolean)[0];
    if (name) this.bucketRegions.set(name, /<LocationConstraint>([^<]+)<\/LocationConstraint>/.exec(body.toString('utf8'))?.[1] ?? 'us-east-1');
  }

  private withBucketRegions(xml: string): string {
    return xml.replace(/<Name>([^<]+)<\/Name>(?!\s*<BucketRegion>)/g, (whole, name: string) => {
      const region = this.bucketRegions.get(name);
      return region ? `${whole}<BucketRegion>${region}</BucketRegion>` : whole;
    });
  }

  private learnAssumedKey(roleArn: string, xml: string): void {
    const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(xml)?.[1];
    const account = roleArn.split(':')[4];
    if (key && account) this.keyAccounts.set(key, account);
  }

  private describe(req: IncomingMessage, body: Buffer): ProxiedRequest {
    const auth = String(req.headers.authorization ?? '');
    const scope = /Credential=([^/]+)\/\d+\/([^/]+)\/([^/]+)\//.exec(auth);
    const accessKey = scope?.[1] ?? '';
    const region = scope?.[2] ?? 'us-east-1';
    const service = scope?.[3] ?? 'unknown';
    const url = new URL(req.url ?? '/', 'http://proxy');
    const method = req.method ?? 'GET';
    return {
      service,
      region,
      accountId: this.keyAccounts.get(accessKey) ?? MOTO_DEFAULT_ACCOUNT,
      action: actionOf(service, method, url, req.headers['x-amz-target'], body),
      method,
      path: url.pathname,
    };
  }
}

/**
 * moto 5.2 writes Bedrock timestamps the SDK cannot parse ("2026-01-02 03:04:05" and epoch numbers where
 * the API model says RFC 3339 strings), so every Bedrock list call would fail to deserialise. The proxy
 * rewrites them as AWS sends them; the tool itself carries no emulator workarounds.
 */
export function normalizeMotoBedrockJson(body: string): string {
  return body
    .replace(/"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)"/g, '"$1T$2Z"')
    .replace(
      /"(\w*(?:At|Time))"\s*:\s*(\d{9,}(?:\.\d+)?)(?=\s*[,}])/g,
      (_m, key: string, epoch: string) => `"${key}": "${new Date(Number(epoch) * 1000).toISOString()}"`,
    );
}

/** The rewrites of the matching rules, oldest first, over a JSON answer; a non-JSON answer is an error (502). */
function applyRewrites(rewrites: NonNullable<FaultRule['rewrite']>[], text: string, info: ProxiedRequest): string {
  if (rewrites.length === 0) return text;
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = undefined;
  }
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer))
    throw new Error(`a rewrite rule matched ${info.service} ${info.action}, whose answer is not a JSON object`);
  for (const rewrite of rewrites) answer = rewrite(answer as Record<string, unknown>, info);
  return JSON.stringify(answer);
}

/** Whether the request names `resource`: as a path segment, or as a top-level string of its JSON or form body. */
function namesResource(info: ProxiedRequest, body: Buffer, resource: string): boolean {
  const segment = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (info.path.split('/').map(segment).includes(resource)) return true;
  if (body.length === 0 || body.length > 1_000_000) return false;
  const text = body.toString('utf8');
  if (text.trimStart().startsWith('{')) {
    try {
      return Object.values(JSON.parse(text) as Record<string, unknown>).includes(resource);
    } catch {
      return false;
    }
  }
  return [...new URLSearchParams(text).values()].includes(resource);
}

function matches(rule: FaultRule, info: ProxiedRequest, roleArn: string, body: Buffer): boolean {
  const m = rule.match;
  if (m.service !== undefined && m.service !== info.service) return false;
  if (m.region !== undefined && m.region !== info.region) return false;
  if (m.accountId !== undefined && m.accountId !== info.accountId) return false;
  if (m.action !== undefined && m.action !== info.action) return false;
  if (m.method !== undefined && m.method !== info.method) return false;
  if (m.pathIncludes !== undefined && !info.path.includes(m.pathIncludes)) return false;
  if (m.roleArnIncludes !== undefined && !roleArn.includes(m.roleArnIncludes)) return false;
  if (m.resource !== undefined && !namesResource(info, body, m.resource)) return false;
  return true;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forwardHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined || key === 'connection' || key === 'content-length') continue;
    headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

const S3_SUBRESOURCES: [string, string][] = [
  ['versioning', 'BucketVersioning'],
  ['object-lock', 'ObjectLockConfiguration'],
  ['logging', 'BucketLogging'],
  ['replication', 'BucketReplication'],
  ['tagging', 'BucketTagging'],
  ['location', 'BucketLocation'],
  ['acl', 'BucketAcl'],
  ['policy', 'BucketPolicy'],
  ['encryption', 'BucketEncryption'],
  ['lifecycle', 'BucketLifecycleConfiguration'],
];

/** Best-effort operation name from the wire, enough for fault rules; the in-process recorder is authoritative. */
export function actionOf(service: string, method: string, url: URL, target: string | string[] | undefined, body: Buffer): string {
  if (typeof target === 'string' && target.length > 0) return target.split('.').pop() ?? target;
  const form = method === 'POST' && body.length > 0 && body.length < 1_000_000 ? new URLSearchParams(body.toString('utf8')) : undefined;
  const fromForm = form?.get('Action') ?? url.searchParams.get('Action');
  if (fromForm) return fromForm;
  if (service === 's3') {
    const segments = url.pathname.split('/').filter(Boolean);
    if (segments.length === 0) return 'ListBuckets';
    const verb = method === 'GET' ? 'Get' : method === 'PUT' ? 'Put' : method === 'DELETE' ? 'Delete' : method === 'HEAD' ? 'Head' : 'Post';
    if (segments.length === 1) {
      if (url.searchParams.has('versions')) return 'ListObjectVersions';
      for (const [param, name] of S3_SUBRESOURCES) if (url.searchParams.has(param)) return `${verb}${name}`;
      if (method === 'GET') return url.searchParams.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
      return `${verb}Bucket`;
    }
    return `${verb}Object`;
  }
  return `${method} ${url.pathname}`;
}

function sendError(res: ServerResponse, info: ProxiedRequest, error: NonNullable<FaultRule['error']>): void {
  const message = error.message ?? `${error.code} injected by forensight test proxy`;
  const requestId = 'forensight-proxy-fault';
  if (info.service === 's3') {
    res.writeHead(error.status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${error.code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`,
    );
    return;
  }
  if (info.service === 'ec2') {
    res.writeHead(error.status, { 'content-type': 'text/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${error.code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
    );
    return;
  }
  if (info.service === 'sts' || info.service === 'iam') {
    res.writeHead(error.status, { 'content-type': 'text/xml' });
    res.end(
      `<ErrorResponse><Error><Type>Sender</Type><Code>${error.code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    );
    return;
  }
  // JSON protocols (awsJson1.x via X-Amz-Target, and restJson1).
  res.writeHead(error.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': error.code, 'x-amzn-requestid': requestId });
  res.end(JSON.stringify({ __type: error.code, message, Message: message }));
}
