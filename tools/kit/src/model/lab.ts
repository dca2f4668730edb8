import type { NetworkPlan } from './network.js';
import type { ZfsLayout } from './zfs.js';
import type { HostDef } from './host.js';
import type { ProxmoxHostDef } from './proxmox-host.js';

export interface ProxmoxNode {
  readonly cores: number;
  readonly memoryMiB: number;
}

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
  readonly description: string;
}

/** The facts every host needs: what `packages/shared` exports. */
export interface LabFacts {
  readonly name: string;
  /** The internal domain routes are named under (jellyfin -> jellyfin.<domain>). */
  readonly domain: string;
  readonly timezone: string;
  /** The uid/gid application containers run as (linuxserver PUID/PGID). */
  readonly appIds: { readonly uid: number; readonly gid: number };
  readonly network: NetworkPlan;
  readonly zfs: ZfsLayout;
  readonly proxmox: {
    readonly defaultNode: string;
    readonly nodes: Readonly<Record<string, ProxmoxNode>>;
    readonly overcommit?: Overcommit;
  };
  /** Routes written by hand, to devices rather than services. */
  readonly externalRoutes?: readonly ExternalRoute[];
}

export function defineLabFacts<const F extends LabFacts>(facts: F): F {
  return facts;
}

/** The whole lab: the shared facts and every host, as loaded from the workspace. */
export interface Lab {
  readonly facts: LabFacts;
  readonly hosts: readonly HostDef[];
  /** The Proxmox hosts (physical nodes) that have a package of their own. */
  readonly nodes?: readonly ProxmoxHostDef[];
}
