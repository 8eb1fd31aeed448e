// The README's "Analysis rules" list, generated from the rule metadata (a test keeps the README equal to it).
import { RULES, type Rule } from './index.js';

export const README_START = '<!-- analysis-rules:start (generated from src/analysis/rules metadata; test/analysis/rules/registry.test.ts) -->';
export const README_END = '<!-- analysis-rules:end -->';

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();

export function ruleReadmeLine(r: Rule): string {
  const m = r.meta;
  return `| \`${m.id}\` | ${oneLine(m.title)} | ${m.severity} | ${m.techniques.join(', ')} | ${m.needsBaseline ? 'yes' : 'no'} |`;
}

/** The block between the README markers. */
export function rulesReadme(rules: readonly Rule[] = RULES): string {
  return [
    README_START,
    '| rule | looks for | severity | ATT&CK / ATLAS | needs baseline |',
    '| --- | --- | --- | --- | --- |',
    ...rules.map(ruleReadmeLine),
    README_END,
  ].join('\n');
}
