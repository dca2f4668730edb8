import type { AdguardDef, DnsRewrite } from '../model/adguard.js';
import { daemonsOf } from '../model/daemon.js';
import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { dnsRewrites } from '../model/wiring.js';
import { GENERATED } from './generated.js';
import type { Renderer } from './index.js';
import { secretPlaceholder } from './secret-placeholder.js';
import { toYaml } from './yaml.js';

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

/** AdGuardHome.yaml as a plain object, keys in AdGuard's own order (internal/home/config.go). */
export function adguardDocument(lab: Lab, host: HostDef, adguard: AdguardDef): Record<string, unknown> {
  return {
    http: { address: `${host.address}:${adguard.httpPort}`, session_ttl: '720h' },
    users: adguard.users.map((u) => ({ name: u.name, password: secretPlaceholder(u.passwordHash) })),
    auth_attempts: 5,
    block_auth_min: 15,
    dns: {
      bind_hosts: [...(adguard.dns.bindHosts ?? [host.address])],
      port: adguard.dns.port ?? 53,
      upstream_dns: [...adguard.dns.upstreams],
      bootstrap_dns: [...adguard.dns.bootstrap],
      upstream_mode: 'load_balance',
      use_private_ptr_resolvers: (adguard.dns.privateReverse?.length ?? 0) > 0,
      local_ptr_upstreams: [...(adguard.dns.privateReverse ?? [])],
    },
    filters: adguard.filters.map((f, i) => ({ enabled: f.enabled ?? true, url: f.url, name: f.name, id: i + 1 })),
    filtering: {
      protection_enabled: true,
      filtering_enabled: true,
      rewrites_enabled: true,
      rewrites: adguardRewrites(lab, adguard).map((r) => ({ domain: r.domain, answer: r.answer, enabled: true })),
    },
    schema_version: ADGUARD_SCHEMA.version,
  };
}

/** `adguard/AdGuardHome.yaml`: the users' bcrypt hashes arrive as secret placeholders, filled in at deploy. */
export const renderAdguard: Renderer = (lab, host) =>
  daemonsOf(host, 'adguard').map((adguard) => ({
    path: `${adguard.name}/AdGuardHome.yaml`,
    kind: 'adguard',
    content: toYaml(adguardDocument(lab, host, adguard), { header: GENERATED(host) }),
    install: {
      path: `${adguardInstallDir(adguard)}/AdGuardHome.yaml`,
      mode: '0600',
      owner: 'root:root',
      restart: 'AdGuardHome.service',
      secrets: adguard.users.map((u) => u.passwordHash.name).sort(),
    },
  }));
