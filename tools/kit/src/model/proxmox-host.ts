import type { DeployTarget, HostDef } from './host.js';
import type { Lab } from './lab.js';
import type { GuestBackupJob } from './guest-backup.js';
import type { ReplicationTarget } from './replication.js';
import type { SnapshotAssignments } from './snapshots.js';
import type { NodeExporterDef } from './node-exporter.js';
import type { NoUnknownFields } from './service.js';

/**
 * The physical Proxmox host: not a guest (no vmid, no compose stack), but a machine the lab
 * renders files for and deploys to: the ZFS datasets, their snapshots and replication, and the
 * cluster-wide directory mappings the VMs mount datasets through.
 */
export interface ProxmoxHostSpec {
  /** The host package's name (packages/<name>). */
  readonly name: string;
  /** The Proxmox node it is, as the guests' `node` and the facts' `proxmox.nodes` name it. */
  readonly node: string;
  /** Its management address, from the network plan. */
  readonly address: string;
  /** The ZFS pool it holds (the layout in the facts). */
  readonly pool: string;
  readonly description?: string;
  readonly deploy?: DeployTarget;
  /** The host's own metrics (ZFS included) for the lab's Prometheus; deploy installs the package. */
  readonly nodeExporter?: NodeExporterDef;
}

export interface ProxmoxStorage {
  /** Snapshot policy per dataset subtree. */
  readonly snapshots: SnapshotAssignments;
  /** Offsite replication targets. */
  readonly replication?: readonly ReplicationTarget[];
  /** Proxmox backup jobs (vzdump) that archive the guests into a storage on the pool. */
  readonly guestBackups?: readonly GuestBackupJob[];
}

export interface ProxmoxHostDef extends ProxmoxHostSpec, ProxmoxStorage {
  readonly kind: 'pve';
}

/** The node's facts: what a Proxmox host package's src/host.ts exports. */
export function defineProxmoxHost<const H extends ProxmoxHostSpec>(spec: NoUnknownFields<H, ProxmoxHostSpec>): H & { readonly kind: 'pve' } {
  return { ...spec, kind: 'pve' };
}

/** The node with its storage: what a Proxmox host package's src/index.ts exports. */
export function defineProxmoxStorage(host: ProxmoxHostSpec, storage: ProxmoxStorage): ProxmoxHostDef {
  return { ...host, ...storage, kind: 'pve' };
}

/** A machine the lab builds and deploys: a guest (VM or LXC) or a Proxmox host. */
export type Machine = HostDef | ProxmoxHostDef;

export function isProxmoxHost(value: unknown): value is ProxmoxHostDef {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'pve';
}

/** Every machine of the lab, sorted by name. */
export function labMachines(lab: Lab): Machine[] {
  return [...lab.hosts, ...(lab.nodes ?? [])].sort((a, b) => a.name.localeCompare(b.name));
}

/** The Proxmox host that holds the lab's pool, if the lab has one. */
export function poolHost(lab: Lab): ProxmoxHostDef | undefined {
  return (lab.nodes ?? []).find((n) => n.pool === lab.facts.zfs.pool);
}
