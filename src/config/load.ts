// Config file (YAML or JSON) -> validated check parameters. Errors name the file, the bad key and the fix.
import { parameterSpecs, defaultParameters } from '../../checks/parameters.js';
import type { CheckParameters } from '../../checks/types.js';
import { paramProperties, readConfigDocument, validateDocument } from './document.js';

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
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      parameters: { type: 'object', additionalProperties: false, properties: paramProperties(parameterSpecs) },
      checks: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    },
  };
}

const fail = (message: string): ConfigError => new ConfigError(message);

export function validateConfig(data: unknown, file: string): FileConfig {
  const raw = validateDocument(configSchema(), data, file, {
    knownAt: (path) => (path === '' ? ['parameters', 'checks'] : Object.keys(parameterSpecs)),
    fail,
  }) as { parameters?: Partial<CheckParameters>; checks?: string[] };
  return {
    parameters: { ...defaultParameters, ...(raw.parameters ?? {}) },
    ...(raw.checks ? { checks: raw.checks } : {}),
  };
}

export async function loadConfigFile(path: string | undefined): Promise<FileConfig> {
  if (path === undefined) return { parameters: { ...defaultParameters } };
  return validateConfig(await readConfigDocument(path, fail), path);
}
