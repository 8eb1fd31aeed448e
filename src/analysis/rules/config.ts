// `analyze --config FILE` (YAML or JSON): expected IPs and principals, and rule parameters by rule id, validated
// against the schema built from every rule's params so an error names the bad key and the fix.
import { paramProperties, readConfigDocument, validateDocument } from '../../config/document.js';
import type { RuleParamOverrides } from '../engine.js';
import { RULES, type ParamValue, type Rule } from './index.js';

export interface AnalysisConfig {
  expected: { ips: string[]; principals: string[]; ownApplications: string[] };
  ruleParams: RuleParamOverrides;
}

export class AnalysisConfigError extends Error {}

export function analysisConfigSchema(rules: readonly Rule[] = RULES): Record<string, unknown> {
  const list = { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true };
  const ruleProps: Record<string, unknown> = {};
  for (const r of rules) ruleProps[r.meta.id] = { type: 'object', additionalProperties: false, properties: paramProperties(r.meta.params) };
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      expectedIps: { ...list, description: 'Addresses expected to act (CI runners, partners): not new, not external.' },
      expectedPrincipals: { ...list, description: "Principal ARNs, role ARNs or access key ids expected to act (a trailing '*' matches a prefix)." },
      ownApplications: {
        ...list,
        description:
          "The organisation's own applications: principal ARNs, role ARNs or access key ids (a trailing '*' matches a prefix), labelled as such and treated as expected.",
      },
      rules: { type: 'object', additionalProperties: false, properties: ruleProps },
    },
  };
}

const TOP_LEVEL = ['expectedIps', 'expectedPrincipals', 'ownApplications', 'rules'];

export function validateAnalysisConfig(data: unknown, file: string, rules: readonly Rule[] = RULES): AnalysisConfig {
  const knownAt = (path: string): string[] =>
    path === ''
      ? TOP_LEVEL
      : path === 'rules'
        ? rules.map((r) => r.meta.id)
        : Object.keys(rules.find((r) => `rules.${r.meta.id}` === path)?.meta.params ?? {});
  const value = validateDocument(analysisConfigSchema(rules), data, file, { knownAt, fail: (m) => new AnalysisConfigError(m) });
  const raw = value as {
    expectedIps?: string[];
    expectedPrincipals?: string[];
    ownApplications?: string[];
    rules?: Record<string, Record<string, ParamValue>>;
  };
  for (const [id, params] of Object.entries(raw.rules ?? {})) {
    for (const [name, v] of Object.entries(params)) {
      if (!/patterns$/i.test(name) || !Array.isArray(v)) continue;
      for (const p of v as string[]) {
        try {
          new RegExp(p.replace(/^[\w-]+=/, ''));
        } catch (error) {
          throw new AnalysisConfigError(`${file}: rules.${id}.${name}: "${p}" is not a valid regular expression (${(error as Error).message}).`);
        }
      }
    }
  }
  return {
    expected: { ips: raw.expectedIps ?? [], principals: raw.expectedPrincipals ?? [], ownApplications: raw.ownApplications ?? [] },
    ruleParams: raw.rules ?? {},
  };
}

export async function loadAnalysisConfig(path: string): Promise<AnalysisConfig> {
  return validateAnalysisConfig(await readConfigDocument(path, (m) => new AnalysisConfigError(m)), path);
}
