import type { HostKind } from './host.js';

/**
 * A Proxmox VE node of the lab: what it has to give the guests placed on it. A single-node lab
 * needs only cores and memory; a cluster names each node's address and storages too.
 */
export interface ProxmoxNode {
  readonly cores: number;
  readonly memoryMiB: number;
  /** Its management address (deploy reaches it, and the guests on it, there); from the network plan. */
  readonly address?: string;
  /** Its storages by Proxmox storage id, with the GiB guests may take of each (e.g. `{ 'local-zfs': 900 }`). */
  readonly storageGiB?: Readonly<Record<string, number>>;
  /**
   * It holds a copy of the lab's pool (the datasets the guests mount): a guest that mounts the
   * pool can run here, and an HA guest's disks are replicated here (pvesr).
   */
  readonly holdsPool?: boolean;
}

/** The Proxmox cluster the nodes form (`pvecm create <name>`), and the Proxmox VE major version they run. */
export interface ClusterFacts {
  /** The cluster's name: letters, digits and `-`, at most 15 characters (pvecm). */
  readonly name: string;
  /** 9 (default): HA rules in /etc/pve/ha/rules.cfg; 8: HA groups in /etc/pve/ha/groups.cfg. */
  readonly pveVersion?: 8 | 9;
  /**
   * The address of a QDevice (corosync-qnetd on a machine outside the cluster, `pvecm qdevice
   * setup <address>`): the extra vote that keeps an even number of nodes quorate when half are away.
   */
  readonly qdevice?: string;
}

/** Guests placed on a node by a rule instead of their own `node`: the first rule that matches wins. */
export interface PlacementRule {
  /** The guests by name; all of the `kind` when absent. */
  readonly hosts?: readonly string[];
  readonly kind?: HostKind;
  readonly node: string;
  /** One line: why these guests run there. */
  readonly why: string;
}

/** A guest made highly available: Proxmox's HA manager restarts it elsewhere when its node fails. */
export interface HaGuest {
  /** The state the HA manager keeps it in; default `started`. */
  readonly state?: 'started' | 'stopped' | 'disabled' | 'ignored';
  readonly maxRestart?: number;
  readonly maxRelocate?: number;
  /** Go back to its preferred node when that node is back (PVE 9 `failback`, default true). */
  readonly failback?: boolean;
  readonly comment?: string;
  /**
   * Why it is acceptable that this guest moves only with a restart: a VM with virtiofs mounts
   * cannot migrate live, so every move (and maintenance of its node) stops it for a moment.
   */
  readonly offlineMigration?: string;
}

/** PVE 9 `node-affinity`: the guests prefer (strict: may only use) these nodes, by priority (higher first). */
export interface NodeAffinityRule {
  readonly id: string;
  readonly type: 'node-affinity';
  readonly hosts: readonly string[];
  readonly nodes: Readonly<Record<string, number>>;
  readonly strict?: boolean;
  readonly comment?: string;
}

/** PVE 9 `resource-affinity`: the guests are kept together (`positive`) or apart (`negative`). */
export interface ResourceAffinityRule {
  readonly id: string;
  readonly type: 'resource-affinity';
  readonly hosts: readonly string[];
  readonly affinity: 'positive' | 'negative';
  readonly comment?: string;
}

export type HaRule = NodeAffinityRule | ResourceAffinityRule;

/** The lab's HA declarations: the guests (by name), the rules between them, the storage replication schedule. */
export interface HaFacts {
  readonly guests: Readonly<Record<string, HaGuest>>;
  readonly rules?: readonly HaRule[];
  /**
   * How often the disks of HA guests on ZFS are replicated to the other nodes that hold the pool
   * (pvesr, a Proxmox calendar event such as `*\/15`); what a failover loses at most.
   */
  readonly replication?: { readonly schedule: string; readonly rateMBps?: number };
}
