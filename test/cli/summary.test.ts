// The terminal summary fits the terminal (80 columns when stderr is not one): long text wraps at word boundaries
// under its column and is never cut mid-word; the per-scenario counts have headed columns; file paths stay whole.
import { describe, expect, it } from 'vitest';
import { scanSummaryLines, terminalWidth, wrapWords } from '../../src/cli/summary.js';
import type { Io } from '../../src/cli/common.js';
import { makeScan, result } from '../reports/fixtures.js';

const LONG_REASON =
  'AccessDenied on sts:AssumeRole for arn:aws:iam::333333333333:role/ForensightReadOnly: the trust policy does not allow the hub role, or a service control policy denies sts:AssumeRole in this account';

function scan() {
  return makeScan({
    accounts: [
      { accountId: '111111111111', name: 'management', score: 100 },
      {
        accountId: '222222222222',
        name: 'ml-production-workloads-eu',
        score: 40,
        coverage: 0.88,
        investigability: {
          'unauthorized-model-access': 'BLIND',
          'training-data-exfiltration': 'PARTIAL',
          'model-tampering': 'PARTIAL',
          'logging-tampering': 'READY',
          access: 'READY',
          invocation: 'BLIND',
        },
      },
      { accountId: '333333333333', name: 'legacy', status: 'NOT_ASSESSED', reason: LONG_REASON },
    ],
    results: [result('cloudtrail-multi-region-trail', '222222222222', 'FAIL'), result('cloudtrail-multi-region-trail', '111111111111', 'PASS')],
  });
}

const FILES = ['/a/very/long/output/directory/that/is/longer/than/eighty/columns/forensight-out/scan-2025q4/scan.json'];

describe('terminal summary', () => {
  it("prints the scan's notes, sanitised, and nothing when there are none", () => {
    const doc = {
      ...scan(),
      notes: ['Service availability not known for qbusiness (AccessDenied\u001b[31m): their lists were called in every scanned Region.'],
    };
    const lines = scanSummaryLines(doc, FILES, 80);
    const at = lines.findIndex((l) => l.startsWith('Note: Service availability not known for qbusiness'));
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at).join(' ')).toContain('called in every scanned Region.');
    expect(lines.join('\n')).not.toContain('\u001b');
    expect(scanSummaryLines(scan(), FILES, 80).some((l) => l.startsWith('Note: '))).toBe(false);
  });

  it.each([
    ['not a terminal', undefined, 80],
    ['a 120-column terminal', 120, 120],
    ['a very wide terminal (capped)', 300, 160],
    ['a terminal that reports 0 columns (unknown)', 0, 80],
    ['a terminal narrower than the narrowest layout', 20, 40],
    ['a 40-column terminal', 40, 40],
  ])('width on %s', (_name, columns, expected) => {
    const io = {
      stdout: process.stdout,
      stderr: process.stderr,
      stderrIsTTY: columns !== undefined,
      ...(columns !== undefined ? { tty: { columns } as NodeJS.WriteStream } : {}),
    } as Io;
    expect(terminalWidth(io)).toBe(expected);
  });

  it.each([40, 60, 80, 100, 120])('at %i columns every line fits except the whole file paths', (width) => {
    const lines = scanSummaryLines(scan(), FILES, width);
    const tooLong = lines.filter((l) => l.length > width && !l.startsWith('Wrote '));
    expect(tooLong).toEqual([]);
    expect(lines).toContain(`Wrote ${FILES[0]}`);
  });

  it.each([80, 60])(
    'at %i columns the not-assessed reason wraps with every word whole; an ARN longer than the column breaks only after a separator',
    (width) => {
      const lines = scanSummaryLines(scan(), FILES, width);
      const first = lines.findIndex((l) => l.includes('333333333333'));
      const block: string[] = [];
      for (let i = first; lines[i]!.trim() !== '' && (i === first || lines[i]!.startsWith('    ')); i++) block.push(lines[i]!);
      const text = block.join(' ');
      const reason = `not assessed: ${LONG_REASON}`;
      expect(text.slice(text.indexOf('not assessed:')).replace(/\s+/g, '')).toBe(reason.replace(/\s+/g, ''));
      const words = reason.split(' ');
      // Each line ends with a whole word of the reason or, inside an over-long word, right after a separator.
      for (const line of block.slice(
        block.findIndex((l) => l.includes('not assessed:')),
        -1,
      )) {
        const last = line.trim().split(' ').pop()!;
        expect(words.includes(last) || /[/:,.=-]$/.test(last), `line ends mid-word: "${line}"`).toBe(true);
      }
      expect(block.every((l) => l.length <= width)).toBe(true);
    },
  );

  it('per-scenario counts are a table with headed columns', () => {
    const lines = scanSummaryLines(scan(), FILES, 80);
    const header = lines.find((l) => /^\s+scenario\s+ready\s+partial\s+blind\s+unknown\s+n\/a$/.test(l));
    expect(header).toBeDefined();
    const row = lines.find((l) => l.trimStart().startsWith('unauthorized-model-access'));
    // management READY, ml-production BLIND, legacy UNKNOWN: counts under ready, blind and unknown.
    expect(row?.trim().split(/\s+/)).toEqual(['unauthorized-model-access', '1', '0', '1', '1', '0']);
    expect(header!.length).toBe(row!.length);
  });

  it('on a terminal too narrow for the table, each scenario is one wrapped line with every count named', () => {
    const lines = scanSummaryLines(scan(), FILES, 40);
    expect(lines.some((l) => /^\s+scenario\s+ready/.test(l))).toBe(false);
    const title = lines.indexOf('Could we investigate it? Accounts per answer:');
    const end = lines.indexOf('', title);
    const block = lines.slice(title + 1, end === -1 ? undefined : end);
    expect(block.length).toBeGreaterThan(0);
    expect(block.join(' ').replace(/\s+/g, ' ')).toContain('unauthorized-model-access: ready 1, partial 0, blind 1, unknown 1, n/a 0');
  });

  it('at 60 columns the account header keeps its columns and puts the gaps heading under them', () => {
    const lines = scanSummaryLines(scan(), FILES, 60);
    const header = lines.findIndex((l) => /^\s+account\s+id\s+score\s+cover$/.test(l));
    expect(header).toBeGreaterThan(-1);
    expect(lines[header + 1]).toBe('    not fully investigable');
  });

  it.each([
    ['short words', 'a b c', 10, ['a b c']],
    ['a break at the last space that fits', 'alpha beta gamma', 10, ['alpha beta', 'gamma']],
    ['a word longer than the width is split, nothing else', 'x abcdefghijkl y', 5, ['x', 'abcde', 'fghij', 'kl y']],
    ['an ARN breaks after a separator', 'in arn:aws:iam::123456789012:role/Name', 20, ['in', 'arn:aws:iam::', '123456789012:role/', 'Name']],
    ['a word without separators is cut', 'abcdefghijkl', 5, ['abcde', 'fghij', 'kl']],
    ['empty text', '', 10, ['']],
  ])('wrapWords: %s', (_name, text, width, expected) => {
    expect(wrapWords(text, width)).toEqual(expected);
  });
});
