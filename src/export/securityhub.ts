// `forensight export securityhub`: read an ASFF file written by scan/report, check every finding against the
// BatchImportFindings shape, and plan the import into one account and region. Security Hub accepts a finding
// under the default product ARN only from the account the finding names (AwsAccountId), so findings of other
// accounts are left out of this import and counted. The ProductArn names the region imported into.
import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { defaultProductArn, partitionOfArn, type AsffFinding } from '../../reports/machine/asff.js';

/** Bad input file or flags for the export: exit 2 with the message. */
export class ExportInputError extends Error {
  readonly exitCode = 2;
}

let validator: (((f: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null }) | undefined;

async function validate(): Promise<NonNullable<typeof validator>> {
  if (!validator) {
    const schema = JSON.parse(await readFile(new URL('../model/schemas/asff.schema.json', import.meta.url), 'utf8')) as object;
    validator = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  }
  return validator;
}

/** The findings of an ASFF file, each checked against the schema; the first bad one is named with its field. */
export async function loadAsffFile(path: string): Promise<AsffFinding[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ExportInputError(
      `cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give the scan.asff.json written by scan or report --format asff.`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ExportInputError(`"${path}" is not JSON; give the scan.asff.json written by scan or report --format asff.`);
  }
  const findings = Array.isArray(doc) ? doc : (doc as { Findings?: unknown })?.Findings;
  if (!Array.isArray(findings)) throw new ExportInputError(`"${path}" holds no array of ASFF findings.`);
  const check = await validate();
  findings.forEach((f, i) => {
    if (!check(f)) {
      const e = check.errors?.[0];
      const id = typeof (f as { Id?: unknown })?.Id === 'string' ? ` (Id ${(f as { Id: string }).Id})` : '';
      throw new ExportInputError(`"${path}": finding ${i}${id} is not valid ASFF: ${e?.instancePath || '(finding)'} ${e?.message ?? ''}`.trim());
    }
  });
  return findings as AsffFinding[];
}

export interface ImportPlan {
  account: string;
  region: string;
  /** The findings to import, with the ProductArn of the target account and region. */
  findings: AsffFinding[];
  /** Findings of other accounts, by account: Security Hub takes them only from their own account. */
  otherAccounts: Map<string, number>;
  bySeverity: Map<string, number>;
  active: number;
}

export function planImport(findings: readonly AsffFinding[], account: string, region: string): ImportPlan {
  const plan: ImportPlan = { account, region, findings: [], otherAccounts: new Map(), bySeverity: new Map(), active: 0 };
  const seen = new Set<string>();
  for (const f of findings) {
    if (f.AwsAccountId !== account) {
      plan.otherAccounts.set(f.AwsAccountId, (plan.otherAccounts.get(f.AwsAccountId) ?? 0) + 1);
      continue;
    }
    if (seen.has(f.Id)) continue; // one finding per id: a repeated id would update itself within the batch
    seen.add(f.Id);
    const productArn = defaultProductArn(partitionOfArn(f.ProductArn), region, account);
    plan.findings.push({ ...f, ProductArn: productArn });
    const label = (f.Severity as { Label?: string } | undefined)?.Label ?? 'UNKNOWN';
    plan.bySeverity.set(label, (plan.bySeverity.get(label) ?? 0) + 1);
    if (f.RecordState !== 'ARCHIVED') plan.active++;
  }
  return plan;
}

export function describePlan(plan: ImportPlan, file: string): string[] {
  const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']
    .filter((s) => plan.bySeverity.has(s))
    .map((s) => `${plan.bySeverity.get(s)} ${s.toLowerCase()}`);
  const lines = [
    `Import into Security Hub of account ${plan.account} in ${plan.region} (BatchImportFindings, product ${defaultProductArn('aws', plan.region, plan.account).replace(/^arn:aws:/, 'arn:<partition>:')}):`,
    `  ${plan.findings.length} finding(s) from ${file}: ${plan.active} active, ${plan.findings.length - plan.active} archived (passed, not applicable or accepted)${severities.length ? `; ${severities.join(', ')}` : ''}`,
    '  Findings already imported with the same Id are updated, not duplicated.',
  ];
  for (const [account, n] of plan.otherAccounts)
    lines.push(
      `  Left out: ${n} finding(s) of account ${account}; Security Hub accepts them only from that account (run export there with --account ${account}).`,
    );
  return lines;
}
