import type { Lab } from './lab.js';
import type { ProxmoxHostDef } from './proxmox-host.js';
import { intervalSeconds } from './replication.js';
import { SNAPSHOT_KINDS, policyFor, snapshotPeriodSeconds, takesSnapshots, type SnapshotPolicy } from './snapshots.js';
import { datasetFullName, layoutDatasets } from './zfs.js';

/** Grace for a replication run to finish after its timer fires. */
const REPLICATION_RUN_SECONDS = 3600;

/**
 * How old a dataset's newest snapshot may get under its policy before an alert: two periods of
 * the most frequent kind it keeps (one missed sanoid run passes, two do not).
 */
export function snapshotMaxAgeSeconds(policy: SnapshotPolicy): number | undefined {
  const kind = SNAPSHOT_KINDS.find((k) => (policy.keep[k] ?? 0) > 0);
  return kind && takesSnapshots(policy) ? 2 * snapshotPeriodSeconds(kind, policy.frequentPeriodMinutes) : undefined;
}

export interface SnapshotAge {
  /** The full dataset name (tank/services/apps), as `zfs list` prints it. */
  readonly dataset: string;
  readonly policy: string;
  readonly maxAgeSeconds: number;
}

export interface ReplicationAge {
  readonly target: string;
  readonly dataset: string;
  readonly maxAgeSeconds: number;
}

/**
 * The age limits the Proxmox host's metrics carry, from the model: every dataset of the layout
 * whose policy takes snapshots, and every replicated dataset (its interval times the failed runs
 * it tolerates plus one, and an hour for the run).
 */
export function zfsAgeLimits(lab: Lab, node: ProxmoxHostDef): { snapshots: SnapshotAge[]; replication: ReplicationAge[] } {
  const snapshots: SnapshotAge[] = [];
  if (node.pool === lab.facts.zfs.pool) {
    for (const name of layoutDatasets(lab.facts.zfs)) {
      const found = policyFor(node.snapshots, name);
      const max = found && snapshotMaxAgeSeconds(found.policy);
      if (found && max) snapshots.push({ dataset: datasetFullName(node.pool, name), policy: found.policy.name, maxAgeSeconds: max });
    }
  }
  const replication: ReplicationAge[] = [];
  for (const target of node.replication ?? []) {
    const every = intervalSeconds(target.every);
    if (every === undefined) continue; // reported by the replication rules
    for (const ref of target.datasets) {
      replication.push({ target: target.name, dataset: datasetFullName(node.pool, ref.name), maxAgeSeconds: every * ((target.toleratedFailures ?? 1) + 1) + REPLICATION_RUN_SECONDS });
    }
  }
  return { snapshots, replication };
}
