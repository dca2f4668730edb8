import type { AdguardDef } from '../model/adguard.js';
import { daemonsOf } from '../model/daemon.js';
import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { ADGUARD_SCHEMA, adguardInstallDir, adguardRewrites } from '../model/adguard-answers.js';
import { adguardRelease } from '../model/unit-source.js';
import { GENERATED } from './generated.js';
import type { Renderer } from './index.js';
import { secretPlaceholder } from './secret-placeholder.js';
import { toYaml } from './yaml.js';
import { DAEMON_UNITS } from '../model/daemon.js';

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
      restart: DAEMON_UNITS.adguard.unit,
      source: adguardRelease(adguard.version, adguardInstallDir(adguard), adguard.sha256),
      secrets: adguard.users.map((u) => u.passwordHash.name).sort(),
    },
  }));
