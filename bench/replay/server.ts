// The replay server: answers a scan of N synthetic member accounts from the responses recorded for a few
// template members (member n answers as template n % templates, with its account id written in), with a
// fixed latency, a share of throttled and failed answers, and a fresh Date header on every answer. Runs as its
// own process (node dist/bench/replay/server.js RECORDING.json), so its CPU never counts against the scan's.
// Control: GET /__replay/stats, POST /__replay/reset, POST /__replay/config {latencyMs, throttleRate, errorRate, accounts}.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  accessKeyFor,
  accountOfAccessKey,
  ACCOUNT_SLOT,
  requestKey,
  signingScope,
  syntheticAccountId,
  type RecordedResponse,
  type Recording,
} from './protocol.js';

export interface ReplayConfig {
  latencyMs: number;
  /** Share of answers that are ThrottlingException (the SDK retries them with backoff). */
  throttleRate: number;
  /** Share of answers that are a 500 InternalFailure. */
  errorRate: number;
  /** Synthetic member accounts ListAccounts lists (besides the management account). */
  accounts: number;
}

export interface ReplayRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ReplayAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** No recorded answer for this request (the scan asked something the recording never saw). */
  miss?: string;
}

export interface ReplayClock {
  /** The clock behind each answer's Date header and session expiry (tests inject one). */
  now: () => Date;
  /** Draws in [0, 1) deciding throttled and failed answers (tests inject one). */
  random: () => number;
}

/** ListAccounts page size, as Organizations' default. */
const ACCOUNTS_PAGE = 20;
const FIRST_SYNTHETIC = Number(syntheticAccountId(0));

interface Template extends RecordedResponse {
  /** The body split at the account slot once, so an answer costs one join. */
  parts: string[];
}

/** The replay logic without the HTTP server: one request in, one answer out. */
export class ReplayResponder {
  readonly config: ReplayConfig = { latencyMs: 0, throttleRate: 0, errorRate: 0, accounts: 1 };
  private readonly members: Map<string, Template>[];
  private readonly management: Map<string, Template>;
  private answered = 0;

  constructor(
    private readonly recording: Recording,
    private readonly clock: ReplayClock = { now: () => new Date(), random: Math.random },
  ) {
    const split = (entries: Record<string, RecordedResponse>): Map<string, Template> =>
      new Map(Object.entries(entries).map(([k, v]) => [k, { ...v, parts: v.body.split(ACCOUNT_SLOT) }]));
    this.members = recording.members.map(split);
    this.management = split(recording.management);
  }

  answer(req: ReplayRequest): ReplayAnswer {
    const { accessKey, service } = signingScope(req.headers);
    const target = String(req.headers['x-amz-target'] ?? '');
    // A fresh Date on every answer: a recorded one would look like clock skew to the SDK, which then retries.
    const headers: Record<string, string> = { date: this.clock.now().toUTCString(), 'x-amzn-requestid': `replay-${++this.answered}` };
    if (this.clock.random() < this.config.throttleRate) return errorAnswer(400, service, 'ThrottlingException', headers);
    if (this.clock.random() < this.config.errorRate) return errorAnswer(500, service, 'InternalFailure', headers);
    if (service === 'sts' && req.body.includes('Action=AssumeRole&')) return this.assumeRole(req.body, headers);
    if (target.endsWith('.ListAccounts'))
      return { status: 200, headers: { ...headers, 'content-type': 'application/x-amz-json-1.1' }, body: this.listAccounts(req.body) };
    const account = accountOfAccessKey(accessKey);
    const memberIndex = account !== null && account !== this.recording.managementAccountId ? Number(account) - FIRST_SYNTHETIC : -1;
    const member = memberIndex >= 0 ? account : null;
    const table = member !== null ? this.members[memberIndex % this.members.length]! : this.management;
    const key = requestKey(req.method, req.url, req.headers, req.body, member);
    const hit = table.get(key);
    if (!hit) return { ...errorAnswer(500, service, 'ReplayMiss', headers), miss: key };
    return { status: hit.status, headers: { ...hit.headers, ...headers }, body: member !== null ? hit.parts.join(member) : hit.body };
  }

  private assumeRole(body: string, headers: Record<string, string>): ReplayAnswer {
    const account = (new URLSearchParams(body).get('RoleArn') ?? '').split(':')[4] ?? '';
    if (!/^\d{12}$/.test(account)) return errorAnswer(400, 'sts', 'ValidationError', headers);
    const expiration = new Date(this.clock.now().getTime() + 3_600_000).toISOString();
    return {
      status: 200,
      headers: { ...headers, 'content-type': 'text/xml' },
      body: `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${accessKeyFor(account)}</AccessKeyId><SecretAccessKey>replay</SecretAccessKey><SessionToken>replay</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAREPLAY:forensight</AssumedRoleId><Arn>arn:aws:sts::${account}:assumed-role/ForensightReadOnly/forensight</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>replay</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    };
  }

  /** The management account, then the synthetic members, a page at a time. */
  private listAccounts(body: string): string {
    const { managementAccountId: mgmt, organizationId: org, accountTemplate } = this.recording;
    const start = Number((JSON.parse(body || '{}') as { NextToken?: string }).NextToken ?? 0);
    const page: unknown[] = [];
    for (let i = start; i < Math.min(start + ACCOUNTS_PAGE, this.config.accounts + 1); i++) {
      const id = i === 0 ? mgmt : syntheticAccountId(i - 1);
      const name = i === 0 ? 'management' : `member-${String(i).padStart(5, '0')}`;
      page.push({ ...accountTemplate, Id: id, Name: name, Email: `${name}@example.com`, Arn: `arn:aws:organizations::${mgmt}:account/${org}/${id}` });
    }
    const next = start + ACCOUNTS_PAGE <= this.config.accounts ? String(start + ACCOUNTS_PAGE) : undefined;
    return JSON.stringify({ Accounts: page, ...(next ? { NextToken: next } : {}) });
  }
}

export interface ReplayStats {
  requests: number;
  misses: number;
  inFlight: number;
  peakInFlight: number;
  missKeys: string[];
  /** The server's own CPU per answered request since the last reset: it must stay far below the client's. */
  cpuMsPerRequest: number;
}

export function startReplayServer(
  recording: Recording,
  options: { port?: number; clock?: ReplayClock } = {},
): Promise<{ url: string; responder: ReplayResponder; close: () => Promise<void> }> {
  const responder = new ReplayResponder(recording, options.clock);
  const stats = { requests: 0, misses: 0, inFlight: 0, peakInFlight: 0, missKeys: [] as string[] };
  let cpuAtReset = process.cpuUsage();

  const control = (url: string, body: string, res: ServerResponse): void => {
    if (url === '/__replay/reset') {
      Object.assign(stats, { requests: 0, misses: 0, peakInFlight: stats.inFlight, missKeys: [] });
      cpuAtReset = process.cpuUsage();
    }
    if (url === '/__replay/config') Object.assign(responder.config, JSON.parse(body || '{}') as Partial<ReplayConfig>);
    const cpu = process.cpuUsage(cpuAtReset);
    const out: ReplayStats = { ...stats, cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, stats.requests) };
    send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(out) });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      if (url.startsWith('/__replay/')) return control(url, body, res);
      stats.requests++;
      stats.inFlight++;
      stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
      const reply = (): void => {
        stats.inFlight--;
        const answer = responder.answer({ method: req.method ?? 'GET', url, headers: req.headers, body });
        if (answer.miss !== undefined) {
          stats.misses++;
          if (stats.missKeys.length < 20) stats.missKeys.push(answer.miss.slice(0, 300));
        }
        send(res, answer);
      };
      if (responder.config.latencyMs > 0) setTimeout(reply, responder.config.latencyMs);
      else reply();
    });
  });

  return new Promise((resolve) =>
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.keepAliveTimeout = 60_000;
      const close = (): Promise<void> =>
        new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        });
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, responder, close });
    }),
  );
}

function send(res: ServerResponse, answer: ReplayAnswer): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
  res.end(answer.body);
}

/** An error in the wire shape of the service's protocol, so the SDK classifies it as AWS would. */
function errorAnswer(status: number, service: string, code: string, headers: Record<string, string>): ReplayAnswer {
  if (['s3', 'ec2', 'sts', 'iam'].includes(service)) {
    const body =
      service === 's3'
        ? `<Error><Code>${code}</Code><Message>${code}</Message></Error>`
        : service === 'ec2'
          ? `<Response><Errors><Error><Code>${code}</Code><Message>${code}</Message></Error></Errors><RequestID>replay</RequestID></Response>`
          : `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${code}</Message></Error><RequestId>replay</RequestId></ErrorResponse>`;
    return { status, headers: { ...headers, 'content-type': 'text/xml' }, body };
  }
  return {
    status,
    headers: { ...headers, 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code },
    body: JSON.stringify({ __type: code, message: code }),
  };
}

// As a process: node dist/bench/replay/server.js RECORDING.json -> prints the URL on stdout.
if (process.argv[1]?.endsWith('replay/server.js') && process.argv[2]) {
  const recording = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Recording;
  void startReplayServer(recording).then(({ url }) => process.stdout.write(`${url}\n`));
}
