import type { HuntIndicators } from '../../src/hunt/sql.js';

/** The hunt the Athena and Lake flow tests run: one leaked access key over two days of November 2026. */
export const KEY_HUNT: HuntIndicators = {
  accessKeyIds: ['AKIAIOSFODNN7EXAMPLE'],
  principals: [],
  sourceIps: [],
  eventNames: [],
  start: new Date('2026-11-01T00:00:00Z'),
  end: new Date('2026-11-03T00:00:00Z'),
};
