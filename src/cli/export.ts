// forensight export securityhub FILE: a write, kept apart from scan and collect. It prints what it will import,
// imports only with --yes (--dry-run stops after the plan) and only into the account the credentials belong to.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ClientFactory } from '../aws/clients.js';
import { baseCredentials, callerIdentity } from '../aws/credentials.js';
import { describeError } from '../aws/errors.js';
import { batchImportFindings } from '../aws/securityhub.js';
import { describePlan, loadAsffFile, planImport } from '../export/securityhub.js';
import { EXIT, helpExamples, homeRegionFor, parsePositiveInt, parseTargetOptions, UsageError, type Io } from './common.js';
import { resolveProfile } from './profile.js';
import { sanitizeInline } from './terminal.js';

interface RawExportOptions {
  account?: string;
  region?: string;
  dryRun?: boolean;
  yes?: boolean;
  profile?: string;
  endpointUrl?: string;
  maxAttempts?: string;
}

export interface ExportDeps {
  factory?: ClientFactory;
}

async function parseExportOptions(raw: RawExportOptions): Promise<{ account: string; region: string }> {
  if (!raw.account || !/^\d{12}$/.test(raw.account))
    throw new UsageError(
      `--account: ${raw.account === undefined ? 'required' : `"${raw.account}" is not a 12-digit AWS account id`}; give the account whose Security Hub receives the findings.`,
    );
  parseTargetOptions({ ...(raw.endpointUrl !== undefined ? { endpointUrl: raw.endpointUrl } : {}) });
  if (raw.dryRun && raw.yes) throw new UsageError('--dry-run and --yes: choose one (plan only, or import).');
  const region = homeRegionFor({ flag: raw.region, profileRegion: (await resolveProfile(raw.profile)).region });
  return { account: raw.account, region };
}

export async function exportSecurityHubAction(file: string, raw: RawExportOptions, io: Io, deps: ExportDeps = {}): Promise<number> {
  const { account, region } = await parseExportOptions(raw);
  const path = resolve(file);
  const plan = planImport(await loadAsffFile(path), account, region);
  for (const line of describePlan(plan, path)) io.stderr.write(`${line}\n`);
  if (raw.dryRun) {
    io.stderr.write('Dry run: nothing was imported.\n');
    return EXIT.ok;
  }
  if (!raw.yes)
    throw new UsageError('export securityhub writes to Security Hub: add --yes to import the findings above, or --dry-run to only show them.');
  if (plan.findings.length === 0) {
    const accounts = [...plan.otherAccounts.keys()];
    throw new UsageError(
      `--account ${account}: no finding in ${path} is of this account${accounts.length ? ` (the file holds accounts ${accounts.join(', ')})` : ''}; nothing to import.`,
    );
  }
  const factory =
    deps.factory ??
    new ClientFactory({
      ...(raw.endpointUrl ? { endpoint: raw.endpointUrl } : {}),
      maxAttempts: parsePositiveInt('--max-attempts', raw.maxAttempts, 5, 20),
    });
  try {
    const credentials = baseCredentials(raw.profile);
    const caller = await callerIdentity(factory, credentials).catch((error: unknown) => {
      throw new UsageError(
        `No usable AWS credentials for the import: ${describeError(error, 'sts:GetCallerIdentity')}. Set AWS_PROFILE or --profile.`,
      );
    });
    if (caller.accountId !== account)
      throw new UsageError(
        `--account ${account}: the credentials belong to account ${caller.accountId} (${caller.arn}); Security Hub imports a finding only from its own account.`,
      );
    const outcome = await batchImportFindings(factory, { credentials, region, accountId: account }, plan.findings);
    io.stderr.write(`Imported ${outcome.imported} finding(s) into Security Hub of ${account} in ${region}.\n`);
    if (outcome.failed.length > 0) {
      io.stderr.write(`${outcome.failed.length} finding(s) were refused:\n`);
      for (const f of outcome.failed.slice(0, 20)) io.stderr.write(`  ${sanitizeInline(f.id)}: ${sanitizeInline(`${f.code} ${f.message}`)}\n`);
      return EXIT.findings;
    }
    return EXIT.ok;
  } finally {
    if (!deps.factory) factory.destroy();
  }
}

export function register(program: Command, io: Io): void {
  const exportCmd = program
    .command('export')
    .description('send saved results to another tool (a write, asked for explicitly)')
    .addHelpText('after', helpExamples(['forensight export securityhub scan.asff.json --account 111111111111 --region us-east-1 --dry-run']));
  exportCmd
    .command('securityhub')
    .description('import an ASFF file (scan.asff.json) into AWS Security Hub with BatchImportFindings; same-id findings are updated')
    .argument('<file>', 'scan.asff.json written by scan or report --format asff')
    .option('--account <id>', 'account whose Security Hub receives the findings (the credentials must be of this account)')
    .option('--region <region>', "region of that Security Hub (default: the profile's region, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1)")
    .option('--dry-run', 'print what would be imported and stop')
    .option('-y, --yes', 'import (without it, nothing is written)')
    .option('--profile <name>', 'AWS profile for the credentials (else the standard provider chain)')
    .option('--endpoint-url <url>', 'send the calls to this URL (an emulator)')
    .option('--max-attempts <n>', 'SDK attempts per call', '5')
    .addHelpText(
      'after',
      helpExamples([
        'forensight export securityhub forensight-out/scan-x/scan.asff.json --account 111111111111 --region us-east-1 --dry-run',
        'forensight export securityhub scan.asff.json --account 111111111111 --region us-east-1 --yes --profile security-hub-import',
      ]),
    )
    .action(async (file: string, opts: RawExportOptions) => {
      process.exitCode = await exportSecurityHubAction(file, opts, io, {});
    });
}
