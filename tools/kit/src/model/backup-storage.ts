import type { GuestBackupJob } from './guest-backup.js';
import type { Lab } from './lab.js';
import { proxmoxDatasetPath } from './lxc.js';
import { isCluster, poolNodes } from './placement.js';
import type { ProxmoxHostDef } from './proxmox-host.js';

/** Where a job's archives go on the node: the dataset's mountpoint, or a folder of it. */
export function backupStoragePath(lab: Lab, job: GuestBackupJob): string {
  return proxmoxDatasetPath(lab.facts.zfs, job.storage.dataset.name, job.storage.sub);
}

/**
 * The nodes a job's storage is on: the pool's node, or in a cluster every node that holds a copy
 * of the pool (each archives its own guests into its own copy of the dataset, at the same path).
 */
export function backupStorageNodes(lab: Lab, node: ProxmoxHostDef): string[] {
  return isCluster(lab.facts) ? [...poolNodes(lab)].sort() : [node.node];
}
