// The one sanitiser for text that reaches a terminal: every character that could act on the terminal or hide
// what a line holds is shown as a visible escape (src/model/unsafe-text.ts says which and why).
import { UNSAFE_INLINE, UNSAFE_IN_OUTPUT, visibleEscape } from '../model/unsafe-text.js';
import type { Io } from './common.js';

/** One untrusted value for a line of text: every control, newline and bidi character is escaped. */
export function sanitizeInline(text: string): string {
  return String(text).replace(UNSAFE_INLINE, visibleEscape);
}

/** A whole block of output: lines and tabs stay, everything else that could act on the terminal is escaped. */
export function sanitizeOutput(text: string): string {
  return String(text).replace(UNSAFE_IN_OUTPUT, visibleEscape);
}

/**
 * JSON for stdout that a terminal cannot misread: JSON.stringify already escapes C0 controls inside strings;
 * C1 controls and the formatting characters are escaped too (\u009b), which is still the same JSON value.
 */
export function terminalSafeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_IN_OUTPUT, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A stream that sanitises everything written through it (the last line of defence for every print path). */
export function guardStream(target: NodeJS.WritableStream): NodeJS.WritableStream {
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text =
      typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
    return (target.write as (c: string, ...r: unknown[]) => boolean)(sanitizeOutput(text), ...rest);
  };
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (prop === 'write') return write;
      const value: unknown = Reflect.get(obj, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
    },
  });
}

/**
 * The Io every command gets: stdout and stderr sanitise all text. Only a progress bar may draw on the raw
 * terminal (`tty`), and it sanitises the values it shows itself.
 */
export function guardIo(io: Io): Io {
  if (io.guarded) return io;
  const tty = io.tty ?? (io.stderrIsTTY ? (io.stderr as NodeJS.WriteStream) : undefined);
  return { ...io, stdout: guardStream(io.stdout), stderr: guardStream(io.stderr), ...(tty ? { tty } : {}), guarded: true };
}
