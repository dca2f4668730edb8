import type { SecretRef } from './secret.js';
import type { NoUnknownFields } from './service.js';

/** One DNS rewrite: a domain (wildcards `*.x` allowed) answered with an IP address or a name (CNAME). */
export interface DnsRewrite {
  readonly domain: string;
  readonly answer: string;
  /** Why it exists, for the reader of the source (not rendered). */
  readonly reason?: string;
}

/** A web UI account; AdGuard Home stores a bcrypt hash, which arrives from a secret at deploy. */
export interface AdguardUser {
  readonly name: string;
  /** The secret holding the account's bcrypt hash (`htpasswd -B -C 10 -n -b <name> <password>`, after the colon). */
  readonly passwordHash: SecretRef;
}

export interface AdguardSpec {
  readonly name: string;
  /** The AdGuard Home release the container runs, e.g. "v0.107.79"; it fixes the config schema written. */
  readonly version: string;
  /**
   * The SHA-256 of that release's AdGuardHome_linux_amd64.tar.gz (the release's checksums):
   * deploy's download stops on any other content. Unset, the archive is taken as GitHub serves it.
   */
  readonly sha256?: string;
  /**
   * Where the binary and AdGuardHome.yaml live in the container (the install script's default
   * /opt/AdGuardHome). AdGuard keeps its data (filters, query log, statistics, sessions) in
   * `<installDir>/data`, which the container must bind-mount from a dataset.
   */
  readonly installDir?: string;
  /** The web UI's port on the container's address. */
  readonly httpPort: number;
  readonly dns: {
    /** Addresses to answer on; the container's LAN address when absent. */
    readonly bindHosts?: readonly string[];
    readonly port?: number;
    /** Upstream resolvers (DoH/DoT URLs or plain addresses). */
    readonly upstreams: readonly string[];
    /** Plain-IP resolvers used only to resolve the upstreams' own hostnames. */
    readonly bootstrap: readonly string[];
    /** Where reverse lookups of LAN addresses go (the router knows DHCP names). */
    readonly privateReverse?: readonly string[];
  };
  /** The AdGuard DNS filter lists, in order (id = position + 1). */
  readonly filters: readonly { readonly name: string; readonly url: string; readonly enabled?: boolean }[];
  /** Answer `<name>.<domain>` with its address for every static address of the network plan. */
  readonly hostRecords?: boolean;
  /** Local answers (route hostnames -> the reverse proxy); the lab's wiring adds one per route. */
  readonly rewrites?: readonly DnsRewrite[];
  readonly users: readonly AdguardUser[];
}

export interface AdguardDef extends AdguardSpec {
  readonly kind: 'adguard';
}

/** AdGuard Home as an LXC runs it: one file per container, `export default defineAdguard({...})`. */
export function defineAdguard<const S extends AdguardSpec>(spec: NoUnknownFields<S, AdguardSpec>): S & { readonly kind: 'adguard' } {
  return { ...spec, kind: 'adguard' };
}
