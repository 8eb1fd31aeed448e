// Per-suite emulator: a moto_server of its own (so suites run in parallel) behind a FaultProxy.
import { afterAll, beforeAll } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';
import { startMoto, type MotoServer } from '../../demo/moto.js';
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

export function useEmulator(): EmulatorHandle {
  const handle = {} as EmulatorHandle;
  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    const moto = await startMoto();
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
