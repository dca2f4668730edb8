import type { DatasetRef } from './zfs.js';
import type { NoUnknownFields } from './service.js';

/** How often a replication runs: every N hours (N divides 24), daily, or weekly. */
export type ReplicationInterval = `${number}h` | '1d' | '7d';

/**
 * An offsite replication target: another machine with a ZFS pool that receives the listed
 * datasets with syncoid, sending the source's own sanoid snapshots (`--no-sync-snap`).
 */
export interface ReplicationTarget {
  /** Names the systemd units: syncoid-<name>-<dataset>.service/.timer. */
  readonly name: string;
  /** The target machine as SSH reaches it (a DNS name or a tailnet name). */
  readonly host: string;
  /**
   * SSH user on the target; default root, which validate refuses (replication-target-root): a user
   * of its own with `zfs allow` of receive only (no destroy, no rollback; see docs/storage.md).
   */
  readonly user?: string;
  readonly port?: number;
  /** Private key on the Proxmox host that logs in to the target. */
  readonly sshKey: string;
  /** The target's public host key (`ssh-ed25519 AAAA...`); pinned in a known_hosts file when given. */
  readonly hostKey?: string;
  /** The pool on the target, and the dataset below it the replicas go to (default: the source pool's name). */
  readonly pool: string;
  readonly root?: string;
  /** The datasets sent, each on its own (children are not included). */
  readonly datasets: readonly DatasetRef[];
  readonly every: ReplicationInterval;
  /** Start time "HH:MM" (for hourly intervals: the first run of the day); default "01:30". */
  readonly at?: string;
  /** Failed runs in a row the source's snapshots must outlive (the last common snapshot must survive them); default 1. */
  readonly toleratedFailures?: number;
  /** syncoid --source-bwlimit, e.g. "20m" (bytes per second, pv syntax). */
  readonly bandwidthLimit?: string;
}

export function defineReplicationTarget<const T extends ReplicationTarget>(target: NoUnknownFields<T, ReplicationTarget>): T {
  return target;
}

/** The interval in seconds, or undefined when the value is not one the timer can express. */
export function intervalSeconds(every: string): number | undefined {
  if (every === '1d') return 86400;
  if (every === '7d') return 7 * 86400;
  const m = /^(\d+)h$/.exec(every);
  if (!m) return undefined;
  const hours = Number(m[1]);
  return hours > 0 && hours <= 24 && 24 % hours === 0 ? hours * 3600 : undefined;
}

/** "HH:MM" -> [hour, minute], or undefined. */
export function parseTimeOfDay(at: string): [number, number] | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(at);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** systemd OnCalendar for the interval and start time. */
export function onCalendar(every: ReplicationInterval, at = '01:30'): string | undefined {
  const seconds = intervalSeconds(every);
  const time = parseTimeOfDay(at);
  if (seconds === undefined || !time) return undefined;
  const [hour, minute] = time.map((n) => String(n).padStart(2, '0')) as [string, string];
  if (every === '7d') return `Mon *-*-* ${hour}:${minute}:00`;
  if (seconds >= 86400) return `*-*-* ${hour}:${minute}:00`;
  const step = seconds / 3600;
  return `*-*-* ${String(time[0] % step).padStart(2, '0')}/${step}:${minute}:00`;
}

/** Where a dataset lands on the target: <pool>/<root>/<dataset>. */
export function replicaName(target: ReplicationTarget, sourcePool: string, dataset: string): string {
  return [target.pool, target.root ?? sourcePool, dataset].filter(Boolean).join('/');
}
