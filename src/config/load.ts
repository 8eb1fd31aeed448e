// Config file (YAML or JSON) -> validated check parameters. Errors name the file, the bad key and the fix.
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { parameterSpecs, defaultParameters } from '../../checks/parameters.js';
import type { CheckParameters } from '../../checks/types.js';

export interface FileConfig {
  parameters: CheckParameters;
  /** Restrict the scan to these check ids (CLI --checks wins). */
  checks?: string[];
}

/** Bad configuration: exit 2 with the message. */
export class ConfigError extends Error {
  readonly exitCode = 2;
}

export function configSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(parameterSpecs)) properties[name] = { ...spec.schema, description: spec.description };
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      parameters: { type: 'object', additionalProperties: false, properties },
      checks: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    },
  };
}

function closest(name: string, candidates: string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    return dp[a.length]![b.length]!;
  };
  const best = candidates.map((c) => ({ c, d: distance(name.toLowerCase(), c.toLowerCase()) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 3 ? best.c : undefined;
}

function explain(error: ErrorObject, file: string): string {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(top level)';
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const known = path === '(top level)' ? ['parameters', 'checks'] : Object.keys(parameterSpecs);
    const hint = closest(key, known);
    const full = path === '(top level)' ? key : `${path}.${key}`;
    return `${file}: unknown setting "${full}"${hint ? ` (did you mean "${hint}"?)` : ''}. Known: ${known.join(', ')}.`;
  }
  if (error.keyword === 'enum') {
    return `${file}: ${path} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}.`;
  }
  return `${file}: ${path} ${error.message ?? 'is invalid'}.`;
}

export function validateConfig(data: unknown, file: string): FileConfig {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(configSchema());
  if (data === null || data === undefined) data = {};
  if (!validate(data)) {
    throw new ConfigError((validate.errors ?? []).map((e) => explain(e, file)).join('\n'));
  }
  const raw = data as { parameters?: Partial<CheckParameters>; checks?: string[] };
  return {
    parameters: { ...defaultParameters, ...(raw.parameters ?? {}) } as CheckParameters,
    ...(raw.checks ? { checks: raw.checks } : {}),
  };
}

export async function loadConfigFile(path: string | undefined): Promise<FileConfig> {
  if (path === undefined) return { parameters: { ...defaultParameters } };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`--config: cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? 'error'}). Give the path of a YAML or JSON file.`);
  }
  let data: unknown;
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
  return validateConfig(data, path);
}
