import type { HostDef } from './host.js';
import type { Lab } from './lab.js';
import { isLxcHost } from './lxc.js';
import { oncePer } from './once-per.js';
import { guestNode, nodeAddress, poolNodes } from './placement.js';
import { poolHost } from './proxmox-host.js';
import { isVmHost } from './qemu.js';
import { onCalendar, type ReplicationInterval } from './replication.js';
import { isWithinDataset } from './zfs.js';

/**
 * How often the copies of the pool on the nodes that hold one are brought in step (syncoid). A
 * guest reads and writes the copy on the node it runs on; each dataset is written on one node and
 * sent from there to every other copy, so a dataset read elsewhere lags by at most this much, and
 * a guest recovered on another node finds its data as of the last run.
 */
export interface PoolSync {
  /** Every N minutes (N divides 60), every N hours (N divides 24), daily or weekly. */
  readonly every: ReplicationInterval | `${number}min`;
  /** Start time "HH:MM" for hourly and longer intervals; default "01:30". */
  readonly at?: string;
}

/** One guest's mount of a pool dataset: where the model declares it, and whether it writes. */
export interface PoolMount {
  readonly host: string;
  readonly node: string;
  readonly dataset: string;
  readonly writes: boolean;
  /** `storage[0]` (a VM's virtiofs share) or `mounts[2]` (a container's bind mount). */
  readonly field: string;
}

/** The pool datasets the guest mounts: a VM's virtiofs shares, a container's bind mounts; each with whether the guest writes it. */
export function poolMounts(lab: Lab, host: HostDef): PoolMount[] {
  const node = guestNode(lab.facts, host);
  const pool = lab.facts.zfs.pool;
  if (isLxcHost(host)) {
    return (host.mounts ?? []).flatMap((m, i) => (m.dataset.pool === pool ? [{ host: host.name, node, dataset: m.dataset.name, writes: !m.readOnly, field: `mounts[${i}]` }] : []));
  }
  if (!isVmHost(host)) return [];
  // A VM writes a share its services mount writable, or one no service mounts (what writes it is not declared).
  const volumes = host.services.flatMap((s) => (s.volumes ?? []).flatMap((v) => ('dataset' in v ? [v] : [])));
  const writes = (name: string) => {
    const mine = volumes.filter((v) => isWithinDataset(v.dataset.name, name));
    return mine.length === 0 || mine.some((v) => !v.readOnly);
  };
  return host.storage.flatMap((d, i) => (d.pool === pool ? [{ host: host.name, node, dataset: d.name, writes: writes(d.name), field: `storage[${i}]` }] : []));
}

/** The node that holds the pool's primary copy: the Proxmox host package's, else the default node. */
export function primaryPoolNode(lab: Lab): string {
  return poolHost(lab)?.node ?? lab.facts.proxmox.defaultNode;
}

/**
 * Each dataset the guests mount, with the nodes that write it. A dataset no guest writes is
 * written where the primary copy is.
 */
export const datasetWriters = oncePer((lab: Lab): ReadonlyMap<string, ReadonlyMap<string, readonly PoolMount[]>> => {
  const out = new Map<string, Map<string, PoolMount[]>>();
  for (const mount of lab.hosts.flatMap((h) => poolMounts(lab, h))) {
    const byNode = out.get(mount.dataset) ?? new Map<string, PoolMount[]>();
    out.set(mount.dataset, byNode);
    if (mount.writes) byNode.set(mount.node, [...(byNode.get(mount.node) ?? []), mount]);
  }
  return out;
});

/** One sync: a dataset sent from the node that writes it to another node with a copy of the pool. */
export interface PoolSyncJob {
  readonly dataset: string;
  readonly from: string;
  readonly to: string;
}

/**
 * The syncs that keep the copies in step: for each dataset a guest mounts, from the one node that
 * writes it (the primary's node when none does) to every other node that holds the pool. None
 * while only one node holds it. A dataset written on two nodes has no source (pool-copies-diverge).
 */
export const poolSyncJobs = oncePer((lab: Lab): readonly PoolSyncJob[] => {
  const holders = [...poolNodes(lab)].sort();
  if (holders.length < 2) return [];
  const jobs: PoolSyncJob[] = [];
  for (const [dataset, writers] of [...datasetWriters(lab)].sort(([a], [b]) => a.localeCompare(b))) {
    if (writers.size > 1) continue;
    const from = [...writers.keys()][0] ?? primaryPoolNode(lab);
    for (const to of holders) if (to !== from) jobs.push({ dataset, from, to });
  }
  return jobs;
});

/** systemd OnCalendar for the sync schedule, or undefined when it is not one a timer can express. */
export function poolSyncCalendar(sync: PoolSync): string | undefined {
  const minutes = /^(\d+)min$/.exec(sync.every);
  if (!minutes) return onCalendar(sync.every as ReplicationInterval, sync.at);
  const n = Number(minutes[1]);
  return n > 0 && n < 60 && 60 % n === 0 ? `*-*-* *:00/${String(n).padStart(2, '0')}:00` : undefined;
}

/** A dataset as syncoid names it from the node that runs the job: local, or `root@<address>:<pool>/<dataset>`. */
export function syncEndpoint(lab: Lab, self: string, node: string, dataset: string): string {
  const name = `${lab.facts.zfs.pool}/${dataset}`;
  return node === self ? name : `root@${nodeAddress(lab, node) ?? node}:${name}`;
}
