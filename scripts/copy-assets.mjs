// tsc does not copy non-TS files; the CLI at runtime needs the JSON Schemas and report assets next to the JS.
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
