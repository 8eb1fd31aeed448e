// The architecture's walls (DESIGN.md), read from the source as text: the pure core never reaches AWS, only the
// CLI talks to the terminal, and SDK clients are built only in src/aws. eslint enforces the import rule too; this
// test also covers what no lint rule here expresses, and names each file that breaks a wall.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sourcesUnder(dir: string): { file: string; text: string }[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: join(dir, f), text: readFileSync(join(ROOT, dir, f), 'utf8') }));
}

/** Files under `dirs` (outside `except`) whose text matches `pattern`, with the first match. */
function breaches(dirs: string[], pattern: RegExp, except: string[] = []): string[] {
  return dirs
    .flatMap(sourcesUnder)
    .filter(({ file }) => !except.some((e) => file.startsWith(e)))
    .flatMap(({ file, text }) => {
      const m = pattern.exec(text);
      return m ? [`${file}: ${m[0]}`] : [];
    });
}

const IMPORT_OF_AWS = /from\s+['"](@aws-sdk\/[^'"]+|@smithy\/[^'"]+|[^'"]*\/src\/aws(\/[^'"]*)?)['"]/;
const TERMINAL = /\b(process\.(stdout|stderr)|console\.(log|error|warn|info|debug))\b/;
const CLIENT_BUILT = /\bnew\s+[A-Z][A-Za-z0-9]*Client\s*\(/;

describe('architecture walls', () => {
  it('checks/ and reports/ import no AWS SDK package and nothing from src/aws', () => {
    expect(breaches(['checks', 'reports'], IMPORT_OF_AWS)).toEqual([]);
  });

  it('only src/cli/ writes to the terminal', () => {
    expect(breaches(['src', 'checks', 'reports'], TERMINAL, ['src/cli/'])).toEqual([]);
  });

  it('SDK clients are built only in src/aws/ (scan, collect and hunt get theirs from it)', () => {
    expect(breaches(['src', 'checks', 'reports'], CLIENT_BUILT, ['src/aws/'])).toEqual([]);
  });

  it('the patterns catch what they name (so an empty list means something)', () => {
    expect(IMPORT_OF_AWS.test("import { S3Client } from '@aws-sdk/client-s3';")).toBe(true);
    expect(IMPORT_OF_AWS.test("import { apiCall } from '../src/aws/call.js';")).toBe(true);
    expect(IMPORT_OF_AWS.test("import { x } from '../src/model/aws-ids.js';")).toBe(false);
    expect(TERMINAL.test('process.stdout.write(line)')).toBe(true);
    expect(TERMINAL.test('console.error(e)')).toBe(true);
    expect(CLIENT_BUILT.test('const c = new S3Client({ region })')).toBe(true);
    expect(CLIENT_BUILT.test('new ClientError()')).toBe(false);
  });
});
