// One page shell for every HTML report (readiness and incident): a self-contained file whose inline style and
// script are pinned by hash in a Content-Security-Policy that allows nothing else (no network, no other script).
import { createHash } from 'node:crypto';
import { html, raw, type SafeHtml } from './escape.js';

export interface PageSpec {
  title: string;
  /** Inline stylesheet (trusted, ours). */
  css: string;
  /** Everything inside <body> before the scripts. */
  body: SafeHtml;
  /** Inline script (trusted, ours); without it the page allows no script at all. */
  script?: string;
  /** Data for the script, embedded as <script type="application/json" id=…> (already made safe by jsonForScript). */
  data?: { id: string; json: string };
  /** 'data' lets the page show data: images (charts); default none. */
  images?: 'data' | 'none';
}

const sha256b64 = (s: string): string => createHash('sha256').update(s).digest('base64');

/**
 * The CSP of a report page. frame-ancestors is not listed: browsers ignore it in a <meta> policy, and a report
 * opened from disk has no server to send it as a header.
 */
export function contentSecurityPolicy(spec: Pick<PageSpec, 'css' | 'script' | 'images'>): string {
  return [
    "default-src 'none'",
    spec.script === undefined ? "script-src 'none'" : `script-src 'sha256-${sha256b64(spec.script)}'`,
    `style-src 'sha256-${sha256b64(spec.css)}'`,
    spec.images === 'data' ? 'img-src data:' : "img-src 'none'",
    "connect-src 'none'",
    "font-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function renderPage(spec: PageSpec): string {
  const data = spec.data ? html`<script type="application/json" id="${spec.data.id}">${raw(spec.data.json)}</script>\n` : '';
  const script = spec.script === undefined ? '' : html`<script>${raw(spec.script)}</script>\n`;
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(spec)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${spec.title}</title>
<style>${raw(spec.css)}</style>
</head><body>
${spec.body}${data}${script}</body></html>
`.value;
}
