/**
 * Escaping for the HTML report. Besides the usual characters it breaks up `scheme://` so that
 * URLs quoted from the log (Url="https://...") are shown as text but the file contains no
 * address a reader or a scanner could mistake for a reference to something outside.
 */
const MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => MAP[c]!).replace(/([A-Za-z][A-Za-z0-9+.-]*):\/\//g, '$1&#58;//');
}
