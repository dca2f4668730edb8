import type { Lab } from '../model/lab.js';
import { dnsRewrites } from '../model/wiring.js';

/** Every hostname the reverse proxy answers for: the names its certificate must carry (the routes' DNS rewrites). */
export function certificateNames(lab: Lab): string[] {
  return [...new Set(dnsRewrites(lab).map((r) => r.domain))].sort();
}
