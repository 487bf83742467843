/**
 * Hash routes (`#/lines?q=...`, `#/calls`, `#/call/<id>`): the page URL's query string carries the
 * browser-mode token, so everything the UI navigates lives in the hash.
 */

export interface Route {
  /** Path segments, e.g. ['call', 'abc']. */
  parts: string[];
  params: URLSearchParams;
}

function parse(hash: string): Route {
  const h = hash.replace(/^#/, '') || '/lines';
  const q = h.indexOf('?');
  const path = q < 0 ? h : h.slice(0, q);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts: parts.length ? parts : ['lines'], params: new URLSearchParams(q < 0 ? '' : h.slice(q + 1)) };
}

export const route = $state<{ current: Route }>({ current: parse(location.hash) });
/** The hash `route.current` was parsed from: differs from location.hash while a navigation's hashchange is pending. */
let routedHash = location.hash;

/**
 * The last hash of each view (its first path part): the header's tabs and the "← Calls" links go
 * back to a view as it was left (the explorer's search and selected line, the call search), not
 * to its empty start.
 */
const lastOf = $state<Record<string, string>>({});

function routeTo(hash: string): void {
  routedHash = hash;
  route.current = parse(hash);
  lastOf[route.current.parts[0]!] = hash || '#/lines';
}
routeTo(location.hash);

window.addEventListener('hashchange', () => routeTo(location.hash));

/** Where a link to a view goes: the view as it was last shown, else its start. */
export function lastHref(view: string): string {
  return lastOf[view] ?? href([view]);
}

export function href(parts: string[], params?: Record<string, string | number | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
  const qs = p.toString().replace(/\+/g, '%20');
  return '#/' + parts.map(encodeURIComponent).join('/') + (qs ? '?' + qs : '');
}

/**
 * Navigates; `replace` keeps the history short for state that changes as the user types. A
 * replace updates the view the user is on: it is dropped when the user has gone elsewhere meanwhile
 * (a link clicked, its hashchange still pending, or another view) — a view's late timer must not
 * take them back.
 */
export function go(parts: string[], params?: Record<string, string | number | null | undefined>, replace = false): void {
  const h = href(parts, params);
  if (h === location.hash) return;
  if (replace) {
    if (location.hash !== routedHash || route.current.parts[0] !== parts[0]) return;
    history.replaceState(history.state, '', h);
    routeTo(h);
  } else location.hash = h;
}

/** A time in the route's parameters (`?from=`, `?to=`) as an ISO time; null when absent or not a time. */
export function timeParam(name: string): string | null {
  const v = route.current.params.get(name);
  return v && Number.isFinite(Date.parse(v)) ? new Date(v).toISOString() : null;
}
