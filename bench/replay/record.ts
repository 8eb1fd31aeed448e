// Records real responses once: seeds the benchmark Organization (management + a few template members) on
// moto, scans it through a recording proxy, and keeps every answer keyed as bench/replay/protocol.ts says.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allChecks } from '../../checks/index.js';
import { defaultParameters } from '../../checks/parameters.js';
import { startMoto } from '../../demo/moto.js';
import { FaultProxy } from '../../demo/proxy.js';
import { installMotoStubs } from '../../demo/seed.js';
import { ClientFactory } from '../../src/aws/clients.js';
import { parseTargetOptions } from '../../src/cli/common.js';
import { runScan } from '../../src/scan/runner.js';
import { seedBenchOrganization } from '../org-shape.js';
import { ACCOUNT_SLOT, requestKey, signingScope, type RecordedResponse, type Recording } from './protocol.js';

const KEPT_HEADERS = ['content-type', 'x-amzn-errortype', 'x-amz-bucket-region'];

export async function recordOrganization(options: { templates: number; regions: string[]; log: (line: string) => void }): Promise<Recording> {
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  const moto = await startMoto({ log: options.log });
  const proxy = await new FaultProxy(moto.url).start();
  // moto lacks some AI listings; the test proxy answers them as the call-budget test does.
  installMotoStubs(proxy);
  let recorder: Server | undefined;
  try {
    const seedFactory = new ClientFactory({ endpoint: proxy.url, maxAttempts: 2 });
    options.log(`recording: seeding ${options.templates} template members x ${options.regions.length} regions on moto...`);
    const org = await seedBenchOrganization(seedFactory, { members: options.templates, regions: options.regions });
    seedFactory.destroy();
    const templateIndex = new Map(org.memberAccountIds.map((id, i) => [id, i]));
    const keyAccount = new Map<string, string>([['testing', org.managementAccountId]]);
    const recording: Recording = {
      managementAccountId: org.managementAccountId,
      organizationId: '',
      templates: options.templates,
      regions: options.regions,
      members: org.memberAccountIds.map(() => ({})),
      management: {},
      accountTemplate: {},
    };
    recorder = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        const upstream = await fetch(proxy.url + (req.url ?? '/'), {
          method: req.method,
          headers: plainHeaders(req),
          body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
        });
        const text = await upstream.text();
        const { accessKey } = signingScope(req.headers);
        if (req.headers['x-amz-target'] === undefined && body.includes('Action=AssumeRole')) {
          const role = new URLSearchParams(body).get('RoleArn') ?? '';
          const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(text)?.[1];
          if (key) keyAccount.set(key, role.split(':')[4] ?? '');
        }
        const account = keyAccount.get(accessKey) ?? org.managementAccountId;
        const template = templateIndex.get(account);
        const headers: Record<string, string> = {};
        for (const h of KEPT_HEADERS) {
          const v = upstream.headers.get(h);
          if (v) headers[h] = v;
        }
        const entry: RecordedResponse = {
          status: upstream.status,
          headers,
          body: template === undefined ? text : text.split(account).join(ACCOUNT_SLOT),
        };
        const key = requestKey(req.method ?? 'GET', req.url ?? '/', req.headers, body, template === undefined ? null : account);
        if (template === undefined) recording.management[key] = entry;
        else recording.members[template]![key] = entry;
        if (String(req.headers['x-amz-target'] ?? '').endsWith('.ListAccounts')) {
          const parsed = JSON.parse(text) as { Accounts?: Record<string, unknown>[] };
          recording.accountTemplate = parsed.Accounts?.find((a) => a.Id !== org.managementAccountId) ?? {};
        }
        if (String(req.headers['x-amz-target'] ?? '').endsWith('.DescribeOrganization'))
          recording.organizationId = String((JSON.parse(text) as { Organization?: { Id?: string } }).Organization?.Id ?? '');
        res.writeHead(upstream.status, { ...headers, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      })().catch((error: Error) => {
        res.writeHead(502);
        res.end(error.message);
      });
    });
    await new Promise<void>((resolve) => recorder!.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    options.log('recording: scanning the template Organization...');
    const target = parseTargetOptions({
      org: true,
      roleName: 'ForensightReadOnly',
      regions: options.regions.join(','),
      endpointUrl: url,
      concurrency: '8',
      maxAttempts: '2',
    });
    const run = await runScan({ target, checks: allChecks, params: defaultParameters, toolVersion: 'bench-record' });
    run.session.factory.destroy();
    const notAssessed = run.document.results.filter((r) => r.status === 'NOT_ASSESSED').length;
    if (notAssessed > 0) options.log(`recording: warning, ${notAssessed} results NOT_ASSESSED in the template scan`);
    return recording;
  } finally {
    recorder?.closeAllConnections();
    await new Promise<void>((resolve) => (recorder ? recorder.close(() => resolve()) : resolve()));
    await proxy.stop();
    await moto.stop();
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function plainHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined && k !== 'connection' && k !== 'content-length') out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
