import { createHash } from 'node:crypto';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' };

/** Text and attribute values in HTML and SVG: every character with a meaning in markup escaped. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => ENTITIES[char]);

/**
 * The Content-Security-Policy of a page the API renders: nothing may load or run, but the one
 * inline stylesheet, allowed by its hash (no 'unsafe-inline', no nonce to thread through). The
 * page has no script at all; inline SVG needs no source.
 */
export function pagePolicy(stylesheet: string): string {
  const hash = createHash('sha256').update(stylesheet, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;
}
