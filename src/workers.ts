// Where a worker thread's compiled module is, and how many workers to start: shared by collect's parse pool and
// analyze's reader pool.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Worker threads by default: every core, at most `max`. */
export function defaultWorkerCount(max: number): number {
  return Math.min(max, availableParallelism());
}

/**
 * The compiled worker `name` beside the module at `moduleUrl`; from the TypeScript sources (tests), the build's
 * copy under dist/. Null when there is none: callers work in-thread.
 */
export function compiledWorkerUrl(moduleUrl: string, name: string): URL | null {
  const sibling = new URL(`./${name}.js`, moduleUrl);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  const m = /^(.*)\/src\/((?:[^/]+\/)*)[^/]+\.ts$/.exec(moduleUrl);
  if (!m) return null;
  const built = new URL(`${m[1]}/dist/src/${m[2]}${name}.js`);
  return existsSync(fileURLToPath(built)) ? built : null;
}
