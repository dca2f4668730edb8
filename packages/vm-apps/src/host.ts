import { defineVm } from '@homelab/kit';
import { network, vmDefaults, zfs } from '@homelab/shared';

/** The personal-cloud VM of the seed: 4 cores, 6 GB, 64 GB. */
export default defineVm({
  ...vmDefaults,
  name: 'vm-apps',
  vmid: 121,
  address: network.addressOf('vm-apps'),
  cores: 4,
  memoryMiB: 6144,
  diskGiB: 64,
  description: 'Personal cloud: Nextcloud (files), Vaultwarden (passwords) and Immich (photos, reading the personal library on tank/media/user).',
  // After vm-infra (proxy and auth) is up.
  startup: { order: 20, up: 30 },
  tags: ['apps'],
  storage: [zfs.dataset('services/apps'), zfs.dataset('media/user')],
});
