// Pretty-printed JSON whose size stays linear in the data. JSON.stringify(v, null, 2) indents every line by its
// depth, so a value nested thousands of levels deep (a hostile request parameter of a few kB) becomes megabytes of
// spaces. Such a value is written compact instead: the same data, one line.

/** Nesting (objects and arrays) beyond which a value is written compact. AWS's own shapes stay far below it. */
export const MAX_PRETTY_DEPTH = 32;

/** Whether `value` has objects or arrays nested more than `max` levels deep (stops at the first path that does). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** `JSON.stringify(value, null, 2)`, or the compact form when the value nests deeper than MAX_PRETTY_DEPTH. */
export function prettyJson(value: unknown): string {
  return nestedDeeperThan(value, MAX_PRETTY_DEPTH) ? JSON.stringify(value) : JSON.stringify(value, null, 2);
}
