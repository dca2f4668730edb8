import type { RouteGroup } from './auth-groups.js';
import type { PoolSync } from './pool-copies.js';
import type { AlertFacts } from './alert-receivers.js';
import type { NetworkPlan } from './network.js';
import type { ZfsLayout } from './zfs.js';
import type { HostDef } from './host.js';
import type { ProxmoxHostDef } from './proxmox-host.js';
import type { NoUnknownFields, RoutePage } from './service.js';

import type { ClusterFacts, HaFacts, PlacementRule, ProxmoxNode } from './cluster.js';

/** How far the guests' sum may exceed a node before it is a warning (cores: vCPUs per core; memory: share of RAM). */
export interface Overcommit {
  readonly cores: number;
  readonly memory: number;
}

/** A route by hand to something that is not a service of the lab (a web UI of a device in the network plan). */
export interface ExternalRoute {
  readonly host: string;
  /** The address it forwards to: must be a static address of the network plan. */
  readonly address: string;
  readonly port: number;
  readonly scheme?: 'http' | 'https';
  readonly access: 'authenticated' | { readonly public: string };
  /** For a forward-auth route: who may use it (model/auth-groups.ts; default `users`). */
  readonly group?: RouteGroup;
  readonly description: string;
  /** Its entry on the start page (model/start-page.ts); the description is `description` when it has none. */
  readonly page?: RoutePage;
}

/** The lab's own certificate authority signs the proxy's certificate at deploy (docs/hosts.md, TLS). */
export interface InternalCaTls {
  readonly mode: 'internal-ca';
}

/** Let's Encrypt by a DNS-01 challenge, for a lab whose route domain is a public one the provider serves. */
export interface AcmeDns01Tls {
  readonly mode: 'acme-dns01';
  /** The lego DNS provider code Traefik knows (e.g. `cloudflare`, `ovh`, `hetzner`). */
  readonly provider: string;
  /** The ACME account's e-mail. */
  readonly email: string;
  /** The provider's API token (a secret of the age store). */
  readonly tokenSecret: string;
  /** The provider's environment variable for the token file (lego `<VAR>_FILE`, e.g. `CF_DNS_API_TOKEN_FILE`). */
  readonly tokenEnv: string;
}

export type TlsFacts = InternalCaTls | AcmeDns01Tls;

/** The facts every host needs: what `packages/shared` exports. */
export interface LabFacts {
  readonly name: string;
  /** The internal domain routes are named under (jellyfin -> jellyfin.<domain>). */
  readonly domain: string;
  /**
   * A second domain every route is also named under, one that every client asks DNS for
   * (default `home.arpa`, RFC 8375): `.local` names go to multicast DNS on many clients.
   * Set it equal to `domain` to give each route one name only.
   */
  readonly routeDomain?: string;
  /** Where the certificates the reverse proxy serves come from (default: the lab's internal CA). */
  readonly tls?: TlsFacts;
  /** Where alerts reach the owner: the Alertmanager's receivers (docs/hosts.md, Monitoring). */
  readonly alerts?: AlertFacts;
  readonly timezone: string;
  /** The uid/gid application containers run as (linuxserver PUID/PGID). */
  readonly appIds: { readonly uid: number; readonly gid: number };
  readonly network: NetworkPlan;
  readonly zfs: ZfsLayout;
  readonly proxmox: {
    /** Where a guest runs when neither its own `node` nor a placement rule says. */
    readonly defaultNode: string;
    readonly nodes: Readonly<Record<string, ProxmoxNode>>;
    readonly overcommit?: Overcommit;
    /** The cluster the nodes form; a single-node lab has none (docs/cluster.md). */
    readonly cluster?: ClusterFacts;
    /** Guests placed by rule rather than by their own `node`; the first match wins. */
    readonly placement?: readonly PlacementRule[];
    /** High availability as Proxmox's HA manager does it, and storage replication for it. */
    readonly ha?: HaFacts;
    /** When more than one node holds the pool: how often its copies are brought in step (syncoid; docs/cluster.md). */
    readonly poolSync?: PoolSync;
  };
  /** Routes written by hand, to devices rather than services. */
  readonly externalRoutes?: readonly ExternalRoute[];
}

export function defineLabFacts<const F extends LabFacts>(facts: NoUnknownFields<F, LabFacts>): F {
  return facts;
}

/** The whole lab: the shared facts and every host, as loaded from the workspace. */
export interface Lab {
  readonly facts: LabFacts;
  readonly hosts: readonly HostDef[];
  /** The Proxmox hosts (physical nodes) that have a package of their own. */
  readonly nodes?: readonly ProxmoxHostDef[];
  /**
   * The internal CA's certificate (PEM, public): `secrets/ca.crt` as `homelab secret ca-init`
   * wrote it, read by the loader. Every VM trusts it (cloud-init `ca_certs`, Docker's certs.d).
   */
  readonly caCertificate?: string;
  /**
   * How many age recipients `secrets/lab-ca-key.age` is encrypted to (its header's stanzas), read
   * by the loader: each holder of one of their identities can sign what the lab's devices trust.
   */
  readonly caKeyRecipients?: number;
}
