import type { Lab } from '../model/lab.js';
import { pruneBackupsValue, type GuestBackupJob } from '../model/guest-backup.js';
import { proxmoxDatasetPath } from '../model/lxc.js';
import { isCluster } from '../model/placement.js';
import type { ProxmoxHostDef } from '../model/proxmox-host.js';
import { backupStorageNodes, backupStoragePath } from '../model/backup-storage.js';
import type { Artifact } from './artifact.js';
import { nodeFileHeader, section } from './section-config.js';

/**
 * The `dir` storage a job writes to (pve-storage's DirPlugin): content backup only, on the nodes
 * with the pool only, and `is_mountpoint` the dataset's mountpoint, so that with the pool not
 * imported the storage is offline instead of filling the root file system.
 */
export function backupStorageSection(lab: Lab, node: ProxmoxHostDef, job: GuestBackupJob): string {
  const path = backupStoragePath(lab, job);
  const mountpoint = proxmoxDatasetPath(lab.facts.zfs, job.storage.dataset.name);
  return section('dir', job.storage.id, [
    ['path', path],
    ['content', 'backup'],
    ['nodes', backupStorageNodes(lab, node).join(',')],
    ['is_mountpoint', mountpoint === path ? 'yes' : mountpoint],
  ]);
}

/**
 * The `vzdump:` job of /etc/pve/jobs.cfg (pve-manager's VZDump job: schedule, guests, storage,
 * mode, prune-backups). `node` ("only run if executed on this node") names the pool's node; in a
 * cluster it is left out, so the job runs on every node and each archives the guests it runs.
 */
export function backupJobSection(lab: Lab, node: ProxmoxHostDef, job: GuestBackupJob): string {
  return section('vzdump', job.id, [
    ['schedule', job.schedule],
    ...(job.guests === 'all' ? ([['all', 1]] as const) : ([['vmid', [...job.guests].sort((a, b) => a - b).join(',')]] as const)),
    ['comment', job.comment],
    ['compress', job.compress ?? 'zstd'],
    ['enabled', 1],
    ['mode', job.mode ?? 'snapshot'],
    ['node', isCluster(lab.facts) ? undefined : node.node],
    ['notes-template', '{{guestname}}'],
    ['prune-backups', pruneBackupsValue(job.keep)],
    ['storage', job.storage.id],
  ]);
}


/**
 * storage.cfg and jobs.cfg fragments. Both files are the cluster's and hold sections the lab
 * does not own (local, local-zfs, jobs made in the UI): deploy merges these sections in by
 * type and id (`install.merge: 'sections'`) and keeps every other one.
 */
export function renderGuestBackups(lab: Lab, node: ProxmoxHostDef): Artifact[] {
  const jobs = node.guestBackups ?? [];
  if (jobs.length === 0 || node.pool !== lab.facts.zfs.pool) return [];
  const storages = [...new Map(jobs.map((j) => [j.storage.id, backupStorageSection(lab, node, j)])).values()];
  return [
    { path: 'storage.cfg', kind: 'pve-storage', content: nodeFileHeader(node) + storages.join(''), install: { path: '/etc/pve/storage.cfg', merge: 'sections' } },
    { path: 'jobs.cfg', kind: 'pve-jobs', content: nodeFileHeader(node) + jobs.map((j) => backupJobSection(lab, node, j)).join(''), install: { path: '/etc/pve/jobs.cfg', merge: 'sections' } },
  ];
}
