// Characters of untrusted text that act on a terminal or hide what a line holds, and their visible form. Names,
// keys, prompts and log lines come from AWS or from evidence and may carry escape sequences (OSC 52 clipboard
// writes, title changes, screen clears, CSI cursor moves), C1 controls (a lone U+009B is a CSI on some
// terminals) or bidi overrides that make a line read differently from what it holds. The terminal sanitiser
// (src/cli/terminal.ts) and the HTML escaper (reports/escape.ts) both show them as visible escapes (\x1b, \u202e),
// so what the attacker planted is still visible to the reader.

/**
 * C0 controls except tab and newline, DEL, C1 controls, and the invisible formatting characters that reorder
 * or hide text: bidi embeddings/overrides/isolates and marks, zero-width characters, line/paragraph separators
 * and the byte-order mark.
 */
export const UNSAFE_IN_OUTPUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
/** The same, plus tab and newline: one value (a name, a key) must not be able to start a fake line. */
export const UNSAFE_INLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** The escape a reader sees in place of an unsafe character. */
export function visibleEscape(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
