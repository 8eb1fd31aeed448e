// The one write to Security Hub: BatchImportFindings, in batches of at most 100 findings (the API limit).
// Only `forensight export securityhub --yes` calls it.
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { ClientFactory } from './clients.js';
import type { IamAction } from '../model/iam.js';

/** The one write forensight makes outside its output: the separate Security Hub import policy. */
export const SECURITY_HUB_IMPORT_IAM_ACTIONS: readonly IamAction[] = ['securityhub:BatchImportFindings'];

export const BATCH_IMPORT_LIMIT = 100;

export interface ImportOutcome {
  imported: number;
  failed: { id: string; code: string; message: string }[];
}

export async function batchImportFindings(
  factory: ClientFactory,
  target: { credentials: AwsCredentialIdentityProvider; region: string; accountId: string },
  findings: readonly Record<string, unknown>[],
): Promise<ImportOutcome> {
  const client = factory.client(SecurityHubClient, target);
  const outcome: ImportOutcome = { imported: 0, failed: [] };
  for (let i = 0; i < findings.length; i += BATCH_IMPORT_LIMIT) {
    const batch = findings.slice(i, i + BATCH_IMPORT_LIMIT) as unknown as AwsSecurityFinding[];
    const out = await client.send(new BatchImportFindingsCommand({ Findings: batch }));
    outcome.imported += out.SuccessCount ?? 0;
    for (const f of out.FailedFindings ?? []) outcome.failed.push({ id: f.Id ?? '', code: f.ErrorCode ?? '', message: f.ErrorMessage ?? '' });
  }
  return outcome;
}
