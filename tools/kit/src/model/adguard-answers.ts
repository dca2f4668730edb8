import type { AdguardDef, DnsRewrite } from './adguard.js';
import type { Lab } from './lab.js';
import { dnsRewrites } from './wiring.js';

/**
 * The newest config schema and the first AdGuard Home release that reads it
 * (internal/configmigrate: LastSchemaVersion 34 since v0.107.74, which added `http.doh`).
 * An older release refuses a newer schema ("unknown current schema version"); a newer one
 * migrates this file forward on start.
 */
export const ADGUARD_SCHEMA = { version: 34, since: 'v0.107.74' } as const;

export const ADGUARD_INSTALL_DIR = '/opt/AdGuardHome';

export function adguardInstallDir(adguard: AdguardDef): string {
  return adguard.installDir ?? ADGUARD_INSTALL_DIR;
}

/** A rewrite with where it comes from: the network plan's host records, the services' routes, or a declared one. */
export interface SourcedRewrite extends DnsRewrite {
  readonly from: 'hostRecords' | 'routes' | `rewrites[${number}]`;
}

/**
 * Every rewrite the server answers, each once, sorted: `<name>.<domain>` for the static addresses
 * of the network plan (when `hostRecords`), every route hostname answering the reverse proxy
 * (the lab's wiring, `dnsRewrites`), then the declared ones.
 */
export function adguardRewrites(lab: Lab, adguard: AdguardDef): SourcedRewrite[] {
  const all: SourcedRewrite[] = [
    ...(adguard.hostRecords
      ? Object.entries(lab.facts.network.addresses).map(([name, a]) => ({ domain: `${name}.${lab.facts.domain}`, answer: a.address, from: 'hostRecords' as const }))
      : []),
    ...dnsRewrites(lab).map((r) => ({ ...r, from: 'routes' as const })),
    ...(adguard.rewrites ?? []).map((r, i) => ({ domain: r.domain, answer: r.answer, from: `rewrites[${i}]` as const })),
  ];
  const seen = new Set<string>();
  return all
    .filter((r) => !seen.has(`${r.domain} ${r.answer}`) && seen.add(`${r.domain} ${r.answer}`))
    .sort((a, b) => a.domain.localeCompare(b.domain) || a.answer.localeCompare(b.answer));
}
