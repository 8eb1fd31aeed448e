// Per-suite emulator: a FaultProxy of its own in front of its worker's moto_server, reset to empty first. Suites in
// one worker run one after another, so each has the server to itself; suites in other workers use other servers.
import { afterAll, beforeAll, inject } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';
import { resetMoto, startMoto, type MotoServer } from '../../demo/moto.js';
import { FaultProxy } from '../../demo/proxy.js';

export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface EmulatorHandle {
  moto: MotoServer;
  proxy: FaultProxy;
  /** The URL clients should use (the proxy). */
  url: string;
  /** A factory pointed at the proxy, with few retries so fault tests stay fast. */
  factory(maxAttempts?: number): ClientFactory;
  reset(): Promise<void>;
}

/** The worker's server from the global setup (the suite must not stop it), else one of the suite's own. */
async function workerMoto(): Promise<MotoServer> {
  const url = inject('motoUrls')?.[Number(process.env.VITEST_POOL_ID) - 1];
  if (!url) return startMoto();
  await resetMoto(url);
  return { url, port: Number(new URL(url).port), reset: () => resetMoto(url), stop: async () => {} };
}

export function useEmulator(): EmulatorHandle {
  const handle = {} as EmulatorHandle;
  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    const moto = await workerMoto();
    const proxy = await new FaultProxy(moto.url).start();
    Object.assign(handle, {
      moto,
      proxy,
      url: proxy.url,
      factory: (maxAttempts = 2) => new ClientFactory({ endpoint: proxy.url, maxAttempts }),
      reset: async () => {
        proxy.clearRules();
        proxy.resetCounters();
        await moto.reset();
      },
    });
  });
  afterAll(async () => {
    await handle.proxy?.stop();
    await handle.moto?.stop();
  });
  return handle;
}
