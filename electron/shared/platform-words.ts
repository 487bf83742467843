/**
 * A snapshot's software version in words, the same in the app's header and Overview and in
 * `pexlens info`.
 */
import type { PlatformInfo } from '../api.js';

export function platformWords(p: PlatformInfo): string {
  return p.version === null ? 'Pexip Infinity (its platform file gives no version)' : `Pexip Infinity ${p.version}`;
}

/** The platform file's values other than its version (`key=value`, …), or null when it has none. */
export function platformExtras(p: PlatformInfo): string | null {
  const rest = p.fields.filter(([k]) => k !== 'version');
  return rest.length ? rest.map(([k, v]) => `${k}=${v}`).join(', ') : null;
}
