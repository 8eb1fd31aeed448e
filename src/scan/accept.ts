// Accepted risks (`scan --accept FILE`): gaps an organisation decided to live with, for example not logging
// prompts for privacy reasons. A matching FAIL keeps its status and gains `accepted`; an expired entry no longer
// applies and the scan says so. Pure: the file is parsed by the caller's I/O edge (loadAcceptFile).
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../config/load.js';
import type { AcceptedRiskEntry, CheckResult } from '../model/scan.js';

export interface AcceptedRisk {
  checkId: string;
  /** Account id patterns; `*` matches any run of characters. */
  accounts: string[];
  /** Resource ARN patterns; `*` matches any run of characters. */
  resources: string[];
  reason: string;
  owner: string;
  expires: string;
  source: string;
}

export interface AcceptFile {
  file: string;
  risks: AcceptedRisk[];
}

const ENTRY_KEYS = ['check', 'accounts', 'resources', 'reason', 'owner', 'expires'];

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['acceptedRisks'],
  properties: {
    acceptedRisks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['check', 'reason', 'owner', 'expires'],
        properties: {
          check: { type: 'string', pattern: '^[a-z0-9-]+$' },
          accounts: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[0-9*]{1,12}$' } },
          resources: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 2048 } },
          reason: { type: 'string', minLength: 1, maxLength: 2000 },
          owner: { type: 'string', minLength: 1, maxLength: 200 },
          expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        },
      },
    },
  },
};

function explain(error: ErrorObject, file: string): string {
  const path =
    error.instancePath
      .replace(/^\//, '')
      .replace(/\/(\d+)/g, '[$1]')
      .replace(/\//g, '.') || '(top level)';
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const known = path === '(top level)' ? ['acceptedRisks'] : ENTRY_KEYS;
    return `${file}: unknown setting "${path === '(top level)' ? key : `${path}.${key}`}". Known: ${known.join(', ')}.`;
  }
  if (error.keyword === 'required') return `${file}: ${path} needs "${String((error.params as { missingProperty: string }).missingProperty)}".`;
  if (error.instancePath.endsWith('/expires')) return `${file}: ${path} must be a date written YYYY-MM-DD (quote it in YAML).`;
  if (error.instancePath.includes('/accounts/')) return `${file}: ${path} must be a 12-digit account id or a pattern of digits and *.`;
  return `${file}: ${path} ${error.message ?? 'is invalid'}.`;
}

let validator: ValidateFunction | undefined;

const isRealDate = (d: string): boolean => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

/** Validates a parsed accept file against the schema and the known check ids. Throws ConfigError (exit 2). */
export function validateAcceptFile(data: unknown, file: string, knownCheckIds: readonly string[]): AcceptFile {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);
  const validate = validator;
  if (!validate(data)) throw new ConfigError((validate.errors ?? []).map((e) => explain(e, file)).join('\n'));
  const entries = (data as { acceptedRisks: Record<string, unknown>[] }).acceptedRisks;
  const known = new Set(knownCheckIds);
  const problems: string[] = [];
  const risks = entries.map((e, i): AcceptedRisk => {
    const checkId = e.check as string;
    const expires = e.expires as string;
    if (!known.has(checkId))
      problems.push(`${file}: acceptedRisks[${i}].check "${checkId}" is not a check id. Run "forensight checks" for the list.`);
    if (!isRealDate(expires)) problems.push(`${file}: acceptedRisks[${i}].expires "${expires}" is not a calendar date.`);
    return {
      checkId,
      accounts: (e.accounts as string[] | undefined) ?? ['*'],
      resources: (e.resources as string[] | undefined) ?? ['*'],
      reason: e.reason as string,
      owner: e.owner as string,
      expires,
      source: `${file}#${i + 1}`,
    };
  });
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return { file, risks };
}

export async function loadAcceptFile(path: string, knownCheckIds: readonly string[]): Promise<AcceptFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `--accept: cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? 'error'}). Give the path of a YAML or JSON file of accepted risks.`,
    );
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`--accept: "${path}" is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  return validateAcceptFile(data, path, knownCheckIds);
}

/** `*` matches any run of characters; everything else is literal. */
export function patternMatches(pattern: string, value: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  if (!value.startsWith(parts[0]!) || !value.endsWith(parts.at(-1)!)) return false;
  let at = parts[0]!.length;
  const end = value.length - parts.at(-1)!.length;
  for (const part of parts.slice(1, -1)) {
    const found = value.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return at <= end;
}

/** An acceptance holds through its expiry day (UTC); from the next day on it no longer applies. */
export function isExpired(expires: string, now: Date): boolean {
  return now.getTime() >= Date.parse(`${expires}T00:00:00Z`) + 86_400_000;
}

const matches = (risk: AcceptedRisk, r: CheckResult): boolean =>
  r.status === 'FAIL' &&
  r.checkId === risk.checkId &&
  risk.accounts.some((p) => patternMatches(p, r.accountId)) &&
  risk.resources.some((p) => patternMatches(p, r.resourceArn));

/**
 * Marks each FAIL covered by an unexpired acceptance (the first matching entry wins) and reports every entry
 * with its status and how many FAILs it matched. Results are copied, not mutated.
 */
export function applyAcceptedRisks(
  results: readonly CheckResult[],
  accept: AcceptFile,
  now: Date,
): { results: CheckResult[]; entries: AcceptedRiskEntry[] } {
  const matched = accept.risks.map(() => 0);
  const expired = accept.risks.map((r) => isExpired(r.expires, now));
  const out = results.map((r) => {
    let applied: AcceptedRisk | undefined;
    accept.risks.forEach((risk, i) => {
      if (!matches(risk, r)) return;
      matched[i]!++;
      if (!expired[i] && !applied) applied = risk;
    });
    if (!applied) return r;
    return { ...r, accepted: { reason: applied.reason, owner: applied.owner, expires: applied.expires, source: applied.source } };
  });
  const entries = accept.risks.map((risk, i): AcceptedRiskEntry => ({
    checkId: risk.checkId,
    accounts: risk.accounts,
    resources: risk.resources,
    reason: risk.reason,
    owner: risk.owner,
    expires: risk.expires,
    source: risk.source,
    status: expired[i] ? 'expired' : 'active',
    matched: matched[i]!,
  }));
  return { results: out, entries };
}
