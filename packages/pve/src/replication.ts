import { defineReplicationTarget } from '@homelab/kit';
import { zfs } from '@homelab/shared';

/**
 * The seed's "automated ZFS replication to offsite node": what cannot be downloaded again
 * (service data and personal media) goes offsite nightly. media/library (movies, shows, downloads) stays home.
 * The host name is a placeholder for your offsite machine (docs/storage.md: preparing the target).
 */
export const offsite = defineReplicationTarget({
  name: 'offsite',
  host: 'offsite.example.net',
  user: 'syncoid',
  sshKey: '/root/.ssh/syncoid_offsite_ed25519',
  pool: 'backup',
  root: 'homelab',
  datasets: [
    zfs.dataset('services/infra'),
    zfs.dataset('services/monitoring'),
    zfs.dataset('services/apps'),
    zfs.dataset('services/media'),
    zfs.dataset('services/downloads'),
    zfs.dataset('services/dev'),
    zfs.dataset('media/user'),
  ],
  every: '1d',
  // After sanoid's daily snapshot (23:59) and the night's downloads.
  at: '02:30',
  // A long weekend offline must not break the chain.
  toleratedFailures: 3,
});
