// The one way a YAML or JSON configuration file is read and validated (scan's --config and analyze's --config):
// read, parse, check against a JSON Schema built from parameter specs, and turn every schema error into a line
// that names the file, the bad key or value, and what is known there (with a did-you-mean for misspellings).
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';

/** A parameter as checks and rules declare it: a JSON Schema fragment and what it means. */
export interface ParamSpecLike {
  schema: Record<string, unknown>;
  description: string;
}

/** Schema properties of a set of parameter specs (each spec's schema plus its description). */
export function paramProperties(specs: Readonly<Record<string, ParamSpecLike>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { ...spec.schema, description: spec.description }]));
}

/** The configuration file's text parsed as JSON (.json) or YAML (anything else). */
export async function readConfigDocument(path: string, fail: (message: string) => Error): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw fail(`--config: cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? 'error'}). Give the path of a YAML or JSON file.`);
  }
  try {
    return path.endsWith('.json') ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown);
  } catch (error) {
    throw fail(`${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
}

export interface ValidateOptions {
  /** The keys allowed at a dotted path ('' is the top level), for the "Known:" list and the did-you-mean. */
  knownAt: (path: string) => string[];
  fail: (message: string) => Error;
}

/** `data` (an empty document is {}) checked against `schema`; throws `fail` with one line per problem. */
export function validateDocument(schema: Record<string, unknown>, data: unknown, file: string, options: ValidateOptions): unknown {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const value = data ?? {};
  if (!validate(value)) throw options.fail((validate.errors ?? []).map((e) => explain(e, file, options.knownAt)).join('\n'));
  return value;
}

function explain(error: ErrorObject, file: string, knownAt: (path: string) => string[]): string {
  const at = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const path = at || '(top level)';
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const known = knownAt(at);
    const hint = closest(key, known);
    return `${file}: unknown setting "${at ? `${at}.` : ''}${key}"${hint ? ` (did you mean "${hint}"?)` : ''}. Known: ${known.join(', ') || 'none'}.`;
  }
  if (error.keyword === 'enum') return `${file}: ${path} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}.`;
  return `${file}: ${path} ${error.message ?? 'is invalid'}.`;
}

/** The candidate within edit distance 3 of `name` (case-insensitive), if any. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
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
