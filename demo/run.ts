// forensight demo (checkout only, never shipped): a real scan of a sample Organization on the AWS emulator, with the reports.
import { join, resolve } from 'node:path';
import { ClientFactory } from '../src/aws/clients.js';
import { startMoto, resetMoto, type MotoServer } from './moto.js';
import { FaultProxy } from './proxy.js';
import { buildSampleOrganization, denyForensicRole, SAMPLE_EXTERNAL_ID, SAMPLE_REGIONS, SAMPLE_ROLE_NAME } from './sample-org.js';
import { newScanId } from '../src/scan/runner.js';
import type { Io } from '../src/cli/common.js';
import { scanAction } from '../src/cli/scan.js';

export async function demoAction(opts: { out?: string; format?: string }, io: Io): Promise<number> {
  const say = (line = ''): void => {
    io.stderr.write(`${line}\n`);
  };
  // Only ever emulator credentials here: the demo must never touch a real account.
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_REGION = 'us-east-1';

  const external = process.env.FORENSIGHT_EMULATOR_URL;
  let moto: MotoServer | undefined;
  let motoUrl: string;
  if (external) {
    motoUrl = external.replace(/\/$/, '');
    say(`Using the emulator at ${motoUrl} (FORENSIGHT_EMULATOR_URL); resetting it.`);
    await resetMoto(motoUrl);
  } else {
    say('Starting the AWS API emulator (moto_server) on a free loopback port...');
    moto = await startMoto({ log: say });
    motoUrl = moto.url;
  }
  const proxy = await new FaultProxy(motoUrl).start();
  try {
    say('Building a sample Organization: management, log-archive, ml-prod, ml-dev, data-science (role not deployed), sandbox (suspended)...');
    const seedFactory = new ClientFactory({ endpoint: proxy.url, maxAttempts: 2 });
    const sample = await buildSampleOrganization(seedFactory, proxy);
    seedFactory.destroy();
    denyForensicRole(proxy, sample.accounts.dataScience);
    say(`  Organization ${sample.org.organizationId}, ${sample.org.accounts.length + 1} accounts, regions ${SAMPLE_REGIONS.join(', ')}`);
    // One id names both the folder and the scan inside it.
    const scanId = newScanId();
    const outDir = resolve(opts.out ?? join('demo-out', scanId));
    say();
    say(
      `Scanning: forensight scan --org --role-name ${SAMPLE_ROLE_NAME} --external-id ... --regions ${SAMPLE_REGIONS.join(',')} --endpoint-url ${proxy.url} --format ${opts.format ?? 'json,html,pdf'} --out ${outDir}`,
    );
    return await scanAction(
      {
        org: true,
        roleName: SAMPLE_ROLE_NAME,
        externalId: SAMPLE_EXTERNAL_ID,
        regions: SAMPLE_REGIONS.join(','),
        endpointUrl: proxy.url,
        region: 'us-east-1',
        format: opts.format ?? 'json,html,pdf',
        out: outDir,
        concurrency: '8',
        maxAttempts: '3',
      },
      io,
      { scanId },
    );
  } finally {
    await proxy.stop();
    await moto?.stop();
  }
}
