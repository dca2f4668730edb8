import type { Lab } from '../model/lab.js';
import { poolSyncCalendar, poolSyncJobs, primaryPoolNode, syncEndpoint, type PoolSyncJob } from '../model/pool-copies.js';
import type { ProxmoxHostDef } from '../model/proxmox-host.js';
import type { Artifact } from './artifact.js';
import { syncoidServiceUnit, syncoidTimerUnit } from './syncoid.js';

/** The cluster's root key (pvecm puts it in every node's authorized_keys), and its known hosts. */
const CLUSTER_KEY = '/root/.ssh/id_rsa';

/** pool-sync-<from>-<to>-<dataset with '/' as '-'>: one service and one timer per dataset and copy. */
export function poolSyncUnitName(job: PoolSyncJob): string {
  return `pool-sync-${job.from}-${job.to}-${job.dataset.replace(/\//g, '-')}`;
}

/**
 * syncoid from the node that writes the dataset to another copy, run on the primary's node (both
 * ends may be other nodes: syncoid pipes between them). `--no-rollback`: a copy written since the
 * last run (a guest recovered there by HA) makes the run fail instead of being rolled back and
 * losing those writes; syncoid's own sync snapshots, so no node needs sanoid for it.
 */
export function poolSyncArgv(lab: Lab, self: string, job: PoolSyncJob): string[] {
  return [
    '/usr/sbin/syncoid',
    '--no-rollback',
    `--sshkey=${CLUSTER_KEY}`,
    '--sshoption=StrictHostKeyChecking=yes',
    syncEndpoint(lab, self, job.from, job.dataset),
    syncEndpoint(lab, self, job.to, job.dataset),
  ];
}

function units(lab: Lab, node: ProxmoxHostDef, job: PoolSyncJob, calendar: string): [string, string] {
  const what = `${lab.facts.zfs.pool}/${job.dataset} from ${job.from} to ${job.to}`;
  return [syncoidServiceUnit(node, `Keep the copy of ${what} in step (syncoid)`, poolSyncArgv(lab, node.node, job)), syncoidTimerUnit(node, `Keep the copy of ${what} in step`, calendar)];
}

/**
 * The syncs between the copies of the pool, rendered by the Proxmox host package of the primary
 * copy (docs/cluster.md: the copies of the pool): none while one node holds the pool, or while
 * the lab declares no `proxmox.poolSync` (validate refuses that: pool-sync-schedule-missing).
 */
export function renderPoolSync(lab: Lab, node: ProxmoxHostDef): Artifact[] {
  const sync = lab.facts.proxmox.poolSync;
  const calendar = sync && poolSyncCalendar(sync);
  if (!calendar || node.pool !== lab.facts.zfs.pool || node.node !== primaryPoolNode(lab)) return [];
  return poolSyncJobs(lab).flatMap((job) => {
    const unit = poolSyncUnitName(job);
    const [service, timer] = units(lab, node, job, calendar);
    return [
      { path: `pool-sync/${unit}.service`, kind: 'pool-sync', content: service, install: { path: `/etc/systemd/system/${unit}.service`, mode: '0644', owner: 'root:root' } },
      { path: `pool-sync/${unit}.timer`, kind: 'pool-sync', content: timer, install: { path: `/etc/systemd/system/${unit}.timer`, mode: '0644', owner: 'root:root', restart: `${unit}.timer` } },
    ];
  });
}
