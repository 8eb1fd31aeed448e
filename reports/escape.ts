// HTML escaping for report output. Every string that came from a scan is attacker-controlled (account names,
// ARNs, tags, reasons, evidence): it only reaches HTML through esc() / the html`` template below. Controls and
// bidi or invisible characters become visible escapes as in the terminal (a bidi override would make an ARN in
// the report read differently from what the evidence holds).
import { UNSAFE_IN_OUTPUT, visibleEscape } from '../src/model/unsafe-text.js';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function esc(value: unknown): string {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects became JSON just before; what reaches String() is a primitive or a function
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[&<>"'`]/g, (c) => ESC[c]!).replace(UNSAFE_IN_OUTPUT, visibleEscape);
}

/** A fragment that is already safe HTML (built by html`` or by our own code from constants). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function raw(trusted: string): SafeHtml {
  return new SafeHtml(trusted);
}

type Interp = SafeHtml | string | number | boolean | null | undefined | ReadonlyArray<Interp>;

function part(v: Interp): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(part).join('');
  return esc(v);
}

/** Tagged template: every interpolated value is escaped unless it is a SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: Interp[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += part(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** JSON for a <script type="application/json"> block: `<`, `>`, `&` and line separators become \u escapes. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
