import { datasetWriters, poolSyncCalendar, poolSyncJobs } from '../../model/pool-copies.js';
import { poolNodes } from '../../model/placement.js';
import { defineRule } from '../rule.js';

/**
 * The copies of the pool stay in step only if each dataset is written on one node (it is sent
 * from there to the other copies): guests on two nodes writing one dataset write two copies that
 * drift apart, and no sync can merge them. And with more than one copy there must be a schedule.
 */
export const poolCopiesRule = defineRule({
  description: 'The copies of the pool stay in step: each dataset written on one node, synced on a valid schedule',
  docs: 'findings.md#a-proxmox-cluster-placement-capacity-ha-replication',
  codes: ['pool-copies-diverge', 'pool-sync-schedule-missing', 'pool-sync-schedule-invalid'],
  check(lab, findings) {
    const holders = [...poolNodes(lab)].sort();
    if (holders.length < 2) return;
    const pool = lab.facts.zfs.pool;
    for (const [dataset, writers] of datasetWriters(lab)) {
      if (writers.size < 2) continue;
      const [first, ...others] = [...writers].sort(([a], [b]) => a.localeCompare(b));
      const names = (n: readonly { host: string }[]) => n.map((m) => m.host).join(', ');
      for (const [node, mounts] of others) {
        findings.error('pool-copies-diverge', `${mounts[0]!.host}/${mounts[0]!.field}`, `${pool}/${dataset} is written by ${names(first![1])} on ${first![0]} and by ${names(mounts)} on ${node}: each writes the copy of its own node, the copies drift apart and no sync can merge them. Place the guests that write it on one node, or mount it read-only on the other (readOnly: true).`);
      }
    }
    const sync = lab.facts.proxmox.poolSync;
    if (!sync) {
      if (poolSyncJobs(lab).length > 0) findings.error('pool-sync-schedule-missing', 'shared/proxmox/poolSync', `nodes ${holders.join(', ')} hold copies of ${pool}, but the lab declares no poolSync: the copies would never be brought in step. Declare one, e.g. poolSync: { every: '15min' }.`);
    } else if (!poolSyncCalendar(sync)) {
      findings.error('pool-sync-schedule-invalid', 'shared/proxmox/poolSync.every', `poolSync every "${sync.every}"${sync.at ? ` at "${sync.at}"` : ''} is not a schedule a timer can keep: every N minutes (N divides 60, e.g. '15min'), N hours (N divides 24), '1d' or '7d', at "HH:MM".`);
    }
  },
});
