// Check parameters: defaults and a JSON-Schema fragment per parameter (the config loader builds the
// config-file schema from these, so a validation error names the bad key).
import type { CheckParameters, ParameterSpecs } from './types.js';

export const parameterSpecs: ParameterSpecs = {
  minRetentionDays: {
    schema: { type: 'integer', minimum: 1, maximum: 36500 },
    default: 365,
    description: 'Minimum days logs and locked objects must be kept (log-group retention, Object Lock default retention).',
  },
  minSamplingPercent: {
    schema: { type: 'integer', minimum: 1, maximum: 100 },
    default: 100,
    description: 'Minimum SageMaker endpoint data-capture sampling percentage.',
  },
  objectLockMode: {
    schema: { type: 'string', enum: ['COMPLIANCE', 'GOVERNANCE'] },
    default: 'COMPLIANCE',
    description: 'Required Object Lock default-retention mode. COMPLIANCE rejects GOVERNANCE; GOVERNANCE accepts both.',
  },
  bucketRoleTagKey: {
    schema: { type: 'string', minLength: 1, maxLength: 128 },
    default: 'forensight:role',
    description: 'Tag key whose value (training-data, model-artifacts, evidence, logs) marks a bucket as AI data or log bucket.',
  },
  requireCaptureModes: {
    schema: { type: 'array', items: { type: 'string', enum: ['Input', 'Output'] }, minItems: 1, uniqueItems: true },
    default: ['Input', 'Output'],
    description: 'Capture modes a SageMaker endpoint must capture.',
  },
};

export const parameterNames = Object.keys(parameterSpecs) as (keyof CheckParameters)[];

/** The defaults, taken from the specs (one place): a fresh object each time so no caller shares the arrays. */
export function defaultParametersOf(): CheckParameters {
  return Object.fromEntries(parameterNames.map((k) => [k, structuredClone(parameterSpecs[k].default)])) as unknown as CheckParameters;
}

export const defaultParameters: Readonly<CheckParameters> = Object.freeze(defaultParametersOf());

/** JSON Schema of the `parameters` object of the config file (no unknown keys). */
export function parametersSchema(): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(parameterSpecs).map(([k, v]) => [k, { ...v.schema, description: v.description }])),
  };
}
