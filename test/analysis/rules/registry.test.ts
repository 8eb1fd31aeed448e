// The rule files on disk and the registry agree; every registered rule has a RuleTester table; the overlap table
// names real rules; techniques have the shape findings.json allows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, type Rule } from '../../../src/analysis/rules/index.js';
import { OVERLAPS } from '../../../src/analysis/rules/overlaps.js';
import { README_END, README_START, rulesReadme } from '../../../src/analysis/rules/docs.js';

const RULES_DIR = new URL('../../../src/analysis/rules/', import.meta.url).pathname;
const TESTS_DIR = new URL('.', import.meta.url).pathname;
const isRule = (v: unknown): v is Rule =>
  !!v && typeof v === 'object' && typeof (v as Rule).create === 'function' && typeof (v as Rule).meta?.id === 'string';

/** Every Rule exported by a module of src/analysis/rules, with its export name. */
async function rulesOnDisk(): Promise<{ file: string; name: string; rule: Rule }[]> {
  const out: { file: string; name: string; rule: Rule }[] = [];
  for (const file of readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .sort()) {
    const mod = (await import(join(RULES_DIR, file))) as Record<string, unknown>;
    for (const [name, v] of Object.entries(mod)) if (isRule(v)) out.push({ file, name, rule: v });
  }
  return out;
}

describe('rule registry', () => {
  it('registers every rule module on disk, each once, one rule per module', async () => {
    const disk = await rulesOnDisk();
    expect(disk.map((d) => d.rule.meta.id).sort()).toEqual(RULES.map((r) => r.meta.id).sort());
    expect(new Set(RULES).size).toBe(RULES.length);
    const perFile = new Map<string, number>();
    for (const d of disk) perFile.set(d.file, (perFile.get(d.file) ?? 0) + 1);
    expect([...perFile].filter(([, n]) => n > 1)).toEqual([]);
  });

  it('every registered rule has a RuleTester table', async () => {
    const tests = readdirSync(TESTS_DIR)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(join(TESTS_DIR, f), 'utf8'))
      .join('\n');
    const missing = (await rulesOnDisk()).filter((d) => !tests.includes(`ruleTester(${d.name},`)).map((d) => d.rule.meta.id);
    expect(missing).toEqual([]);
  });

  it('the overlap table names registered rules, never one rule twice as the absorbed side of one primary', () => {
    const ids = new Set(RULES.map((r) => r.meta.id));
    for (const o of OVERLAPS) {
      expect(ids.has(o.primary), o.primary).toBe(true);
      expect(ids.has(o.absorbed), o.absorbed).toBe(true);
      expect(o.primary).not.toBe(o.absorbed);
    }
    expect(new Set(OVERLAPS.map((o) => `${o.primary}>${o.absorbed}`)).size).toBe(OVERLAPS.length);
  });

  it('techniques are ATT&CK or ATLAS ids, as the findings schema requires', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../src/model/schemas/findings.schema.json', import.meta.url), 'utf8')) as {
      definitions: { finding: { properties: { techniques: { items: { pattern: string } } } } };
    };
    const pattern = new RegExp(schema.definitions.finding.properties.techniques.items.pattern);
    for (const r of RULES) for (const t of r.meta.techniques) expect(t, r.meta.id).toMatch(pattern);
  });

  it('the README lists every rule as its metadata says (regenerate the block with rulesReadme() when a rule changes)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const block = readme.slice(readme.indexOf(README_START), readme.indexOf(README_END) + README_END.length);
    expect(block).toBe(rulesReadme());
    for (const r of RULES) expect(block).toContain(`| \`${r.meta.id}\` |`);
  });
});
