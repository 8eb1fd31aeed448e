// `analyze --config FILE` (YAML or JSON): expected IPs and principals, and rule parameters by rule id, validated
// against the schema built from every rule's params so an error names the bad key and the fix.
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import type { RuleParamOverrides } from '../engine.js';
import { RULES, type ParamValue, type Rule } from './index.js';

export interface AnalysisConfig {
  expected: { ips: string[]; principals: string[] };
  ruleParams: RuleParamOverrides;
}

export class AnalysisConfigError extends Error {}

export function analysisConfigSchema(rules: readonly Rule[] = RULES): Record<string, unknown> {
  const list = { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true };
  const ruleProps: Record<string, unknown> = {};
  for (const r of rules) {
    const props = Object.fromEntries(Object.entries(r.meta.params).map(([k, spec]) => [k, { ...spec.schema, description: spec.description }]));
    ruleProps[r.meta.id] = { type: 'object', additionalProperties: false, properties: props };
  }
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      expectedIps: { ...list, description: 'Addresses expected to act (CI runners, partners): not new, not external.' },
      expectedPrincipals: { ...list, description: 'Principal ARNs, role ARNs or access key ids expected to act.' },
      rules: { type: 'object', additionalProperties: false, properties: ruleProps },
    },
  };
}

function explain(e: ErrorObject, file: string): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(top level)';
  if (e.keyword === 'additionalProperties') return `${file}: unknown setting "${path === '(top level)' ? '' : `${path}.`}${String((e.params as { additionalProperty: string }).additionalProperty)}". Known: ${path === '(top level)' ? 'expectedIps, expectedPrincipals, rules' : path === 'rules' ? 'the rule ids listed in findings.json' : 'the params of that rule'}.`;
  return `${file}: ${path} ${e.message ?? 'is invalid'}.`;
}

export function validateAnalysisConfig(data: unknown, file: string, rules: readonly Rule[] = RULES): AnalysisConfig {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(analysisConfigSchema(rules));
  const value = data ?? {};
  if (!validate(value)) throw new AnalysisConfigError((validate.errors ?? []).map((e) => explain(e, file)).join('\n'));
  const raw = value as { expectedIps?: string[]; expectedPrincipals?: string[]; rules?: Record<string, Record<string, ParamValue>> };
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
  return { expected: { ips: raw.expectedIps ?? [], principals: raw.expectedPrincipals ?? [] }, ruleParams: raw.rules ?? {} };
}

export async function loadAnalysisConfig(path: string): Promise<AnalysisConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AnalysisConfigError(`--config: cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? 'error'}). Give the path of a YAML or JSON file.`);
  }
  let data: unknown;
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new AnalysisConfigError(`${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
  return validateAnalysisConfig(data, path);
}
