// scan.json written as a stream: byte for byte what JSON.stringify(document, null, 2) gives, but the large
// arrays (results, accounts) are serialised one element at a time, so an Organization-sized scan never holds
// its whole text in memory at once (at 1,000 accounts that text is hundreds of MB beside the document itself).
import { prettyJson } from '../model/pretty-json.js';
import type { ScanDocument } from '../model/scan.js';

/** Top-level arrays that grow with the Organization. */
const STREAMED_KEYS: ReadonlySet<string> = new Set(['accounts', 'results']);

/** The value as JSON.stringify(value, null, 2) prints it (compact if it nests too deep), indented for its nesting depth. */
const nested = (value: unknown, indent: string): string => prettyJson(value).replace(/\n/g, `\n${indent}`);

/** JSON.stringify leaves out properties whose value has no JSON form. */
const omitted = (value: unknown): boolean => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/**
 * The chunks of `${JSON.stringify(value, null, 2)}\n` for a plain object, the arrays named in `streamed` one
 * element per chunk. Give it to fs.writeFile (which takes an iterable) or a stream.
 */
export function* prettyJsonChunks(value: Record<string, unknown>, streamed: ReadonlySet<string> = STREAMED_KEYS): Generator<string> {
  const entries = Object.entries(value).filter(([, v]) => !omitted(v));
  if (entries.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{';
  for (const [i, [key, v]] of entries.entries()) {
    const head = `${i === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (!streamed.has(key) || !Array.isArray(v) || v.length === 0) {
      yield head + nested(v, '  ');
      continue;
    }
    yield `${head}[`;
    for (const [j, element] of (v as unknown[]).entries()) {
      // Array elements without a JSON form print as null, as JSON.stringify does.
      yield `${j === 0 ? '' : ','}\n    ${omitted(element) ? 'null' : nested(element, '    ')}`;
    }
    yield '\n  ]';
  }
  yield '\n}\n';
}

/** scan.json's text, as chunks (see prettyJsonChunks). */
export function scanJsonChunks(document: ScanDocument): Generator<string> {
  return prettyJsonChunks(document as unknown as Record<string, unknown>);
}

/** One JSON document per line (api-calls.jsonl), a line per chunk. */
export function* jsonLines(items: Iterable<unknown>): Generator<string> {
  for (const item of items) yield `${JSON.stringify(item)}\n`;
}
