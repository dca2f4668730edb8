import { defineVm } from '@homelab/kit';
import { network, vmDefaults, zfs } from '@homelab/shared';

/** The media VM of the seed: 4 cores, 6 GB, 64 GB. */
export default defineVm({
  ...vmDefaults,
  name: 'vm-media',
  vmid: 122,
  address: network.addressOf('vm-media'),
  cores: 4,
  memoryMiB: 6144,
  diskGiB: 64,
  description: 'Media automation stack: Jellyfin streams locally; Sonarr, Radarr, Prowlarr and qBittorrent reach the internet only through Gluetun.',
  // After vm-infra (proxy and auth) is up.
  startup: { order: 20, up: 30 },
  tags: ['media'],
  storage: [
    zfs.dataset('services/media'),
    zfs.dataset('services/downloads'),
    // The downloads and the libraries: one dataset, one virtiofs share, so imports are hardlinks.
    zfs.dataset('media/library'),
  ],
});
