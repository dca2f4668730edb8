import { defineProxmoxHost } from '@homelab/kit';
import lab, { network, poolHostExporter, zfs } from '@homelab/shared';

/** The physical host: one Proxmox VE node that holds the pool and runs every guest. */
export default defineProxmoxHost({
  name: 'pve',
  node: lab.proxmox.defaultNode,
  address: network.addressOf('pve'),
  pool: zfs.pool,
  description: 'Proxmox VE node: holds the pool tank, snapshots it with sanoid and replicates it offsite with syncoid.',
  // The host's metrics with the ZFS collector, and the snapshot and replication ages it serves
  // from its textfile folder (written by homelab-zfs-ages.timer).
  nodeExporter: poolHostExporter,
});
