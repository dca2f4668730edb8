import { backedUpDatasets, defineReplicationTarget } from '@homelab/kit';
import { zfs } from '@homelab/shared';

/**
 * The seed's "automated ZFS replication to offsite node": every dataset the layout marks
 * `backup` (packages/shared/src/zfs.ts: the service datasets and personal media) goes offsite
 * nightly; media/library (movies, shows, downloads) stays home.
 *
 * The offsite machine is a lab fact. `offsite.home.arpa` is a name under the home network's own
 * special-use domain (RFC 8375): it never resolves on the internet, only where the lab says so
 * (lxc-dns or the node's /etc/hosts; docs/storage.md: preparing the target). Put the target's
 * host key in `hostKey` once you have it, to pin it in a known_hosts file of its own. A
 * placeholder name (example.net, .invalid, .test) is refused by validate while datasets are
 * replicated (`replication-target-placeholder`).
 */
export const offsite = defineReplicationTarget({
  name: 'offsite',
  host: 'offsite.home.arpa',
  user: 'syncoid',
  sshKey: '/root/.ssh/syncoid_offsite_ed25519',
  pool: 'backup',
  root: 'homelab',
  datasets: backedUpDatasets(zfs),
  every: '1d',
  // After sanoid's daily snapshot (23:59) and the night's downloads.
  at: '02:30',
  // A long weekend offline must not break the chain.
  toleratedFailures: 3,
});
