// Make sure an emulator binary exists before any suite starts one (installs moto into .venv-moto if needed), then
// start one moto_server per worker. A suite reuses its worker's server (reset first) instead of starting its own:
// moto loads each service's backend on that service's first call, which costs seconds of CPU per service, so a
// fresh server per suite paid that again in every one of the 30-odd emulator suites.
import type { TestProject } from 'vitest/node';
import { locateMotoServer, startMoto } from '../../demo/moto.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared emulator of worker VITEST_POOL_ID n is motoUrls[n - 1]. */
    motoUrls: string[];
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_REGION = 'us-east-1';
  locateMotoServer(process.cwd(), (line) => process.stderr.write(`${line}\n`));
  const workers = Math.max(1, project.config.maxWorkers);
  const servers = await Promise.all(Array.from({ length: workers }, () => startMoto()));
  project.provide(
    'motoUrls',
    servers.map((s) => s.url),
  );
  return async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
}
