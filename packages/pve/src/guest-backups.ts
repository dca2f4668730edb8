import { defineGuestBackupJob } from '@homelab/kit';
import { zfs } from '@homelab/shared';

/**
 * Every guest, whole (definition and disks), archived nightly by Proxmox's own backup job into
 * tank/backups/vzdump: a guest that will not boot after an upgrade comes back with one restore,
 * which the datasets' snapshots (data only) cannot give.
 */
export const guests = defineGuestBackupJob({
  id: 'homelab-guests',
  storage: { id: 'tank-backups', dataset: zfs.dataset('backups/vzdump') },
  // After the evening's use, before syncoid's 02:30 run.
  schedule: '01:00',
  guests: 'all',
  mode: 'snapshot',
  keep: { daily: 7, weekly: 4, monthly: 3 },
  comment: 'homelab-as-code: every guest nightly (packages/pve/src/guest-backups.ts)',
});
