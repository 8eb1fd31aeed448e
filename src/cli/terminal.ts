// The one sanitiser for text that reaches a terminal. Names, keys, prompts, error snippets and file names come
// from AWS or from evidence and may carry escape sequences (OSC 52 clipboard writes, title changes, screen
// clears, CSI cursor moves), C1 controls (a lone U+009B is a CSI on some terminals) or bidi overrides that
// make a line read differently from what it holds. Every character that could act on the terminal is shown
// as a visible escape instead (\x1b, \u202e), so what the attacker planted is still visible to the reader.
import type { Io } from './common.js';

/**
 * C0 controls except tab and newline, DEL, C1 controls, and the invisible formatting characters that reorder
 * or hide text: bidi embeddings/overrides/isolates and marks, zero-width characters, line/paragraph separators
 * and the byte-order mark.
 */
const UNSAFE_IN_OUTPUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
/** The same, plus tab and newline: one value (a name, a key) must not be able to start a fake line. */
const UNSAFE_INLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One untrusted value for a line of text: every control, newline and bidi character is escaped. */
export function sanitizeInline(text: string): string {
  return String(text).replace(UNSAFE_INLINE, visible);
}

/** A whole block of output: lines and tabs stay, everything else that could act on the terminal is escaped. */
export function sanitizeOutput(text: string): string {
  return String(text).replace(UNSAFE_IN_OUTPUT, visible);
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
