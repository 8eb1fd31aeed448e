// Post-build steps tsc does not do: copy the JSON Schemas and report assets next to the JS, and make the bin executable.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
const pairs = [
  ['src/model/schemas', 'dist/src/model/schemas'],
  ['reports/assets', 'dist/reports/assets'],
];
for (const [from, to] of pairs) {
  if (!existsSync(from)) continue;
  mkdirSync(to, { recursive: true });
  cpSync(from, to, { recursive: true });
}

// tsc writes files without the executable bit; `npx forensight` runs the bin directly.
import { chmodSync } from 'node:fs';
if (existsSync('dist/src/cli/bin.js')) chmodSync('dist/src/cli/bin.js', 0o755);
