// The README's check catalogue is the registry's: every check with its severity, title and reasonCodes.
// Regenerate it after changing a check: UPDATE_README_CATALOGUE=1 npx vitest run test/checks/readme-catalogue.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';

const START = '<!-- catalogue:start (generated from checks/index.ts by test/checks/readme-catalogue.test.ts) -->';
const END = '<!-- catalogue:end -->';

function catalogueMarkdown(): string {
  const rows = allChecks.map((c) => {
    const codes = Object.keys(c.meta.reasonCodes)
      .map((k) => `\`${k}\``)
      .join(', ');
    return `| \`${c.meta.id}\` | ${c.meta.severity} | ${c.meta.title.replace(/\|/g, '\\|')} | ${codes} |`;
  });
  return [START, '| Check | Severity | Good state | reasonCodes |', '| --- | --- | --- | --- |', ...rows, END].join('\n');
}

describe('README check catalogue', () => {
  it('lists every registered check with its reasonCodes, in registry order', () => {
    const readme = readFileSync('README.md', 'utf8');
    const expected = catalogueMarkdown();
    if (process.env.UPDATE_README_CATALOGUE === '1') {
      const at = readme.indexOf(START);
      const next =
        at >= 0
          ? readme.slice(0, at) + expected + readme.slice(readme.indexOf(END) + END.length)
          : readme.replace(
              '## CloudTrail Lake and AI data-event types',
              `## Check catalogue\n\n${expected}\n\n## CloudTrail Lake and AI data-event types`,
            );
      writeFileSync('README.md', next);
      return;
    }
    const at = readme.indexOf(START);
    expect(at, 'README has no generated catalogue section').toBeGreaterThanOrEqual(0);
    expect(readme.slice(at, readme.indexOf(END) + END.length)).toBe(expected);
  });
});
