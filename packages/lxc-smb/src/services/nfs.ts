import { defineNfsExports } from '@homelab/kit';
import { network, zfs } from '@homelab/shared';

const PLAYERS = 'media players on the LAN (Kodi, TVs) stream over NFS; they only read';

/**
 * NFS exports of the media datasets, served by the Proxmox host's kernel NFS server (an
 * unprivileged container cannot run nfsd). The service datasets are not exported: their apps
 * keep SQLite and PostgreSQL files, which NFS locking corrupts; they stay on local file systems.
 */
export default defineNfsExports({
  name: 'nfs',
  server: 'proxmox-host',
  exports: [
    {
      dataset: zfs.dataset('media/movies'),
      clients: [
        { host: network.addressOf('vm-media'), access: 'rw', why: 'Radarr imports, Jellyfin reads' },
        { host: network.subnet, access: 'ro', why: PLAYERS },
      ],
    },
    {
      dataset: zfs.dataset('media/shows'),
      clients: [
        { host: network.addressOf('vm-media'), access: 'rw', why: 'Sonarr imports, Jellyfin reads' },
        { host: network.subnet, access: 'ro', why: PLAYERS },
      ],
    },
    {
      dataset: zfs.dataset('media/user'),
      // Personal photos: not the whole LAN (Samba, with a login, serves them to people).
      clients: [{ host: network.addressOf('vm-apps'), access: 'rw', why: 'Immich stores uploads and reads the library' }],
    },
  ],
});
