// prettyJson: JSON.stringify(v, null, 2) for data of ordinary depth, the compact form (same data) past
// MAX_PRETTY_DEPTH, so the indentation of hostile nesting cannot grow a file quadratically.
import { describe, expect, it } from 'vitest';
import { MAX_PRETTY_DEPTH, nestedDeeperThan, prettyJson } from '../../src/model/pretty-json.js';

/** `depth` levels of alternating objects and arrays around a string. */
function nested(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

describe('nestedDeeperThan', () => {
  it.each([
    ['a scalar', 'x', 0, false],
    ['null', null, 0, false],
    ['an empty object is one level', {}, 1, false],
    ['an empty object is deeper than zero', {}, 0, true],
    ['exactly the limit', nested(5), 5, false],
    ['one past the limit', nested(6), 5, true],
    ['a deep branch beside shallow ones', { a: 1, b: [1, 2, 3], c: nested(40) }, 32, true],
    ['a wide shallow array', Array.from({ length: 10_000 }, (_, i) => ({ i })), 2, false],
  ])('%s', (_name, value, max, expected) => {
    expect(nestedDeeperThan(value, max)).toBe(expected);
  });
});

describe('prettyJson', () => {
  it('is JSON.stringify(v, null, 2) up to the depth limit', () => {
    const v = {
      trail: { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }] },
      n: nested(MAX_PRETTY_DEPTH - 1),
    };
    expect(prettyJson(v)).toBe(JSON.stringify(v, null, 2));
  });

  it('is compact past it, with the same data, and grows linearly with the nesting', () => {
    const deep = { a: nested(2_000) };
    const text = prettyJson(deep);
    expect(text).toBe(JSON.stringify(deep));
    expect(JSON.parse(text)).toEqual(deep);
    expect(JSON.stringify(deep, null, 2).length).toBeGreaterThan(100 * text.length);
  });
});
