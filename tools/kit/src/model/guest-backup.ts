import type { DatasetRef } from './zfs.js';
import type { NoUnknownFields } from './service.js';

/** How many archives a job's storage keeps (Proxmox's `prune-backups`); at least one count above 0. */
export interface BackupKeep {
  readonly last?: number;
  readonly hourly?: number;
  readonly daily?: number;
  readonly weekly?: number;
  readonly monthly?: number;
  readonly yearly?: number;
}

/**
 * A Proxmox backup job (vzdump): it archives whole guests (definition and disks) on a schedule
 * into a `dir` storage on a dataset of the pool. Rendered as a `vzdump:` section of
 * /etc/pve/jobs.cfg and a `dir:` section of /etc/pve/storage.cfg; deploy merges both sections
 * into those files and keeps every other section (local, local-zfs, jobs made in the UI).
 */
export interface GuestBackupJob {
  /** The job's id in jobs.cfg (pve-configid: a letter, then letters, digits, '-', '_'). */
  readonly id: string;
  /** The storage the archives go to: its id in storage.cfg, the dataset, and a folder of it. */
  readonly storage: { readonly id: string; readonly dataset: DatasetRef; readonly sub?: string };
  /** A Proxmox calendar event, e.g. "01:00" (daily) or "sun 03:00". */
  readonly schedule: string;
  /** Every guest of the node, or the listed vmids. */
  readonly guests: 'all' | readonly number[];
  /** snapshot (default; the guest keeps running), suspend, or stop. */
  readonly mode?: 'snapshot' | 'suspend' | 'stop';
  /** Archive compression; default zstd. */
  readonly compress?: 'zstd' | 'gzip' | 'lzo';
  readonly keep: BackupKeep;
  /** One line: why this job exists (jobs.cfg `comment`). */
  readonly comment?: string;
}

export function defineGuestBackupJob<const J extends GuestBackupJob>(job: NoUnknownFields<J, GuestBackupJob>): J {
  return job;
}

/** `keep-daily=7,keep-weekly=4` in Proxmox's order (last, hourly, daily, weekly, monthly, yearly). */
export function pruneBackupsValue(keep: BackupKeep): string {
  const order: (keyof BackupKeep)[] = ['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'];
  return order.filter((k) => keep[k] !== undefined).map((k) => `keep-${k}=${keep[k]}`).join(',');
}
