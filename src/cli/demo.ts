// `forensight demo`: the emulator, the sample Organization and its seeding live in demo/, which the published
// package does not contain, so the shipped tool holds no code that creates or changes AWS resources.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { helpExamples, UsageError, type Io } from './common.js';

const DEMO_MODULE = new URL('../../demo/run.js', import.meta.url);
/** From built output the module is run.js; when the sources run directly (tests), its source is run.ts. */
const demoInCheckout = (): boolean => existsSync(fileURLToPath(DEMO_MODULE)) || existsSync(fileURLToPath(DEMO_MODULE).replace(/\.js$/, '.ts'));

async function runDemo(opts: { out?: string; format?: string }, io: Io): Promise<number> {
  if (!demoInCheckout()) {
    throw new UsageError('the demo runs only from a source checkout: clone the repository, then run `npm ci && npm run demo`');
  }
  const demo = (await import(DEMO_MODULE.href)) as { demoAction(o: typeof opts, io: Io): Promise<number> };
  return demo.demoAction(opts, io);
}

export function register(program: Command, io: Io): void {
  program
    .command('demo')
    .description('scan a sample Organization on the AWS emulator (moto_server) and write the reports')
    .option('--out <dir>', 'output directory (default demo-out/<scan id>)')
    .option('--format <list>', 'json,html,pdf', 'json,html,pdf')
    .addHelpText('after', helpExamples(['forensight demo', 'forensight demo --format json --out ./demo-scan']))
    .action(async (opts: { out?: string; format?: string }) => {
      process.exitCode = await runDemo(opts, io);
    });
}
